"""Print how many SQL queries the moderation queue and the audit log issue, small against large, in one run.

    .venv/bin/python bench/queue_queries.py [--database-url URL]

The queue page (GET /moderation/ as a site moderator) with 3 items waiting, then 60 (in turn: a post held in a
pre-moderated group, a flagged comment, a post hidden by three flags, a post flagged once as spam; by 20
authors), and the audit log (GET /moderation/log) with 10 entries, then 200. Each is measured with every item
on one page and with the site's default page size. A count that grows with the items is an N+1.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.query_counts import count  # noqa: E402
from forum import create_app  # noqa: E402
from forum.accounts.models import User  # noqa: E402
from forum.audit import services as audit  # noqa: E402
from forum.audit.models import Action, AuditEntry  # noqa: E402
from forum.common import transaction  # noqa: E402
from forum.extensions import db  # noqa: E402
from forum.groups.models import Group, Membership  # noqa: E402
from forum.moderation.models import FlagReason, ReviewItem  # noqa: E402
from forum.moderation.services import flags  # noqa: E402
from forum.threads import services as thread_services  # noqa: E402
from forum.threads.models import Thread  # noqa: E402

AUTHORS = 20
ACTIONS = [Action.HIDE, Action.APPROVE, Action.RESTORE, Action.LOCK, Action.PIN, Action.WARN, Action.SUSPEND]


def _user(name: str, role: str = "resident") -> User:
    handle = name.lower().replace(" ", "-")
    user = User(display_name=name, handle=handle, email=f"{handle}@example.org", email_key=f"{handle}@example.org",
                role=role, password_hash=generate_password_hash("x", "pbkdf2:sha256:1"))
    db.session.add(user)
    return user


class World:
    """A site moderator, two groups (one pre-moderated), authors and flaggers, and the queue they fill."""

    def __init__(self) -> None:
        self.moderator = _user("Bench Moderator", "moderator")
        self.authors = [_user(f"Author {n}") for n in range(AUTHORS)]
        self.flaggers = [_user(f"Flagger {n}") for n in range(3)]
        self.open = Group(name="Open", slug="open", member_count=AUTHORS)
        self.premoderated = Group(name="Checked", slug="checked", member_count=AUTHORS, premoderated=True)
        db.session.add_all([self.open, self.premoderated])
        db.session.flush()
        for group in (self.open, self.premoderated):
            db.session.add_all(Membership(group_id=group.id, user_id=a.id) for a in self.authors)
        db.session.commit()
        self.threads = [thread_services.start_thread(self.open, self.authors[n], f"Thread {n}", "Opening text.")
                        for n in range(4)]
        self.checked = thread_services.start_thread(
            self.premoderated, self.moderator, "Checked thread", "Moderators never wait.")
        self.made = 0
        self.ids = {name: [row.id for row in rows] for name, rows in (
            ("moderator", [self.moderator]), ("authors", self.authors), ("flaggers", self.flaggers),
            ("groups", [self.open, self.premoderated]), ("threads", self.threads), ("checked", [self.checked]))}

    def reload(self) -> None:
        """Fetch the world's rows again in this app context (rows do not outlive the one they were loaded in)."""
        def get(model: type, name: str) -> list:
            return [db.session.get(model, row_id) for row_id in self.ids[name]]

        [self.moderator], [self.checked] = get(User, "moderator"), get(Thread, "checked")
        self.authors, self.flaggers = get(User, "authors"), get(User, "flaggers")
        [self.open, self.premoderated], self.threads = get(Group, "groups"), get(Thread, "threads")

    def add_items(self, total: int) -> None:
        """Fill the queue up to ``total`` items, cycling through the four kinds of item."""
        while self.made < total:
            n = self.made
            author = self.authors[n % AUTHORS]
            thread = self.threads[n % len(self.threads)]
            kind = n % 4
            if kind == 0:  # held in the pre-moderated group
                thread_services.reply(self.checked, author, f"Held reply {n}.")
            elif kind == 1:  # a flagged comment
                context = thread_services.reply(thread, self.authors[(n + 1) % AUTHORS], f"Context {n}.")
                comment = thread_services.add_comment(context, author, f"Off-topic comment {n}.")
                self._flag("comment", comment.id, self.flaggers[1:2], FlagReason.OFF_TOPIC, "")
            elif kind == 2:  # a reply hidden at once by three flags
                post = thread_services.reply(thread, author, f"Rude reply {n}.")
                self._flag("post", post.id, self.flaggers, FlagReason.INAPPROPRIATE, "")
            else:  # a reply flagged once as spam, with a note
                post = thread_services.reply(thread, author, f"Buy now, offer {n}.")
                self._flag("post", post.id, self.flaggers[:1], FlagReason.SPAM, "An advert.")
            self.made += 1

    @staticmethod
    def _flag(kind: str, item_id: int, flaggers: list[User], reason: str, note: str) -> None:
        for flagger in flaggers:
            flags.flag(flags.flaggable_item(kind, item_id, flagger), flagger, reason, note)

    def add_log_entries(self, total: int) -> None:
        """Top the audit log up to ``total`` entries, by two moderators about many people and both groups."""
        have = db.session.scalar(select(func.count(AuditEntry.id))) or 0
        for n in range(have, total):
            actor = self.moderator if n % 2 else self.flaggers[0]
            audit.record(actor, ACTIONS[n % len(ACTIONS)], item_type="user", item_id=self.authors[n % AUTHORS].id,
                         subject_id=self.authors[n % AUTHORS].id,
                         group_id=(self.open.id, self.premoderated.id, None)[n % 3], reason=f"Reason {n}.")
        db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                      "RATELIMIT_ENABLED": False, "PREMODERATE_FIRST_POSTS": 0, "DUPLICATE_POST_WINDOW_SECONDS": 0})
    default_queue, default_log = app.config["QUEUE_PER_PAGE"], app.config["AUDIT_PER_PAGE"]
    with app.app_context(), transaction.unit_of_work():
        db.drop_all()
        db.create_all()
        world = World()
        moderator_id = world.moderator.get_id()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = moderator_id, True

    def measure(url: str, setting: str, per_page: int) -> int:
        app.config[setting] = per_page
        return count(app, client, url)

    figures: dict[str, dict[str, int]] = {}
    for size, items, entries in (("small", 3, 10), ("large", 60, 200)):
        with app.app_context(), transaction.unit_of_work():
            world.reload()
            world.add_items(items)
            world.add_log_entries(entries)
            waiting = db.session.scalar(select(func.count(ReviewItem.id)).where(ReviewItem.status == "pending"))
            logged = db.session.scalar(select(func.count(AuditEntry.id)))
        assert (waiting, logged) == (items, entries), (waiting, logged)
        figures[size] = {
            "queue, all items on one page": measure("/moderation/", "QUEUE_PER_PAGE", 100),
            f"queue, first page ({default_queue} per page)": measure("/moderation/", "QUEUE_PER_PAGE",
                                                                   default_queue),
            "queue, held only": measure("/moderation/?kind=held", "QUEUE_PER_PAGE", 100),
            "audit log, all entries on one page": measure("/moderation/log", "AUDIT_PER_PAGE", 250),
            f"audit log, first page ({default_log} per page)": measure("/moderation/log", "AUDIT_PER_PAGE",
                                                                      default_log),
        }
    engine = url.split(":", 1)[0].split("+")[0]
    print(f"Queries per moderation page as a site moderator ({engine}; small: 3 queue items, 10 log entries; "
          "large: 60 queue items, 200 log entries)")
    print(f"  {'page':<40} {'small':>5} {'large':>5}")
    for page in figures["small"]:
        print(f"  {page:<40} {figures['small'][page]:>5} {figures['large'][page]:>5}")


if __name__ == "__main__":
    main()
