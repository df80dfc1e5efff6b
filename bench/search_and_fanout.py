"""Search over 100,000 posts beside the thread page, and the cost of notification fan-out in the request, in one run.

    .venv/bin/python bench/search_and_fanout.py [--posts 100000] [--watchers 5000] [--database-url URL]

1. Builds a forum of ``--posts`` posts (bulk inserted, 50 to a thread, words drawn from a fixed vocabulary),
   indexes it with ``forum.search.services.reindex_all`` (timed), then times ``/search?q=...`` for a common word,
   a rare word and a two-word query beside a thread page of 20 posts: medians of 20 requests each, and the
   ratio search/thread.
2. Times starting a thread through the test client in a group that ``--watchers`` people watch and in a group nobody
   watches, with the job queue as in production (not immediate: the request only queues the fan-out), medians
   of 30 threads each; then runs the queued fan-out job once, outside any request, and times it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forum import create_app  # noqa: E402
from forum.accounts.models import User  # noqa: E402
from forum.common import transaction  # noqa: E402
from forum.extensions import db  # noqa: E402
from forum.groups.models import Group, Membership  # noqa: E402
from forum.jobs import huey_of  # noqa: E402
from forum.notifications.models import Watch, WatchLevel  # noqa: E402
from forum.search import services as search  # noqa: E402
from forum.threads.models import Post, Thread  # noqa: E402

WORDS = ("budget council residents park library school road tree bench bus housing health care money vote "
         "proposal area decide spend community youth play lighting bins repair safety cycle walk garden market "
         "volunteer meeting evidence report pilot prevention").split()
RARE = "zeppelin"


def users(n: int, prefix: str) -> list[int]:
    pw = generate_password_hash("x", "pbkdf2:sha256:1")
    rows = [dict(display_name=f"{prefix} {i}", handle=f"{prefix}-{i}", email=f"{prefix}{i}@example.org",
                 email_key=f"{prefix}{i}@example.org", password_hash=pw, role="resident") for i in range(n)]
    db.session.execute(insert(User), rows)
    return list(db.session.scalars(select(User.id).where(User.handle.like(f"{prefix}-%")).order_by(User.id)))


def group(name: str, member_ids: list[int]) -> Group:
    g = Group(name=name, slug=name.lower().replace(" ", "-"), member_count=len(member_ids))
    db.session.add(g)
    db.session.flush()
    db.session.execute(insert(Membership), [dict(group_id=g.id, user_id=u) for u in member_ids])
    return g


def build_posts(g: Group, author_ids: list[int], posts: int, rng: random.Random) -> int:
    """Bulk insert ``posts`` posts, 50 to a thread; returns the first thread's id."""
    first = None
    for t in range(posts // 50):
        thread = Thread(group_id=g.id, author_id=author_ids[t % len(author_ids)], title=f"Thread {t} about "
                        + " ".join(rng.sample(WORDS, 3)), slug=f"thread-{t}", post_count=50, visible_reply_count=49)
        db.session.add(thread)
        db.session.flush()
        first = first or thread.id
        rows = []
        for n in range(1, 51):
            text = " ".join(rng.choice(WORDS) for _ in range(40)) + (f" {RARE}" if rng.random() < 0.001 else "")
            rows.append(dict(thread_id=thread.id, number=n, author_id=author_ids[n % len(author_ids)],
                             body_source=text, body_html=f"<p>{text}</p>", state="visible"))
        db.session.execute(insert(Post), rows)
        if t % 200 == 0:
            print(f"  {t * 50:,} posts", end="\r", flush=True)
    print()
    return first


def median_ms(client, url: str, n: int = 20) -> float:
    client.get(url)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        assert client.get(url).status_code == 200, url
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def new_thread_ms(app, client, slug: str, n: int = 30) -> float:
    """Start ``n`` threads in a group: each queues the fan-out to the group's watchers."""
    times = []
    for i in range(n):
        start = time.perf_counter()
        response = client.post(f"/groups/{slug}/threads/new",
                               data={"title": f"Thread number {i}", "body": f"Opening post {i} with some words."})
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 302, response.status_code
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--watchers", type=int, default=5_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    uri = args.database_url or f"sqlite:///{folder}/bench.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "JOBS_SQLITE_PATH": f"{folder}/jobs.sqlite",
                      "DUPLICATE_POST_WINDOW_SECONDS": 0, "PREMODERATE_FIRST_POSTS": 0,
                      "MAIL_FILE_DIR": f"{folder}/mail"})
    rng = random.Random(11)
    with app.app_context():
        db.create_all()
        authors = users(20, "author")
        big = group("Big group", authors)
        print(f"Building {args.posts:,} posts")
        first_thread = build_posts(big, authors, args.posts, rng)
        transaction.commit()
        start = time.perf_counter()
        indexed = search.reindex_all()
        transaction.commit()
        reindex_s = time.perf_counter() - start
        watchers = users(args.watchers, "watcher")
        writer = authors[0]
        watched = group("Watched group", [*watchers, writer])
        quiet = group("Quiet group", [writer])
        db.session.execute(insert(Watch), [dict(user_id=u, group_id=watched.id, level=WatchLevel.WATCHING)
                                           for u in watchers])
        slugs = (watched.slug, quiet.slug)
        session_id = db.session.get(User, writer).get_id()
        transaction.commit()
    client = app.test_client()
    print(f"Indexed {indexed:,} documents in {reindex_s:.1f} s")
    thread_ms = median_ms(client, f"/threads/{first_thread}/")
    rows = [("thread page (20 posts)", thread_ms)]
    for label, q in (("search: common word", "budget"), ("search: rare word", RARE),
                     ("search: two words", "library volunteer")):
        rows.append((label, median_ms(client, f"/search?q={q}")))
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    huey = huey_of(app)
    huey.storage.flush_queue()
    quiet_reply = new_thread_ms(app, client, slugs[1])
    watched_reply = new_thread_ms(app, client, slugs[0])
    queued = huey.pending_count()
    task, last_fan_out = huey.dequeue(), None  # the last thread's fan-out is one in the watched group
    while task is not None:
        last_fan_out = task if "fan_out" in task.name else last_fan_out
        task = huey.dequeue()
    task = last_fan_out
    start = time.perf_counter()
    notified = huey.execute(task) if task else None
    fan_out_s = time.perf_counter() - start
    print(f"\n| measure ({Path(uri).name if 'sqlite' in uri else 'PostgreSQL'}) | median ms | ratio to thread page |")
    print("|---|---:|---:|")
    for label, ms in rows:
        print(f"| {label} | {ms:.1f} | {ms / thread_ms:.2f} |")
    print(f"| new thread, group nobody watches | {quiet_reply:.1f} | |")
    print(f"| new thread, group {args.watchers:,} people watch | {watched_reply:.1f} | |")
    print(f"\nJobs queued by the {2 * 30} new threads: {queued}; one fan-out job, run by a worker: {fan_out_s:.2f} s "
          f"(notified {notified})")


if __name__ == "__main__":
    main()
