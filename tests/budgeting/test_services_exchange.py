"""Pabulib files into the database and back: Wieliczka's official winners, round trips, and bad files."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError

from forum.budgeting.models import Area, Ballot, BallotChoice, Budget, Pot, Proposal, ProposalStatus, Result
from forum.budgeting.rules import equal_shares_with_completion, greedy, loads, read
from forum.budgeting.services import exchange
from forum.budgeting.services.exchange import ImportFailed, export_pabulib, import_pabulib
from forum.budgeting.services.results import winners
from forum.common.errors import ValidationFailed
from forum.common.transaction import unit_of_work
from forum.extensions import db
from tests.budgeting.pabutools_bridge import WESOLA, WIELICZKA, ZURICH, shared_file

SMALL = """META
key;value
description;Riverside test
country;United Kingdom
unit;Riverside
budget;100
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;name
1;60;Benches
2;50;"Trees; lots"
3;40;Bins
VOTES
voter_id;vote
a;1,2
b;3
c;1
d;
"""


def _selected(text: str) -> set[str]:
    return {p.id for p in loads(text).projects if p.extra.get("selected") == "1"}


def _same_election(original, exported) -> None:
    assert (exported.budget, exported.vote_type) == (original.budget, original.vote_type)
    assert [(p.id, p.cost, p.name) for p in exported.projects] == [(p.id, p.cost, p.name) for p in original.projects]
    assert {b.voter_id: b.points for b in exported.ballots} == {b.voter_id: b.points for b in original.ballots}


def _nothing_stored() -> None:
    for model in (Area, Budget, Pot, Proposal, Ballot, BallotChoice, Result):
        assert db.session.query(model).count() == 0, model.__name__


def test_wieliczka_imported_gives_its_30_official_winners_and_exports_the_same_election(app) -> None:
    path = shared_file(WIELICZKA)
    original = read(path)
    official = {p.id for p in original.projects if p.extra.get("selected") == "1"}
    reported: list[tuple[int, int]] = []
    with app.app_context():
        started = time.perf_counter()
        pot = import_pabulib(path, progress=lambda done, total: reported.append((done, total)))
        elapsed = time.perf_counter() - started
        keys = {p.id: p.external_id for p in db.session.query(Proposal)}
        funded = [keys[pid] for pid in winners(pot)]
        assert len(official) == 30 and set(funded) == official
        assert funded == equal_shares_with_completion(original).winners
        assert (pot.budget.phase, pot.budget.results_rule, pot.amount_pence) == ("results", "mes", 100_000_000)
        assert db.session.query(Ballot).filter_by(channel="imported").count() == 6586
        assert [a.name for a in db.session.query(Area).order_by(Area.id)] == ["Poland", "Wieliczka"]
        assert reported[-1] == (6586, 6586) and len(reported) > 1
        text = export_pabulib(pot)
        _same_election(original, loads(text))
        assert _selected(text) == official
        assert elapsed < 30, f"importing Wieliczka took {elapsed:.1f} s"
        print(f"\nWieliczka imported and counted in {elapsed:.2f} s on {db.engine.dialect.name}")


@pytest.mark.parametrize(("name", "rule"), [(ZURICH, "mes"), (ZURICH, "greedy")])
def test_import_then_export_gives_the_same_election_with_our_winners(app, name: str, rule: str) -> None:
    original = read(shared_file(name))
    count = equal_shares_with_completion if rule == "mes" else greedy
    with app.app_context():
        pot = import_pabulib(shared_file(name), rule)
        text = export_pabulib(pot)
        _same_election(original, loads(text))
        assert _selected(text) == set(count(original).winners)
        assert loads(text).meta["unit"] == original.meta["unit"]


def test_wesola_imported_gives_its_official_greedy_winners_and_exports_the_same_election(app) -> None:
    original = read(shared_file(WESOLA))
    with app.app_context():
        pot = import_pabulib(shared_file(WESOLA))  # the file names greedy
        assert pot.budget.results_rule == "greedy"
        text = export_pabulib(pot)
        _same_election(original, loads(text))
        assert _selected(text) == {p.id for p in original.projects if p.extra["selected"] == "1"}
        assert _selected(text) == set(greedy(original).winners)


def test_statuses_and_empty_ballots_after_an_import(app, tmp_path: Path) -> None:
    (tmp_path / "small.pb").write_text(SMALL, encoding="utf-8")
    with app.app_context():
        pot = import_pabulib(tmp_path / "small.pb")
        status = {p.external_id: p.status for p in db.session.query(Proposal)}
        assert status == {"1": ProposalStatus.SELECTED, "2": ProposalStatus.NOT_SELECTED,
                          "3": ProposalStatus.SELECTED}
        assert db.session.query(Result).one().voters == 4
        exported = loads(export_pabulib(pot))
        assert [b.voter_id for b in exported.ballots] == ["a", "b", "c", "d"]


@pytest.mark.parametrize(("broken", "line", "what"), [
    (SMALL.replace("2;50;", "2;fifty;"), 12, "not a whole number"),
    (SMALL.replace("c;1", "c;9"), 18, "not in PROJECTS"),
    (SMALL.replace("budget;100\n", ""), 8, "no budget"),
    (SMALL.replace("b;3", "a;3"), 17, "second ballot"),
])
def test_a_malformed_file_names_the_line_and_imports_nothing(app, tmp_path: Path, broken: str, line: int,
                                                            what: str) -> None:
    (tmp_path / "bad.pb").write_text(broken, encoding="utf-8")
    with app.app_context():
        with pytest.raises(ImportFailed, match=what) as refused:
            import_pabulib(tmp_path / "bad.pb")
        assert refused.value.line == line and f"line {line}:" in refused.value.message
        _nothing_stored()


def test_a_failure_half_way_through_leaves_nothing_behind(app, tmp_path: Path) -> None:
    def fail(done: int, total: int) -> None:
        raise RuntimeError("the disk is full")

    with app.app_context():
        with pytest.raises(RuntimeError), unit_of_work():  # as `flask budgets import` runs it
            import_pabulib(shared_file(ZURICH), progress=fail)
        _nothing_stored()


def test_a_missing_file_or_an_unknown_rule_is_refused(app, tmp_path: Path) -> None:
    with app.app_context():
        with pytest.raises(ImportFailed, match="cannot be read"):
            import_pabulib(tmp_path / "nowhere.pb")
        with pytest.raises(ValidationFailed) as refused:
            import_pabulib(shared_file(ZURICH), "lottery")
        assert refused.value.field == "rule"
        _nothing_stored()


def test_importing_twice_makes_two_budgets_in_the_same_areas(app, tmp_path: Path) -> None:
    (tmp_path / "small.pb").write_text(SMALL, encoding="utf-8")
    with app.app_context():
        first, second = import_pabulib(tmp_path / "small.pb"), import_pabulib(tmp_path / "small.pb")
        assert first.id != second.id and first.area_id == second.area_id
        assert [b.slug for b in db.session.query(Budget).order_by(Budget.id)] == ["riverside-test", "riverside-test-2"]
        assert second.area.name == "Riverside" and second.area.parent.name == "United Kingdom"


def _stored_choices(pot: Pot) -> list[tuple[str | None, str | None, int, int | None]]:
    query = (select(Ballot.anonymous_key, Proposal.external_id, BallotChoice.points, BallotChoice.rank)
             .join(Ballot, Ballot.id == BallotChoice.ballot_id).join(Proposal, Proposal.id == BallotChoice.proposal_id)
             .where(Ballot.pot_id == pot.id).order_by(Ballot.anonymous_key, Proposal.external_id))
    return [tuple(row) for row in db.session.execute(query)]


def test_the_fast_postgresql_writes_store_what_the_checked_ones_do(app, monkeypatch) -> None:
    """Where the role may, PostgreSQL writes the ballots without row-by-row foreign-key checks (checked once,
    as a set, instead); a role that may not gets the checked writes. Both store the same rows."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the unchecked writes are PostgreSQL's")
        assert exchange._may_skip_row_checks()  # the tests' role may: the fast path is the one measured
        fast = _stored_choices(import_pabulib(shared_file(ZURICH)))
        monkeypatch.setattr(exchange, "_may_skip_row_checks", lambda: False)
        checked = _stored_choices(import_pabulib(shared_file(ZURICH)))
        assert fast == checked and len(fast) > 900


def test_foreign_keys_are_checked_again_once_the_ballots_are_written(app, tmp_path: Path) -> None:
    (tmp_path / "small.pb").write_text(SMALL, encoding="utf-8")
    with app.app_context():
        pot = import_pabulib(tmp_path / "small.pb")
        if db.engine.dialect.name == "postgresql":
            assert db.session.scalar(text("SHOW session_replication_role")) == "origin"
        proposal = db.session.scalar(select(Proposal.id).where(Proposal.pot_id == pot.id))
        with pytest.raises(IntegrityError):  # a choice on no ballot, in the import's own transaction
            db.session.execute(insert(BallotChoice.__table__), [{"ballot_id": 10**9, "proposal_id": proposal}])
        db.session.rollback()
