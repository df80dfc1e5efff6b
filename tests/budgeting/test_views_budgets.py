"""The budgets list, a budget's page, and what staff do with budgets: create, change, add pots, move phases."""

from __future__ import annotations

import html

import pytest

from forum.budgeting.models import Budget, Proposal, Result
from forum.extensions import db
from tests.budgeting.support import make_budget, store_ballot
from tests.factories import make_user

NEW_BUDGET = {
    "title": "Green Budget 2027", "description": "Money for **greener** streets.", "ballot_kind": "approval",
    "results_rule": "mes", "eligibility": "any_registered", "pot_title": "Riverside ward", "area": "",
    "new_area": "Riverside", "amount": "£80,000",
}


@pytest.fixture
def people(app):
    with app.app_context():
        return {role: make_user(f"A {role}", role=role).email
                for role in ("resident", "moderator", "civil_servant", "admin")}


def sign_in(auth, people, role):
    assert auth.login(people[role]).status_code == 302


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_the_list_puts_budgets_open_for_voting_first(app, client):
    with app.app_context():
        make_budget(phase="results", title="Old Budget 2025", area="Hillside")
        make_budget(phase="voting", title="Green Budget 2027")
    page = text_of(client.get("/budgets/"))
    assert page.index("Green Budget 2027") < page.index("Old Budget 2025")
    assert "£80,000 for Riverside" in page


def test_the_budget_page_marks_the_current_phase_and_says_what_to_do(app, client):
    with app.app_context():
        setup = make_budget(phase="voting")
        slug = setup.budget.slug
    page = text_of(client.get(f"/budgets/{slug}"))
    assert 'aria-current="step"' in page
    current = page.split('aria-current="step"')[1].split("</li>")[0]
    assert "Voting" in current and "(now)" in current
    assert "Voting is open" in page
    assert "5 proposals, 0 ballots" in page
    assert "Run this budget" not in page


def test_an_unknown_budget_is_a_404(client):
    assert client.get("/budgets/no-such-budget").status_code == 404


@pytest.mark.parametrize("role", ["resident", "moderator"])
def test_only_staff_may_create_change_or_move_budgets(app, client, auth, people, role):
    with app.app_context():
        slug = make_budget(phase="collecting").budget.slug
    sign_in(auth, people, role)
    assert client.get("/budgets/new").status_code == 403
    assert client.post("/budgets/new", data=NEW_BUDGET).status_code == 403
    assert client.get(f"/budgets/{slug}/edit").status_code == 403
    assert client.post(f"/budgets/{slug}/pots/new", data=NEW_BUDGET).status_code == 403
    assert client.post(f"/budgets/{slug}/phase", data={"phase": "review"}).status_code == 403
    with app.app_context():
        assert db.session.scalar(db.select(Budget.phase).where(Budget.slug == slug)) == "collecting"
        assert db.session.scalar(db.select(db.func.count()).select_from(Budget)) == 1


def test_anonymous_visitors_are_asked_to_sign_in(client):
    response = client.get("/budgets/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_staff_create_a_budget_with_its_first_pot_in_a_new_area(app, client, auth, people):
    sign_in(auth, people, "civil_servant")
    response = client.post("/budgets/new", data=NEW_BUDGET)
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]))
    assert "Green Budget 2027 was created" in page
    assert "£80,000 for Riverside" in page and "<strong>greener</strong>" in page
    with app.app_context():
        budget = db.session.scalar(db.select(Budget))
        assert (budget.phase, budget.results_rule, budget.pots[0].amount_pence) == ("collecting", "mes", 8_000_000)


@pytest.mark.parametrize("amount, message", [
    ("0", "The amount must be more than £0"),
    ("-5", "The amount must be more than £0"),
    ("lots", "Enter the amount in pounds"),
])
def test_a_bad_amount_is_a_field_error_and_the_text_is_kept(app, client, auth, people, amount, message):
    sign_in(auth, people, "admin")
    response = client.post("/budgets/new", data={**NEW_BUDGET, "amount": amount})
    page = text_of(response)
    assert response.status_code == 200
    assert "govuk-error-summary" in page and message in page
    assert "Money for **greener** streets." in page and 'value="Riverside ward"' in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Budget)) == 0


def test_a_pot_needs_an_area(app, client, auth, people):
    sign_in(auth, people, "admin")
    page = text_of(client.post("/budgets/new", data={**NEW_BUDGET, "new_area": ""}))
    assert "Choose an area, or type the name of a new one" in page


def test_points_ballots_need_a_number_of_points(app, client, auth, people):
    sign_in(auth, people, "admin")
    page = text_of(client.post("/budgets/new", data={**NEW_BUDGET, "ballot_kind": "cumulative"}))
    assert "Enter how many points each voter spreads" in page


def test_staff_add_a_pot_for_an_existing_area(app, client, auth, people):
    with app.app_context():
        setup = make_budget(phase="collecting")
        slug, area_id = setup.budget.slug, setup.pot.area_id
    sign_in(auth, people, "civil_servant")
    response = client.post(f"/budgets/{slug}/pots/new", data={
        "pot_title": "Riverside parks", "area": str(area_id), "new_area": "", "amount": "12,500.50"})
    assert response.status_code == 302
    assert "£12,500.50 for Riverside" in text_of(client.get(f"/budgets/{slug}"))


def test_settings_cannot_change_once_voting_opens_but_the_title_can(app, client, auth, people):
    with app.app_context():
        slug = make_budget(phase="voting", results_rule="greedy").budget.slug
    sign_in(auth, people, "admin")
    page = text_of(client.get(f"/budgets/{slug}/edit"))
    assert "can no longer change" in page and 'name="results_rule"' not in page
    response = client.post(f"/budgets/{slug}/edit", data={"title": "Green Budget 2027 (extended)",
                                                           "description": "", "results_rule": "mes"})
    assert response.status_code == 302
    with app.app_context():
        budget = db.session.scalar(db.select(Budget))
        assert (budget.title, budget.results_rule) == ("Green Budget 2027 (extended)", "greedy")


def test_staff_set_phase_dates_and_the_steps_show_them(app, client, auth, people):
    with app.app_context():
        slug = make_budget(phase="collecting").budget.slug
    sign_in(auth, people, "admin")
    response = client.post(f"/budgets/{slug}/edit", data={
        "title": "Green Budget 2027", "description": "", "ballot_kind": "approval", "results_rule": "mes",
        "eligibility": "any_registered", "voting_from": ["1", "3", "2027"]})
    assert response.status_code == 302
    assert "1 March 2027" in text_of(client.get(f"/budgets/{slug}"))


def test_phases_move_forward_and_moving_to_results_counts_every_pot(app, client, auth, people):
    with app.app_context():
        setup = make_budget(phase="voting", results_rule="greedy")
        store_ballot(setup.pot, make_user(), [setup.ids[0], setup.ids[4]])
        store_ballot(setup.pot, make_user(), [setup.ids[0]])
        slug = setup.budget.slug
    sign_in(auth, people, "civil_servant")
    page = text_of(client.get(f"/budgets/{slug}"))
    assert 'value="results"' in page and 'value="collecting"' not in page
    response = client.post(f"/budgets/{slug}/phase", data={"phase": "results"})
    assert response.status_code == 302
    assert "now in its results phase" in text_of(client.get(f"/budgets/{slug}"))
    with app.app_context():
        result = db.session.scalar(db.select(Result))
        assert result.voters == 2
        funded = db.session.scalars(db.select(Proposal.title).where(Proposal.status == "selected")).all()
        assert sorted(funded) == ["Project 1", "Project 2", "Project 5"]  # 40k + 10k, then 30k fits in 80k


def test_a_budget_cannot_go_back_once_voting_opens(app, client, auth, people):
    with app.app_context():
        slug = make_budget(phase="voting").budget.slug
    sign_in(auth, people, "admin")
    response = client.post(f"/budgets/{slug}/phase", data={"phase": "collecting"})
    page = text_of(response)
    assert response.status_code == 200 and "cannot go back once voting opens" in page
    assert "govuk-error-summary" in page
    with app.app_context():
        assert db.session.scalar(db.select(Budget.phase)) == "voting"


def test_moving_without_choosing_a_phase_says_so(app, client, auth, people):
    with app.app_context():
        slug = make_budget(phase="review").budget.slug
    sign_in(auth, people, "admin")
    assert "Choose the phase to move the budget to" in text_of(client.post(f"/budgets/{slug}/phase", data={}))


def test_an_impossible_date_is_a_field_error(app, client, auth, people):
    with app.app_context():
        slug = make_budget(phase="collecting").budget.slug
    sign_in(auth, people, "admin")
    page = text_of(client.post(f"/budgets/{slug}/edit", data={
        "title": "Green Budget 2027", "description": "", "ballot_kind": "approval", "results_rule": "mes",
        "eligibility": "any_registered", "voting_from": ["31", "2", "2027"]}))
    assert "Voting opens must be a real date, like 27 3 2027" in page
    assert 'value="31"' in page
