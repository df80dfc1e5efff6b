"""Moderating a whole thread: lock or unlock it, pin or unpin it, move it to another group, change its tags.

Each is recorded in the audit log. Asking for what is already so (locking a locked thread) raises
``AlreadyDone``, which names who did it, so two moderators acting at once are told rather than refused.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from forum.audit import services as audit
from forum.audit.models import Action
from forum.common.errors import NotFound, ValidationFailed
from forum.extensions import db
from forum.groups import permissions
from forum.groups.models import Group
from forum.moderation.models import ReviewItem
from forum.moderation.services import scope
from forum.moderation.services.actions import AlreadyDone
from forum.tags import services as tag_services
from forum.threads import visibility
from forum.threads.models import Post, Thread, Visibility

_FLAGS = {
    Action.LOCK: ("locked", True, "Locked"),
    Action.UNLOCK: ("locked", False, "Unlocked"),
    Action.PIN: ("pinned", True, "Pinned"),
    Action.UNPIN: ("pinned", False, "Unpinned"),
}


def set_flag(thread: Thread, moderator: Any, action: str) -> str:
    """Lock, unlock, pin or unpin the thread."""
    if action not in _FLAGS:
        raise ValidationFailed("Choose an action", field="action")
    scope.check_moderates(thread.group, moderator)
    thread = visibility.lock_thread(thread.id)  # as it is now: of two moderators at once, the second is told
    attribute, value, done = _FLAGS[action]
    if getattr(thread, attribute) == value:
        raise AlreadyDone(f"“{thread.title}” is already {done.lower()}: nothing changed.")
    setattr(thread, attribute, value)
    audit.record(moderator, action, item_type="thread", item_id=thread.id, group_id=thread.group_id,
                 subject_id=thread.author_id)
    db.session.flush()
    return f"{done} “{thread.title}”."


def move(thread: Thread, moderator: Any, group_id: int | None, reason: str = "") -> str:
    """Move the thread to another group the moderator also moderates, carrying its counts and queue rows."""
    scope.check_moderates(thread.group, moderator)
    target = db.session.get(Group, group_id) if group_id else None
    if target is None:
        raise ValidationFailed("Choose the group to move the thread to", field="group")
    scope.check_moderates(target, moderator)
    thread = visibility.lock_thread(thread.id)  # as it is now: two moves at once must not move the counts twice
    if target.id == thread.group_id:
        raise AlreadyDone(f"“{thread.title}” is already in {target.name}: nothing changed.")
    source = db.session.get(Group, thread.group_id)
    scope.check_moderates(source, moderator)
    if thread.state == Visibility.VISIBLE:
        opening_shown = db.session.scalar(
            select(Post.withdrawn_at.is_(None)).where(Post.thread_id == thread.id, Post.number == 1)
        )
        posts = thread.visible_reply_count + int(bool(opening_shown))
        for group, sign in ((source, -1), (target, 1)):
            db.session.execute(
                update(Group).where(Group.id == group.id)
                .values(thread_count=Group.thread_count + sign, post_count=Group.post_count + sign * posts)
            )
    thread.group_id = target.id
    db.session.execute(update(ReviewItem).where(ReviewItem.thread_id == thread.id).values(group_id=target.id))
    audit.record(moderator, Action.MOVE, item_type="thread", item_id=thread.id, group_id=target.id,
                 subject_id=thread.author_id, reason=(reason or "").strip(),
                 summary=f"Moved from {source.name} to {target.name}")
    db.session.flush()
    db.session.expire(thread, ["group"])  # the thread's group is now the target
    return f"Moved “{thread.title}” from {source.name} to {target.name}."


def retag(thread: Thread, moderator: Any, tags: str) -> str:
    """Replace the thread's tags (up to five, normalised as when posting)."""
    scope.check_moderates(thread.group, moderator)
    names = tag_services.parse(tags or "")
    tag_services.check(names)
    before = [t.name for t in thread.tags]
    if sorted(set(names)) == sorted(before):  # the same tags in another order change nothing
        raise AlreadyDone(f"“{thread.title}” already has those tags: nothing changed.")
    thread.tags = tag_services.get_or_create(names)
    audit.record(moderator, Action.RETAG, item_type="thread", item_id=thread.id, group_id=thread.group_id,
                 subject_id=thread.author_id,
                 summary=f"Tags: {', '.join(before) or 'none'} → {', '.join(names) or 'none'}")
    db.session.flush()
    return f"Changed the tags of “{thread.title}”."


def thread_for_moderation(thread_id: int, moderator: Any) -> Thread:
    """The thread (any state) if the person moderates its group; NotFound for a private group they cannot see."""
    thread = db.session.scalar(select(Thread).options(joinedload(Thread.group)).where(Thread.id == thread_id))
    if thread is None:
        raise NotFound("No such thread.")
    if not permissions.can_read(thread.group, moderator):
        raise NotFound("No such thread.")
    scope.check_moderates(thread.group, moderator)
    return thread
