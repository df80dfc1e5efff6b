"""The greedy rules cities state in their pabulib files, besides plain ``greedy`` (:mod:`.greedy`).

All take projects by descending score (votes, or points: Borda points on ranked ballots), ties broken by
project id as text, exactly as :func:`forum.budgeting.rules.greedy.greedy` orders them.

* ``greedy-no-skip``: the count stops at the first project that does not fit in the money left, even if a
  cheaper one further down would (Wroclaw 2021).
* ``greedy-threshold``: a project needs a score of at least ``min_score`` (pabulib's
  ``min_project_score_threshold``) to be funded at all; the others are passed over, and greedy goes on as usual
  (Lodz 2022: at least 100 votes).

Both accept the threshold, as pabulib's checker does (a ``greedy-no-skip`` city may also have one).
"""

from __future__ import annotations

from forum.budgeting.rules.election import Election, Outcome, Utility, fund, new_outcome
from forum.budgeting.rules.greedy import greedy_order


def city_greedy(election: Election, skip: bool = True, min_score: int | None = None) -> Outcome:
    """Greedy by score: ``skip=False`` stops at the first project that does not fit; ``min_score`` passes over
    every project scoring less (its score is its total points, as ``ProjectResult.support``)."""
    name = "greedy" if skip else "greedy-no-skip"
    outcome = new_outcome(election, f"{name}[min {min_score}]" if min_score else name)
    left = outcome.budget
    for pid in greedy_order(outcome, Utility.POINTS_COST):
        result = outcome.projects[pid]
        if min_score is not None and result.support < min_score:
            continue
        if result.cost <= left:
            fund(outcome, pid, "greedy")
            left -= result.cost
        elif not skip:
            break
    return outcome


def greedy_no_skip(election: Election, min_score: int | None = None) -> Outcome:
    """``greedy-no-skip``: stop at the first project that does not fit."""
    return city_greedy(election, skip=False, min_score=min_score)


def greedy_threshold(election: Election, min_score: int | None) -> Outcome:
    """``greedy-threshold``: greedy among the projects scoring at least ``min_score``."""
    return city_greedy(election, skip=True, min_score=min_score)
