"""Budgets for page tests, made through the real services (call inside ``with app.app_context():``).

Like ``tests.factories``, each helper ends its own unit of work: what it returns is committed."""

from __future__ import annotations

from dataclasses import dataclass, field

from forum.accounts.models import User
from forum.budgeting.models import Ballot, BallotChoice, Budget, Channel, Pot, Proposal
from forum.budgeting.services import budgets
from forum.common import transaction
from forum.extensions import db


@dataclass
class BudgetSetup:
    budget: Budget
    pot: Pot
    proposals: list[Proposal] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return [p.id for p in self.proposals]


def make_budget(phase: str = "voting", costs: tuple[int, ...] = (40_000, 30_000, 25_000, 20_000, 10_000),
                amount: int = 80_000, area: str = "Riverside", title: str = "Green Budget 2027",
                author: User | None = None, **settings) -> BudgetSetup:
    """A budget with one pot of ``amount`` pounds for ``area`` and proposals costing ``costs`` pounds."""
    place = budgets.create_area(area)
    if settings.get("ballot_kind") == "cumulative":
        settings.setdefault("points_per_voter", 10)
    budget = budgets.create_budget(title, description="Decide how the money is spent.", phase=phase, **settings)
    pot = budgets.create_pot(budget, place, area, amount * 100)
    proposals = [budgets.create_proposal(pot, f"Project {n + 1}", cost * 100, description=f"About project {n + 1}",
                                         author=author)
                 for n, cost in enumerate(costs)]
    transaction.commit()
    return BudgetSetup(budget, pot, proposals)


def store_ballot(pot: Pot, voter: User | None, choices: dict[int, int] | list[int], channel: str = Channel.ONLINE,
                 anonymous_key: str | None = None) -> Ballot:
    """A ballot written straight to the database (for results and listings, not for testing voting)."""
    points = choices if isinstance(choices, dict) else {pid: 1 for pid in choices}
    ballot = Ballot(pot_id=pot.id, voter_id=voter.id if voter else None, channel=channel,
                    anonymous_key=anonymous_key)
    db.session.add(ballot)
    db.session.flush()
    for pid, pts in points.items():
        db.session.add(BallotChoice(ballot_id=ballot.id, proposal_id=pid, points=pts))
    transaction.commit()
    return ballot


def set_phase(budget: Budget, phase: str) -> Budget:
    """Put a budget in any phase for a test's setup (staff move phases through forum.budgeting.services.phases,
    which only goes forward and counts on the way to results)."""
    budget.phase = phase
    transaction.commit()
    return budget
