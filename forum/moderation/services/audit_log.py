"""Reading the audit log: newest first, filtered by moderator, person, group and action.

Site moderators and admins see every entry; a group moderator sees the entries of the groups they moderate.
A page costs two queries (the count and the rows with their people and groups), whatever its filters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.audit.models import Action, AuditEntry
from forum.common.errors import NotFound, PermissionDenied
from forum.common.pagination import Page
from forum.extensions import db
from forum.groups.models import Group
from forum.moderation.services import scope


@dataclass
class LogFilters:
    moderator: str = ""  # a handle
    person: str = ""  # a handle
    group: str = ""  # a slug
    action: str = ""

    def as_args(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v}


def _user_id(handle: str) -> int:
    found = db.session.scalar(select(User.id).where(User.handle == handle.strip().lower()))
    return found if found is not None else -1


def entries(viewer: Any, filters: LogFilters, number: int, per_page: int) -> Page:
    groups = scope.moderated_group_ids(viewer)
    if groups is not None and not groups:
        raise PermissionDenied("Only moderators can read the audit log.")
    stmt = select(AuditEntry)
    if groups is not None:
        stmt = stmt.where(AuditEntry.group_id.in_(groups))
    if filters.moderator:
        stmt = stmt.where(AuditEntry.actor_id == _user_id(filters.moderator))
    if filters.person:
        stmt = stmt.where(AuditEntry.subject_id == _user_id(filters.person))
    if filters.group:
        stmt = stmt.where(AuditEntry.group_id.in_(select(Group.id).where(Group.slug == filters.group)))
    if filters.action:
        stmt = stmt.where(AuditEntry.action == filters.action)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = Page(items=[], number=number, per_page=per_page, total=total)
    if number > page.pages:
        raise NotFound("There is no such page of the audit log.")
    page.items = list(
        db.session.scalars(
            stmt.options(joinedload(AuditEntry.actor), joinedload(AuditEntry.subject), joinedload(AuditEntry.group))
            .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
            .limit(per_page).offset((number - 1) * per_page)
        )
    )
    return page


ACTION_CHOICES = sorted(Action.LABELS.items(), key=lambda kv: kv[1])
