"""Our rules give pabutools' results, on the shared real elections and on generated ones."""

from __future__ import annotations

import os
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forum.budgeting.rules import (
    Ballot,
    Election,
    Project,
    Utility,
    equal_shares,
    equal_shares_with_completion,
    greedy,
    read,
)
from forum.budgeting.rules.equal_shares import Prepared, Run, completion_run
from tests.budgeting.pabutools_bridge import (
    WESOLA,
    WIELICZKA,
    ZURICH,
    pabutools_greedy,
    pabutools_mes,
    pabutools_mes_completed,
    sat_class,
    shared_file,
    to_pabutools,
)

# pabutools 1.2.3's MES with completion on Wieliczka, in selection order (166 MES runs, minutes: recorded once;
# set BUDGETING_FULL_PABUTOOLS=1 to recompute it in test_wieliczka_full_pabutools).
WIELICZKA_PABUTOOLS = (
    "24 41 40 74 19 6 58 32 25 20 60 43 29 39 17 42 26 70 34 71 62 88 9 61 7 36 46 33 56 69".split()
)


def official(election: Election) -> set[str]:
    return {p.id for p in election.projects if p.extra.get("selected") == "1"}


def test_wieliczka_mes_with_completion_gives_the_official_winners_and_pabutools_order() -> None:
    election = read(shared_file(WIELICZKA))
    outcome = equal_shares_with_completion(election)
    assert len(official(election)) == 30
    assert set(outcome.winners) == official(election)
    assert outcome.winners == WIELICZKA_PABUTOOLS
    assert outcome.increments == 164
    assert outcome.spent <= election.budget


def test_wieliczka_completion_stops_where_pabutools_does() -> None:
    """pabutools' MES at the kept budget gives our run; one unit more per voter no longer fits."""
    from pabutools.election import Cost_Sat, Instance
    from pabutools.rules import method_of_equal_shares

    election = read(shared_file(WIELICZKA))
    instance, profile = to_pabutools(election)
    multiprofile = profile.as_multiprofile()  # same outcome as the profile, several times faster
    n, budget = len(election.ballots), election.budget
    k, run = completion_run(election, Utility.COST)
    assert run is not None
    prep = Prepared(election, Utility.COST)
    for step in (0, k // 2, k, k + 1):
        raised = Instance(instance, budget_limit=budget + step * n)
        theirs = [p.name for p in method_of_equal_shares(raised, multiprofile, sat_class=Cost_Sat)]
        ours = Run(prep, Fraction(budget + step * n, n))
        assert [prep.ids[p] for p in ours.selected] == theirs
        fits = sum(int(p.cost) for p in instance if p.name in theirs) <= budget
        assert fits == (step <= k)
        assert Run(prep, Fraction(budget + step * n, n), limit=budget).fits == fits


@pytest.mark.skipif(os.environ.get("BUDGETING_FULL_PABUTOOLS") != "1", reason="minutes: BUDGETING_FULL_PABUTOOLS=1")
def test_wieliczka_full_pabutools() -> None:
    election = read(shared_file(WIELICZKA))
    instance, profile = to_pabutools(election)
    theirs = pabutools_mes_completed(election, Utility.COST, (instance, profile.as_multiprofile()))
    assert theirs == WIELICZKA_PABUTOOLS == equal_shares_with_completion(election).winners


def test_wieliczka_mes_alone_equals_pabutools() -> None:
    election = read(shared_file(WIELICZKA))
    instance, profile = to_pabutools(election)
    theirs = pabutools_mes(election, Utility.COST, (instance, profile.as_multiprofile()))
    assert equal_shares(election).winners == theirs


def test_wesola_greedy_gives_the_official_winners_and_pabutools_order() -> None:
    election = read(shared_file(WESOLA))
    outcome = greedy(election)
    assert len(official(election)) == 17
    assert set(outcome.winners) == official(election)
    assert outcome.winners == pabutools_greedy(election, Utility.POINTS_COST)


@pytest.mark.skipif(os.environ.get("BUDGETING_FULL_PABUTOOLS") != "1", reason="minutes: BUDGETING_FULL_PABUTOOLS=1")
def test_wesola_mes_with_completion_equals_pabutools() -> None:
    election = read(shared_file(WESOLA))
    instance, profile = to_pabutools(election)
    theirs = pabutools_mes_completed(election, Utility.COST, (instance, profile.as_multiprofile()))
    assert equal_shares_with_completion(election).winners == theirs


@pytest.mark.parametrize("utility", list(Utility))
def test_zurich_greedy_equals_pabutools(utility: Utility) -> None:
    election = read(shared_file(ZURICH))
    assert election.vote_type == "cumulative"
    assert greedy(election, utility).winners == pabutools_greedy(election, utility)


@pytest.mark.parametrize("utility", [Utility.POINTS, Utility.COST])
def test_zurich_mes_equals_pabutools(utility: Utility) -> None:
    election = read(shared_file(ZURICH))
    assert equal_shares(election, utility).winners == pabutools_mes(election, utility)


def test_zurich_mes_with_completion_equals_pabutools() -> None:
    election = read(shared_file(ZURICH))
    ours = equal_shares_with_completion(election)
    assert ours.winners == pabutools_mes_completed(election, Utility.POINTS)


def test_greedy_skips_what_no_longer_fits_and_goes_on() -> None:
    projects = [Project("a", 60), Project("b", 50), Project("c", 40)]
    ballots = [Ballot.approving(str(i), ["a", "b"] if i < 3 else ["c"]) for i in range(5)]
    outcome = greedy(Election(projects, 100, ballots))
    assert outcome.winners == ["a", "c"]  # a and b tie on 3 votes: "a" first; b no longer fits; c does
    assert outcome.projects["b"].selected is False
    assert outcome.left == 0


def test_ties_are_broken_by_project_id_as_text() -> None:
    projects = [Project("9", 10), Project("10", 10)]
    ballots = [Ballot.approving("v", ["9", "10"])]
    election = Election(projects, 10, ballots)
    assert greedy(election).winners == ["10"]
    assert equal_shares(election).winners == ["10"]
    assert equal_shares_with_completion(election).winners == ["10"]


def test_nobody_voting_funds_by_id_within_the_money() -> None:
    election = Election([Project("b", 5), Project("a", 7)], 10, [])
    assert equal_shares_with_completion(election).winners == ["a"]
    assert greedy(election).winners == ["a"]


# --- generated elections -----------------------------------------------------------------------------------

IDS = ["1", "2", "9", "10", "11", "a", "b"]


@st.composite
def elections(draw: st.DrawFn, vote_type: str = "approval", size: int = 1) -> Election:
    """Small elections with many exact ties (small costs, few voters); ``size`` scales them up."""
    ids = draw(st.lists(st.sampled_from(IDS + [f"p{i}" for i in range(4 * size)]), min_size=1, max_size=6 * size,
                        unique=True))
    costs = draw(st.lists(st.integers(1, 12 * size), min_size=len(ids), max_size=len(ids)))
    projects = [Project(pid, cost) for pid, cost in zip(ids, costs, strict=True)]
    budget = draw(st.integers(1, 30 * size))
    ballots = []
    for v in range(draw(st.integers(1, 12 * size))):
        chosen = draw(st.lists(st.sampled_from(ids), max_size=len(ids), unique=True))
        if vote_type == "approval":
            ballots.append(Ballot.approving(f"v{v}", chosen))
        else:
            points = draw(st.lists(st.integers(1, 4), min_size=len(chosen), max_size=len(chosen)))
            ballots.append(Ballot(f"v{v}", dict(zip(chosen, points, strict=True))))
    return Election(projects, budget, ballots, vote_type)  # type: ignore[arg-type]


SETTINGS = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(elections(), st.sampled_from(list(Utility)))
def test_generated_approval_greedy_equals_pabutools(election: Election, utility: Utility) -> None:
    assert greedy(election, utility).winners == pabutools_greedy(election, utility)


@SETTINGS
@given(elections(), st.sampled_from([Utility.COST, Utility.POINTS]))
def test_generated_approval_mes_with_completion_equals_pabutools(election: Election, utility: Utility) -> None:
    assert equal_shares_with_completion(election, utility).winners == pabutools_mes_completed(election, utility)


@SETTINGS
@given(elections("cumulative"), st.sampled_from(list(Utility)))
def test_generated_cumulative_greedy_equals_pabutools(election: Election, utility: Utility) -> None:
    assert greedy(election, utility).winners == pabutools_greedy(election, utility)


@SETTINGS
@given(elections("cumulative"), st.sampled_from([Utility.COST, Utility.POINTS]))
def test_generated_cumulative_mes_with_completion_equals_pabutools(election: Election, utility: Utility) -> None:
    assert equal_shares_with_completion(election, utility).winners == pabutools_mes_completed(election, utility)


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(elections(size=3), st.sampled_from([Utility.COST, Utility.POINTS]), st.sampled_from(["approval", "cumulative"]))
def test_generated_larger_elections_equal_pabutools(election: Election, utility: Utility, vote_type: str) -> None:
    election.vote_type = vote_type  # type: ignore[assignment]  (approval ballots are valid cumulative ones)
    assert equal_shares_with_completion(election, utility).winners == pabutools_mes_completed(election, utility)
    assert greedy(election, utility).winners == pabutools_greedy(election, utility)


@SETTINGS
@given(elections(), st.sampled_from([Utility.COST, Utility.POINTS]))
def test_generated_mes_alone_equals_pabutools(election: Election, utility: Utility) -> None:
    assert equal_shares(election, utility).winners == pabutools_mes(election, utility)


def test_sat_classes_cover_every_utility() -> None:
    election = Election([Project("a", 1)], 1, [], "cumulative")
    names = {sat_class(election, u).__name__ for u in Utility}
    assert names == {"Cost_Sat", "Additive_Cardinal_Sat", "Points_Cost_Sat"}


def test_outcome_details_explain_the_result() -> None:
    election = read(shared_file(WIELICZKA))
    outcome = equal_shares_with_completion(election)
    first = outcome.projects["24"]
    assert (first.selected, first.rank, first.stage, first.cost, first.support) == (True, 1, "mes", 5000, 720)
    assert first.max_payment is not None and 0 < first.max_payment <= float(outcome.per_voter_budget or 0)
    assert outcome.per_voter_budget == Fraction(election.budget, len(election.ballots)) + 164
    assert outcome.left == election.budget - outcome.spent == 4921
    losers = [r for r in outcome.projects.values() if not r.selected]
    assert len(losers) == 34 and all(r.rank is None and r.stage is None for r in losers)


def test_the_greedy_fill_after_mes_is_marked_as_completion() -> None:
    # 5 each: neither voter affords their project; at 6 each both would be funded, 12 > 10: MES funds nothing
    projects = [Project("A", 6), Project("B", 6)]
    election = Election(projects, 10, [Ballot.approving("v1", ["A"]), Ballot.approving("v2", ["B"])])
    outcome = equal_shares_with_completion(election)
    assert (outcome.increments, outcome.winners, outcome.projects["A"].stage) == (0, ["A"], "completion")
    assert outcome.winners == pabutools_mes_completed(election, Utility.COST)
