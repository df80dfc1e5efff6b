"""Flagging: anyone signed in flags a post or comment once, with a reason; enough flags hide it at once.

A thread is flagged through its opening post. When ``FLAG_HIDE_THRESHOLD`` different people have open flags on
a visible item, it is hidden pending review (Discourse's behaviour), and the audit log records that the forum
did it. Flaggers see what became of their flags on their flags page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import func, or_, select

from forum.audit import services as audit
from forum.audit.models import Action
from forum.common import database
from forum.common.errors import NotFound, ValidationFailed
from forum.common.pagination import Page
from forum.extensions import db
from forum.groups import permissions
from forum.groups.models import Group
from forum.moderation.models import Flag, FlagReason, ItemType
from forum.moderation.services import review
from forum.moderation.services.items import Item, load_item, load_items
from forum.threads import services as thread_services
from forum.threads import visibility
from forum.threads.models import Visibility

NOTE_MAX = 500


def flaggable_item(item_type: str, item_id: int, user: Any) -> Item:
    """The item, if ``user`` may see it (otherwise NotFound, as for any hidden content)."""
    item = load_item(item_type, item_id)
    can_moderate = permissions.can_moderate(item.group, user)
    if not permissions.can_read(item.group, user):
        raise NotFound("There is no such post or comment.")
    for thing in (item.thread, item.post, item.obj):  # a comment under a hidden post is hidden with it
        if not visibility.shown_to(thing, user, can_moderate):
            raise NotFound("There is no such post or comment.")
    return item


def check_may_flag(item: Item, user: Any) -> None:
    """Refuse flagging one's own item, a withdrawn one, or flagging twice (the form says why)."""
    thread_services.check_not_suspended(user)
    if item.author_id == user.id:
        raise ValidationFailed("You cannot flag your own post: you can edit or withdraw it instead", field="reason")
    if item.obj.is_withdrawn:
        raise NotFound("That post was withdrawn.")
    if already_flagged(item, user):
        raise _flagged_twice(item)


def _flagged_twice(item: Item) -> ValidationFailed:
    return ValidationFailed(f"You have already flagged this {item.noun}: moderators will look at it", field="reason")


def already_flagged(item: Item, user: Any) -> bool:
    return db.session.scalar(
        select(func.count(Flag.id)).where(
            Flag.item_type == item.kind, Flag.item_id == item.id, Flag.flagger_id == user.id
        )
    ) > 0


def flag(item: Item, user: Any, reason: str, note: str = "") -> Flag:
    """Record ``user``'s flag on the item, queue the item, and hide it if enough people have flagged it.

    The flag is inserted first, with ``ON CONFLICT DO NOTHING``: of the same person's two clicks sent at the same
    moment, the first counts and the second (which PostgreSQL makes wait for the first) inserts nothing and is
    refused like any second flag, before it has written anything. Different people's flags then take turns on
    the queue row's lock (``review.open_review``), so each is counted once.
    """
    check_may_flag(item, user)
    note = (note or "").strip()
    if reason not in FlagReason.LABELS:
        raise ValidationFailed("Choose why you are flagging this", field="reason")
    if reason == FlagReason.OTHER and not note:
        raise ValidationFailed("Tell the moderators what is wrong", field="note")
    if len(note) > NOTE_MAX:
        raise ValidationFailed(f"Your note must be {NOTE_MAX} characters or fewer", field="note")
    new_flag = db.session.scalar(
        database.insert(Flag)
        .values(item_type=item.kind, item_id=item.id, flagger_id=user.id, reason=reason, note=note)
        .on_conflict_do_nothing(index_elements=["item_type", "item_id", "flagger_id"])
        .returning(Flag)
    )
    if new_flag is None:
        raise _flagged_twice(item)
    entry = review.open_review(item.kind, item.id, item.group.id, item.thread.id, item.author_id)
    entry.open_flags += 1
    _hide_if_enough(item, entry.open_flags)
    db.session.flush()
    return new_flag


def _hide_if_enough(item: Item, open_flags: int) -> None:
    threshold = current_app.config.get("FLAG_HIDE_THRESHOLD", 3)
    if threshold <= 0 or open_flags < threshold:
        return
    db.session.refresh(item.obj, attribute_names=["state"])  # after the queue row's lock: another flag may have hid it
    if item.state != Visibility.VISIBLE:
        return
    reason = (f"Hidden automatically because {open_flags} people flagged it. "
              "A moderator will review it and restore it if it breaks no rules.")
    if item.kind == ItemType.COMMENT:
        visibility.change_comment(item.obj, state=Visibility.HIDDEN, reason=reason)
    else:
        visibility.change_post(item.obj, state=Visibility.HIDDEN, reason=reason)
    audit.record(None, Action.AUTO_HIDE, item_type=item.kind, item_id=item.id, group_id=item.group.id,
                 subject_id=item.author_id, reason=reason)


def flagged_by(user: Any, post_ids: list[int], comment_ids: list[int]) -> set[tuple[str, int]]:
    """Which of these items ``user`` has flagged (one query), so the thread page can say "You flagged this"."""
    if not getattr(user, "is_authenticated", False) or not (post_ids or comment_ids):
        return set()
    rows = db.session.execute(
        select(Flag.item_type, Flag.item_id).where(
            Flag.flagger_id == user.id,
            or_(
                (Flag.item_type == ItemType.POST) & Flag.item_id.in_(post_ids or [-1]),
                (Flag.item_type == ItemType.COMMENT) & Flag.item_id.in_(comment_ids or [-1]),
            ),
        )
    )
    return {(row.item_type, row.item_id) for row in rows}


@dataclass
class MyFlag:
    flag: Flag
    item: Item | None  # None when the item is gone from the viewer's sight (say, a group they left)


def my_flags(user: Any, number: int, per_page: int) -> Page:
    """The person's flags, newest first, each with what became of it."""
    total = db.session.scalar(select(func.count(Flag.id)).where(Flag.flagger_id == user.id)) or 0
    page = Page(items=[], number=number, per_page=per_page, total=total)
    if number > page.pages:
        raise NotFound("There is no such page.")
    flags = list(
        db.session.scalars(
            select(Flag).where(Flag.flagger_id == user.id)
            .order_by(Flag.created_at.desc(), Flag.id.desc()).limit(per_page).offset((number - 1) * per_page)
        )
    )
    items = load_items([(f.item_type, f.item_id) for f in flags])
    readable = _readable_group_ids({item.group.id for item in items.values()}, user)
    page.items = []
    for f in flags:
        item = items.get((f.item_type, f.item_id))
        page.items.append(MyFlag(flag=f, item=item if item is not None and item.group.id in readable else None))
    return page


def _readable_group_ids(group_ids: set[int], user: Any) -> set[int]:
    """Which of these groups the person may still read, in one query (they may have left a private one)."""
    if not group_ids:
        return set()
    return set(
        db.session.scalars(
            select(Group.id).where(Group.id.in_(group_ids), permissions.readable_groups_clause(user))
        )
    )
