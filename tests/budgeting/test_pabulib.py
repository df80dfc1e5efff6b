"""Reading and writing pabulib files: the shared elections, round trips, and malformed files."""

from __future__ import annotations

from pathlib import Path

import pytest
from pabutools.election import parse_pabulib

from forum.budgeting.rules import Ballot, Election, PabulibError, Project, dumps, greedy, loads, read, write
from tests.budgeting.pabutools_bridge import WESOLA, WIELICZKA, ZURICH, shared_file

VALID = """META
key;value
description;A test
budget;100
vote_type;approval
PROJECTS
project_id;cost;name
1;60;Benches
2;50;"Trees; lots"
3;40;Bins
VOTES
voter_id;vote;age
a;1,2;30
b;3;41
"""


@pytest.mark.parametrize(("name", "projects", "voters", "vote_type"), [
    (WIELICZKA, 64, 6586, "approval"),
    (WESOLA, 29, 1181, "approval"),
    (ZURICH, 24, 180, "cumulative"),
])
def test_reads_the_shared_files(name: str, projects: int, voters: int, vote_type: str) -> None:
    election = read(shared_file(name))
    assert (len(election.projects), len(election.ballots), election.vote_type) == (projects, voters, vote_type)
    assert int(election.meta["num_projects"]) == projects
    assert "budget" not in election.meta


@pytest.mark.parametrize("name", [WIELICZKA, WESOLA, ZURICH])
def test_read_write_read_gives_the_same_election(name: str, tmp_path: Path) -> None:
    election = read(shared_file(name))
    write(election, tmp_path / "copy.pb")
    assert read(tmp_path / "copy.pb") == election


@pytest.mark.parametrize("name", [WIELICZKA, WESOLA, ZURICH])
def test_pabutools_reads_what_we_write(name: str, tmp_path: Path) -> None:
    election = read(shared_file(name))
    winners = greedy(election).winners
    write(election, tmp_path / "out.pb", winners)
    instance, profile = parse_pabulib(str(tmp_path / "out.pb"))
    assert instance.budget_limit == election.budget
    assert {p.name: int(p.cost) for p in instance} == {p.id: p.cost for p in election.projects}
    selected = {p.name for p in instance if instance.project_meta[p]["selected"] == "1"}
    assert selected == set(winners)
    assert {instance.project_meta[p]["selected"] for p in instance} == {"0", "1"}
    assert len(profile) == len(election.ballots)
    for theirs, ours in zip(profile, election.ballots, strict=True):
        assert theirs.meta.get("voter_id") == ours.voter_id
        if election.vote_type == "approval":
            assert {p.name for p in theirs} == set(ours.points)
        else:
            assert {p.name: int(v) for p, v in theirs.items()} == ours.points


def test_quoted_fields_and_extra_columns_survive() -> None:
    election = loads(VALID)
    assert election.project_by_id["2"].name == "Trees; lots"
    assert election.ballots[0] == Ballot("a", {"1": 1, "2": 1}, {"age": "30"})
    again = loads(dumps(election))
    assert (again.projects, again.ballots, again.budget, again.vote_type) == (
        election.projects, election.ballots, election.budget, election.vote_type)
    assert again.meta == {**election.meta, "num_projects": "3", "num_votes": "2"}  # pabulib requires both


def test_written_selected_column_holds_one_and_zero() -> None:
    text = dumps(loads(VALID), winners=["1", "3"])
    assert "project_id;cost;name;selected" in text
    assert "1;60;Benches;1" in text and "3;40;Bins;1" in text and '2;50;"Trees; lots";0' in text


def test_cumulative_points_round_trip() -> None:
    election = Election([Project("x", 5), Project("y", 7)], 10, [Ballot("v", {"x": 3, "y": 1})], "cumulative")
    text = dumps(election)
    assert "v;x,y;3,1" in text
    assert loads(text) == Election(election.projects, 10, election.ballots, "cumulative", {
        "num_projects": "2", "num_votes": "1"})


def replace_line(number: int, new: str) -> str:
    lines = VALID.splitlines()
    lines[number - 1] = new
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("text", "line", "words"), [
    ("hello\n" + VALID, 1, "start with a line reading META"),
    (replace_line(8, "1;sixty;Benches"), 8, "cost 'sixty' is not a whole number"),
    (replace_line(8, "1;0;Benches"), 8, "cost 0 is below 1"),
    (replace_line(8, "1;12.5;Benches"), 8, "not a whole number"),
    (replace_line(9, "1;50;Trees"), 9, "project 1 appears twice"),
    (replace_line(10, "3;40"), 10, "2 fields where the header on line 7 has 3"),
    (replace_line(13, "a;1,7;30"), 13, "votes for '7', which is not in PROJECTS"),
    (replace_line(13, "a;1,1;30"), 13, "lists a project twice"),
    (replace_line(14, "a;3;41"), 14, "voter a has a second ballot"),
    (replace_line(4, "budget;lots"), 6, "the budget 'lots' is not a whole number"),
    (replace_line(4, "budget;0"), 6, "the budget 0 is below 1"),
    (replace_line(4, "currency;PLN"), 6, "the META section has no budget"),
    (replace_line(5, "vote_type;scoring"), 6, "vote_type 'scoring' is not supported"),
    (replace_line(7, "cost;project_id;name"), 7, "the PROJECTS header must read project_id;cost;..."),
    (replace_line(12, "voter_id;age"), 12, "the VOTES header must read voter_id;vote;..."),
    (replace_line(6, "VOTES"), 6, "section VOTES is out of place: expected PROJECTS"),
    (VALID + "META\n", 15, "out of place: expected no more sections after VOTES"),
    (VALID.split("VOTES")[0], 0, "the file ends before the VOTES section"),
])
def test_malformed_files_name_the_line_and_the_problem(text: str, line: int, words: str) -> None:
    with pytest.raises(PabulibError) as caught:
        loads(text)
    assert caught.value.line == line
    assert words in str(caught.value)
    if line:
        assert str(caught.value).startswith(f"line {line}: ")


def test_cumulative_points_must_match_and_be_whole() -> None:
    text = VALID.replace("vote_type;approval", "vote_type;cumulative")
    text = text.replace("voter_id;vote;age", "voter_id;vote;points")
    base = text.replace("a;1,2;30", "a;1,2;2,1").replace("b;3;41", "b;3;5")
    assert loads(base).ballots[0].points == {"1": 2, "2": 1}
    for bad, words in [("a;1,2;2", "2 projects but 1 points"), ("a;1,2;2,x", "points 'x' is not a whole number"),
                       ("a;1,2;2,0", "points 0 is below 1")]:
        with pytest.raises(PabulibError, match=f"line 13: voter a.*{words}"):
            loads(base.replace("a;1,2;2,1", bad))


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.pb"
    path.write_bytes(VALID.replace("Bins", "Kosze na śmieci").encode("iso-8859-2"))
    with pytest.raises(PabulibError, match="not UTF-8"):
        read(path)


def test_blank_lines_and_a_byte_order_mark_are_accepted() -> None:
    election = loads("\ufeff" + VALID.replace("PROJECTS\n", "\nPROJECTS\n"))
    assert [p.id for p in election.projects] == ["1", "2", "3"]
