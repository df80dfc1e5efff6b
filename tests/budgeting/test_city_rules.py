"""The rules cities state in their files: greedy, greedy-no-skip, greedy-threshold and equalshares/add1, on
hand-made elections with known answers and on the shared files (official results, pabutools)."""

from __future__ import annotations

import re

import pytest

from forum.budgeting.rules import (
    Ballot,
    Election,
    Project,
    Utility,
    greedy,
    greedy_no_skip,
    greedy_threshold,
    read,
)
from forum.budgeting.services.exchange import ImportFailed, published_rule, rule_from_meta
from forum.budgeting.services.results import run_rule
from tests.budgeting.pabutools_bridge import WESOLA, WIELICZKA, ZURICH, pabutools_greedy, shared_file, to_pabutools

LODZ = "Poland_Lodz_2022.pb"
KRAKOW = "Poland_Krakow_2024.pb"
WROCLAW = "Poland_Wroclaw_2021.pb"
BEMOWO = "Poland_Warszawa_2024_Bemowo.pb"
AMSTERDAM = "Netherlands_Amsterdam_289.pb"


def _election(votes: dict[str, int], costs: dict[str, int], budget: int) -> Election:
    ballots = []
    for pid, count in votes.items():
        ballots += [Ballot.approving(f"{pid}{i}", [pid]) for i in range(count)]
    return Election([Project(pid, cost) for pid, cost in costs.items()], budget, ballots)


# a: 5 votes, costs 60; b: 4 votes, 50; c: 3 votes, 30; d: 1 vote, 10. Budget 100.
HAND = _election({"a": 5, "b": 4, "c": 3, "d": 1}, {"a": 60, "b": 50, "c": 30, "d": 10}, 100)


def test_greedy_skips_what_does_not_fit_and_goes_on() -> None:
    assert greedy(HAND).winners == ["a", "c", "d"]


def test_greedy_no_skip_stops_at_the_first_project_that_does_not_fit() -> None:
    assert greedy_no_skip(HAND).winners == ["a"]
    assert greedy_no_skip(HAND, min_score=5).winners == ["a"]


def test_greedy_threshold_passes_over_projects_below_the_score() -> None:
    assert greedy_threshold(HAND, 3).winners == ["a", "c"]  # d (1 vote) fits but is below 3
    assert greedy_threshold(HAND, 6).winners == []
    assert greedy_threshold(HAND, None).winners == greedy(HAND).winners


def test_run_rule_dispatches_every_rule() -> None:
    assert run_rule(HAND, "greedy").winners == ["a", "c", "d"]
    assert run_rule(HAND, "greedy_no_skip").winners == ["a"]
    assert run_rule(HAND, "greedy_threshold", 3).winners == ["a", "c"]
    assert set(run_rule(HAND, "mes").winners) <= {"a", "b", "c", "d"}


@pytest.mark.parametrize(("meta", "rule"), [
    ({"rule": "greedy"}, "greedy"),
    ({"rule": "greedy-no-skip"}, "greedy_no_skip"),
    ({"rule": "greedy-threshold", "min_project_score_threshold": "100"}, "greedy_threshold"),
    ({"rule": "equalshares/add1"}, "mes"),
    ({"rule": "equalshares/add1-comparison"}, "mes"),
])
def test_the_rules_files_name_are_ours(meta: dict[str, str], rule: str) -> None:
    assert published_rule(meta) == rule == rule_from_meta(meta)


@pytest.mark.parametrize(("meta", "words"), [
    ({"rule": "greedy-exclusive"}, "'greedy-exclusive' is not one we can count by"),
    ({"rule": "greedy-custom"}, "'greedy-custom' is not one we can count by"),
    ({"rule": "equalshares"}, "'equalshares' is not one we can count by"),
    ({"rule": "unknown"}, "'unknown' is not one we can count by"),
    ({}, "'(none)' is not one we can count by"),
    ({"rule": "greedy-threshold"}, "no whole-number min_project_score_threshold"),
])
def test_rules_we_do_not_have_are_refused_by_name(meta: dict[str, str], words: str) -> None:
    with pytest.raises(ImportFailed, match=re.escape(words)):
        published_rule(meta)
    assert rule_from_meta(meta) == "greedy"  # without --rule published, such a file is counted by greedy


def _official(election: Election) -> set[str]:
    return {p.id for p in election.projects if p.extra.get("selected") == "1"}


@pytest.mark.parametrize("name", [WESOLA, WIELICZKA, ZURICH, BEMOWO, AMSTERDAM, LODZ, KRAKOW, WROCLAW])
def test_greedy_equals_pabutools_on_every_shared_file(name: str) -> None:
    election = read(shared_file(name))
    if election.vote_type in ("ordinal", "choose-1"):
        pytest.skip("ranked and choose-1 files: tests/budgeting/test_ballot_forms.py")
    instance, profile = to_pabutools(election)
    pb = (instance, profile.as_multiprofile())  # the same count, faster on a city's 90,000 ballots
    assert greedy(election).winners == pabutools_greedy(election, Utility.POINTS_COST, pb)


def test_lodz_greedy_threshold_reproduces_the_official_result() -> None:
    election = read(shared_file(LODZ))
    threshold = int(election.meta["min_project_score_threshold"])
    assert threshold == 100
    outcome = greedy_threshold(election, threshold)
    assert set(outcome.winners) == _official(election) and len(outcome.winners) == 16
    assert greedy_threshold(election, 1500).winners != outcome.winners  # a higher threshold passes over more


def test_wroclaw_greedy_no_skip_reproduces_the_official_result() -> None:
    election = read(shared_file(WROCLAW))
    outcome = greedy_no_skip(election)
    assert set(outcome.winners) == _official(election) and len(outcome.winners) == 8


def test_krakow_greedy_on_borda_points_reproduces_the_official_result() -> None:
    election = read(shared_file(KRAKOW))
    assert set(greedy(election).winners) == _official(election)
