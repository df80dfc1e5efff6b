"""Reviewing proposals and moving budgets between phases: what civil servants and admins do."""

from __future__ import annotations

from forum.accounts.models import User
from forum.audit import services as audit
from forum.audit.models import Action
from forum.budgeting.models import BEFORE_VOTING, Proposal, ProposalStatus
from forum.budgeting.services import notices
from forum.budgeting.services.budgets import Money, money_in_pence
from forum.budgeting.services.staff import check_runs_budgets
from forum.common.errors import PermissionDenied, ValidationFailed
from forum.common.text import normalise_space
from forum.common.timefmt import utcnow


def can_review(proposal: Proposal, user: User | None) -> bool:
    """Whether ``user`` may review ``proposal`` now: staff, before voting opens, and not withdrawn."""
    return (bool(getattr(user, "is_authenticated", False)) and user.runs_budgets
            and proposal.pot.budget.phase in BEFORE_VOTING
            and proposal.status != ProposalStatus.WITHDRAWN)


def check_can_review(proposal: Proposal, user: User) -> None:
    """PermissionDenied, saying why, unless ``user`` may review ``proposal`` now (the review page's check)."""
    check_runs_budgets(user, "review proposals")
    if not can_review(proposal, user):
        raise PermissionDenied("This proposal cannot be reviewed now: proposals are reviewed before voting opens, "
                               "and a withdrawn one is not reviewed.")


def review_proposal(proposal: Proposal, reviewer: User, feasible: bool, reason: str = "",
                    cost: Money | None = None, cost_reason: str = "") -> Proposal:
    """Mark a proposal feasible or not feasible, with a public reason (required when not feasible), and
    optionally revise its cost with a reason; the first cost is kept so the change can be shown."""
    check_runs_budgets(reviewer, "review proposals")
    if proposal.pot.budget.phase not in BEFORE_VOTING:
        raise ValidationFailed("Proposals can only be reviewed before voting opens", field="feasible")
    if proposal.status == ProposalStatus.WITHDRAWN:
        raise ValidationFailed("This proposal was withdrawn by its author", field="feasible")
    reason = normalise_space(reason)
    if not feasible and not reason:
        raise ValidationFailed("Explain why the proposal is not feasible", field="reason")
    if cost is not None:
        _revise_cost(proposal, money_in_pence(cost, "cost", "the cost"), normalise_space(cost_reason))
    proposal.status = ProposalStatus.FEASIBLE if feasible else ProposalStatus.NOT_FEASIBLE
    proposal.feasibility_reason = reason or None
    audit.record(reviewer, Action.REVIEW_PROPOSAL, item_type="proposal", item_id=proposal.id,
                 subject_id=proposal.author_id, reason=reason,
                 summary=f"{proposal.title}: {ProposalStatus.LABELS[proposal.status]}")
    notices.proposal_outcome(proposal, reviewer.id)  # notifications (issue 11)
    return proposal


def _revise_cost(proposal: Proposal, pence: int, reason: str) -> None:
    if pence == proposal.cost_pence:
        return
    if not reason:
        raise ValidationFailed("Explain why the cost changes", field="cost_reason")
    if pence > proposal.pot.amount_pence:
        raise ValidationFailed("The cost must not be more than the money in the pot", field="cost")
    if proposal.original_cost_pence is None:
        proposal.original_cost_pence = proposal.cost_pence
    proposal.cost_pence = pence
    proposal.cost_revision_reason = reason
    proposal.cost_revised_at = utcnow()
