"""The proposal pages through the test client: the proposal page in each phase, proposing (with every field
error, the text kept), the author editing and withdrawing, and staff reviewing (with a revised cost)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pytest

from forum.budgeting.models import Phase, Proposal, ProposalStatus
from forum.budgeting.services import budgets
from forum.budgeting.services.proposals import review_proposal
from forum.extensions import db
from tests.budgeting import support
from tests.budgeting.support import make_budget
from tests.factories import make_user
from tests.threads.support import Person, person, sign_in, sign_out


@dataclass
class Cast:
    author: Person
    other: Person  # another resident
    moderator: Person
    officer: Person  # a civil servant
    admin: Person
    slug: str
    pot_id: int
    proposal_id: int  # by author, £1,000, in a £80,000 pot


@pytest.fixture
def cast(app) -> Cast:
    return build(app, Phase.COLLECTING)


def build(app, phase: str) -> Cast:
    with app.app_context():
        author = make_user("Alice Author")
        setup = make_budget(phase=phase, costs=(1_000,), author=author)
        proposal = setup.proposals[0]
        proposal.location = "Riverside park"
        db.session.commit()
        return Cast(person(author), person(make_user("Bob Other")), person(make_user("Maya Mod", role="moderator")),
                    person(make_user("Colin Officer", role="civil_servant", organisation="Riverside Council")),
                    person(make_user("Ada Admin", role="admin")), setup.budget.slug, setup.pot.id, proposal.id)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def stored(app, proposal_id: int) -> Proposal:
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        db.session.expunge(proposal)
        return proposal


def set_phase(app, slug: str, phase: str) -> None:
    with app.app_context():
        budget = db.session.scalar(db.select(budgets.Budget).where(budgets.Budget.slug == slug))
        support.set_phase(budget, phase)


def review(app, proposal_id: int, feasible: bool, reason: str = "", cost: str | None = None,
           cost_reason: str = "") -> None:
    with app.app_context():
        review_proposal(db.session.get(Proposal, proposal_id), make_user(role="civil_servant"), feasible, reason,
                        cost, cost_reason)


# --- The proposal page ---------------------------------------------------------------------------------------


def test_the_proposal_page_shows_everything_about_the_proposal(client, cast) -> None:
    page = text(client.get(f"/budgets/proposals/{cast.proposal_id}"))
    assert '<h1 class="govuk-heading-l pb-proposal-heading">Project 1</h1>' in page
    assert "Proposed" in page and "£1,000" in page and "Riverside park" in page
    assert "<p>About project 1</p>" in page and "Alice Author" in page
    assert 'aria-current="step"' in page and "Collecting proposals" in page
    assert "Sign in</a> to discuss this proposal" in page
    assert "Change your proposal" not in page and "Review this proposal" not in page


def test_a_missing_proposal_is_a_404(client, cast) -> None:
    assert client.get("/budgets/proposals/999999").status_code == 404
    assert client.get("/budgets/proposals/99999999999").status_code == 404


def test_the_author_sees_change_and_withdraw_and_staff_see_review(client, cast) -> None:
    sign_in(client, cast.author)
    page = text(client.get(f"/budgets/proposals/{cast.proposal_id}"))
    assert f'href="/budgets/proposals/{cast.proposal_id}/edit"' in page
    assert f'href="/budgets/proposals/{cast.proposal_id}/withdraw"' in page
    sign_in(client, cast.officer)
    page = text(client.get(f"/budgets/proposals/{cast.proposal_id}"))
    assert f'href="/budgets/proposals/{cast.proposal_id}/review"' in page and "/edit" not in page


def test_a_revised_cost_and_the_review_are_shown_to_everyone(app, client, cast) -> None:
    review(app, cast.proposal_id, True, "The parks team can fit it in.", "£1,450", "Concrete footings are needed")
    page = text(client.get(f"/budgets/proposals/{cast.proposal_id}"))
    assert "The cost was revised" in page
    assert re.search(r"from <strong>£1,000</strong>\s+to <strong>£1,450</strong>", page)
    assert "Reason: Concrete footings are needed" in page
    assert "The parks team can fit it in." in page and "Feasible" in page
    listing = text(client.get(f"/budgets/{cast.slug}/proposals"))
    assert "£1,450" in listing and "(revised from £1,000)" in listing


def test_a_not_feasible_proposal_says_why_and_is_not_on_the_ballot(app, client, cast) -> None:
    review(app, cast.proposal_id, False, "The land belongs to the railway")
    set_phase(app, cast.slug, Phase.VOTING)
    page = text(client.get(f"/budgets/proposals/{cast.proposal_id}"))
    assert "Why it is not feasible" in page and "The land belongs to the railway" in page
    assert "not on the ballot: it was found not feasible" in page and "/ballot\"" not in page


def test_during_voting_the_page_links_to_the_pots_ballot(app, client, cast) -> None:
    set_phase(app, cast.slug, Phase.VOTING)
    page = text(client.get(f"/budgets/proposals/{cast.proposal_id}"))
    assert f'href="/budgets/pots/{cast.pot_id}/ballot">Vote in Riverside</a>' in page


def test_with_results_the_page_links_to_them(app, client, cast) -> None:
    set_phase(app, cast.slug, Phase.RESULTS)
    page = text(client.get(f"/budgets/proposals/{cast.proposal_id}"))
    assert f'href="/budgets/pots/{cast.pot_id}/results"' in page


# --- Proposing ------------------------------------------------------------------------------------------------


GOOD = {"title": "Benches by the weir", "description": "Six **benches** where people rest.", "cost": "£12,500",
        "location": "The weir", "tags": "Parks, benches"}


def test_a_resident_proposes_a_project_and_lands_on_its_page(app, client, cast) -> None:
    sign_in(client, cast.other)
    form = text(client.get(f"/budgets/{cast.slug}/proposals/new"))
    for label in ("Title", "Description", "Estimated cost", "Where (optional)", "Tags (optional)"):
        assert label in form
    assert "Which pot" not in form, "one pot: nothing to choose"
    response = client.post(f"/budgets/{cast.slug}/proposals/new", data=GOOD)
    with app.app_context():
        proposal = db.session.scalar(db.select(Proposal).where(Proposal.title == "Benches by the weir"))
        assert (proposal.cost_pence, proposal.author_id, proposal.location) == (1_250_000, cast.other.id, "The weir")
        proposal_id = proposal.id
    assert response.headers["Location"] == f"/budgets/proposals/{proposal_id}"
    page = text(client.get(response.headers["Location"]))
    assert "Your project has been proposed" in page and "<strong>benches</strong>" in page
    assert f"/budgets/{cast.slug}/proposals?tag=parks" in page


@pytest.mark.parametrize(("changes", "message"), [
    ({"cost": "0"}, "The cost must be more than £0"),
    ({"cost": "£-50"}, "The cost must be more than £0"),
    ({"cost": "twelve thousand"}, "Enter the cost in pounds, like £12,500 or 12500.50"),
    ({"cost": ""}, "Enter the estimated cost, like £12,500"),
    ({"cost": "£80,001"}, "The cost must not be more than the money in the pot (£80,000)"),
    ({"title": ""}, "Enter a title"),
    ({"title": "\u200b\u200b"}, "Enter a title"),
    ({"description": ""}, "Describe the project: what it is and who it helps"),
    ({"tags": "a, b, c, d, e, f"}, "Enter no more than 5 tags (you entered 6)"),
    ({"location": "x" * 201}, "Keep it to 200 characters or fewer"),
])
def test_every_field_error_is_shown_with_the_text_kept(app, client, cast, changes: dict, message: str) -> None:
    sign_in(client, cast.other)
    data = {**GOOD, **changes}
    response = client.post(f"/budgets/{cast.slug}/proposals/new", data=data)
    page = text(response)
    assert response.status_code == 200
    assert "govuk-error-summary" in page and message in page and "<title>Error:" in page
    for field in ("title", "cost", "location", "tags"):
        if data[field] and field not in changes:
            assert f'value="{data[field]}"' in page, field
    assert GOOD["description"] in page or "description" in changes
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Proposal)) == 1


def test_an_expired_form_is_shown_again_with_the_text(app, client, cast) -> None:
    sign_in(client, cast.other)
    app.config["WTF_CSRF_ENABLED"] = True
    page = text(client.post(f"/budgets/{cast.slug}/proposals/new", data=GOOD))
    assert "Your session expired: what you entered is kept below" in page and 'value="Benches by the weir"' in page


def test_with_several_pots_the_resident_chooses_one(app, client, cast) -> None:
    with app.app_context():
        budget = db.session.scalar(db.select(budgets.Budget).where(budgets.Budget.slug == cast.slug))
        hill = budgets.create_pot(budget, budgets.create_area("Hill"), "Hill fund", "£5,000").id
    sign_in(client, cast.other)
    assert "Which pot of money is your project for?" in text(client.get(f"/budgets/{cast.slug}/proposals/new"))
    chosen = text(client.get(f"/budgets/{cast.slug}/proposals/new?pot={hill}"))
    assert re.search(rf'name="pot" type="radio" value="{hill}" checked', chosen), "the budget page's pot link"
    assert "checked" not in text(client.get(f"/budgets/{cast.slug}/proposals/new?pot=999"))
    page = text(client.post(f"/budgets/{cast.slug}/proposals/new", data={**GOOD, "title": ""}))
    assert "Choose the pot of money your project is for" in page and "Enter a title" in page
    page = text(client.post(f"/budgets/{cast.slug}/proposals/new", data={**GOOD, "pot": str(hill)}))
    assert "The cost must not be more than the money in the pot (£5,000)" in page
    response = client.post(f"/budgets/{cast.slug}/proposals/new", data={**GOOD, "pot": str(hill), "cost": "£4,000"})
    proposal_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert stored(app, proposal_id).pot_id == hill


def test_anonymous_people_are_sent_to_sign_in_to_propose(client, cast) -> None:
    for method in (client.get, client.post):
        assert method(f"/budgets/{cast.slug}/proposals/new").headers["Location"].startswith("/login")


@pytest.mark.parametrize("phase", [Phase.REVIEW, Phase.VOTING, Phase.RESULTS])
def test_proposing_outside_the_collecting_phase_is_refused(app, client, phase: str) -> None:
    cast = build(app, phase)
    sign_in(client, cast.other)
    response = client.get(f"/budgets/{cast.slug}/proposals/new")
    assert response.status_code == 403 and "collecting proposals" in text(response)
    assert client.post(f"/budgets/{cast.slug}/proposals/new", data=GOOD).status_code == 403
    assert client.get("/budgets/no-such-budget/proposals/new").status_code == 404


# --- Editing and withdrawing ---------------------------------------------------------------------------------


def test_the_author_edits_the_proposal(app, client, cast) -> None:
    sign_in(client, cast.author)
    form = text(client.get(f"/budgets/proposals/{cast.proposal_id}/edit"))
    assert 'value="Project 1"' in form and 'value="£1,000"' in form and 'value="Riverside park"' in form
    response = client.post(f"/budgets/proposals/{cast.proposal_id}/edit", data={**GOOD, "tags": "weir"})
    assert response.headers["Location"] == f"/budgets/proposals/{cast.proposal_id}"
    assert stored(app, cast.proposal_id).title == "Benches by the weir"
    page = text(client.post(f"/budgets/proposals/{cast.proposal_id}/edit", data={**GOOD, "cost": "£0"}))
    assert "The cost must be more than £0" in page and 'value="Benches by the weir"' in page
    assert stored(app, cast.proposal_id).cost_pence == 1_250_000


def test_only_the_author_edits_and_only_before_review(app, client, cast) -> None:
    url = f"/budgets/proposals/{cast.proposal_id}/edit"
    assert client.get(url).headers["Location"].startswith("/login")
    for someone in (cast.other, cast.officer, cast.admin):
        sign_in(client, someone)
        assert client.get(url).status_code == 403
        assert client.post(url, data=GOOD).status_code == 403
    assert stored(app, cast.proposal_id).title == "Project 1"
    review(app, cast.proposal_id, True)
    sign_in(client, cast.author)
    response = client.get(url)
    assert response.status_code == 403 and "can no longer be changed" in text(response)


def test_the_author_withdraws_after_confirming(app, client, cast) -> None:
    url = f"/budgets/proposals/{cast.proposal_id}/withdraw"
    sign_in(client, cast.author)
    page = text(client.get(url))
    assert "Withdraw your proposal?" in page and "Withdraw the proposal" in page and "govuk-button--warning" in page
    assert "It will not be reviewed or voted on." in page and f'action="{url}"' in page
    assert stored(app, cast.proposal_id).status == ProposalStatus.PROPOSED
    response = client.post(url)
    assert response.headers["Location"] == f"/budgets/proposals/{cast.proposal_id}"
    assert stored(app, cast.proposal_id).status == ProposalStatus.WITHDRAWN
    page = text(client.get(response.headers["Location"]))
    assert "You withdrew your proposal" in page and "Withdrawn" in page and "Withdraw your proposal" not in page
    assert client.get(url).status_code == 403


def test_only_the_author_withdraws_and_only_before_voting(app, client, cast) -> None:
    url = f"/budgets/proposals/{cast.proposal_id}/withdraw"
    assert client.post(url).headers["Location"].startswith("/login")
    for someone in (cast.other, cast.admin):
        sign_in(client, someone)
        assert client.get(url).status_code == 403 and client.post(url).status_code == 403
    set_phase(app, cast.slug, Phase.REVIEW)
    sign_in(client, cast.author)
    assert client.get(url).status_code == 200
    set_phase(app, cast.slug, Phase.VOTING)
    assert client.post(url).status_code == 403
    assert stored(app, cast.proposal_id).status == ProposalStatus.PROPOSED


def test_withdrawing_needs_the_token(app, client, cast) -> None:
    sign_in(client, cast.author)
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/budgets/proposals/{cast.proposal_id}/withdraw").status_code == 400
    assert stored(app, cast.proposal_id).status == ProposalStatus.PROPOSED


# --- Review by staff -----------------------------------------------------------------------------------------


def test_residents_and_moderators_may_not_review(app, client, cast) -> None:
    url = f"/budgets/proposals/{cast.proposal_id}/review"
    assert client.get(url).headers["Location"].startswith("/login")
    for someone in (cast.other, cast.author, cast.moderator):
        sign_in(client, someone)
        assert client.get(url).status_code == 403
        assert client.post(url, data={"feasible": "yes"}).status_code == 403
    assert stored(app, cast.proposal_id).status == ProposalStatus.PROPOSED


@pytest.mark.parametrize("who", ["officer", "admin"])
def test_staff_mark_a_proposal_not_feasible_with_a_public_reason(app, client, cast, who: str) -> None:
    sign_in(client, getattr(cast, who))
    url = f"/budgets/proposals/{cast.proposal_id}/review"
    assert "Is the proposal feasible?" in text(client.get(url))
    page = text(client.post(url, data={"feasible": "no", "reason": "  "}))
    assert "Explain why the proposal is not feasible" in page
    page = text(client.post(url, data={}))
    assert "Choose whether the proposal is feasible" in page
    response = client.post(url, data={"feasible": "no", "reason": "The land belongs to the railway"})
    assert response.headers["Location"] == f"/budgets/proposals/{cast.proposal_id}"
    proposal = stored(app, cast.proposal_id)
    assert (proposal.status, proposal.feasibility_reason) == (ProposalStatus.NOT_FEASIBLE,
                                                               "The land belongs to the railway")
    again = text(client.get(url))
    assert re.search(r'value="no" checked', again) and "The land belongs to the railway" in again


@pytest.mark.parametrize(("cost", "cost_reason", "message"), [
    ("£0", "Free", "The cost must be more than £0"),
    ("lots", "x", "Enter the cost in pounds"),
    ("£90,000", "Dearer", "The cost must not be more than the money in the pot"),
    ("£1,500", "", "Explain why the cost changes"),
])
def test_a_bad_revised_cost_is_a_field_error(app, client, cast, cost: str, cost_reason: str, message: str) -> None:
    sign_in(client, cast.officer)
    data = {"feasible": "yes", "reason": "Fine", "cost": cost, "cost_reason": cost_reason}
    page = text(client.post(f"/budgets/proposals/{cast.proposal_id}/review", data=data))
    assert "govuk-error-summary" in page and message in page and f'value="{cost}"' in page
    proposal = stored(app, cast.proposal_id)
    assert (proposal.status, proposal.cost_pence) == (ProposalStatus.PROPOSED, 100_000)


def test_staff_revise_the_cost_and_everyone_sees_both(app, client, cast) -> None:
    sign_in(client, cast.officer)
    client.post(f"/budgets/proposals/{cast.proposal_id}/review",
                data={"feasible": "yes", "cost": "£1,200.50", "cost_reason": "Steel prices rose"})
    sign_out(client)
    page = text(client.get(f"/budgets/proposals/{cast.proposal_id}"))
    assert re.search(r"from <strong>£1,000</strong>\s+to <strong>£1,200.50</strong>", page)
    assert "Reason: Steel prices rose" in page


def test_nobody_reviews_once_voting_opens(app, client, cast) -> None:
    set_phase(app, cast.slug, Phase.VOTING)
    sign_in(client, cast.admin)
    response = client.get(f"/budgets/proposals/{cast.proposal_id}/review")
    assert response.status_code == 403 and "reviewed before voting opens" in text(response)
    assert client.post(f"/budgets/proposals/{cast.proposal_id}/review", data={"feasible": "yes"}).status_code == 403


class TestPostingLimit:
    """Proposals share the posting limit with threads, replies and comments; over it, nothing typed is lost."""

    @pytest.fixture
    def app_config(self) -> dict:
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_POSTING": "2 per minute"}

    def test_a_proposal_over_the_limit_comes_back_as_sent_with_a_429(self, app, client, cast) -> None:
        sign_in(client, cast.other)
        url = f"/budgets/{cast.slug}/proposals/new"
        for n in range(2):
            assert "Location" in client.post(url, data={**GOOD, "title": f"Bench {n}"}).headers
        response = client.post(url, data={**GOOD, "title": "Kept title", "description": "Every word kept here."})
        page = text(response)
        assert response.status_code == 429
        assert "Wait a few minutes" in page and "govuk-error-summary" in page
        assert 'value="Kept title"' in page and "Every word kept here." in page and "12,500" in page
        with app.app_context():
            titles = set(db.session.scalars(db.select(Proposal.title)))
        assert "Kept title" not in titles and {"Bench 0", "Bench 1"} <= titles

    def test_forms_sent_back_with_errors_do_not_use_up_the_limit(self, client, cast) -> None:
        sign_in(client, cast.other)
        url = f"/budgets/{cast.slug}/proposals/new"
        for _ in range(4):
            assert client.post(url, data={**GOOD, "title": ""}).status_code == 200
        assert "Location" in client.post(url, data=GOOD).headers
