"""The fast MES (per-type floats, completion steps reusing the previous step's rounds) equals the reference.

The reference is pabutools itself on small generated elections, our plain run (``Run``, budget classes, every
completion step afresh) on larger ones, and winner lists computed once by pabutools on the shared pabulib files
(tests/budgeting/data/mes_expected.json: pabutools takes minutes on them).
"""

from __future__ import annotations

import json
import random
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forum.budgeting.rules import Ballot, Election, Project, Utility, equal_shares_with_completion, greedy, read
from forum.budgeting.rules.equal_shares import completion_run, default_utility, equal_shares
from forum.budgeting.rules.mes_fast import FastRun
from forum.budgeting.rules.mes_run import Prepared, Run
from tests.budgeting.pabutools_bridge import pabutools_greedy, pabutools_mes, pabutools_mes_completed, shared_file

EXPECTED = json.loads((Path(__file__).parent / "data" / "mes_expected.json").read_text())["winners"]


@st.composite
def tied_elections(draw: st.DrawFn, size: int = 1) -> Election:
    """Elections made for near ties and long completions: few distinct costs, ballots repeated, a tight budget."""
    count = draw(st.integers(2, 6 * size))
    ids = [f"p{i}" for i in range(count)] + draw(st.lists(st.sampled_from(["1", "10", "9", "a"]), unique=True))
    costs = draw(st.lists(st.sampled_from([6, 10, 12, 15, 30, 60, 7, 13]), min_size=len(ids), max_size=len(ids)))
    projects = [Project(pid, cost) for pid, cost in zip(ids, costs, strict=True)]
    patterns = draw(st.lists(st.lists(st.sampled_from(ids), min_size=1, max_size=4, unique=True), min_size=1,
                             max_size=4 * size))
    ballots = []
    for pattern in patterns:
        for _ in range(draw(st.integers(1, 4))):
            ballots.append(Ballot.approving(f"v{len(ballots)}", pattern))
    budget = draw(st.integers(1, max(1, sum(costs) // 2)))
    vote_type = draw(st.sampled_from(["approval", "cumulative"]))
    if vote_type == "cumulative":
        ballots = [Ballot(b.voter_id, {pid: draw(st.integers(1, 3)) for pid in b.points}) for b in ballots]
    return Election(projects, budget, ballots, vote_type)


SETTINGS = settings(max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(tied_elections(size=3), st.sampled_from([Utility.COST, Utility.POINTS]))
def test_fast_completion_equals_the_reference(election: Election, utility: Utility) -> None:
    k, fast = completion_run(election, utility)
    k_ref, reference = completion_run(election, utility, reference=True)
    assert k == k_ref
    assert fast is not None and reference is not None
    assert fast.selected == reference.selected


def district(seed: int, voters: int, projects: int, vote_type: str) -> Election:
    """A district-sized election with a few popular projects: completions of hundreds of steps, where the fast
    path's reuse of earlier steps (checkpoints, renewed bounds, free steps) does most of the work."""
    rng = random.Random(seed)
    listed = [Project(f"p{i}", rng.choice([5, 8, 10, 12, 15, 20, 25, 30, 40]) * 1000 + rng.randrange(1000))
              for i in range(projects)]
    popularity = [rng.paretovariate(1.2) for _ in listed]
    ballots = []
    for v in range(voters):
        chosen = set(rng.choices(range(projects), popularity, k=rng.randint(1, 8)))
        points = {listed[i].id: 1 if vote_type == "approval" else rng.randint(1, 3) for i in sorted(chosen)}
        ballots.append(Ballot(f"v{v}", points))
    return Election(listed, 100_000, ballots, vote_type)


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**6), st.integers(30, 450), st.integers(8, 40), st.sampled_from(["approval", "cumulative"]))
def test_fast_completion_equals_the_reference_on_districts(seed: int, voters: int, projects: int, kind: str) -> None:
    election = district(seed, voters, projects, kind)
    utility = default_utility(election)
    k, fast = completion_run(election, utility)
    k_ref, reference = completion_run(election, utility, reference=True)
    assert k == k_ref
    assert fast is not None and reference is not None
    assert fast.selected == reference.selected


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(tied_elections(), st.sampled_from([Utility.COST, Utility.POINTS]))
def test_fast_completion_equals_pabutools(election: Election, utility: Utility) -> None:
    assert equal_shares_with_completion(election, utility).winners == pabutools_mes_completed(election, utility)


@SETTINGS
@given(tied_elections(size=3), st.sampled_from([Utility.COST, Utility.POINTS]), st.integers(0, 40))
def test_fast_run_equals_the_reference_run(election: Election, utility: Utility, raise_by: int) -> None:
    prep = Prepared(election, utility)
    b = Fraction(election.budget, len(election.ballots)) + raise_by
    assert FastRun(prep, b).selected == Run(prep, b).selected


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(tied_elections(), st.sampled_from([Utility.COST, Utility.POINTS]))
def test_fast_mes_alone_equals_pabutools(election: Election, utility: Utility) -> None:
    assert equal_shares(election, utility).winners == pabutools_mes(election, utility)


def test_two_uncapped_projects_with_equal_support_tie_by_id_in_every_step() -> None:
    """Equal floors: the tie is exact at every step and goes to "10" before "9" (ids compared as text)."""
    projects = [Project("9", 40), Project("10", 40), Project("a", 35)]
    ballots = [Ballot.approving(f"v{i}", ["9", "10"] if i < 4 else ["a"]) for i in range(6)]
    election = Election(projects, 60, ballots)
    assert equal_shares_with_completion(election).winners == pabutools_mes_completed(election, Utility.COST)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_shared_elections_give_pabutools_winners(name: str) -> None:
    election = read(shared_file(name))
    assert equal_shares_with_completion(election, default_utility(election)).winners == EXPECTED[name]


@pytest.mark.parametrize("name", ["Poland_Lodz_2022.pb", "Poland_Krakow_2024.pb"])
def test_the_cities_pabutools_cannot_finish_count_as_the_reference(name: str) -> None:
    """Łódź and Kraków: pabutools' MES with completion does not finish in minutes, so the fast count is held to
    the reference (every completion step run afresh, budget classes, exact where floats could err)."""
    election = read(shared_file(name))
    utility = default_utility(election)
    k, fast = completion_run(election, utility)
    k_ref, reference = completion_run(election, utility, reference=True)
    assert k == k_ref
    assert fast is not None and reference is not None
    assert fast.selected == reference.selected and len(fast.selected) > 40


@st.composite
def ranked_elections(draw: st.DrawFn) -> Election:
    """Small ordinal elections: rankings of up to ``max_length`` projects, scored as pabulib's Borda."""
    ids = [f"p{i}" for i in range(draw(st.integers(2, 7)))]
    costs = draw(st.lists(st.sampled_from([6, 10, 12, 15, 30]), min_size=len(ids), max_size=len(ids)))
    max_length = draw(st.integers(1, 4))
    rankings = draw(st.lists(st.lists(st.sampled_from(ids), min_size=1, max_size=max_length, unique=True),
                             min_size=1, max_size=12))
    ballots = [Ballot.ranking(f"v{i}", ranking, max_length) for i, ranking in enumerate(rankings)]
    budget = draw(st.integers(1, max(1, sum(costs) // 2)))
    return Election([Project(p, c) for p, c in zip(ids, costs, strict=True)], budget, ballots, "ordinal",
                    {"max_length": str(max_length)})


@settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(ranked_elections())
def test_ranked_ballots_count_as_pabutools_with_pabulib_borda(election: Election) -> None:
    """Ordinal ballots: our MES with completion and greedy equal pabutools given pabulib's Borda score
    (``max_length - position``, tests/budgeting/pabutools_bridge.py), the scoring the benchmark reports."""
    assert equal_shares_with_completion(election).winners == pabutools_mes_completed(election, Utility.POINTS)
    assert greedy(election, Utility.POINTS_COST).winners == pabutools_greedy(election, Utility.POINTS_COST)
