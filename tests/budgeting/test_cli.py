"""`flask --app forum budgets import|export`: what an operator sees."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from forum.budgeting.models import Ballot, Pot
from forum.budgeting.rules import greedy, loads, read
from forum.extensions import db
from tests.budgeting.pabutools_bridge import WESOLA, WIELICZKA, ZURICH, shared_file
from tests.budgeting.test_ballot_forms import RANKED


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


LODZ, KRAKOW, WROCLAW = "Poland_Lodz_2022.pb", "Poland_Krakow_2024.pb", "Poland_Wroclaw_2021.pb"
BEMOWO = "Poland_Warszawa_2024_Bemowo.pb"


@pytest.mark.parametrize(("name", "rule", "funded"), [
    (WIELICZKA, "mes", 30), (WESOLA, "greedy", 17),
    (WROCLAW, "greedy_no_skip", 8),  # choose-1, 84,611 ballots
    (KRAKOW, "greedy", 10),  # ordinal, 65,101 ballots
    (LODZ, "greedy_threshold", 16),  # approval, 90,494 ballots: city scale, import and count in seconds
])
def test_import_by_the_published_rule_reproduces_the_official_result(app, runner, name: str, rule: str,
                                                                     funded: int) -> None:
    started = time.perf_counter()
    result = runner.invoke(args=["budgets", "import", str(shared_file(name)), "--rule", "published"])
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    assert f"counted by {rule}" in result.output
    assert f"Reproduces the official result: the same {funded} projects funded." in result.output
    assert "Importing ballots" in result.output  # the progress bar
    with app.app_context():
        pot = db.session.get(Pot, int(result.output.strip().splitlines()[-1]))
        assert pot.budget.results_rule == rule
        assert db.session.query(Ballot).count() == int(read_meta(name)["num_votes"])
        print(f"\n{name}: imported and counted by {rule} (and the other rule) in {elapsed:.2f} s "
              f"on {db.engine.dialect.name}")


def read_meta(name: str) -> dict[str, str]:
    lines = shared_file(name).read_text(encoding="utf-8").split("PROJECTS", 1)[0].splitlines()
    return dict(line.split(";", 1) for line in lines[2:] if ";" in line)


def test_a_rule_we_do_not_have_is_refused_and_nothing_is_imported(app, runner) -> None:
    result = runner.invoke(args=["budgets", "import", str(shared_file(BEMOWO)), "--rule", "published"])
    assert result.exit_code == 1
    assert "the file's rule 'greedy-exclusive' is not one we can count by" in result.output
    assert "Nothing was imported" in result.output
    with app.app_context():
        assert db.session.query(Pot).count() == 0 and db.session.query(Ballot).count() == 0
    counted = runner.invoke(args=["budgets", "import", str(shared_file(BEMOWO)), "--rule", "greedy_no_skip"])
    assert counted.exit_code == 0 and "Does not reproduce the official result" in counted.output
    assert "officially funded but not by us: 1014, " in counted.output


def test_a_ranked_pot_is_exported_with_its_rankings_and_rule(app, runner, tmp_path: Path) -> None:
    path = tmp_path / "ranked.pb"
    path.write_text(RANKED, encoding="utf-8")
    result = runner.invoke(args=["budgets", "import", str(path), "--rule", "greedy_threshold"])
    assert result.exit_code == 0, result.output
    assert "The file marks no selected projects" in result.output
    shown = runner.invoke(args=["budgets", "export", result.output.strip().splitlines()[-1]])
    exported = loads(shown.output)
    assert exported.vote_type == "ordinal" and exported.meta["rule"] == "greedy-threshold"
    assert [b.ranked for b in exported.ballots] == [b.ranked for b in loads(RANKED).ballots]
