"""The budgeting pages, one module per part of the cycle; importing this package registers them all."""

from forum.budgeting.views import (  # noqa: F401
    ballots,
    budgets,
    delivery,
    discussions,
    proposals,
    results,
    verification,
)
