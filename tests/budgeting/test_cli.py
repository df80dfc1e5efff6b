"""`flask --app forum budgets import|export`: what an operator sees."""

from __future__ import annotations

from pathlib import Path

from forum.budgeting.models import Ballot, Pot
from forum.budgeting.rules import greedy, loads, read
from forum.extensions import db
from tests.budgeting.pabutools_bridge import ZURICH, shared_file


def test_import_prints_the_pot_id_and_export_writes_the_election(app, runner, tmp_path: Path) -> None:
    path = shared_file(ZURICH)
    result = runner.invoke(args=["budgets", "import", str(path), "--rule", "greedy"])
    assert result.exit_code == 0, result.output
    pot_id = result.output.strip().splitlines()[-1]
    assert "counted by greedy" in result.output
    with app.app_context():
        pot = db.session.get(Pot, int(pot_id))
        assert pot.budget.phase == "results" and db.session.query(Ballot).count() == 180

    shown = runner.invoke(args=["budgets", "export", pot_id])
    assert shown.exit_code == 0, shown.output
    original, exported = read(path), loads(shown.output)
    assert {b.voter_id: b.points for b in exported.ballots} == {b.voter_id: b.points for b in original.ballots}
    assert {p.id for p in exported.projects if p.extra["selected"] == "1"} == set(greedy(original).winners)

    written = runner.invoke(args=["budgets", "export", pot_id, "-o", str(tmp_path / "out.pb")])
    assert written.exit_code == 0
    assert (tmp_path / "out.pb").read_text(encoding="utf-8") == shown.output


def test_a_malformed_file_is_named_with_its_line_and_nothing_is_imported(app, runner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.pb"
    bad.write_text(shared_file(ZURICH).read_text(encoding="utf-8").replace("budget;60000", "budget;lots"),
                   encoding="utf-8")
    result = runner.invoke(args=["budgets", "import", str(bad)])
    assert result.exit_code == 1
    assert "line 21: the budget 'lots' is not a whole number" in result.output  # found at PROJECTS
    assert "Nothing was imported" in result.output
    with app.app_context():
        assert db.session.query(Pot).count() == 0


def test_an_unknown_pot_or_rule_is_refused(runner) -> None:
    assert "There is no pot 42" in runner.invoke(args=["budgets", "export", "42"]).output
    refused = runner.invoke(args=["budgets", "import", "x.pb", "--rule", "lottery"])
    assert refused.exit_code == 2 and "lottery" in refused.output
