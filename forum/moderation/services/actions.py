"""Decisions on posts and comments: approve (publish, or keep despite flags), hide with a reason, restore.

Each checks that the person moderates the item's group, changes the item through ``threads.visibility`` (which
keeps every count right), closes its queue row, decides its open flags and records the action in the audit
log, all in the request's one transaction (the edge commits it). An action that is already done (someone
else hid it a moment ago) raises ``AlreadyDone``, which says who did what and when instead of failing; it is
raised before anything changes, so a view may catch it, say so and redirect, and nothing half-done is kept.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.audit import services as audit
from forum.audit.models import Action, AuditEntry
from forum.common.errors import DomainError, ValidationFailed
from forum.common.timefmt import relative
from forum.extensions import db
from forum.moderation.models import ItemType, Outcome
from forum.moderation.services import notices, review, scope
from forum.moderation.services.items import Item, title_of
from forum.threads import visibility
from forum.threads.models import Thread, Visibility

REASON_MAX = 1000


class AlreadyDone(DomainError):
    """The item is already in the state the action would put it in: nothing changed (every action raises it
    before its first change)."""


def check_reason(reason: str | None, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("Enter a reason: the person will see it", field=field)
    if len(reason) > REASON_MAX:
        raise ValidationFailed(f"Reason must be {REASON_MAX:,} characters or fewer", field=field)
    return reason


def _last_action(item: Item) -> str:
    entry = db.session.scalar(
        select(AuditEntry).options(joinedload(AuditEntry.actor))
        .where(AuditEntry.item_type == item.kind, AuditEntry.item_id == item.id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(1)
    )
    if entry is None:
        return ""
    who = entry.actor.display_name if entry.actor else "the forum"
    return f" ({entry.action_label.lower()} by {who} {relative(entry.created_at)})"


def _first_upper(text: str) -> str:
    """Start a sentence with ``text`` (``str.capitalize`` would lower-case the thread's title too)."""
    return text[:1].upper() + text[1:]


def _as_it_is_now(item: Item) -> None:
    """Lock the item's thread, as every change of visibility does, and read the item's state again: of two
    moderators acting on it at once, the second is told what the first did instead of doing it again."""
    visibility.lock_thread(item.thread.id)
    db.session.refresh(item.obj, attribute_names=["state", "withdrawn_at"])


def _set_state(item: Item, state: str, reason: str | None = None) -> None:
    if item.kind == ItemType.COMMENT:
        visibility.change_comment(item.obj, state=state, reason=reason)
    else:
        visibility.change_post(item.obj, state=state, reason=reason)


def approve(item: Item, moderator: Any) -> str:
    """Publish a held item, or keep a flagged one (restoring it if flags hid it); its flags are dismissed."""
    scope.check_moderates(item.group, moderator)
    _as_it_is_now(item)
    pending = review.pending_review(item.kind, item.id)
    if pending is None and item.state == Visibility.VISIBLE:
        raise AlreadyDone(f"Nothing to approve: {title_of(item)} is already published{_last_action(item)}.")
    was = item.state
    if was != Visibility.VISIBLE:
        _set_state(item, Visibility.VISIBLE)
    outcome = Outcome.APPROVED if was == Visibility.HELD else Outcome.DISMISSED
    review.close_review(item.kind, item.id, moderator, outcome, Outcome.DISMISSED)
    action = Action.APPROVE if was == Visibility.HELD else (
        Action.RESTORE if was == Visibility.HIDDEN else Action.DISMISS_FLAGS)
    audit.record(moderator, action, item_type=item.kind, item_id=item.id, group_id=item.group.id,
                 subject_id=item.author_id)
    db.session.flush()
    return {
        Action.APPROVE: f"Approved and published {title_of(item)}.",
        Action.RESTORE: f"Restored {title_of(item)}; its flags were dismissed.",
        Action.DISMISS_FLAGS: f"Kept {title_of(item)}; its flags were dismissed.",
    }[action]


def hide(item: Item, moderator: Any, reason: str) -> str:
    """Hide an item with a reason its author sees; its flags are upheld. Nothing is deleted."""
    scope.check_moderates(item.group, moderator)
    reason = check_reason(reason)
    _as_it_is_now(item)
    pending = review.pending_review(item.kind, item.id)
    if item.state == Visibility.HIDDEN and pending is None:
        raise AlreadyDone(f"{_first_upper(title_of(item))} is already hidden{_last_action(item)}.")
    _set_state(item, Visibility.HIDDEN, reason)
    review.close_review(item.kind, item.id, moderator, Outcome.UPHELD, Outcome.UPHELD)
    notices.hidden(item, moderator, reason)  # notifications (issue 11)
    audit.record(moderator, Action.HIDE, item_type=item.kind, item_id=item.id, group_id=item.group.id,
                 subject_id=item.author_id, reason=reason)
    db.session.flush()
    return f"Hid {title_of(item)}. Its author sees your reason and can edit it to ask for another review."


def restore(item: Item, moderator: Any) -> str:
    """Show a hidden item again."""
    scope.check_moderates(item.group, moderator)
    _as_it_is_now(item)
    if item.state != Visibility.HIDDEN:
        raise AlreadyDone(f"{_first_upper(title_of(item))} is not hidden{_last_action(item)}.")
    _set_state(item, Visibility.VISIBLE)
    review.close_review(item.kind, item.id, moderator, Outcome.DISMISSED, Outcome.DISMISSED)
    audit.record(moderator, Action.RESTORE, item_type=item.kind, item_id=item.id, group_id=item.group.id,
                 subject_id=item.author_id)
    db.session.flush()
    return f"Restored {title_of(item)}."


BULK_ACTIONS = ("approve", "hide")


def bulk(items: list[Item], moderator: Any, action: str, reason: str = "") -> tuple[list[str], list[str]]:
    """Apply ``approve`` or ``hide`` to several items; returns what was done and what had been done already.

    Every item is checked before any changes: an item outside the moderator's groups refuses the whole batch.
    The batch is one transaction: an item already done changed nothing, and the others go through. Every
    item's thread is locked first, in id order, so two moderators' batches over the same threads take turns
    instead of each holding a thread the other waits for (SQLite ignores ``FOR UPDATE``: its first write locks
    the whole database).
    """
    if action not in BULK_ACTIONS:
        raise ValidationFailed("Choose what to do with the selected items", field="action")
    if not items:
        raise ValidationFailed("Select at least one item", field="items")
    for item in items:
        scope.check_moderates(item.group, moderator)
    if action == "hide":
        reason = check_reason(reason)
    db.session.execute(
        select(Thread.id).where(Thread.id.in_({item.thread.id for item in items})).order_by(Thread.id)
        .with_for_update()
    )
    done, skipped = [], []
    for item in items:
        try:
            done.append(approve(item, moderator) if action == "approve" else hide(item, moderator, reason))
        except AlreadyDone as already:
            skipped.append(already.message)
    return done, skipped
