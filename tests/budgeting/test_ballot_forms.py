"""The four ballot forms pabulib has (approval, cumulative, ordinal, choose-1): read, counted, stored and
written back. Ordinal ballots give Borda points, max_length - position (docs/budgeting-rules.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pabutools.election import (
    ApprovalBallot,
    ApprovalProfile,
    Cost_Sat,
    CumulativeBallot,
    CumulativeProfile,
    Instance,
    Project,
)
from pabutools.rules import greedy_utilitarian_welfare

from forum.budgeting.models import BallotChoice, BallotKind, Pot
from forum.budgeting.rules import Ballot, Election, ElectionError, PabulibError, dumps, greedy, loads, read
from forum.budgeting.rules import Project as OurProject
from forum.budgeting.services.exchange import export_pabulib, import_pabulib
from forum.budgeting.services.results import election_for, winners
from forum.extensions import db
from tests.budgeting.pabutools_bridge import Points_Cost_Sat, shared_file

KRAKOW = "Poland_Krakow_2024.pb"
WROCLAW = "Poland_Wroclaw_2021.pb"

RANKED = """META
key;value
description;Ranked test
country;United Kingdom
unit;Riverside
budget;100
vote_type;ordinal
max_length;3
rule;greedy
PROJECTS
project_id;cost;name
a;60;Benches
b;50;Trees
c;40;Bins
d;30;Lights
VOTES
voter_id;vote
1;b,a,c
2;a,b
3;c,d,a
4;d
"""
# Borda points with 3 places: a 2+3+1 = 6, b 3+2 = 5, c 1+3 = 4, d 2+3 = 5. Greedy: a (60), then b and d tie
# at 5 (b first by id) but b (50) no longer fits, d (30) does: a, d; then c (40) does not fit.

CHOOSE_ONE = """META
key;value
description;Choose one test
budget;100
vote_type;choose-1
PROJECTS
project_id;cost
x;70
y;40
z;20
VOTES
voter_id;vote
1;x
2;x
3;y
4;z
5;
"""


def test_a_ranked_ballot_gives_borda_points_and_keeps_its_ranking() -> None:
    election = loads(RANKED)
    assert election.vote_type == "ordinal"
    assert election.ballots[0].points == {"b": 3, "a": 2, "c": 1}
    assert election.ballots[0].ranked == ["b", "a", "c"]
    assert election.support() == {"a": 6, "b": 5, "c": 4, "d": 5}
    assert greedy(election).winners == ["a", "d"]
    again = loads(dumps(election))
    assert [b.ranked for b in again.ballots] == [b.ranked for b in election.ballots]
    assert again.ballots == election.ballots and "1;b,a,c" in dumps(election)


def test_without_max_length_a_ranking_has_as_many_places_as_projects() -> None:
    election = loads(RANKED.replace("max_length;3\n", ""))
    assert election.ballots[0].points == {"b": 4, "a": 3, "c": 2}


def test_malformed_ranked_and_choose_one_ballots_are_refused() -> None:
    with pytest.raises(PabulibError, match="line 18: voter 1 ranks 4 projects: at most 3"):
        loads(RANKED.replace("1;b,a,c", "1;b,a,c,d"))
    with pytest.raises(PabulibError, match="line 13: voter 1 chooses 2 projects on a choose-1 ballot"):
        loads(CHOOSE_ONE.replace("1;x\n", "1;x,y\n"))
    with pytest.raises(ElectionError, match="different place"):
        Election([OurProject("p", 1), OurProject("q", 1)], 5, [Ballot("v", {"p": 2, "q": 2})], "ordinal")
    with pytest.raises(ElectionError, match="chooses one project"):
        Election([OurProject("p", 1), OurProject("q", 1)], 5, [Ballot("v", {"p": 1, "q": 1})], "choose-1")


def test_a_choose_one_ballot_gives_its_project_one_point() -> None:
    election = loads(CHOOSE_ONE)
    assert election.vote_type == "choose-1" and election.support() == {"x": 2, "y": 1, "z": 1}
    assert greedy(election).winners == ["x", "z"]  # y (40) no longer fits after x (70)
    assert loads(dumps(election)).ballots == election.ballots


def _pabutools_points_greedy(election: Election) -> list[str]:
    """pabutools' greedy on our points: ranked ballots as the points they give, choose-1 as approval."""
    projects = {p.id: Project(p.id, p.cost) for p in election.projects}
    instance = Instance(projects.values(), budget_limit=election.budget)
    if election.vote_type == "choose-1":
        profile = ApprovalProfile([ApprovalBallot({projects[pid] for pid in b.points}) for b in election.ballots],
                                  instance=instance)
        sat = Cost_Sat
    else:
        profile = CumulativeProfile([CumulativeBallot({projects[pid]: pts for pid, pts in b.points.items()})
                                     for b in election.ballots], instance=instance)
        sat = Points_Cost_Sat
    multiprofile = profile.as_multiprofile()  # the same count, faster on a city's ballots
    return [p.name for p in greedy_utilitarian_welfare(instance, multiprofile, sat_class=sat)]


def test_krakow_ranked_points_are_the_files_scores_and_greedy_equals_pabutools_and_the_official_result() -> None:
    election = read(shared_file(KRAKOW))
    assert (election.vote_type, len(election.ballots)) == ("ordinal", 65101)
    support, supporters = election.tallies()
    assert {p.id: (int(p.extra["score"]), int(p.extra["votes"])) for p in election.projects} == {
        pid: (support[pid], supporters[pid]) for pid in support}
    ours = greedy(election).winners
    assert set(ours) == {p.id for p in election.projects if p.extra["selected"] == "1"}
    assert ours == _pabutools_points_greedy(election)


def test_wroclaw_choose_one_greedy_equals_pabutools() -> None:
    election = read(shared_file(WROCLAW))
    assert (election.vote_type, len(election.ballots)) == ("choose-1", 84611)
    assert all(len(b.points) <= 1 for b in election.ballots)
    assert greedy(election).winners == _pabutools_points_greedy(election)


def test_a_ranked_file_is_stored_with_ranks_counted_by_borda_and_exported_as_rankings(app, tmp_path: Path) -> None:
    (tmp_path / "ranked.pb").write_text(RANKED, encoding="utf-8")
    with app.app_context():
        pot = import_pabulib(tmp_path / "ranked.pb")
        assert (pot.budget.ballot_kind, pot.budget.max_projects) == (BallotKind.ORDINAL, 3)
        choices = db.session.query(BallotChoice).all()
        assert {c.points for c in choices} == {1} and sorted(c.rank for c in choices) == [1, 1, 1, 1, 2, 2, 2, 3, 3]
        counted = election_for(pot)
        assert counted.election.support() == {"a": 6, "b": 5, "c": 4, "d": 5}
        assert [counted.election.project_by_id[k].id for k in ("a", "d")] and len(winners(pot)) == 2
        text = export_pabulib(pot)
        assert "vote_type;ordinal" in text and "max_length;3" in text and "1;b,a,c" in text
        assert loads(text).ballots == loads(RANKED).ballots


def test_a_choose_one_file_is_imported_and_exported(app, tmp_path: Path) -> None:
    (tmp_path / "one.pb").write_text(CHOOSE_ONE, encoding="utf-8")
    with app.app_context():
        pot = import_pabulib(tmp_path / "one.pb")
        assert (pot.budget.ballot_kind, pot.budget.max_projects) == (BallotKind.CHOOSE_ONE, 1)
        text = export_pabulib(db.session.get(Pot, pot.id))
        assert "vote_type;choose-1" in text
        exported = loads(text)
        assert exported.ballots == loads(CHOOSE_ONE).ballots
        assert {p.id for p in exported.projects if p.extra["selected"] == "1"} == {"x", "z"}
