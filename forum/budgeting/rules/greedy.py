"""Greedy by votes: what CONSUL does, and pabutools' ``greedy_utilitarian_welfare``.

Projects are taken by descending total utility per unit of cost; one that no longer fits in the money left is
skipped and the count goes on (so a cheaper project further down can still be funded). With the default
utility, ``Utility.POINTS_COST``, utility per cost is the project's votes (or points), so this is greedy by
votes. Projects nobody supports come last and are funded too if they fit, as in pabutools.

Ties (equal utility per cost, compared exactly as fractions) are broken by project id as a string, pabutools'
default lexicographic tie-breaking.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from forum.budgeting.rules.election import Election, Outcome, Utility, fund, new_outcome


def greedy_order(outcome: Outcome, utility: Utility) -> list[str]:
    """All project ids in the order greedy considers them."""
    results = outcome.projects
    return sorted(results, key=lambda pid: (-Fraction(results[pid].utility(utility), results[pid].cost), pid))


def greedy_fill(utility: Utility, outcome: Outcome, stage: str) -> Outcome:
    """Add projects to ``outcome`` greedily within the money it leaves; returns the same outcome."""
    taken = set(outcome.winners)
    left = outcome.left
    for pid in greedy_order(outcome, utility):
        cost = outcome.projects[pid].cost
        if pid not in taken and cost <= left:
            fund(outcome, pid, stage)
            left -= cost
    return outcome


def greedy(election: Election, utility: Utility = Utility.POINTS_COST, initial: Iterable[str] = ()) -> Outcome:
    """Greedy by votes (by utility per cost for other utilities), starting from the ``initial`` projects.

    Equals ``greedy_utilitarian_welfare(instance, profile, sat_class=...)`` with ``Cost_Sat`` for
    ``Utility.POINTS_COST`` on approval ballots (and ``Utility.COST``), ``Cardinality_Sat`` or
    ``Additive_Cardinal_Sat`` for ``Utility.POINTS``.
    """
    outcome = new_outcome(election, f"greedy[{utility.value}]")
    for pid in initial:
        fund(outcome, pid, "initial")
    return greedy_fill(utility, outcome, "greedy")
