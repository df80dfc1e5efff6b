"""The Method of Equal Shares (MES), and its completion as Wieliczka used it in 2023.

MES gives every voter an equal share ``b`` of the budget. In each round it funds the project whose supporters
can pay for it at the lowest price per unit of utility ``rho``: each supporter ``i`` pays ``min(budget_i,
rho * u_i)``, and the payments add up to the cost. It stops when no remaining project's supporters have enough
money left. The completion (pabutools' ``exhaustion_by_budget_increase(..., exhaustive_stop=False,
budget_step=<number of voters>)``) reruns MES with ``b`` raised by one unit at a time and keeps the last outcome
that still fits in the real budget; greedy by the same utility then fills what money is left.

The outcome is identical to pabutools 1.2.3 with its default tie-breaking: when two projects have exactly the
same ``rho``, the smaller project id as a string wins (``"10"`` before ``"9"``).

How it is fast and still exact
------------------------------
* Voters with identical ballots are merged into one voter type with a multiplicity.
* A voter's money left depends only on which funded projects they support (it is ``max(0, b - payments)``), so
  voters are grouped into *budget classes*; a project's price is computed over its supporters' classes, which
  are few, rather than over its voters.
* Prices only rise during a run (money only goes down), so as in pabutools a project whose last price is already
  above the best one of the round is not recomputed; a project none of whose supporters paid since is not either.
* Prices are computed in floating point. Every decision that floating point could get wrong is certified: a
  project is dropped as unaffordable, or beaten, only when the margin exceeds a relative ``TOL`` (1e-9), many
  orders of magnitude above the rounding error of these short sums (the price is a continuous function of the
  budgets, so rounding moves it by about 1e-15 relative per operation). Within the margin the decision is taken
  again in exact ``Fraction`` arithmetic, from exact budgets rebuilt lazily from the exact prices of the earlier
  rounds. Exact ties (frequent: two projects with the same number of votes start with the same price) are
  therefore resolved exactly, by project id.
* The completion still runs MES once for every unit of budget per voter, as pabutools does, because MES is not
  monotone in the budget and skipping a step could change the answer. But a run made only to learn whether its
  outcome fits stops as soon as that is certain: once the funded projects plus every project its supporters
  could still afford cost no more than the budget (money only goes down, so nothing else can be funded), or once
  the funded projects alone cost more. Most runs are settled after a few rounds; only the kept run is made in
  full. (The first run, with the real budget shared out, always fits: voters can only spend what they have.)
"""

from __future__ import annotations

from fractions import Fraction

from forum.budgeting.rules.election import ONE_POINT_TYPES, Election, Outcome, ProjectResult, Utility, fund, new_outcome
from forum.budgeting.rules.greedy import greedy_fill
from forum.budgeting.rules.mes_fast import FastRun
from forum.budgeting.rules.mes_run import Prepared, Run
from forum.budgeting.rules.mes_trail import trail_completion


def default_utility(election: Election) -> Utility:
    """Cost utilities for approval and choose-1 ballots (as Wieliczka), points for cumulative ballots and Borda
    points for ordinal ones."""
    return Utility.COST if election.vote_type in ONE_POINT_TYPES else Utility.POINTS


def _outcome(election: Election, utility: Utility, run: Run | FastRun, rule: str) -> Outcome:
    """The run's winners, with each project's support as :func:`new_outcome` gives it (from the compiled
    election: adding up every ballot again costs more than a small election's whole count)."""
    prep = run.prep
    index = {pid: i for i, pid in enumerate(prep.ids)}
    projects = {}
    for p in election.projects:
        i = index[p.id]
        projects[p.id] = ProjectResult(p.id, p.cost, prep.support[i], prep.voters[i])
    outcome = Outcome(rule, election.budget, [], projects)
    for j, p in enumerate(run.selected):
        fund(outcome, run.prep.ids[p], "mes", run.max_payment(j))
    outcome.per_voter_budget = run.b
    return outcome


def equal_shares(election: Election, utility: Utility | None = None) -> Outcome:
    """MES alone, with an equal share of the budget per voter: ``method_of_equal_shares(instance, profile,
    sat_class=...)`` with ``Cost_Sat`` for ``Utility.COST`` (the default for approval ballots) and
    ``Additive_Cardinal_Sat`` for ``Utility.POINTS`` (the default for cumulative ballots)."""
    utility = utility or default_utility(election)
    prep = Prepared(election, utility)
    if prep.n == 0:
        return new_outcome(election, f"mes[{utility.value}]")
    return _outcome(election, utility, FastRun(prep, Fraction(election.budget, prep.n)), f"mes[{utility.value}]")


def completion_run(
    election: Election, utility: Utility, progress: bool = False, reference: bool = False
) -> tuple[int, Run | FastRun | None]:
    """The MES run that ``exhaustion_by_budget_increase(exhaustive_stop=False, budget_step=n)`` keeps.

    Returns the number of increments and the run (None when nobody voted). Each step reuses the previous one's
    rounds (:mod:`forum.budgeting.rules.mes_trail`); ``reference=True`` runs every step afresh instead (stopping
    each as soon as its outcome is known to fit or not), the simpler version the tests compare the fast one with.
    """
    prep = Prepared(election, utility)
    n, budget = prep.n, election.budget
    if n == 0:
        return 0, None
    supported = sum(c for c, u in zip(prep.cost, prep.total_u, strict=True) if u > 0)
    if supported <= budget:
        # Every outcome fits, so pabutools raises the budget up to its bound, budget * (n + 1) in total.
        return budget, (Run if reference else FastRun)(prep, Fraction(budget + budget * n, n))
    if not reference:
        return trail_completion(prep, budget)
    k, rounds = 1, 0
    while k <= budget:
        # the previous run's length hints when this one may settle: adding up money before that is mostly vain
        run = Run(prep, Fraction(budget + k * n, n), limit=budget, patience=rounds - 2)
        if not run.fits:
            break
        rounds = len(run.selected)
        k += 1
    return k - 1, Run(prep, Fraction(budget + (k - 1) * n, n))


def equal_shares_with_completion(election: Election, utility: Utility | None = None) -> Outcome:
    """MES completed as in Wieliczka 2023: budget raised one unit per voter at a time, then greedy."""
    utility = utility or default_utility(election)
    rule = f"mes+completion[{utility.value}]"
    increments, run = completion_run(election, utility)
    if run is None:
        outcome = new_outcome(election, rule)
    else:
        outcome = _outcome(election, utility, run, rule)
        outcome.increments = increments
    return greedy_fill(utility, outcome, "completion")
