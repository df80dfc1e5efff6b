"""The data model of a participatory-budgeting election and of a rule's outcome.

Plain dataclasses: projects with whole-number costs, a whole-number budget, and ballots that give each project
some points. The four ballot forms of pabulib all become points per project (docs/budgeting-rules.md, "Ballot
forms"): approval ballots give 1 point to each approved project, choose-1 ballots 1 point to their one project,
cumulative ballots spread points, and ordinal (ranked) ballots give Borda points, ``max_length - position`` for
the project at 0-based ``position`` (:func:`borda_points`); an ordinal ballot's ``points`` keep the ranking as
their order.

Ties between projects are broken everywhere by the project id compared as a string (``"10"`` before ``"9"``),
as pabutools' default ``lexico_tie_breaking`` does, so that our results are identical to pabutools'.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

VoteType = Literal["approval", "cumulative", "ordinal", "choose-1"]
#: The ballot forms, as pabulib's ``vote_type`` names them.
VOTE_TYPES: tuple[str, ...] = ("approval", "cumulative", "ordinal", "choose-1")
#: The forms whose ballots give every chosen project exactly 1 point.
ONE_POINT_TYPES = ("approval", "choose-1")


def borda_points(ranking: Iterable[str], max_length: int) -> dict[str, int]:
    """The points of a ranked ballot: ``max_length`` for the first preference, one less for each next one.

    This is how pabulib scores ordinal ballots (its format's ``scoring_fn``, "default: Borda"; the ``score``
    column of its files, e.g. Krakow 2024 with 3 ranked projects: 3, 2 and 1 points). pabutools'
    ``Additive_Borda_Sat`` gives one point less to every ranked project (``len(ballot) - position - 1``: 2, 1
    and 0), which does not reproduce Krakow's official result; see docs/budgeting-rules.md.
    """
    return {pid: max_length - position for position, pid in enumerate(ranking)}


class ElectionError(ValueError):
    """An election that the rules cannot count: a missing project, a cost below 1, a duplicate voter..."""


class Utility(enum.Enum):
    """How much a voter gains from a project they support: the satisfaction measure of pabutools.

    ``COST``: the project's cost (pabutools' ``Cost_Sat``), whatever the points.
    ``POINTS``: the points given (``Cardinality_Sat`` for approval, ``Additive_Cardinal_Sat`` for cumulative).
    ``POINTS_COST``: points times cost. For approval ballots this is ``COST``; greedy by it takes projects by
    descending total votes or points, which is what "greedy by votes" means.
    """

    COST = "cost"
    POINTS = "points"
    POINTS_COST = "points_cost"

    def value_of(self, points: int, cost: int) -> int:
        if points <= 0:
            return 0
        if self is Utility.COST:
            return cost
        if self is Utility.POINTS:
            return points
        return points * cost


@dataclass(eq=True)
class Project:
    """A proposal on the ballot. ``extra`` keeps the other pabulib columns (name, category, ...) as text."""

    id: str
    cost: int
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.extra.get("name", self.id)


@dataclass(eq=True)
class Ballot:
    """One voter's ballot: points per project id (1 per approved project for approval ballots)."""

    voter_id: str
    points: dict[str, int]
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def approving(cls, voter_id: str, project_ids: Iterable[str], extra: Mapping[str, str] | None = None) -> Ballot:
        return cls(voter_id, {pid: 1 for pid in project_ids}, dict(extra or {}))

    @classmethod
    def ranking(cls, voter_id: str, project_ids: Iterable[str], max_length: int,
                extra: Mapping[str, str] | None = None) -> Ballot:
        """An ordinal ballot ranking ``project_ids`` (first preference first), with Borda points."""
        return cls(voter_id, borda_points(project_ids, max_length), dict(extra or {}))

    @property
    def ranked(self) -> list[str]:
        """The projects from the most to the least points: an ordinal ballot's ranking."""
        return sorted(self.points, key=lambda pid: -self.points[pid])

    @property
    def approved(self) -> frozenset[str]:
        """The projects this voter supports (gives at least one point)."""
        return frozenset(pid for pid, pts in self.points.items() if pts > 0)


@dataclass(eq=True)
class Election:
    """An election: projects, the money, ballots. ``meta`` keeps pabulib's META keys other than budget and type."""

    projects: list[Project]
    budget: int
    ballots: list[Ballot]
    vote_type: VoteType = "approval"
    meta: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise :class:`ElectionError` if the rules could not count this election."""
        if self.vote_type not in VOTE_TYPES:
            raise ElectionError(f"unknown vote type {self.vote_type!r}: expected {', '.join(VOTE_TYPES)}")
        if isinstance(self.budget, bool) or not isinstance(self.budget, int) or self.budget < 1:
            raise ElectionError(f"the budget must be a whole number of at least 1, not {self.budget!r}")
        ids: set[str] = set()
        for project in self.projects:
            if not project.id or project.id != project.id.strip() or "," in project.id or ";" in project.id:
                raise ElectionError(f"project id {project.id!r} must be non-empty, without commas or semicolons")
            if project.id in ids:
                raise ElectionError(f"project {project.id} appears twice")
            if isinstance(project.cost, bool) or not isinstance(project.cost, int) or project.cost < 1:
                raise ElectionError(f"project {project.id}: the cost must be a whole number of at least 1")
            ids.add(project.id)
        voters: set[str] = set()
        one_point = self.vote_type in ONE_POINT_TYPES
        shaped = self.vote_type in ("choose-1", "ordinal")
        for ballot in self.ballots:
            if ballot.voter_id in voters:
                raise ElectionError(f"voter {ballot.voter_id} has two ballots")
            voters.add(ballot.voter_id)
            points = ballot.points
            # a city's ballots are checked at C speed; the slow loop only says what is wrong
            if not (points.keys() <= ids and _whole_points(points.values(), one_point)):
                self._check_points(ballot, ids, one_point)
            if shaped:
                self._check_form(ballot)

    def _check_points(self, ballot: Ballot, ids: set[str], one_point: bool) -> None:
        for pid, pts in ballot.points.items():
            if pid not in ids:
                raise ElectionError(f"voter {ballot.voter_id} votes for unknown project {pid}")
            if isinstance(pts, bool) or not isinstance(pts, int) or pts < 1:
                raise ElectionError(f"voter {ballot.voter_id} gives {pts!r} points to {pid}: expected 1 or more")
            if one_point and pts != 1:
                raise ElectionError(f"voter {ballot.voter_id}: an {self.vote_type} ballot gives exactly 1 point")

    def _check_form(self, ballot: Ballot) -> None:
        if self.vote_type == "choose-1" and len(ballot.points) > 1:
            raise ElectionError(f"voter {ballot.voter_id}: a choose-1 ballot chooses one project")
        if self.vote_type == "ordinal" and len(set(ballot.points.values())) != len(ballot.points):
            raise ElectionError(f"voter {ballot.voter_id}: a ranked ballot gives each project a different place")

    @property
    def project_by_id(self) -> dict[str, Project]:
        return {p.id: p for p in self.projects}

    def tallies(self) -> tuple[dict[str, int], dict[str, int]]:
        """Per project: total points (votes, for approval ballots), and voters giving it points."""
        support = {p.id: 0 for p in self.projects}
        supporters = dict(support)
        for ballot in self.ballots:
            for pid, pts in ballot.points.items():  # points are at least 1: every listed project is supported
                support[pid] += pts
                supporters[pid] += 1
        return support, supporters

    def support(self) -> dict[str, int]:
        """Total points per project (votes, for approval ballots)."""
        return self.tallies()[0]


def _whole_points(values: Collection[int], one_point: bool) -> bool:
    """Are these points whole numbers (not booleans) of at least 1 (exactly 1 when ``one_point``)?"""
    if not values:
        return True
    if not set(map(type, values)) <= {int}:
        return False
    return set(values) <= {1} if one_point else min(values) >= 1


@dataclass
class ProjectResult:
    """What a rule did with one project, for an explanation.

    ``rank`` is the 1-based position in the selection order; ``stage`` says which part of the rule funded it
    (``"greedy"``, ``"mes"``, or ``"completion"`` for the greedy fill after MES). ``max_payment`` is, for a
    project MES funded, the most any one supporter paid (approximate: for display only).
    """

    project_id: str
    cost: int
    support: int
    supporters: int
    selected: bool = False
    rank: int | None = None
    stage: str | None = None
    max_payment: float | None = None

    def utility(self, utility: Utility) -> int:
        """The sum over voters of this project's utility."""
        if utility is Utility.COST:
            return self.cost * self.supporters
        if utility is Utility.POINTS:
            return self.support
        return self.cost * self.support


@dataclass
class Outcome:
    """The funded projects in selection order, with details per project.

    For MES with completion, ``per_voter_budget`` is the per-voter budget of the MES run that was kept and
    ``increments`` how many times the budget was raised to reach it.
    """

    rule: str
    budget: int
    winners: list[str]
    projects: dict[str, ProjectResult]
    per_voter_budget: Fraction | None = None
    increments: int | None = None

    @property
    def spent(self) -> int:
        return sum(self.projects[pid].cost for pid in self.winners)

    @property
    def left(self) -> int:
        return self.budget - self.spent


def new_outcome(election: Election, rule: str) -> Outcome:
    """An outcome funding nothing yet, with each project's support filled in."""
    support, supporters = election.tallies()
    projects = {
        p.id: ProjectResult(p.id, p.cost, support[p.id], supporters[p.id]) for p in election.projects
    }
    return Outcome(rule, election.budget, [], projects)


def fund(outcome: Outcome, project_id: str, stage: str, max_payment: float | None = None) -> None:
    """Append a project to an outcome's winners."""
    result = outcome.projects[project_id]
    outcome.winners.append(project_id)
    result.selected = True
    result.rank = len(outcome.winners)
    result.stage = stage
    result.max_payment = max_payment
