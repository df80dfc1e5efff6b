"""Run pabutools, the reference implementation, on our elections (tests and benchmark only)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from pabutools.election import (
    AdditiveSatisfaction,
    ApprovalBallot,
    ApprovalProfile,
    Cardinality_Sat,
    Cost_Sat,
    CumulativeBallot,
    CumulativeProfile,
    Instance,
    OrdinalBallot,
    OrdinalProfile,
    Project,
)
from pabutools.election.satisfaction import Additive_Cardinal_Sat
from pabutools.rules import exhaustion_by_budget_increase, greedy_utilitarian_welfare, method_of_equal_shares

from forum.budgeting.rules import Election, Utility

SHARED = Path(__file__).resolve().parents[3] / "shared" / "pabulib"
WIELICZKA = "Poland_Wieliczka_2023_Green_Budget.pb"
WESOLA = "Poland_Warszawa_2023_Wesola.pb"
ZURICH = "Switzerland_Zurich_D10.pb"


def shared_file(name: str) -> Path:
    """A shared pabulib file: missing fails the run under CI=true, else skips the test."""
    path = SHARED / name
    if not path.is_file():
        message = f"shared pabulib file {path} is missing"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def _points_cost(instance, profile, ballot, project, precomputed_values):  # noqa: ARG001
    return ballot.get(project, 0) * project.cost


class Points_Cost_Sat(AdditiveSatisfaction):  # noqa: N801 (pabutools' naming)
    """Points times cost: greedy by it takes cumulative projects by total points (our Utility.POINTS_COST)."""

    def __init__(self, instance, profile, ballot):
        AdditiveSatisfaction.__init__(self, instance, profile, ballot, _points_cost)


def max_length(election: Election) -> int:
    """The places on an ordinal ballot: META ``max_length``, else the first preference's Borda points."""
    if "max_length" in election.meta:
        return int(election.meta["max_length"])
    return max((max(b.points.values(), default=0) for b in election.ballots), default=0)


def _pabulib_borda(max_length: int) -> Callable[..., int]:
    def borda(instance, profile, ballot, project, precomputed_values):  # noqa: ARG001
        return max_length - ballot.position(project) if project in ballot else 0

    return borda


def pabulib_borda_sat(max_length: int, times_cost: bool = False) -> type:
    """pabulib's Borda score of a ranked ballot, ``max_length - position`` (3, 2, 1 on Krakow's 3-place
    ballots), as a pabutools satisfaction; ``times_cost``: that times the project's cost (for greedy by points).

    pabutools' own ``Additive_Borda_Sat`` gives ``len(ballot) - position - 1`` (2, 1, 0), which neither pabulib
    nor Krakow's official result uses; our rules score as pabulib does (docs/budgeting-rules.md).
    """
    borda = _pabulib_borda(max_length)

    def score(instance, profile, ballot, project, precomputed_values):
        points = borda(instance, profile, ballot, project, precomputed_values)
        return points * project.cost if times_cost else points

    class Pabulib_Borda_Sat(AdditiveSatisfaction):  # noqa: N801 (pabutools' naming)
        def __init__(self, instance, profile, ballot):
            AdditiveSatisfaction.__init__(self, instance, profile, ballot, score)

    return Pabulib_Borda_Sat


def scoring(election: Election) -> str:
    """How the pabutools side scores this election's ballots, for the benchmark's output."""
    if election.vote_type == "ordinal":
        return f"pabulib Borda ({max_length(election)} - pos.)"
    return {"approval": "approval", "choose-1": "choose-1 as approval", "cumulative": "points"}[election.vote_type]


def to_pabutools(election: Election) -> tuple[Instance, ApprovalProfile | CumulativeProfile | OrdinalProfile]:
    projects = {p.id: Project(p.id, p.cost) for p in election.projects}
    instance = Instance(projects.values(), budget_limit=election.budget)
    if election.vote_type == "ordinal":
        profile = OrdinalProfile(
            [OrdinalBallot([projects[pid] for pid in b.ranked]) for b in election.ballots], instance=instance
        )
    elif election.vote_type in ("approval", "choose-1"):
        profile = ApprovalProfile(
            [ApprovalBallot({projects[pid] for pid in b.points}) for b in election.ballots], instance=instance
        )
    else:
        profile = CumulativeProfile(
            [CumulativeBallot({projects[pid]: pts for pid, pts in b.points.items()}) for b in election.ballots],
            instance=instance,
        )
    return instance, profile


def sat_class(election: Election, utility: Utility) -> type:
    one_point = election.vote_type in ("approval", "choose-1")
    if utility is Utility.COST:
        return Cost_Sat
    if election.vote_type == "ordinal":
        return pabulib_borda_sat(max_length(election), times_cost=utility is Utility.POINTS_COST)
    if utility is Utility.POINTS:
        return Cardinality_Sat if one_point else Additive_Cardinal_Sat
    return Cost_Sat if one_point else Points_Cost_Sat


def pabutools_greedy(election: Election, utility: Utility, pb=None) -> list[str]:
    instance, profile = pb or to_pabutools(election)
    return [p.name for p in greedy_utilitarian_welfare(instance, profile, sat_class=sat_class(election, utility))]


def pabutools_mes(election: Election, utility: Utility, pb=None) -> list[str]:
    instance, profile = pb or to_pabutools(election)
    return [p.name for p in method_of_equal_shares(instance, profile, sat_class=sat_class(election, utility))]


def pabutools_mes_completed(election: Election, utility: Utility, pb=None) -> list[str]:
    """MES, budget raised by one unit per voter while the outcome fits, then greedy: Wieliczka's rule."""
    instance, profile = pb or to_pabutools(election)
    sat = sat_class(election, utility)
    outcome = exhaustion_by_budget_increase(
        instance,
        profile,
        method_of_equal_shares,
        {"sat_class": sat},
        exhaustive_stop=False,
        budget_step=profile.num_ballots(),
    )
    completed = greedy_utilitarian_welfare(instance, profile, sat_class=sat, initial_budget_allocation=outcome)
    return [p.name for p in completed]
