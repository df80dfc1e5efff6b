"""What bench/load.py measures: the pages (where they are in a seeded forum, who asks), the targets of issue 14,
the SQL queries each page issues (in-process, with the test client) and the Markdown report."""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ANON, SIGNED_IN = "anonymous", "signed in"
# The same signed-in people, from a second server with PAGE_CACHE_SIGNED_IN off: every page built afresh, as on a
# first visit after something changed (the rows the targets apply to are the served ones, SIGNED_IN).
FRESH = "signed in, built afresh"


@dataclass
class Page:
    key: str
    label: str
    path: Callable[[dict[str, Any]], str]
    viewers: tuple[str, ...] = (ANON,)
    method: str = "GET"
    conditional: bool = False  # repeat the first response's ETag / Last-Modified: the 304 path
    form: Callable[[dict[str, Any]], dict[str, Any]] = field(default=lambda m: {})
    unique_field: str = ""


PAGES = [
    Page("home", "home", lambda m: "/", (ANON, SIGNED_IN, FRESH)),
    Page("group", "group (51 threads)", lambda m: f"/groups/{m['group']}/", (ANON, SIGNED_IN, FRESH)),
    Page("big-group", "largest group", lambda m: f"/groups/{m['big_group']}/"),
    Page("thread", "200-post thread, first page", lambda m: f"/threads/{m['long_thread']}/", (ANON, SIGNED_IN, FRESH)),
    Page("thread-last", "200-post thread, last page",
         lambda m: f"/threads/{m['long_thread']}/?page={m['long_thread_pages']}", (ANON, SIGNED_IN, FRESH)),
    Page("tag", "tag page", lambda m: f"/tags/{m['tag']}/"),
    Page("search", "search", lambda m: "/search?q=" + m["search"].replace(" ", "+")),
    Page("proposals", "proposals (voting)", lambda m: f"/budgets/{m['budget']}/proposals"),
    Page("results", "results", lambda m: f"/budgets/pots/{m['results_pot']}/results"),
    Page("home-304", "home, repeat visit (304 path)", lambda m: "/", conditional=True),
    Page("thread-304", "thread, repeat visit (304 path)", lambda m: f"/threads/{m['long_thread']}/", conditional=True),
    Page("ballot", "ballot submission (POST)", lambda m: f"/budgets/pots/{m['voting_pot']}/ballot", (SIGNED_IN,),
         "POST", form=lambda m: {"chosen": [str(i) for i in m["ballot_choices"]]}),
    Page("reply", "reply (POST)", lambda m: f"/threads/{m['reply_thread']}/reply", (SIGNED_IN,), "POST",
         unique_field="body"),
]

# Issue 14's targets, as a share of hello world's requests per second. Anonymous readers get the cached page
# (forum/common/page_cache.py): a cached page and the 304 path at least 40%; signed-in readers are served afresh:
# the thread page at least 8%, group and home at least 12%.
TARGETS: dict[tuple[str, str], float] = {
    ("thread", SIGNED_IN): 8, ("thread-last", SIGNED_IN): 8, ("group", SIGNED_IN): 12, ("home", SIGNED_IN): 12,
    ("thread", ANON): 40, ("thread-last", ANON): 40, ("group", ANON): 40, ("home", ANON): 40,
    ("home-304", ANON): 40, ("thread-304", ANON): 40,
}
GROWTH_LIMIT = 20  # percent: a page's ratio at 1,000,000 posts within 20% of its ratio at 10,000


def count_queries(url: str, manifest: dict[str, Any], pages: list[Page], jobs_path: Path) -> dict[tuple, int]:
    """SQL statements per request for each page and viewer, in-process with the test client (a
    ``before_cursor_execute`` listener): each page is asked three times and the third, steady-state request is counted,
    as wrk sees it (for an anonymous reader, the cached page). The POSTs are sent once each."""
    from sqlalchemy import event

    from forum import create_app
    from forum.extensions import db

    # CSRF stays on, as served: a page with a form writes its token into the session, and the cache skips it.
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-count", "RATELIMIT_ENABLED": False,
                      "JOBS_SQLITE_PATH": str(jobs_path)})
    counts: dict[tuple, int] = {}
    statements: list[str] = []

    def listener(*args: Any) -> None:
        statements.append(args[2])

    with app.app_context():
        engine = db.engine
    # Anonymous: no cookies kept, as wrk sends none (a page that sets a cookie is then never served from the cache).
    clients = {ANON: app.test_client(use_cookies=False), SIGNED_IN: app.test_client()}
    clients[FRESH] = clients[SIGNED_IN]
    def token(path: str) -> str:
        page = clients[SIGNED_IN].get(path).get_data(as_text=True)
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

    signed = clients[SIGNED_IN].post("/login", data={"email": manifest["signed_in"][0], "csrf_token": token("/login"),
                                                     "password": manifest["password"]})
    if signed.status_code not in (302, 303):
        raise RuntimeError(f"signing in for the query counts answered {signed.status_code}")
    csrf_token = token(f"/threads/{manifest['reply_thread']}/reply")
    for page in pages:
        for viewer in page.viewers:
            client, path = clients[viewer], page.path(manifest)
            app.config["PAGE_CACHE_SIGNED_IN"] = viewer != FRESH
            if page.method == "GET":  # twice: a signed-in reader's first view moves their reading place
                client.get(path)
                client.get(path)
            statements.clear()
            event.listen(engine, "before_cursor_execute", listener)
            try:
                if page.method == "GET":
                    headers = {}
                    if page.conditional:
                        first = client.get(path)
                        headers = {"If-None-Match": first.headers["ETag"]} if first.headers.get("ETag") else {}
                        statements.clear()
                    response = client.get(path, headers=headers)
                else:
                    data = page.form(manifest) | {"csrf_token": csrf_token} | (
                        {page.unique_field: "Counting the queries of one reply."} if page.unique_field else {})
                    response = client.post(path, data=data)
            finally:
                event.remove(engine, "before_cursor_execute", listener)
            if response.status_code >= 400 or (page.method == "POST" and response.status_code not in (302, 303)):
                raise RuntimeError(f"{page.key} ({viewer}) answered {response.status_code} in-process")
            counts[(page.key, viewer)] = len(statements)
    with app.app_context():
        db.engine.dispose()
    return counts


def _number(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{digits}f}"


def markdown(result: dict[str, Any], baseline: dict[str, Any] | None = None) -> str:
    """The report: one table, the machine and the settings."""
    m, hello, about = result["manifest"], result["hello"], result["machine"]
    before = {(r["page"], r["viewer"]): r.get("pct_of_hello") for r in (baseline or {}).get("rows", [])}
    lines = [
        f"# Load benchmark: {result['database']}, {m['posts']:,} posts ({result['started']})", "",
        f"{m['people']:,} people, {m['threads']:,} threads, {m['posts']:,} posts, {m['comments']:,} comments, "
        f"{m['ballots']:,} ballots (scale {result['scale']:g}). gunicorn -w 2 sync on 127.0.0.1, "
        f"FORUM_ENV=production; wrk -t2 -c8 -d{result['duration']:g}s --latency, each page after a warm-up run.",
        "", f"Hello world (the ceiling, the mean of a run before the pages, {_number(hello.get('rps_before'))} "
        f"req/s, and one after, {_number(hello.get('rps_after'))}): **{_number(hello['rps'])} req/s**, "
        f"p50 {_number(hello['p50_ms'], 2)} ms, p99 {_number(hello['p99_ms'], 2)} ms, "
        f"{_number(hello['cpu_ms'], 2)} CPU ms per request.", "",
        "| page | viewer | req/s | p50 ms | p99 ms | % of hello | target | met | queries | CPU ms | errors | cache |"
        + (" growth |" if baseline else ""),
        "|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---|" + ("---:|" if baseline else ""),
    ]
    notes = []
    for row in result["rows"]:
        pct, target = row.get("pct_of_hello"), row.get("target_pct")
        met = "–" if target is None else "n/a" if pct is None else "yes" if pct >= target else "no"
        cells = [row["label"], row["viewer"], _number(row.get("rps")), _number(row.get("p50_ms"), 2),
                 _number(row.get("p99_ms"), 2), _number(pct, 2) + ("%" if pct is not None else ""),
                 f"{target:g}%" if target is not None else "–", met,
                 str(row["queries"]) if row.get("queries") is not None else "–", _number(row.get("cpu_ms"), 2),
                 str(row.get("errors", "–")), row.get("cache") or "–"]
        if baseline:
            old = before.get((row["page"], row["viewer"]))
            change = None if not old or pct is None else 100 * (pct - old) / old
            within = change is not None and abs(change) <= GROWTH_LIMIT
            cells.append("–" if change is None else f"{change:+.0f}% ({'yes' if within else 'no'})")
        if row.get("note"):
            notes.append(f"{row['label']} ({row['viewer']}): {row['note']}")
            cells[0] += f" [{len(notes)}]"
        lines.append("| " + " | ".join(cells) + " |")
    lines += [""] + [f"[{n}] {note}  " for n, note in enumerate(notes, 1)]
    lines += ["", f"Machine: {about['cpu']}, {about['cores']} cores, {about['ram_mb']:,} MB RAM; Python "
              f"{about['python']}, SQLite {about['sqlite']}" + (f", PostgreSQL {about['postgresql']}"
                                                                 if about.get("postgresql") else "")
              + f"; {about['wrk']}; load average at start {', '.join(f'{x:.2f}' for x in about['load_average'])}.",
              "", f"Command: `{result['command']}`", ""]
    return "\n".join(lines)
