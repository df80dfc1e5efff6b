"""The results page's reads (services/result_pages.py), the recount and `flask budgets count`.

The election used throughout (pot £80,000; projects cost £40k, £30k, £25k, £20k and £10k) is small enough to
count by hand. Votes: four voters choose projects 1 and 2, one chooses 1, then {3, 4}, {3, 5}, {4, 5}, {1, 3}.
Greedy (most votes first) takes 1 (6 votes), 2 (4), skips 3 (£25k > £10k left), skips 4, takes 5: £80,000.
Equal shares funds 1, 3 and 5: £75,000. Eight of the nine voters chose a project greedy funds (not the one
who chose only 3 and 4); all nine chose one equal shares funds.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from sqlalchemy import select

from forum.budgeting.models import Channel, Pot, Result
from forum.budgeting.services import counting, result_pages
from forum.budgeting.services.results import compute_results
from forum.common.errors import PermissionDenied, ValidationFailed
from forum.extensions import db
from tests.budgeting.support import BudgetSetup, make_budget, store_ballot
from tests.factories import make_user

VOTES = [[0, 1], [0, 1], [0, 1], [0, 1], [0], [2, 3], [2, 4], [3, 4], [0, 2]]  # proposal indexes
GREEDY_WINNERS = [0, 1, 4]
MES_WINNERS = [0, 2, 4]


def channel_of(n: int) -> str:
    """Ballot ``n``'s channel: the first imported, every third on paper, the rest online (5, 3 and 1)."""
    if n == 0:
        return Channel.IMPORTED
    return Channel.PAPER if n % 3 == 2 else Channel.ONLINE


def titles(indexes: set[int]) -> list[str]:
    return [f"Project {i + 1}" for i in sorted(indexes)]


def build_pot(rule: str = "greedy", phase: str = "results", count: bool = True, **settings) -> BudgetSetup:
    """The election above, counted by ``rule`` (call inside an app context)."""
    setup = make_budget(phase=phase, results_rule=rule, **settings)
    for n, chosen in enumerate(VOTES):
        store_ballot(setup.pot, None, [setup.ids[i] for i in chosen], channel=channel_of(n), anonymous_key=f"v{n}")
    if count:
        compute_results(setup.pot)
    return setup


def test_nothing_to_show_before_voting_closes_or_before_the_count(app) -> None:
    with app.app_context():
        voting = build_pot(phase="voting", count=False)
        assert result_pages.results_page(voting.pot) is None
        compute_results(voting.pot)  # even a stray count stays private while voting is open
        assert result_pages.results_page(db.session.get(Pot, voting.pot.id)) is None
        uncounted = build_pot(count=False, title="Blue Budget")
        assert result_pages.results_page(uncounted.pot) is None


@pytest.mark.parametrize(("rule", "winners", "other"), [("greedy", GREEDY_WINNERS, MES_WINNERS),
                                                        ("mes", MES_WINNERS, GREEDY_WINNERS)])
def test_funded_in_rank_order_with_running_totals_and_the_other_rule_beside(app, rule, winners, other) -> None:
    with app.app_context():
        setup = build_pot(rule)
        page = result_pages.results_page(setup.pot)
        ids = setup.ids
        assert [line.proposal_id for line in page.funded] == [ids[i] for i in winners]
        costs = [setup.proposals[i].cost_pence for i in winners]
        assert [line.running_total_pence for line in page.funded] == [sum(costs[:k + 1]) for k in range(3)]
        assert {line.proposal_id for line in page.unfunded} == set(ids) - {ids[i] for i in winners}
        assert [line.votes for line in page.lines] == [6, 4, 3, 2, 2]  # most votes first, then by title
        assert {line.proposal_id for line in page.lines if line.funded_by_other} == {ids[i] for i in other}
        assert [line.title for line in page.other_only] == titles(set(other) - set(winners))
        assert [line.title for line in page.ours_only] == titles(set(winners) - set(other))
        assert page.money_left_pence == setup.pot.amount_pence - sum(costs)


def test_fairness_figures_equal_the_hand_count(app) -> None:
    with app.app_context():
        greedy = result_pages.results_page(build_pot("greedy").pot)
        mes = result_pages.results_page(build_pot("mes", title="Blue Budget", area="Hillside").pot)
        channels = (greedy.result.online_voters, greedy.result.paper_voters, greedy.result.imported_voters)
        equal_share = mes.equal_share_pence
    assert greedy.fairness.voters_with_funded == 8 and greedy.fairness.share_with_funded == Fraction(8, 9)
    assert greedy.fairness.spend_per_voter_pence == 888_889  # £80,000 / 9 = £8,888.888...
    assert greedy.fairness.other_spend_per_voter_pence == 833_333  # £75,000 / 9 = £8,333.333...
    assert mes.fairness.voters_with_funded == 9 and mes.fairness.share_with_funded == 1
    assert mes.fairness.spend_per_voter_pence == 833_333
    assert equal_share == 888_889
    assert channels == (5, 3, 1)
    assert result_pages.percent(greedy.fairness.share_with_funded) == "88.9%"
    assert result_pages.percent(mes.fairness.share_with_funded) == "100%"


def test_a_pot_nobody_voted_in_has_no_fairness_figures(app) -> None:
    with app.app_context():
        setup = make_budget(phase="results")
        compute_results(setup.pot)
        page = result_pages.results_page(setup.pot)
    assert page.fairness.share_with_funded is None and page.fairness.spend_per_voter_pence is None
    assert result_pages.percent(None) == "–"
    assert all(bar.width == 0 for bar in page.votes_chart.bars)


def test_rounding_of_shares_and_money_per_voter() -> None:
    assert result_pages.percent(Fraction(1, 3)) == "33.3%"
    assert result_pages.percent(Fraction(2, 3)) == "66.7%"
    assert result_pages.percent(Fraction(999, 1000)) == "99.9%"
    assert result_pages.per_voter(100, 3) == 33 and result_pages.per_voter(200, 3) == 67
    assert result_pages.per_voter(5, 2) == 3  # half a penny rounds up
    assert result_pages.per_voter(100, 0) is None and result_pages.per_voter(None, 3) is None


def test_chart_bars_are_proportional_and_the_money_bars_add_up(app) -> None:
    with app.app_context():
        page = result_pages.results_page(build_pot("greedy").pot)
    bars = page.votes_chart.bars
    assert [bar.width for bar in bars] == [round(result_pages.BAR_SPACE * v / 6) for v in (6, 4, 3, 2, 2)]
    assert [bar.funded for bar in bars] == [line.funded for line in page.lines]
    used, other = page.money_chart.bars
    assert used.spent_width == result_pages.BAR_SPACE and used.left_width == 0  # greedy spent it all
    assert other.spent_width + other.left_width == result_pages.BAR_SPACE
    assert other.spent_width == round(result_pages.BAR_SPACE * 75 / 80)
    assert other.caption == "£75,000 spent, £5,000 left"


def test_long_titles_are_shown_whole_in_the_chart(app) -> None:
    """The chart's labels wrap like any text (results/_charts.html), so a long title is never cut."""
    title = "A very long title for a new playground by the river with swings"
    with app.app_context():
        setup = build_pot("greedy", count=False)
        setup.proposals[0].title = title
        db.session.commit()
        compute_results(setup.pot)
        page = result_pages.results_page(setup.pot)
    assert title in [bar.label for bar in page.votes_chart.bars]


def test_export_file_names_are_ascii(app) -> None:
    with app.app_context():
        setup = make_budget(phase="results", title="Budżet Łódź 2027", area="Śródmieście")
        name, pot_id = result_pages.export_filename(setup.pot), setup.pot.id
    assert name.isascii() and name.endswith(f"-pot-{pot_id}.pb") and " " not in name


def test_a_count_is_for_staff_in_the_results_phase(app) -> None:
    with app.app_context():
        setup = build_pot("greedy", count=False)
        with pytest.raises(PermissionDenied):
            counting.request_count(setup.pot, make_user())
        result = counting.count_now(setup.pot, "mes")
        assert result.rule == "mes" and result.other_rule == "greedy"
        pot = db.session.get(Pot, setup.pot.id)
        with pytest.raises(ValidationFailed):
            counting.request_count(pot, None, "lottery")
        for phase in ("voting", "delivery"):
            pot.budget.phase = phase
            db.session.commit()
            with pytest.raises(ValidationFailed, match="results phase"):
                counting.request_count(pot, make_user(role="admin"))
            with pytest.raises(ValidationFailed, match="results phase"):
                counting.count_now(pot)
        assert db.session.scalar(select(Result.rule).where(Result.pot_id == pot.id)) == "mes"


def test_count_command_prints_progress_and_the_result(app, runner) -> None:
    with app.app_context():
        pot_id = build_pot("greedy", count=False).pot.id
    output = runner.invoke(args=["budgets", "count", str(pot_id)])
    assert output.exit_code == 0, output.output
    lines = output.output.splitlines()
    assert lines[0] == f"Counting pot {pot_id} (Green Budget 2027: Riverside) by greedy: 9 ballots, 5 proposals..."
    assert lines[1] == "Counting"  # the progress bar, as a terminal that is not a tty shows it
    lines = [lines[0], *lines[2:]]
    assert lines[1].startswith("Counted in ")
    assert lines[2] == "Funded 3 of 5 proposals: £80,000 of £80,000 spent, by greedy."
    assert lines[3] == "Voters: 9 (5 online, 3 on paper, 1 imported); 8 with a funded project (88.9%)."
    assert lines[4:7] == ["  1. Project 1: £40,000, 6 votes", "  2. Project 2: £30,000, 4 votes",
                          "  3. Project 5: £10,000, 2 votes"]
    assert lines[7] == "By mes: 3 funded, £75,000 spent."

    by_mes = runner.invoke(args=["budgets", "count", str(pot_id), "--rule", "mes"])
    assert by_mes.exit_code == 0 and "Funded 3 of 5 proposals: £75,000 of £80,000 spent, by mes." in by_mes.output
    assert "  2. Project 3: £25,000, 3 votes" in by_mes.output


def test_count_command_refuses_an_unknown_pot_or_open_voting(app, runner) -> None:
    with app.app_context():
        pot_id = build_pot("greedy", phase="voting", count=False).pot.id
    missing = runner.invoke(args=["budgets", "count", "4242"])
    assert missing.exit_code == 1 and "There is no pot 4242" in missing.output
    refused = runner.invoke(args=["budgets", "count", str(pot_id)])
    assert refused.exit_code == 1
    assert "only be counted again while the budget is in its results phase. Nothing was counted." in refused.output
    with app.app_context():
        assert db.session.scalar(select(Result.id).where(Result.pot_id == pot_id)) is None
    assert runner.invoke(args=["budgets", "count", str(pot_id), "--rule", "lottery"]).exit_code == 2
