"""Delivery updates on funded proposals: the promise kept in public (CONSUL's milestones and progress bars).

Staff post them once a project is funded (the budget showing results or in delivery). Each update says where
the project stands (planned, in progress, delivered), on which day, how far along it is and a note; the page
shows them newest first, with the latest percentage as the project's progress.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.budgeting.models import PUBLISHED, DeliveryStatus, DeliveryUpdate, Proposal, ProposalStatus
from forum.common import markup
from forum.common.errors import PermissionDenied, ValidationFailed
from forum.common.timefmt import utcnow
from forum.extensions import db

NOTE_MAX = 10_000
#: A planned date may lie ahead, but not further than this (a typo in the year, most likely).
FURTHEST_AHEAD = timedelta(days=5 * 366)
EARLIEST = date(2000, 1, 1)


def may_post_updates(proposal: Proposal) -> bool:
    """Whether the proposal takes delivery updates: funded, with the budget in results or delivery."""
    return (proposal.status == ProposalStatus.SELECTED
            and proposal.pot.budget.phase in PUBLISHED)


def can_post_update(proposal: Proposal, user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.runs_budgets and may_post_updates(proposal)


def check_can_post_update(proposal: Proposal, user: Any) -> None:
    if not (getattr(user, "is_authenticated", False) and user.runs_budgets):
        raise PermissionDenied("Only civil servants and administrators can post delivery updates.")
    if not may_post_updates(proposal):
        raise PermissionDenied("Delivery updates are for funded projects, once the budget's results are out.")


def _percent(value: int | str | None) -> int:
    text = str(value if value is not None else "").strip().removesuffix("%").strip()
    if not text:
        raise ValidationFailed("Enter how far along the project is, from 0 to 100", field="percent")
    if not (text.isascii() and text.isdigit()):
        raise ValidationFailed("Enter the percentage as a whole number from 0 to 100, like 40", field="percent")
    percent = int(text)
    if percent > 100:
        raise ValidationFailed("The percentage must be 100 or less", field="percent")
    return percent


def _day(happened_on: date | None, status: str) -> date:
    if happened_on is None:
        raise ValidationFailed("Enter the date of the update", field="happened_on")
    today = utcnow().date()
    if happened_on < EARLIEST or happened_on > today + FURTHEST_AHEAD:
        raise ValidationFailed("Enter a date between 2000 and five years from now", field="happened_on")
    if status != DeliveryStatus.PLANNED and happened_on > today:
        raise ValidationFailed("Only a planned step can have a date in the future", field="happened_on")
    return happened_on


def add_update(proposal: Proposal, user: Any, status: str, happened_on: date | None, percent: int | str | None,
               note: str) -> DeliveryUpdate:
    """A staff member's update on a funded proposal (field errors for anything wrong)."""
    check_can_post_update(proposal, user)
    if status not in DeliveryStatus.ALL:
        raise ValidationFailed("Choose where the project stands: planned, in progress or delivered", field="status")
    day = _day(happened_on, status)
    pct = _percent(percent)
    if status == DeliveryStatus.DELIVERED and pct != 100:
        raise ValidationFailed("A delivered project is 100% complete: enter 100, or choose In progress",
                               field="percent")
    if not note or not note.strip() or not markup.plain_text(note).strip():
        raise ValidationFailed("Enter a note on what has happened", field="note")
    if len(note) > NOTE_MAX:
        raise ValidationFailed(f"Keep the note to {NOTE_MAX:,} characters or fewer", field="note")
    update = DeliveryUpdate(proposal_id=proposal.id, status=status, happened_on=day, percent_complete=pct,
                            note_source=note, note_html=markup.render(note), author_id=user.id)
    db.session.add(update)
    db.session.flush()
    return update


def updates_for(proposal: Proposal) -> list[DeliveryUpdate]:
    """The proposal's updates, newest first (by date, then by when posted), with their authors: one query."""
    query = (select(DeliveryUpdate).where(DeliveryUpdate.proposal_id == proposal.id)
             .options(joinedload(DeliveryUpdate.author))
             .order_by(DeliveryUpdate.happened_on.desc(), DeliveryUpdate.id.desc()))
    return list(db.session.scalars(query))
