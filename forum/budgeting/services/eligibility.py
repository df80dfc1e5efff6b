"""Who may vote in a pot: anyone registered, or only residents verified for the pot's area.

A resident verified for an area is a resident of every area it sits inside: someone verified for a ward may
vote in the council area's pot, not the other way round.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from forum.budgeting.models import Area, Eligibility, Pot, ResidentVerification
from forum.common.errors import PermissionDenied
from forum.extensions import db


def areas_within(area_id: int) -> set[int]:
    """``area_id`` and every area inside it, at any depth (areas are few: one query for all of them)."""
    children: dict[int | None, list[int]] = {}
    for aid, parent in db.session.execute(select(Area.id, Area.parent_id)):
        children.setdefault(parent, []).append(aid)
    found, todo = set(), [area_id]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children.get(current, []))
    return found


def is_verified_for(user: Any, area_id: int) -> bool:
    """Whether ``user`` holds an unrevoked verification for ``area_id`` or an area inside it."""
    if not getattr(user, "is_authenticated", False):
        return False
    query = select(ResidentVerification.id).where(
        ResidentVerification.user_id == user.id,
        ResidentVerification.area_id.in_(areas_within(area_id)),
        ResidentVerification.revoked_at.is_(None),
    ).limit(1)
    return db.session.scalar(query) is not None


def may_vote(user: Any, pot: Pot) -> bool:
    """Whether ``user`` is eligible to vote in ``pot`` (the phase is the ballot service's business)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if pot.budget.eligibility == Eligibility.ANY_REGISTERED:
        return True
    return is_verified_for(user, pot.area_id)


def check_may_vote(user: Any, pot: Pot) -> None:
    """Raise PermissionDenied, with what to do about it, unless ``user`` may vote in ``pot``."""
    if not may_vote(user, pot):
        raise PermissionDenied(
            f"Only residents verified for {pot.area.name} can vote in this pot. "
            "Enter the verification code you were sent, or ask the council to verify you."
        )
