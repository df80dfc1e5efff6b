"""Changing whether a post, thread or comment is shown, and keeping every count right when it changes.

A post is *shown* when it is visible and not withdrawn. A thread is shown when its opening post is visible
(its ``state`` copies the opening post's). The counts lists print only count shown things:
``Thread.visible_reply_count`` is the thread's shown replies, ``Group.thread_count`` its shown threads and
``Group.post_count`` the shown posts of its shown threads. Every change goes through ``change_post`` (or
``change_comment``), which locks the thread row, works out the difference and applies it with
``UPDATE ... SET n = n + d``, so concurrent writers never lose an update. Nothing here commits.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import func, select, update

from forum.accounts.models import User
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.groups import permissions
from forum.groups.models import Group
from forum.threads import signals
from forum.threads.models import Comment, Post, Thread, Visibility


def should_hold(group: Group, author: User) -> bool:
    """Whether a new post or comment waits for a moderator: always in a pre-moderated group, and for an
    account's first ``PREMODERATE_FIRST_POSTS`` posts and comments. Staff and the group's moderators never wait."""
    if author.is_staff or permissions.can_moderate(group, author):
        return False
    if group.premoderated:
        return True
    first = current_app.config.get("PREMODERATE_FIRST_POSTS", 0)
    if first <= 0:
        return False
    published = db.session.scalar(
        select(func.count(Post.id)).where(Post.author_id == author.id, Post.state == Visibility.VISIBLE)
    ) or 0
    if published >= first:
        return False
    published += db.session.scalar(
        select(func.count(Comment.id)).where(Comment.author_id == author.id, Comment.state == Visibility.VISIBLE)
    ) or 0
    return published < first


def lock_thread(thread_id: int) -> Thread:
    """The thread row, locked until the transaction ends. The no-op UPDATE takes the lock on SQLite too (which
    ignores FOR UPDATE, but makes a second writer wait for the first to commit), so what is read next is what
    the last writer left."""
    db.session.execute(
        update(Thread).where(Thread.id == thread_id).values(post_count=Thread.post_count)
        .execution_options(synchronize_session=False)
    )
    return db.session.scalars(
        select(Thread).where(Thread.id == thread_id).with_for_update().execution_options(populate_existing=True)
    ).one()


def change_post(
    post: Post, *, state: Visibility | None = None, reason: str | None = None, withdraw: bool = False
) -> None:
    """Move a post to ``state`` (an opening post takes its thread along) or withdraw it, fixing the counts."""
    thread = lock_thread(post.thread_id)
    # What the post is now, not when it was loaded: a moderator hiding it a moment ago must not be counted twice.
    db.session.refresh(post, attribute_names=["state", "withdrawn_at"])
    thread_was_shown, post_was_shown = thread.is_visible, post.is_shown
    was_held = post.state == Visibility.HELD
    if state is not None:
        post.state = state
        post.hidden_reason = reason if state == Visibility.HIDDEN else post.hidden_reason
    if withdraw and post.withdrawn_at is None:
        post.withdrawn_at = utcnow()
    opening = post.number == 1
    if opening:
        thread.state = post.state
    thread_shown, post_shown = thread.is_visible, post.is_shown
    replies = thread.visible_reply_count
    if opening:
        before = thread_was_shown * (replies + post_was_shown)
        after = thread_shown * (replies + post_shown)
        threads_delta, posts_delta = int(thread_shown) - int(thread_was_shown), after - before
    else:
        reply_delta = int(post_shown) - int(post_was_shown)
        thread.visible_reply_count = replies + reply_delta
        threads_delta, posts_delta = 0, reply_delta * int(thread_shown)
    if threads_delta or posts_delta:
        db.session.execute(
            update(Group)
            .where(Group.id == thread.group_id)
            .values(thread_count=Group.thread_count + threads_delta, post_count=Group.post_count + posts_delta)
        )
    db.session.flush()
    name_last_poster(thread.id)
    if post_shown and not post_was_shown and not withdraw:
        db.session.execute(update(Thread).where(Thread.id == thread.id).values(last_activity_at=utcnow()))
    signals.content_changed.send(post)
    if post_shown and not post_was_shown and was_held:
        signals.published.send(post, approved=True)


def change_comment(comment: Comment, *, state: Visibility, reason: str | None = None) -> None:
    """Move a comment to ``state`` (comments are not counted anywhere)."""
    was_held = comment.state == Visibility.HELD
    comment.state = state
    if state == Visibility.HIDDEN:
        comment.hidden_reason = reason
    db.session.flush()
    signals.content_changed.send(comment)
    if was_held and state == Visibility.VISIBLE:
        signals.published.send(comment, approved=True)


def name_last_poster(thread_id: int) -> None:
    """Lists say who posted last: only ever someone whose post everyone can see."""
    last_shown = (
        select(Post.author_id)
        .where(Post.thread_id == thread_id, Post.withdrawn_at.is_(None), Post.state == Visibility.VISIBLE)
        .order_by(Post.number.desc())
        .limit(1)
        .scalar_subquery()
    )
    db.session.execute(update(Thread).where(Thread.id == thread_id).values(last_post_author_id=last_shown))


def shown_to(item: Post | Comment | Thread, user: Any, can_moderate: bool) -> bool:
    """Whether ``user`` sees the item: everyone sees visible items; authors and moderators see the rest."""
    if item.is_visible or can_moderate:
        return True
    return bool(getattr(user, "is_authenticated", False) and item.author_id == user.id)
