"""Where signed-in readers are in each thread (``ThreadRead``), and where a list of threads should send them.

The thread page moves a reader's mark forward to the last post number on the page they opened (one statement,
and none when the mark does not move: the page read the old mark with the thread). A list asks, in one query
for the whole list, for each thread's latest post everyone can see and, for a signed-in reader who has opened
the thread before, the first such post after their mark and how many there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ScalarSelect, and_, func, select

from forum.common.database import insert
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.threads.models import Post, Thread, ThreadRead, Visibility


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def mark_column(user: Any) -> ScalarSelect[int] | None:
    """The reader's mark on the thread being selected, as a column to add to a query of ``Thread``."""
    if not _signed_in(user):
        return None
    return (
        select(ThreadRead.last_read_post_number)
        .where(ThreadRead.thread_id == Thread.id, ThreadRead.user_id == user.id)
        .scalar_subquery()
    )


def advance(thread: Thread, user: Any, mark: int | None, up_to: int) -> None:
    """Record that ``user`` has read ``thread`` up to post number ``up_to`` (never moving the mark back).

    ``mark`` is what the page read with the thread: when the mark would not move, nothing is written. Two pages
    open at once both upsert; the conflict clause keeps the higher number.
    """
    if not _signed_in(user) or up_to <= 0 or (mark is not None and up_to <= mark):
        return
    stmt = insert(ThreadRead).values(user_id=user.id, thread_id=thread.id, last_read_post_number=up_to,
                                     read_at=utcnow())
    stmt = stmt.on_conflict_do_update(
        index_elements=["user_id", "thread_id"],
        set_={"last_read_post_number": stmt.excluded.last_read_post_number, "read_at": stmt.excluded.read_at},
        where=ThreadRead.last_read_post_number < stmt.excluded.last_read_post_number,
    )
    db.session.execute(stmt)


@dataclass(frozen=True)
class Place:
    """Where a list sends a reader in one thread."""

    latest: int | None  # the number of the latest post everyone can see
    first_unread: int | None = None  # the first such post after the reader's mark (None: nothing new, or never read)
    unread: int = 0


_SHOWN = and_(Post.state == Visibility.VISIBLE, Post.withdrawn_at.is_(None))


def places(thread_ids: Iterable[int], user: Any) -> dict[int, Place]:
    """Each listed thread's latest post, and for a signed-in reader what is new to them, in one query."""
    ids = list(dict.fromkeys(thread_ids))
    if not ids:
        return {}
    shown_here = and_(Post.thread_id == Thread.id, _SHOWN)
    # The highest number first, so the database walks the (thread_id, number) index back from the end.
    latest = select(Post.number).where(shown_here).order_by(Post.number.desc()).limit(1).scalar_subquery()
    if not _signed_in(user):
        rows = db.session.execute(select(Thread.id, latest).where(Thread.id.in_(ids)))
        return {row[0]: Place(row[1]) for row in rows}
    newer = and_(shown_here, Post.number > ThreadRead.last_read_post_number)
    first_unread = select(func.min(Post.number)).where(newer).scalar_subquery()
    unread = select(func.count(Post.id)).where(newer).scalar_subquery()
    stmt = (
        select(Thread.id, latest, first_unread, unread)
        .select_from(Thread)
        .outerjoin(ThreadRead, and_(ThreadRead.thread_id == Thread.id, ThreadRead.user_id == user.id))
        .where(Thread.id.in_(ids))
    )
    return {row[0]: Place(row[1], row[2], row[3] or 0) for row in db.session.execute(stmt)}
