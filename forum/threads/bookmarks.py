"""Bookmarks (issue 11): a person keeps threads and posts to come back to, listed on one page.

A bookmark names a thread or a post. The list shows only what the person can still see: content that was
since held, hidden or withdrawn, or a group they can no longer read, drops out of the list (the row stays, and
comes back if the content does). Bookmarking twice or removing twice changes nothing. Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import aliased

from forum.accounts.models import User
from forum.common import database
from forum.common.errors import NotFound, PermissionDenied
from forum.common.pagination import Page
from forum.extensions import db
from forum.groups import permissions
from forum.groups.models import Group
from forum.threads.models import Bookmark, Post, Thread, Visibility
from forum.threads.queries import Viewer


@dataclass
class Marks:
    """What the viewer has bookmarked on a thread page: the thread itself, and which of the page's posts."""

    thread: bool = False
    post_ids: frozenset[int] = frozenset()

    def has(self, post: Post) -> bool:
        return post.id in self.post_ids


@dataclass
class BookmarkItem:
    """One line of the bookmarks page: the bookmark, its thread (and group), and the post when it names one."""

    bookmark: Bookmark
    thread: Thread
    group: Group
    post: Post | None
    post_author: User | None


def _check(viewer: Viewer, shown: bool) -> None:
    if not viewer.signed_in or not viewer.can_read:
        raise PermissionDenied("You cannot bookmark this.")
    if not shown:
        raise PermissionDenied("You can only bookmark what everyone can see.")


def bookmark_thread(thread: Thread, viewer: Viewer) -> None:
    """Bookmark a thread the viewer can read (found with ``queries.readable_thread``)."""
    _check(viewer, thread.is_visible)
    _insert(user_id=viewer.user.id, thread_id=thread.id, post_id=None)


def bookmark_post(post: Post, viewer: Viewer) -> None:
    """Bookmark a post everyone can see (found with ``queries.readable_post``)."""
    _check(viewer, post.is_shown and post.thread.is_visible)
    _insert(user_id=viewer.user.id, thread_id=None, post_id=post.id)


def _insert(**values: Any) -> None:
    target = "thread_id" if values["thread_id"] is not None else "post_id"
    stmt = database.insert(Bookmark).values(**values)
    db.session.execute(stmt.on_conflict_do_nothing(index_elements=["user_id", target]))
    db.session.flush()


def remove(user: Any, *, thread_id: int | None = None, post_id: int | None = None,
           bookmark_id: int | None = None) -> None:
    """Remove one of the person's own bookmarks, named by its thread, its post or its own id."""
    stmt = delete(Bookmark).where(Bookmark.user_id == user.id)
    if bookmark_id is not None:
        stmt = stmt.where(Bookmark.id == bookmark_id)
    elif thread_id is not None:
        stmt = stmt.where(Bookmark.thread_id == thread_id)
    elif post_id is not None:
        stmt = stmt.where(Bookmark.post_id == post_id)
    else:
        raise NotFound("No such bookmark.")
    db.session.execute(stmt)
    db.session.flush()


def marks_on_page(thread: Thread, posts: Iterable[Post], user: Any) -> Marks:
    """The viewer's bookmarks of this thread and of the page's posts, in one query (none for anonymous people)."""
    if not getattr(user, "is_authenticated", False):
        return Marks()
    post_ids = [post.id for post in posts]
    rows = db.session.execute(
        select(Bookmark.thread_id, Bookmark.post_id).where(
            Bookmark.user_id == user.id,
            or_(Bookmark.thread_id == thread.id, Bookmark.post_id.in_(post_ids)),
        )
    )
    found = list(rows)
    return Marks(
        thread=any(thread_id == thread.id for thread_id, _ in found),
        post_ids=frozenset(post_id for _, post_id in found if post_id is not None),
    )


def listing(user: Any, number: int, per_page: int) -> Page:
    """The person's bookmarks they can still see, newest first: a COUNT and one query for the page's items."""
    marked_post = aliased(Post)
    author = aliased(User)
    target_thread_id = func.coalesce(Bookmark.thread_id, marked_post.thread_id)
    stmt = (
        select(Bookmark, Thread, Group, marked_post, author)
        .outerjoin(marked_post, marked_post.id == Bookmark.post_id)
        .outerjoin(author, author.id == marked_post.author_id)
        .join(Thread, Thread.id == target_thread_id)
        .join(Group, Group.id == Thread.group_id)
        .where(
            Bookmark.user_id == user.id,
            Thread.state == Visibility.VISIBLE,
            permissions.readable_groups_clause(user),
            or_(
                Bookmark.post_id.is_(None),
                and_(marked_post.state == Visibility.VISIBLE, marked_post.withdrawn_at.is_(None)),
            ),
        )
    )
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = Page(items=[], number=number, per_page=per_page, total=total)
    if number > page.pages:
        raise NotFound("There is no such page.")
    rows = db.session.execute(
        stmt.order_by(Bookmark.created_at.desc(), Bookmark.id.desc()).limit(per_page).offset((number - 1) * per_page)
    )
    page.items = [BookmarkItem(bookmark=b, thread=t, group=g, post=p, post_author=a) for b, t, g, p, a in rows]
    return page
