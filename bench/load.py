"""The load benchmark (issue 14): seed a large forum, serve it under gunicorn as in production beside a Flask
"hello world", load every page with wrk, and report requests per second, latency, the ratio to hello world,
SQL queries and CPU per request, as Markdown and JSON in bench/results/.

    .venv/bin/python bench/load.py --quick                       # small seed, 3 s runs, both databases
    .venv/bin/python bench/load.py --database postgresql --scale 5 --duration 30 --baseline FILE.json

See bench/README.md ("load.py") for what each column means and the settings chosen.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from load_tools import ROOT, Person, Server, lua_script, request, sign_in, wrk
from load_views import ANON, FRESH, PAGES, SIGNED_IN, TARGETS, count_queries, markdown

RESULTS = Path(__file__).resolve().parent / "results"
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5433/postgres")
SECRET_KEY = "load-benchmark-secret-key-not-the-development-one"


def machine(pg_url: str | None) -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024
    info = {"cpu": cpu, "cores": os.cpu_count(), "ram_mb": memory, "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "os": platform.platform(), "load_average": os.getloadavg(),
            "wrk": subprocess.run(["/usr/bin/wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0]}
    if pg_url:
        import psycopg

        with psycopg.connect(pg_url.replace("+psycopg", "")) as connection:
            info["postgresql"] = connection.execute("SHOW server_version").fetchone()[0]
    return info


def database_for(kind: str, scale: float, data: Path, fresh: bool) -> tuple[str, dict[str, Any]]:
    """The seeded database for ``kind`` at ``scale``: reused when its manifest is there, else made and seeded."""
    tag = f"s{scale:g}".replace(".", "_")
    manifest_path = data / f"{kind}-{tag}.json"
    if kind == "sqlite":
        path = data / f"load-{tag}.sqlite"
        url = f"sqlite:///{path}"
        if fresh or not manifest_path.exists() or not path.exists():
            for leftover in data.glob(f"load-{tag}.sqlite*"):
                leftover.unlink()
            manifest_path.unlink(missing_ok=True)
    else:
        import psycopg

        name = f"bench_load_{tag}"
        url = POSTGRES.rsplit("/", 1)[0] + f"/{name}"
        with psycopg.connect(POSTGRES.replace("+psycopg", ""), autocommit=True) as admin:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if fresh or not manifest_path.exists() or not exists:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{name}"')
                manifest_path.unlink(missing_ok=True)
    if not manifest_path.exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "seed_load.py"), "--database-url", url, "--scale",
                        str(scale), "--manifest", str(manifest_path)], check=True, stdout=subprocess.DEVNULL)
    else:  # a database seeded by an earlier run: brought up to the code's schema, as a deployment would be
        env = {**os.environ, "DATABASE_URL": url}
        env.pop("FORUM_ENV", None)
        subprocess.run([str(ROOT / ".venv" / "bin" / "flask"), "--app", "forum", "db", "upgrade"], env=env,
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return url, json.loads(manifest_path.read_text())


def measure(server: Server, path: str, seconds: float, warm: float, stored: Any = None,
            **options: Any) -> dict[str, Any]:
    """A warm-up run, then the measured one; ``stored()`` (rows written so far) is read around the measured run."""
    if warm:
        wrk(server, path, warm, **options)
    before = stored() if stored else None
    run = wrk(server, path, seconds, **options)
    result = {"rps": run.rps, "p50_ms": run.p50_ms, "p99_ms": run.p99_ms, "requests": run.requests,
              "errors": run.bad, "cpu_ms": run.cpu_ms}
    if stored:
        result["stored"] = stored() - before
        result["note"] = (f"{result['stored']} replies stored for {run.requests} answered (a few more may be "
                          "stored: wrk does not count the requests in flight when it stops)")
    return result


def replies_in(url: str, thread_id: int) -> Any:
    """How many posts the reply thread has: the reply run checks that every answered reply was stored."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)

    def count() -> int:
        with engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM posts WHERE thread_id = :t"), {"t": thread_id}
                                      ).scalar_one()
    return count


def run_database(kind: str, args: argparse.Namespace, data: Path) -> dict[str, Any]:
    url, manifest = database_for(kind, args.scale, data, args.fresh)
    pages = [page for page in PAGES if not args.pages or page.key in args.pages]
    print(f"[{kind}] counting queries in-process", file=sys.stderr)
    queries = count_queries(url, manifest, pages, data / f"jobs-count-{kind}.sqlite")
    warm = min(2.0, max(1.0, args.duration / 5))
    hello = Server("hello:app", {}, data)
    print(f"[{kind}] hello world", file=sys.stderr)
    try:
        ceiling = measure(hello, "/", args.duration, warm)
    except BaseException:
        hello.stop()
        raise
    env = {"FORUM_ENV": "production", "SECRET_KEY": SECRET_KEY, "DATABASE_URL": url,
           "FORUM_JOBS_SQLITE_PATH": str(data / f"jobs-{kind}.sqlite"), "MAIL_FILE_DIR": str(data / "mail")}
    for name in ("REDIS_URL", "MAIL_SERVER", "RATELIMIT_STORAGE_URI", "PAGE_CACHE_URL"):
        os.environ.pop(name, None)
    forum = Server("load_wsgi:app", env, data)
    # The same forum with PAGE_CACHE_SIGNED_IN off, for the FRESH rows (idle while the other is measured).
    fresh = [Server("load_wsgi:app", env | {"BENCH_PAGE_CACHE_SIGNED_IN": "off"}, data)] if any(
        FRESH in page.viewers for page in pages) else []
    rows = []
    try:
        form_page = f"/threads/{manifest['reply_thread']}/reply"
        people = [sign_in(forum.host, email, manifest["password"], form_page)
                  for email in manifest["signed_in"][: args.people]]
        for page in pages:
            for viewer in page.viewers:
                print(f"[{kind}] {page.key} ({viewer})", file=sys.stderr)
                row = {"page": page.key, "label": page.label, "viewer": viewer,
                       "target_pct": TARGETS.get((page.key, viewer)), "queries": queries.get((page.key, viewer))}
                stored = replies_in(url, manifest["reply_thread"]) if page.key == "reply" else None
                server = fresh[0] if viewer == FRESH else forum
                row.update(measure_page(server, page, viewer, manifest, people, args.duration, warm, stored))
                if page.method == "GET" and not page.conditional:
                    prober = Person("probe") if viewer == ANON else people[0]
                    row["cache"] = prober.send(server.host, "GET", page.path(manifest))[1].get("x-page-cache", "none")
                rows.append(row)
        # Hello world again after the pages: on a shared machine the ceiling drifts; the ratio uses the mean.
        print(f"[{kind}] hello world again", file=sys.stderr)
        after = measure(hello, "/", args.duration, 0)
    finally:
        for server in (forum, *fresh, hello):
            server.stop()
    ceiling = {key: (ceiling[key] + after[key]) / 2 for key in ("rps", "p50_ms", "p99_ms", "cpu_ms")} | {
        "rps_before": ceiling["rps"], "rps_after": after["rps"]}
    for row in rows:
        row["pct_of_hello"] = 100 * row["rps"] / ceiling["rps"] if row.get("rps") else None
    return {"database": kind, "database_url": url.split("@")[-1], "manifest": {k: v for k, v in manifest.items()
            if k != "signed_in"}, "hello": ceiling, "rows": rows}


def measure_page(server: Server, page: Any, viewer: str, manifest: dict[str, Any], people: list[Person],
                 seconds: float, warm: float, stored: Any = None) -> dict[str, Any]:
    path = page.path(manifest)
    if page.method == "POST":
        # One by hand first: a refusal comes back as the form again (200), which wrk would count as a success.
        form = page.form(manifest) | {"csrf_token": people[0].token}
        if page.unique_field:
            form[page.unique_field] = "A first reply by hand, before the benchmark's own."
        status, _, _ = people[0].send(server.host, "POST", path, form)
        if status not in (302, 303):
            raise RuntimeError(f"{page.key}: a POST by hand answered {status}, not a redirect")
        script = lua_script(people, "POST", path, page.form(manifest), page.unique_field)
        return measure(server, path, seconds, warm, stored, script=script)
    if viewer in (SIGNED_IN, FRESH):
        return measure(server, path, seconds, warm, script=lua_script(people, "GET", path))
    if page.conditional:
        _status, headers, _ = Person("anonymous").send(server.host, "GET", path)
        validators = {}
        if headers.get("etag"):
            validators["If-None-Match"] = headers["etag"]
        if headers.get("last-modified"):
            validators["If-Modified-Since"] = headers["last-modified"]
        if not validators:
            return {"rps": None, "note": "n/a: no ETag or Last-Modified"}
        status = request(server.host, "GET", path, validators)[0]
        result = measure(server, path, seconds, warm, headers=validators)
        return result | {"note": f"sent {', '.join(validators)} from a first response; a probe got {status}"}
    return measure(server, path, seconds, warm)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--scale", type=float, default=1.0, help="1: 200,000 posts (5: 1,000,000; 0.05: 10,000)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of each wrk run (default 30)")
    parser.add_argument("--pages", nargs="*", help=f"a subset of: {' '.join(p.key for p in PAGES)}")
    parser.add_argument("--people", type=int, default=16, help="signed-in people the Lua scripts cycle through")
    parser.add_argument("--quick", action="store_true", help="a small seed (--scale 0.05) and 3 s runs, to try it")
    parser.add_argument("--fresh", action="store_true", help="seed again even if a seeded database is there")
    parser.add_argument("--baseline", type=Path, help="a results JSON at 10,000 posts: adds the growth column")
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "forum-bench",
                        help="where the SQLite databases, manifests and logs live (reused between runs)")
    args = parser.parse_args()
    if args.quick:
        args.scale, args.duration = 0.05, 3.0
    args.data_dir.mkdir(parents=True, exist_ok=True)
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    baseline = json.loads(args.baseline.read_text()) if args.baseline else None
    started = datetime.now()
    about = machine(POSTGRES if "postgresql" in kinds else None)
    RESULTS.mkdir(exist_ok=True)
    for kind in kinds:
        result = run_database(kind, args, args.data_dir)
        result.update(machine=about, started=started.isoformat(timespec="seconds"), duration=args.duration,
                      scale=args.scale, command=" ".join(sys.argv))
        stem = f"{started:%Y-%m-%d-%H%M}-{kind}-{result['manifest']['posts']}-posts"
        (RESULTS / f"{stem}.json").write_text(json.dumps(result, indent=2, default=str))
        text = markdown(result, baseline)
        (RESULTS / f"{stem}.md").write_text(text)
        print(text)
    with contextlib.suppress(OSError):
        (args.data_dir / "mail").rmdir()


if __name__ == "__main__":
    main()
