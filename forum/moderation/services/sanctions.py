"""Warnings and suspensions.

A warning is a recorded message from a moderator, shown on the person's account page. A suspension stops a
person posting, commenting, editing, flagging and proposing until a time; they can still read, and they see
until when and why whenever they try. It ends by itself (``User.is_suspended`` compares with the clock) or
when a moderator lifts it.

Site moderators and admins suspend; group moderators warn people about their group. Nobody suspends an
administrator or themselves, and only an administrator suspends a site moderator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.audit import services as audit
from forum.audit.models import Action, AuditEntry
from forum.common.errors import NotFound, PermissionDenied, ValidationFailed
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.groups import permissions
from forum.groups.models import Group
from forum.moderation.models import ModeratorWarning
from forum.moderation.services import notices, scope
from forum.moderation.services.actions import AlreadyDone, check_reason
from forum.moderation.services.queue import AuthorHistory, author_histories

SUSPENSION_DAYS = (1, 3, 7, 14, 30, 90, 365)
HISTORY = 20


def person(user_id: int, moderator: Any) -> User:
    scope.check_moderates_anything(moderator)
    found = db.session.get(User, user_id)
    if found is None:
        raise NotFound("No such person.")
    return found


def warning_group(group_id: int | None, moderator: Any) -> Group | None:
    """The group a warning is about, chosen on the form: None for none; 404 for one the moderator cannot see,
    403 for one they do not moderate."""
    if group_id is None:
        return None
    group = db.session.get(Group, group_id)
    if group is None or not permissions.can_read(group, moderator):
        raise NotFound("There is no such group.")
    scope.check_moderates(group, moderator)
    return group


def may_suspend(moderator: Any, target: User) -> bool:
    """Whether the suspend and lift forms are offered (the actions check again)."""
    try:
        check_may_suspend(moderator, target)
    except PermissionDenied:
        return False
    return True


def warn(moderator: Any, target: User, reason: str, group: Group | None = None) -> ModeratorWarning:
    """Record a warning the person sees on their account page (a group moderator warns about their group)."""
    if group is not None:
        scope.check_moderates(group, moderator)
    elif not moderator.is_site_moderator:
        raise PermissionDenied("Choose the group you moderate that this warning is about.")
    reason = check_reason(reason)
    if target.id == moderator.id:
        raise ValidationFailed("You cannot warn yourself", field="reason")
    warning = ModeratorWarning(user_id=target.id, moderator_id=moderator.id, reason=reason,
                               group_id=group.id if group else None)
    db.session.add(warning)
    audit.record(moderator, Action.WARN, item_type="user", item_id=target.id, subject_id=target.id,
                 group_id=group.id if group else None, reason=reason)
    db.session.flush()
    notices.warned(target, moderator, reason, group)  # notifications (issue 11)
    return warning


def check_may_suspend(moderator: Any, target: User) -> None:
    if not getattr(moderator, "is_site_moderator", False):
        raise PermissionDenied("Only site moderators and administrators can suspend people.")
    if target.is_admin:
        raise PermissionDenied("Administrators cannot be suspended.")
    if target.is_site_moderator and not moderator.is_admin:
        raise PermissionDenied("Only an administrator can suspend a site moderator.")
    if target.id == moderator.id:
        raise PermissionDenied("You cannot suspend yourself.")


def suspend(moderator: Any, target: User, days: int | None, reason: str) -> User:
    """Suspend for ``days`` from now (a new suspension replaces the current one)."""
    check_may_suspend(moderator, target)
    if days not in SUSPENSION_DAYS:
        raise ValidationFailed("Choose how long the suspension lasts", field="days")
    reason = check_reason(reason)
    target.suspended_until = utcnow() + timedelta(days=days)
    target.suspension_reason = reason
    audit.record(moderator, Action.SUSPEND, item_type="user", item_id=target.id, subject_id=target.id,
                 reason=reason, summary=f"For {days} day{'s' if days != 1 else ''}")
    db.session.flush()
    notices.suspended(target, moderator, days, reason)  # notifications (issue 11)
    return target


def lift(moderator: Any, target: User, reason: str = "") -> User:
    """End a suspension now."""
    check_may_suspend(moderator, target)
    if not target.is_suspended:
        raise AlreadyDone(f"{target.display_name} is not suspended: nothing changed.")
    target.suspended_until = None
    target.suspension_reason = None
    audit.record(moderator, Action.LIFT_SUSPENSION, item_type="user", item_id=target.id, subject_id=target.id,
                 reason=(reason or "").strip())
    db.session.flush()
    return target


@dataclass
class PersonHistory:
    counts: AuthorHistory
    warnings: list[ModeratorWarning]
    actions: list[AuditEntry]


def history(target: User, viewer: Any = None) -> PersonHistory:
    """What moderators have done about a person: counts, warnings and the latest audit entries (4 queries).

    Given the ``viewer``, a group moderator sees only the warnings and actions about the groups they moderate,
    as in the audit log: another group's (perhaps private) reasons and summaries are not theirs to read.
    """
    groups = scope.moderated_group_ids(viewer) if viewer is not None else None
    counts = author_histories({target.id}).get(target.id, AuthorHistory())
    warnings = (
        select(ModeratorWarning).options(joinedload(ModeratorWarning.moderator), joinedload(ModeratorWarning.group))
        .where(ModeratorWarning.user_id == target.id).order_by(ModeratorWarning.created_at.desc()).limit(HISTORY)
    )
    actions = (
        select(AuditEntry).options(joinedload(AuditEntry.actor), joinedload(AuditEntry.group))
        .where(AuditEntry.subject_id == target.id).order_by(AuditEntry.created_at.desc()).limit(HISTORY)
    )
    if groups is not None:
        warnings = warnings.where(ModeratorWarning.group_id.in_(groups or [-1]))
        actions = actions.where(AuditEntry.group_id.in_(groups or [-1]))
    return PersonHistory(counts=counts, warnings=list(db.session.scalars(warnings)),
                         actions=list(db.session.scalars(actions)))


def my_warnings(user: Any) -> list[ModeratorWarning]:
    """The warnings a person has had, newest first, for their account page."""
    return list(
        db.session.scalars(
            select(ModeratorWarning).options(joinedload(ModeratorWarning.group))
            .where(ModeratorWarning.user_id == user.id).order_by(ModeratorWarning.created_at.desc())
        )
    )
