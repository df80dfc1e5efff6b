"""Moving a budget through its phases, and counting every pot when voting closes.

Phases only move forward (collecting -> review -> voting -> results -> delivery), a step or several at
once, with one exception: review may go back to collecting, because nothing depends on review yet. Going
back from voting would void ballots and from results would void a published count, so neither is allowed.
Moving to results queues a count of each pot (services/counting.py) once the move commits, and returns at
once: a city district's count takes seconds, too long for a request. Until a pot's result is stored its results
page says the votes are being counted; the count job tells each proposal's author whether it was funded.
``flask budgets count POT`` counts a pot from the command line.
"""

from __future__ import annotations

from forum.accounts.models import User
from forum.audit import services as audit
from forum.audit.models import Action
from forum.budgeting.models import PHASE_LABELS, PUBLISHED, Budget, Phase
from forum.budgeting.services import counting, notices
from forum.budgeting.services.staff import check_runs_budgets
from forum.common.errors import ValidationFailed


def allowed_moves(budget: Budget) -> list[Phase]:
    """The phases ``budget`` may move to from where it is."""
    order = list(Phase)
    later = order[order.index(Phase(budget.phase)) + 1:]
    return [Phase.COLLECTING, *later] if budget.phase == Phase.REVIEW else later


#: What entering each phase does, said on the confirmation page before a budget is moved (one line per phase
#: passed through when a move skips some). Each says what changes for residents first.
ENTERING = {
    Phase.COLLECTING: "Proposing opens again: residents can propose projects and change their proposals.",
    Phase.REVIEW: "Proposing closes: residents can no longer propose projects or change their proposals "
                  "(they can still withdraw them). Staff check each proposal's feasibility and cost.",
    Phase.VOTING: "Voting opens: residents can cast ballots for the proposals that were not withdrawn or found "
                  "not feasible. How people vote and how results are worked out can no longer change, and the "
                  "budget cannot go back to review or collecting.",
    Phase.RESULTS: "Voting closes: residents can no longer cast or change ballots. The votes in every pot are "
                   "counted and the results published.",
    Phase.DELIVERY: "Delivery starts: staff post progress updates on the funded projects.",
}


def check_move(budget: Budget, phase: str) -> None:
    """Refuse a move to where the budget is, or to a phase it may not move to from there."""
    if phase == budget.phase:
        raise ValidationFailed("The budget is already in that phase", field="phase")
    if phase not in allowed_moves(budget):
        raise ValidationFailed("Choose one of the phases offered: a budget cannot go back once voting opens",
                               field="phase")


def what_moving_does(budget: Budget, phase: str) -> list[str]:
    """What moving ``budget`` to ``phase`` does, phase by phase, in the words the confirmation page uses;
    everyone who proposed or voted is told of the move."""
    order = list(Phase)
    start, end = order.index(Phase(budget.phase)), order.index(Phase(phase))
    passed = order[start + 1:end + 1] if end > start else [Phase(phase)]
    return [*(ENTERING[step] for step in passed),
            "Everyone who proposed a project or voted in this budget is sent a notification."]


def move_budget(budget: Budget, user: User, phase: str) -> Budget:
    """Move ``budget`` to ``phase`` (staff only); moving to results queues a count of every pot."""
    check_runs_budgets(user, "move a budget between phases")
    check_move(budget, phase)
    publishing = phase in PUBLISHED and budget.phase not in PUBLISHED
    audit.record(user, Action.MOVE_PHASE, item_type="budget", item_id=budget.id,
                 summary=f"{budget.title}: {PHASE_LABELS[budget.phase]} → {PHASE_LABELS[phase]}")
    budget.phase = Phase(phase)
    if publishing:
        for pot in budget.pots:
            counting.queue_count(pot, announce=True)  # the job tells the authors: funded or not
    notices.phase_moved(budget, user.id)  # notifications (issue 11)
    return budget
