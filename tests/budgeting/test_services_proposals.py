"""Civil servants review proposals (feasible or not, with a public reason; a revised cost keeps the first one)."""

from __future__ import annotations

import pytest

from forum.budgeting.models import Phase, Proposal, ProposalStatus
from forum.budgeting.services import budgets
from forum.budgeting.services.proposals import review_proposal
from forum.common.errors import PermissionDenied, ValidationFailed
from tests.factories import make_user


def _proposal(phase: str = Phase.REVIEW) -> Proposal:
    budget = budgets.create_budget("Green Budget", phase=phase)
    pot = budgets.create_pot(budget, budgets.create_area("Riverside"), "Riverside", "£10,000")
    return budgets.create_proposal(pot, "Benches", "£2,000", author=make_user())


def test_a_civil_servant_marks_a_proposal_feasible_and_revises_its_cost(app) -> None:
    with app.app_context():
        proposal, officer = _proposal(), make_user(role="civil_servant")
        review_proposal(proposal, officer, True, cost="£2,600", cost_reason="Steel prices rose")
        assert (proposal.status, proposal.cost_pence, proposal.original_cost_pence) == (
            ProposalStatus.FEASIBLE, 260_000, 200_000)
        assert proposal.cost_revision_reason == "Steel prices rose" and proposal.cost_revised_at is not None
        review_proposal(proposal, officer, True, cost="£2,400", cost_reason="A cheaper supplier")
        assert (proposal.cost_pence, proposal.original_cost_pence) == (240_000, 200_000)


def test_not_feasible_needs_a_public_reason(app) -> None:
    with app.app_context():
        proposal, officer = _proposal(), make_user(role="admin")
        with pytest.raises(ValidationFailed) as refused:
            review_proposal(proposal, officer, False, "  ")
        assert refused.value.field == "reason" and proposal.status == ProposalStatus.PROPOSED
        review_proposal(proposal, officer, False, "The land belongs to the railway")
        assert proposal.status == ProposalStatus.NOT_FEASIBLE
        assert proposal.feasibility_reason == "The land belongs to the railway"


@pytest.mark.parametrize(("cost", "cost_reason", "field"), [
    ("£0", "Free now", "cost"), ("lots", "x", "cost"), ("£20,000", "Dearer", "cost"), ("£3,000", "", "cost_reason"),
])
def test_a_bad_revised_cost_is_a_field_error(app, cost: str, cost_reason: str, field: str) -> None:
    with app.app_context():
        proposal = _proposal()
        with pytest.raises(ValidationFailed) as refused:
            review_proposal(proposal, make_user(role="civil_servant"), True, cost=cost, cost_reason=cost_reason)
        assert refused.value.field == field


def test_residents_cannot_review_and_nobody_reviews_during_voting(app) -> None:
    with app.app_context():
        with pytest.raises(PermissionDenied):
            review_proposal(_proposal(), make_user(), True)
        with pytest.raises(ValidationFailed, match="before voting"):
            review_proposal(_proposal(Phase.VOTING), make_user(role="civil_servant"), True)
