"""The computational core of participatory budgeting: elections, rules and pabulib files.

Pure Python (no pabutools, no database): pabutools is the reference implementation the tests and the benchmark
compare against, never a dependency of the forum.

numpy's BLAS runs on one thread here unless the environment says otherwise (set before numpy loads it): the
rules' dot products are short or many, and OpenBLAS's extra threads spin between them, taking the other core
from the database and nearly doubling the CPU a city's count costs (Lodz's MES: 0.68 against 0.38 CPU s).
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from forum.budgeting.rules.city_greedy import city_greedy, greedy_no_skip, greedy_threshold
from forum.budgeting.rules.election import (
    VOTE_TYPES,
    Ballot,
    Election,
    ElectionError,
    Outcome,
    Project,
    ProjectResult,
    Utility,
    borda_points,
)
from forum.budgeting.rules.equal_shares import equal_shares, equal_shares_with_completion
from forum.budgeting.rules.greedy import greedy
from forum.budgeting.rules.pabulib import PabulibError, PabulibFile, dumps, loads, open_file, paused_gc, read, write

__all__ = [
    "VOTE_TYPES",
    "Ballot",
    "Election",
    "ElectionError",
    "Outcome",
    "PabulibError",
    "PabulibFile",
    "Project",
    "ProjectResult",
    "Utility",
    "borda_points",
    "city_greedy",
    "dumps",
    "equal_shares",
    "equal_shares_with_completion",
    "greedy",
    "greedy_no_skip",
    "greedy_threshold",
    "loads",
    "open_file",
    "paused_gc",
    "read",
    "write",
]
