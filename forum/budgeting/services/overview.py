"""Reads for the budgets list and a budget's page: a fixed number of queries, whatever the content."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from forum.budgeting.models import Ballot, Budget, Phase, Pot, Proposal, ProposalStatus
from forum.extensions import db


@dataclass
class PotSummary:
    pot: Pot
    proposals: int  # not withdrawn
    ballots: int


ORDER = {Phase.VOTING: 0, Phase.COLLECTING: 1, Phase.REVIEW: 2, Phase.RESULTS: 3, Phase.DELIVERY: 4}


def budgets_in_order(phases: tuple[str, ...] = tuple(Phase)) -> list[Budget]:
    """Budgets in ``phases``: open for taking part first (voting, collecting, review), then results and
    delivery; newest first within a phase. One query, pots and areas with it."""
    budgets = list(db.session.scalars(
        select(Budget).where(Budget.phase.in_(phases))
        .options(joinedload(Budget.pots).joinedload(Pot.area)).order_by(Budget.created_at.desc())
    ).unique())
    return sorted(budgets, key=lambda b: ORDER[b.phase])


def open_budgets() -> list[Budget]:
    """Budgets people can take part in now (voting first, then collecting proposals), for the home page."""
    return budgets_in_order((Phase.VOTING, Phase.COLLECTING))


def pot_summaries(budget: Budget) -> list[PotSummary]:
    """Each pot of ``budget`` with its number of proposals and ballots (two grouped queries)."""
    pot_ids = [pot.id for pot in budget.pots]
    proposals = dict(db.session.execute(
        select(Proposal.pot_id, func.count()).where(
            Proposal.pot_id.in_(pot_ids), Proposal.status != ProposalStatus.WITHDRAWN
        ).group_by(Proposal.pot_id)
    ).all()) if pot_ids else {}
    ballots = dict(db.session.execute(
        select(Ballot.pot_id, func.count()).where(Ballot.pot_id.in_(pot_ids)).group_by(Ballot.pot_id)
    ).all()) if pot_ids else {}
    return [PotSummary(pot, proposals.get(pot.id, 0), ballots.get(pot.id, 0)) for pot in budget.pots]


def ballots_cast(user: Any, budgets: list[Budget]) -> set[int]:
    """The ids of the pots among ``budgets`` in which ``user`` has a ballot (one query; for the home page)."""
    pot_ids = [pot.id for budget in budgets for pot in budget.pots]
    if not pot_ids or not getattr(user, "is_authenticated", False):
        return set()
    return set(db.session.scalars(select(Ballot.pot_id).where(Ballot.pot_id.in_(pot_ids), Ballot.voter_id == user.id)))
