"""The budgeting pages, one module per part of the cycle; importing this package registers them all."""

from forum.budgeting import bp
from forum.budgeting.models import Phase, ProposalStatus
from forum.budgeting.views import (  # noqa: F401
    ballots,
    budgets,
    delivery,
    discussions,
    proposals,
    results,
    verification,
)

# The labels people read for phases and proposal statuses, defined once in the models, for every template.
bp.add_app_template_global(Phase.LABELS, "PHASE_LABELS")
bp.add_app_template_global(ProposalStatus.LABELS, "STATUS_LABELS")
