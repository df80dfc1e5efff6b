"""Which groups a person moderates: site moderators and admins every group, group moderators their own."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from forum.common.errors import PermissionDenied
from forum.extensions import db
from forum.groups import permissions
from forum.groups.models import Group, MemberRole, Membership, MemberStatus


def moderated_group_ids(user: Any) -> list[int] | None:
    """None for someone who moderates every group; otherwise the ids of the groups they moderate (maybe none)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_site_moderator:
        return None
    return list(
        db.session.scalars(
            select(Membership.group_id).where(
                Membership.user_id == user.id,
                Membership.role == MemberRole.MODERATOR,
                Membership.status == MemberStatus.ACTIVE,
            )
        )
    )


def moderates_anything(user: Any) -> bool:
    scope = moderated_group_ids(user)
    return scope is None or bool(scope)


def check_moderates_anything(user: Any) -> None:
    if not moderates_anything(user):
        raise PermissionDenied("Only moderators can see this page.")


def check_moderates(group: Group, user: Any) -> None:
    """Refuse (403) anyone who does not moderate ``group``."""
    if not permissions.can_moderate(group, user):
        raise PermissionDenied(f"Only moderators of “{group.name}” can do that.")


def groups_moderated(user: Any) -> list[Group]:
    """The groups this person moderates, in the usual order (for filters and the move-thread choice)."""
    scope = moderated_group_ids(user)
    stmt = select(Group).order_by(Group.position, Group.name)
    if scope is not None:
        stmt = stmt.where(Group.id.in_(scope or [-1]))
    return list(db.session.scalars(stmt))
