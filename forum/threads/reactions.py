"""Agreeing with a post (issue 11): one "agree" per person per post, with the count and who agreed.

Only signed-in people who can read the post's group may agree, only with a post everyone can see (visible and
not withdrawn, in a visible thread), and never with their own. Agreeing twice, or removing an agreement that is
not there, changes nothing (``INSERT ... ON CONFLICT DO NOTHING`` and a plain ``DELETE``), so a double click or
two tabs never fail. Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, or_, select

from forum.accounts.models import User
from forum.common import database
from forum.common.errors import PermissionDenied
from forum.extensions import db
from forum.threads.models import Post, PostReaction
from forum.threads.queries import Viewer

#: The thread page names at most this many people per post (the count is always exact).
NAMES_SHOWN = 50


@dataclass
class Agreement:
    """Who agrees with one post: the exact count, the first ``NAMES_SHOWN`` people, and whether the viewer does."""

    count: int = 0
    people: list[User] = field(default_factory=list)
    mine: bool = False


NOBODY = Agreement()


def check_can_agree(post: Post, viewer: Viewer) -> None:
    """Refuse (403) agreeing with a post that is held, hidden or withdrawn, in a thread not shown, or one's own.

    The caller found the post with ``queries.readable_post``, which is a 404 for anything the viewer may not read.
    """
    if not viewer.signed_in or not viewer.can_read:
        raise PermissionDenied("You cannot react to this post.")
    if not post.is_shown or not post.thread.is_visible:
        raise PermissionDenied("You can only agree with a post everyone can see.")
    if viewer.owns(post):
        raise PermissionDenied("You cannot agree with your own post.")


def agree(post: Post, viewer: Viewer) -> None:
    """The viewer agrees with the post (again: nothing changes)."""
    check_can_agree(post, viewer)
    stmt = database.insert(PostReaction).values(post_id=post.id, user_id=viewer.user.id)
    db.session.execute(stmt.on_conflict_do_nothing(index_elements=["post_id", "user_id"]))
    db.session.flush()


def remove_agreement(post: Post, viewer: Viewer) -> None:
    """The viewer no longer agrees with the post (if they did not, nothing changes)."""
    check_can_agree(post, viewer)
    db.session.execute(
        delete(PostReaction).where(PostReaction.post_id == post.id, PostReaction.user_id == viewer.user.id)
    )
    db.session.flush()


def agreements(posts: Iterable[Post], user: Any) -> dict[int, Agreement]:
    """Every post's agreement on a page, in one query whatever the number of posts or people agreeing.

    A window function numbers each post's reactions (oldest first) and counts them, so only the first
    ``NAMES_SHOWN`` people come back per post, plus the viewer's own row (to say "Remove agreement").
    """
    post_ids = [post.id for post in posts]
    if not post_ids:
        return {}
    me = user.id if getattr(user, "is_authenticated", False) else None
    ranked = (
        select(
            PostReaction.post_id,
            PostReaction.user_id,
            func.row_number()
            .over(partition_by=PostReaction.post_id, order_by=(PostReaction.created_at, PostReaction.id))
            .label("rank"),
            func.count().over(partition_by=PostReaction.post_id).label("total"),
        )
        .where(PostReaction.post_id.in_(post_ids))
        .subquery()
    )
    rows = db.session.execute(
        select(ranked.c.post_id, ranked.c.rank, ranked.c.total, User)
        .join(User, User.id == ranked.c.user_id)
        .where(or_(ranked.c.rank <= NAMES_SHOWN, ranked.c.user_id == me))
        .order_by(ranked.c.post_id, ranked.c.rank)
    )
    result: dict[int, Agreement] = {}
    for post_id, rank, total, person in rows:
        agreement = result.setdefault(post_id, Agreement(count=total))
        if rank <= NAMES_SHOWN:
            agreement.people.append(person)
        if person.id == me:
            agreement.mine = True
    return result
