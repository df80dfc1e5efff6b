"""The computational core of participatory budgeting: elections, rules and pabulib files.

Pure Python (no pabutools, no database): pabutools is the reference implementation the tests and the benchmark
compare against, never a dependency of the forum.
"""

from forum.budgeting.rules.election import (
    Ballot,
    Election,
    ElectionError,
    Outcome,
    Project,
    ProjectResult,
    Utility,
)
from forum.budgeting.rules.equal_shares import equal_shares, equal_shares_with_completion
from forum.budgeting.rules.greedy import greedy
from forum.budgeting.rules.pabulib import PabulibError, dumps, loads, read, write

__all__ = [
    "Ballot",
    "Election",
    "ElectionError",
    "Outcome",
    "PabulibError",
    "Project",
    "ProjectResult",
    "Utility",
    "dumps",
    "equal_shares",
    "equal_shares_with_completion",
    "greedy",
    "loads",
    "read",
    "write",
]
