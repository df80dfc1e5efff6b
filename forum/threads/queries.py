"""Reads for the thread page and the pages beside it (reply, edit, history, comment).

Each function answers with what a page needs in a fixed number of queries, whatever the number of posts or
comments: one for the thread with its group, one for its tags, one for the viewer's membership, one for the
page's posts with their authors, one for those posts' comments with their authors. Anything the viewer may not
read is a ``NotFound``, so a private group's content looks exactly like content that does not exist.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import joinedload, selectinload

from forum.common.errors import NotFound
from forum.common.pagination import Page
from forum.extensions import db
from forum.groups import permissions
from forum.groups.models import Group, Membership
from forum.threads import reading
from forum.threads.models import Comment, Post, PostRevision, Thread, Visibility
from forum.threads.visibility import shown_to


@dataclass
class Viewer:
    """What the person looking at a group may do there, worked out once per request."""

    user: Any
    membership: Membership | None
    can_read: bool
    can_post: bool
    can_moderate: bool
    #: How far a signed-in reader had read the thread before this page (``forum.threads.reading``), when asked.
    last_read: int | None = None

    def __post_init__(self) -> None:
        # The person behind current_user's proxy, and whether they are signed in, looked up once: a thread page
        # asks for each post and comment.
        self.user = getattr(self.user, "_get_current_object", lambda: self.user)()
        self.signed_in = bool(getattr(self.user, "is_authenticated", False))

    def owns(self, item: Post | Comment) -> bool:
        return self.signed_in and item.author_id == self.user.id


def viewer_for(group: Group, user: Any) -> Viewer:
    """The viewer's rights in ``group``, from one membership query (none for anonymous people)."""
    membership = permissions.membership_for(group, user)
    return Viewer(
        user=user,
        membership=membership,
        can_read=permissions.can_read(group, user, membership),
        can_post=permissions.can_post(group, user, membership),
        can_moderate=permissions.can_moderate(group, user, membership),
    )


def readable_group(slug: str, user: Any) -> tuple[Group, Viewer]:
    """The group with this slug and the viewer's rights in it; NotFound when it is missing or hidden."""
    group = db.session.scalar(select(Group).where(Group.slug == slug))
    if group is None:
        raise NotFound("No such group.")
    viewer = viewer_for(group, user)
    if not viewer.can_read:
        raise NotFound("No such group.")
    return group, viewer


def readable_thread(thread_id: int, user: Any, with_tags: bool = False) -> tuple[Thread, Viewer]:
    """The thread (with its group; its tags and starter when asked) and the viewer's rights; NotFound if hidden.

    With ``with_tags`` (the thread page) the same query also reads how far a signed-in reader had read it.
    """
    options = [joinedload(Thread.group)]
    mark = None
    if with_tags:  # the thread page: its tags in one more query, its starter and the reader's mark in the same one
        options += [selectinload(Thread.tags), joinedload(Thread.author)]
        mark = reading.mark_column(user)
    columns = [Thread] if mark is None else [Thread, mark]
    row = db.session.execute(select(*columns).options(*options).where(Thread.id == thread_id)).one_or_none()
    if row is None:
        raise NotFound("No such thread.")
    thread = row[0]
    viewer = viewer_for(thread.group, user)
    viewer.last_read = row[1] if mark is not None else None
    if not viewer.can_read or not shown_to(thread, user, viewer.can_moderate):
        raise NotFound("No such thread.")
    return thread, viewer


def readable_post(post_id: int, user: Any) -> tuple[Post, Viewer]:
    """The post (with its thread, group and author) and the viewer's rights; NotFound if hidden."""
    post = db.session.scalar(
        select(Post)
        .options(joinedload(Post.thread).joinedload(Thread.group), joinedload(Post.author))
        .where(Post.id == post_id)
    )
    if post is None:
        raise NotFound("No such post.")
    viewer = viewer_for(post.thread.group, user)
    if not viewer.can_read or not shown_to(post.thread, user, viewer.can_moderate):
        raise NotFound("No such post.")
    if not shown_to(post, user, viewer.can_moderate):
        raise NotFound("No such post.")
    return post, viewer


def readable_comment(comment_id: int, user: Any) -> tuple[Comment, Post, Viewer]:
    """The comment, the post it sits under and the viewer's rights; NotFound if hidden."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise NotFound("No such comment.")
    post, viewer = readable_post(comment.post_id, user)
    if not shown_to(comment, user, viewer.can_moderate):
        raise NotFound("No such comment.")
    return comment, post, viewer


def page_of_post(number: int, per_page: int) -> int:
    """The page of a thread that shows the post with this number."""
    return max(1, math.ceil(number / per_page))


@dataclass
class ThreadPage:
    """One page of a thread: its posts in order, each post's comments, and the page's place among pages."""

    page: Page
    comments: dict[int, list[Comment]] = field(default_factory=dict)

    @property
    def posts(self) -> list[Post]:
        return self.page.items

    def comments_for(self, post: Post) -> list[Comment]:
        return self.comments.get(post.id, [])


def _seen_by(model: type[Post] | type[Comment], viewer: Viewer | None) -> ColumnElement[bool] | None:
    """Which posts or comments the viewer sees: moderators all, authors also their own held or hidden ones."""
    if viewer is not None and viewer.can_moderate:
        return None
    if viewer is not None and viewer.signed_in:
        return or_(model.state == Visibility.VISIBLE, model.author_id == viewer.user.id)
    return model.state == Visibility.VISIBLE


def thread_page(thread: Thread, number: int, per_page: int, viewer: Viewer | None = None) -> ThreadPage:
    """Posts ``(number-1)*per_page+1 .. number*per_page`` with authors, and their comments with authors.

    Posts are numbered without gaps (withdrawn posts keep their place), so a page is an index range on
    ``(thread_id, number)``, never an OFFSET scan. Posts and comments held or hidden by moderation are left
    out for everyone but their authors and the group's moderators. A page past the end is a NotFound.
    """
    total = thread.post_count
    pages = max(1, math.ceil(total / per_page))
    if number > pages:
        raise NotFound("No such page.")
    first, last = (number - 1) * per_page + 1, number * per_page
    post_stmt = (
        select(Post)
        .options(joinedload(Post.author))
        .where(Post.thread_id == thread.id, Post.number >= first, Post.number <= last)
        .order_by(Post.number)
    )
    if (seen := _seen_by(Post, viewer)) is not None:
        post_stmt = post_stmt.where(seen)
    posts = list(db.session.scalars(post_stmt))
    comments: dict[int, list[Comment]] = {}
    if posts:
        comment_stmt = (
            select(Comment)
            .options(joinedload(Comment.author))
            .where(Comment.post_id.in_([p.id for p in posts]))
            .order_by(Comment.created_at, Comment.id)
        )
        if (seen := _seen_by(Comment, viewer)) is not None:
            comment_stmt = comment_stmt.where(seen)
        rows = db.session.scalars(comment_stmt)
        for comment in rows:
            comments.setdefault(comment.post_id, []).append(comment)
    return ThreadPage(page=Page(items=posts, number=number, per_page=per_page, total=total), comments=comments)


def post_in_thread(thread: Thread, post_id: int) -> Post | None:
    """A post of this thread with its author (None when it belongs elsewhere, was withdrawn or is not shown)."""
    post = db.session.scalar(
        select(Post).options(joinedload(Post.author)).where(Post.id == post_id, Post.thread_id == thread.id)
    )
    if post is None or not post.is_shown:
        return None
    return post


def revisions(post: Post) -> list[PostRevision]:
    """Every revision of a post, newest first, with its editor."""
    return list(
        db.session.scalars(
            select(PostRevision)
            .options(joinedload(PostRevision.editor))
            .where(PostRevision.post_id == post.id)
            .order_by(PostRevision.number.desc())
        )
    )


def has_posted_in(group: Group, user: Any) -> bool:
    """Whether the person has ever posted or commented in the group, in any state (one query).

    Held, hidden and withdrawn posts count too: their author saw the house rules before writing them.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    posted = (
        select(Post.id).join(Thread, Thread.id == Post.thread_id)
        .where(Post.author_id == user.id, Thread.group_id == group.id).exists()
    )
    commented = (
        select(Comment.id).join(Post, Post.id == Comment.post_id).join(Thread, Thread.id == Post.thread_id)
        .where(Comment.author_id == user.id, Thread.group_id == group.id).exists()
    )
    return bool(db.session.scalar(select(or_(posted, commented))))
