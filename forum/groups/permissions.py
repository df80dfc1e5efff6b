"""Who may see and do what in a group. Every view and service asks here; nothing decides it twice.

Private groups are invisible to non-members: asking for one gives the same 404 as a group that does not exist.
Site moderators and admins see and moderate every group.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, or_, select, true

from forum.extensions import db
from forum.groups.models import Group, MemberRole, Membership, MemberStatus


def _signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def membership_for(group: Group, user: Any) -> Membership | None:
    """The person's membership of the group (active or pending), or None."""
    if not _signed_in(user):
        return None
    return db.session.scalar(
        select(Membership).where(Membership.group_id == group.id, Membership.user_id == user.id)
    )


def _active(group: Group, user: Any, membership: Membership | None) -> Membership | None:
    """The person's membership when it is active (looked up unless the caller already has it), else None."""
    membership = membership if membership is not None else membership_for(group, user)
    return membership if membership is not None and membership.is_active else None


def _group_moderator(group: Group, user: Any, membership: Membership | None) -> bool:
    membership = _active(group, user, membership)
    return membership is not None and membership.role == MemberRole.MODERATOR


def can_read(group: Group, user: Any, membership: Membership | None = None) -> bool:
    """Anyone reads a public group; a private one, those who may post in it."""
    return not group.is_private or can_post(group, user, membership)


def can_post(group: Group, user: Any, membership: Membership | None = None) -> bool:
    """Active members post; site moderators and admins may post anywhere."""
    return _signed_in(user) and (user.is_site_moderator or _active(group, user, membership) is not None)


def can_moderate(group: Group, user: Any, membership: Membership | None = None) -> bool:
    """Site moderators and admins, and the group's own moderators."""
    return _signed_in(user) and (user.is_site_moderator or _group_moderator(group, user, membership))


def readable_groups_clause(user: Any) -> ColumnElement[bool]:
    """A WHERE clause on ``Group`` for the groups this person may read (use in any list of content)."""
    if _signed_in(user) and user.is_site_moderator:
        return true()
    if not _signed_in(user):
        return Group.is_private == false()
    member_of = select(Membership.group_id).where(
        Membership.user_id == user.id, Membership.status == MemberStatus.ACTIVE
    )
    return or_(Group.is_private == false(), Group.id.in_(member_of))


def can_edit_group(group: Group, user: Any, membership: Membership | None = None) -> bool:
    """Admins, and the group's own moderators, edit a group's summary and description (site moderators do not)."""
    return _signed_in(user) and (user.is_admin or _group_moderator(group, user, membership))
