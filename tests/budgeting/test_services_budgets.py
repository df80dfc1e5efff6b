"""Creating areas, budgets, pots and proposals: money as people write it, and field errors for bad amounts."""

from __future__ import annotations

import pytest

from forum.budgeting.models import ProposalStatus
from forum.budgeting.services import budgets
from forum.common.errors import ValidationFailed
from forum.common.money import format_pence, parse_pence
from tests.factories import make_user


@pytest.mark.parametrize(("text", "pence"), [
    ("£12,500", 1_250_000), ("12500.50", 1_250_050), ("12500.5", 1_250_050), (" £ 1 000 ", 100_000),
    ("0.01", 1), ("7", 700), ("-£5", -500),
])
def test_money_is_read_as_people_write_it(text: str, pence: int) -> None:
    assert parse_pence(text) == pence


@pytest.mark.parametrize("text", ["", "twelve", "12.345", "£", "1e5", "12,5.0.0", "--5", "£12.5p"])
def test_text_that_is_not_money_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="Enter an amount of money"):
        parse_pence(text)


@pytest.mark.parametrize(("pence", "text"), [
    (1_250_000, "£12,500"), (1_250_050, "£12,500.50"), (5, "£0.05"), (0, "£0"), (-500, "-£5"),
    (85_000_000_000, "£850,000,000"),
])
def test_money_is_shown_as_people_write_it(pence: int, text: str) -> None:
    assert format_pence(pence) == text


def _pot(amount: int | str = "£10,000"):
    area = budgets.create_area("Riverside ward")
    budget = budgets.create_budget("Green Budget 2027", "Money for **greener** streets")
    return budgets.create_pot(budget, area, "Riverside", amount)


def test_a_budget_gets_a_unique_slug_and_its_description_goes_through_the_text_pipeline(app) -> None:
    with app.app_context():
        pot = _pot()
        again = budgets.create_budget("Green Budget 2027")
        assert (pot.budget.slug, again.slug) == ("green-budget-2027", "green-budget-2027-2")
        assert "<strong>greener</strong>" in pot.budget.description_html
        assert pot.amount_pence == 1_000_000
        assert pot.budget.phase == "collecting" and pot.budget.results_rule == "greedy"


def test_areas_nest(app) -> None:
    with app.app_context():
        council = budgets.create_area("Wieliczka")
        ward = budgets.create_area("Old Town", parent=council)
        assert ward.parent is council and ward.slug == "old-town"


def test_a_proposal_keeps_its_cost_in_pence_and_its_author(app) -> None:
    with app.app_context():
        author = make_user("Ann Smith")
        proposal = budgets.create_proposal(_pot(), "  New   benches ", "£2,500.50", "By the *river*", author)
        assert (proposal.title, proposal.cost_pence, proposal.status) == ("New benches", 250_050,
                                                                          ProposalStatus.PROPOSED)
        assert proposal.author is author and "<em>river</em>" in proposal.description_html


@pytest.mark.parametrize(("cost", "message"), [
    ("0", "more than £0"), (0, "more than £0"), ("-£50", "more than £0"), (-5000, "more than £0"),
    ("a lot", "Enter the cost in pounds"), ("", "Enter the cost in pounds"), ("£20,000", "not be more than"),
])
def test_a_bad_cost_is_a_field_error(app, cost: int | str, message: str) -> None:
    with app.app_context():
        pot = _pot()
        with pytest.raises(ValidationFailed, match=message) as refused:
            budgets.create_proposal(pot, "Benches", cost)
        assert refused.value.field == "cost"


@pytest.mark.parametrize("amount", ["£0", 0, "-10", "nothing"])
def test_a_pot_of_zero_or_nonsense_is_a_field_error(app, amount: int | str) -> None:
    with app.app_context():
        with pytest.raises(ValidationFailed) as refused:
            _pot(amount)
        assert refused.value.field == "amount"


@pytest.mark.parametrize(("settings", "field"), [
    ({"phase": "dreaming"}, "phase"), ({"results_rule": "lottery"}, "results_rule"),
    ({"min_projects": 3, "max_projects": 2}, "min_projects"), ({"max_projects": 0}, "max_projects"),
    ({"ballot_kind": "cumulative"}, "points_per_voter"), ({"min_spend_pence": "£0"}, "min_spend_pence"),
    ({"ballot_kind": "ordinal"}, "max_projects"),
])
def test_bad_voting_settings_are_field_errors(app, settings: dict, field: str) -> None:
    with app.app_context():
        with pytest.raises(ValidationFailed) as refused:
            budgets.create_budget("Green Budget", **settings)
        assert refused.value.field == field


def test_a_ranked_ballot_needs_its_number_of_ranks_whoever_sets_it(app) -> None:
    with app.app_context():
        staff = make_user(role="admin")
        budget = budgets.create_budget("Green Budget")
        with pytest.raises(ValidationFailed, match="how many projects each voter ranks") as refused:
            budgets.update_budget(budget, staff, "Green Budget", "", ballot_kind="ordinal")
        assert refused.value.field == "max_projects"
        budgets.update_budget(budget, staff, "Green Budget", "", ballot_kind="ordinal", max_projects=3)
        with pytest.raises(ValidationFailed) as refused:
            budgets.update_budget(budget, staff, "Green Budget", "", max_projects=None)
        assert refused.value.field == "max_projects"
        budgets.update_budget(budget, staff, "Green Budget 2024", "")  # other changes leave the ranks alone
        assert (budget.ballot_kind, budget.max_projects, budget.title) == ("ordinal", 3, "Green Budget 2024")


def test_an_empty_title_is_a_field_error(app) -> None:
    with app.app_context():
        with pytest.raises(ValidationFailed, match="Enter a title"):
            budgets.create_budget("   ")
