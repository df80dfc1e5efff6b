"""The budgets list, a budget's page, and what staff do with budgets: create, change, add pots, move phases."""

from __future__ import annotations

import html

import pytest

from forum.budgeting.models import Budget, Proposal, Result
from forum.extensions import db
from tests.budgeting.support import make_budget, store_ballot
from tests.factories import make_user
from tests.pages import read
from tests.pages import text_of as text_in

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
    doc = read(client.get(f"/budgets/{slug}"))
    staff = doc.one(".pb-staff")
    # A link (not a form) to the confirmation, for each move allowed; none back to collecting.
    assert not staff.select("form")
    links = {text_in(a): a["href"] for a in staff.select("a") if "/phase" in a["href"]}
    assert links == {"Close voting and count the votes": f"/budgets/{slug}/phase?to=results",
                     "Move to delivery": f"/budgets/{slug}/phase?to=delivery"}
    assert "govuk-button" in staff.select_one(f'a[href="/budgets/{slug}/phase?to=results"]')["class"]

    confirm = read(client.get(f"/budgets/{slug}/phase?to=results"))  # asking changes nothing
    assert confirm.h1 == "Close voting and publish the results?"
    assert "Voting closes: residents can no longer cast or change ballots. The votes in every pot are counted and "\
           "the results published." in confirm.texts("li")
    assert "You cannot undo this" in confirm.text(".govuk-warning-text")
    form = confirm.one("main form")
    assert form["method"] == "post" and form["action"] == f"/budgets/{slug}/phase?to=results"
    assert confirm.text("main form button") == "Close voting and count the votes"
    assert confirm.one("main form a")["href"] == f"/budgets/{slug}"
    with app.app_context():
        assert db.session.scalar(db.select(Budget.phase)) == "voting"

    response = client.post(f"/budgets/{slug}/phase?to=results")
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
    for response in (client.post(f"/budgets/{slug}/phase", data={"phase": "collecting"}),
                     client.get(f"/budgets/{slug}/phase?to=collecting")):
        assert response.status_code == 400 and "cannot go back once voting opens" in text_of(response)
    with app.app_context():
        assert db.session.scalar(db.select(Budget.phase)) == "voting"


def test_moving_without_choosing_a_phase_says_so(app, client, auth, people):
    with app.app_context():
        slug = make_budget(phase="review").budget.slug
    sign_in(auth, people, "admin")
    response = client.post(f"/budgets/{slug}/phase", data={})
    assert response.status_code == 400 and "Choose the phase to move the budget to" in text_of(response)


def test_moving_several_phases_at_once_says_what_each_does(app, client, auth, people):
    with app.app_context():
        slug = make_budget(phase="collecting").budget.slug
    sign_in(auth, people, "admin")
    confirm = read(client.get(f"/budgets/{slug}/phase?to=voting"))
    assert confirm.h1 == "Open voting?"
    said = confirm.texts("main li")
    assert said[0].startswith("Proposing closes: residents can no longer propose projects")
    assert said[1].startswith("Voting opens: residents can cast ballots")
    assert said[2] == "Everyone who proposed a project or voted in this budget is sent a notification."
    review = read(client.get(f"/budgets/{slug}/phase?to=review"))  # it can come back from review
    assert review.h1 == "Close proposing and start the review?" and not review.has(".govuk-warning-text")
    assert client.post(f"/budgets/{slug}/phase?to=review").status_code == 302
    doc = read(client.get(f"/budgets/{slug}"))
    assert "Move to collecting proposals" in doc.texts(".pb-staff a")


def test_the_budget_page_header_reads_caption_heading_then_compact_steps(app, client):
    with app.app_context():
        setup = make_budget(phase="voting")
        slug, pot_id, proposal_id = setup.budget.slug, setup.pot.id, setup.ids[0]
    doc = read(client.get(f"/budgets/{slug}"))
    header = doc.one(".pb-budget-header")
    parts = [child for child in header.find_all(True, recursive=False)]
    assert [part.name for part in parts[:3]] == ["span", "h1", "nav"]  # the steps after the H1
    assert text_in(parts[0]) == "Participatory budget" != doc.h1 == "Green Budget 2027"
    assert doc.text(".pb-phases__where") == "Step 3 of 5"
    # Every page about a budget: a caption that is not the heading, the heading, then the steps.
    for url in (f"/budgets/{slug}/proposals", f"/budgets/proposals/{proposal_id}", f"/budgets/pots/{pot_id}/ballot"):
        page = read(client.get(url))
        header = page.one(".pb-budget-header")
        h1 = header.select_one("h1")
        assert h1 is not None and page.count("h1") == 1, url
        caption = header.select_one(".govuk-caption-l")
        assert caption is None or text_in(caption) != text_in(h1), url
        assert header.select_one("nav.pb-phases") in h1.find_all_next(), url


def test_vote_is_a_start_button_for_each_pot(app, client):
    with app.app_context():
        setup = make_budget(phase="voting")
        slug, pot_id = setup.budget.slug, setup.pot.id
    doc = read(client.get(f"/budgets/{slug}"))
    button = doc.one(f'a[href="/budgets/pots/{pot_id}/ballot"]')
    assert {"govuk-button", "govuk-button--start"} <= set(button["class"]) and button["role"] == "button"
    assert text_in(button).startswith("Vote in ") and button.select_one("svg.govuk-button__start-icon")


def test_the_home_page_says_voting_is_open_then_the_money_apart(app, client):
    with app.app_context():
        make_budget(phase="voting", title="Green Budget 2027", area="Riverside")
    doc = read(client.get("/"))
    line = doc.one(".forum-open-budgets p")
    assert text_in(line) == "Voting is open. £80,000 for Riverside."
    assert "Voting is open. £80,000" in line.get_text()  # a real space, not one only a parser adds


def test_an_impossible_date_is_a_field_error(app, client, auth, people):
    with app.app_context():
        slug = make_budget(phase="collecting").budget.slug
    sign_in(auth, people, "admin")
    page = text_of(client.post(f"/budgets/{slug}/edit", data={
        "title": "Green Budget 2027", "description": "", "ballot_kind": "approval", "results_rule": "mes",
        "eligibility": "any_registered", "voting_from": ["31", "2", "2027"]}))
    assert "Voting opens must be a real date, like 27 3 2027" in page
    assert 'value="31"' in page
