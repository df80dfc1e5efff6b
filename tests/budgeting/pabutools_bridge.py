"""Run pabutools, the reference implementation, on our elections (tests and benchmark only)."""

from __future__ import annotations

import os
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


def to_pabutools(election: Election) -> tuple[Instance, ApprovalProfile | CumulativeProfile]:
    projects = {p.id: Project(p.id, p.cost) for p in election.projects}
    instance = Instance(projects.values(), budget_limit=election.budget)
    if election.vote_type == "approval":
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
    if utility is Utility.COST:
        return Cost_Sat
    if utility is Utility.POINTS:
        return Cardinality_Sat if election.vote_type == "approval" else Additive_Cardinal_Sat
    return Cost_Sat if election.vote_type == "approval" else Points_Cost_Sat


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
