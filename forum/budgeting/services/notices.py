"""What budgeting tells people (notifications, issue 11; owned by notifications).

- A budget moving to another phase: everyone taking part in it (they proposed something or voted in one of
  its pots) is told, in a job (``notifications.tasks.queue_many``), so a budget with thousands of voters costs
  the staff member's request two queries.
- A proposal reviewed (feasible or not, with the reason) or, when the count is published, funded or not: its
  author is told at once.
"""

from __future__ import annotations

from sqlalchemy import select, union

from forum.budgeting.models import PHASE_LABELS, Ballot, Budget, Pot, Proposal, ProposalStatus
from forum.extensions import db
from forum.notifications import kinds, tasks
from forum.notifications import services as notifications

OUTCOMES = {ProposalStatus.FEASIBLE: "was reviewed: it is feasible",
            ProposalStatus.NOT_FEASIBLE: "was reviewed: it is not feasible",
            ProposalStatus.SELECTED: "was funded",
            ProposalStatus.NOT_SELECTED: "was not funded this time"}


def phase_moved(budget: Budget, actor_id: int | None = None) -> None:
    pots = select(Pot.id).where(Pot.budget_id == budget.id)
    people = db.session.scalars(union(
        select(Ballot.voter_id).where(Ballot.pot_id.in_(pots), Ballot.voter_id.is_not(None)),
        select(Proposal.author_id).where(Proposal.pot_id.in_(pots), Proposal.author_id.is_not(None)),
    ))
    recipients = sorted({person for person in people if person is not None and person != actor_id})
    if not recipients:
        return
    text = kinds.get("budget_phase").describe(title=budget.title, extra=f"now {PHASE_LABELS[budget.phase].lower()}")
    tasks.queue_many(recipients, "budget_phase", text, notifications.link("budgeting.show", slug=budget.slug),
                     budget_id=budget.id)


def proposal_outcome(proposal: Proposal, actor_id: int | None = None) -> None:
    if proposal.author_id is None or proposal.status not in OUTCOMES:
        return
    extra = OUTCOMES[proposal.status]
    if proposal.status == ProposalStatus.NOT_FEASIBLE and proposal.feasibility_reason:
        extra += f" ({proposal.feasibility_reason})"
    text = kinds.get("proposal_reviewed").describe(title=proposal.title, extra=extra)
    notifications.notify(proposal.author_id, "proposal_reviewed", text,
                         notifications.link("budgeting.proposal", proposal_id=proposal.id), actor=actor_id,
                         proposal_id=proposal.id, budget_id=proposal.pot.budget_id)


def count_published(budget: Budget) -> None:
    """After the count: each counted proposal's author hears whether it was funded."""
    pots = select(Pot.id).where(Pot.budget_id == budget.id)
    for proposal in db.session.scalars(
        select(Proposal).where(Proposal.pot_id.in_(pots),
                               Proposal.status.in_([ProposalStatus.SELECTED, ProposalStatus.NOT_SELECTED]))
        .execution_options(populate_existing=True)
    ):
        proposal_outcome(proposal)
