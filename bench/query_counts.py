"""Print how many SQL queries each forum page issues, for small and large content, in one run.

    .venv/bin/python bench/query_counts.py [--database-url URL]

A page whose count grows with its content has an N+1; the tests (tests/threads/test_queries.py,
tests/listings/test_query_counts.py) assert equality, this prints the figures.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from sqlalchemy import event, select
from werkzeug.security import generate_password_hash

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forum import create_app  # noqa: E402
from forum.accounts.models import User  # noqa: E402
from forum.common import transaction  # noqa: E402
from forum.extensions import db  # noqa: E402
from forum.groups.models import Group, Membership  # noqa: E402
from forum.threads import services  # noqa: E402
from forum.threads.models import Post  # noqa: E402


def make_world(threads: int, replies: int, tag: str) -> tuple[str, int, User]:
    """A group with ``threads`` threads; the first has ``replies`` replies, every post two comments."""
    n = db.session.scalar(select(db.func.count()).select_from(Group)) or 0
    people = []
    for i in range(3):
        name = f"Person {n}-{i}"
        user = User(display_name=name, handle=f"person-{n}-{i}", email=f"p{n}{i}@example.org",
                    email_key=f"p{n}{i}@example.org", password_hash=generate_password_hash("x", "pbkdf2:sha256:1"))
        db.session.add(user)
        people.append(user)
    group = Group(name=f"Group {n}", slug=f"group-{n}", member_count=3)
    db.session.add(group)
    db.session.flush()
    for user in people:
        db.session.add(Membership(group_id=group.id, user_id=user.id))
    db.session.commit()
    first = None
    for t in range(threads):
        thread = services.start_thread(group, people[t % 3], f"Thread {t}", "Opening text.", f"{tag}, topic {t % 4}")
        first = first or thread
    for r in range(replies):
        services.reply(first, people[r % 3], f"Reply {r}.")
    for post in db.session.scalars(select(Post).where(Post.thread_id == first.id)).all():
        for c in range(2):
            services.add_comment(post, people[c], f"Comment {c}.")
    return group.slug, first.id, people[0]


def count(app, client, url: str) -> int:
    statements: list[str] = []
    client.get(url)
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    response = client.get(url)
    event.remove(engine, "before_cursor_execute", listener)
    assert response.status_code == 200, (url, response.status_code)
    return len(statements)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    # The made-up content posts the same text from brand-new accounts: no spam or pre-moderation rules.
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                      "RATELIMIT_ENABLED": False, "DUPLICATE_POST_WINDOW_SECONDS": 0,
                      "PREMODERATE_FIRST_POSTS": 0})
    with app.app_context(), transaction.unit_of_work():
        db.drop_all()
        db.create_all()
        small = make_world(threads=5, replies=9, tag="small")
        large = make_world(threads=100, replies=199, tag="large")
        people = {"small": small[2].get_id(), "large": large[2].get_id()}
    rows = []
    for viewer in ("anonymous", "member"):
        for label, (slug, thread_id, _user) in (("small", small), ("large", large)):
            client = app.test_client()
            if viewer == "member":
                with client.session_transaction() as session:
                    session["_user_id"], session["_fresh"] = people[label], True
            rows.append((viewer, label, {
                "thread page": count(app, client, f"/threads/{thread_id}/"),
                "thread page 10": count(app, client, f"/threads/{thread_id}/?page=10") if label == "large" else None,
                "group page": count(app, client, f"/groups/{slug}/"),
                "home": count(app, client, "/"),
                "tag page": count(app, client, f"/tags/{label}/"),
                "tags index": count(app, client, "/tags/"),
            }))
    print("Queries per page (small: 10 posts in the thread, 5 threads in the group; "
          "large: 200 posts, 100 threads; every post with 2 comments)")
    for viewer, label, counts in rows:
        shown = ", ".join(f"{k} {v}" for k, v in counts.items() if v is not None)
        print(f"  {viewer:<9} {label:<5} {shown}")


if __name__ == "__main__":
    main()
