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


def total_utility(election: Election, utility: Utility) -> dict[str, int]:
    """The sum over voters of each project's utility."""
    cost = {p.id: p.cost for p in election.projects}
    totals = dict.fromkeys(cost, 0)
    for ballot in election.ballots:
        for pid, pts in ballot.points.items():
            totals[pid] += utility.value_of(pts, cost[pid])
    return totals


def greedy_order(election: Election, utility: Utility) -> list[str]:
    """All project ids in the order greedy considers them."""
    totals = total_utility(election, utility)
    cost = {p.id: p.cost for p in election.projects}
    return sorted(cost, key=lambda pid: (-Fraction(totals[pid], cost[pid]), pid))


def greedy_fill(election: Election, utility: Utility, outcome: Outcome, stage: str) -> Outcome:
    """Add projects to ``outcome`` greedily within the money it leaves; returns the same outcome."""
    taken = set(outcome.winners)
    left = election.budget - outcome.spent
    cost = {p.id: p.cost for p in election.projects}
    for pid in greedy_order(election, utility):
        if pid not in taken and cost[pid] <= left:
            fund(outcome, pid, stage)
            left -= cost[pid]
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
    return greedy_fill(election, utility, outcome, "greedy")
