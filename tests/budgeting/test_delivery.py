"""Delivery updates on funded proposals: staff only, funded proposals only, once results are out; every field
error; shown newest first on the proposal page with the latest progress."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from forum.budgeting.models import DeliveryUpdate, Phase, Proposal
from forum.budgeting.services import delivery
from forum.budgeting.services.results import compute_results
from forum.common.errors import PermissionDenied, ValidationFailed
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.tags import services as tag_services
from tests.budgeting.support import make_budget, set_phase, store_ballot
from tests.factories import make_user
from tests.query_counting import counting_queries
from tests.threads.support import Person, person, sign_in


@dataclass
class Delivered:
    funded: int  # a funded proposal's id
    unfunded: int
    slug: str
    officer: Person
    admin: Person
    resident: Person
    moderator: Person


def build(app, phase: str = Phase.RESULTS) -> Delivered:
    """A pot of £50,000 counted greedily: Project 1 (£40,000, 2 votes) funded, Project 2 (£30,000, 1) not."""
    with app.app_context():
        setup = make_budget(phase=Phase.VOTING, costs=(40_000, 30_000), amount=50_000)
        first, second = setup.ids
        store_ballot(setup.pot, make_user(), [first])
        store_ballot(setup.pot, make_user(), [first, second])
        admin = make_user("Ada Admin", role="admin")
        set_phase(setup.budget, Phase.RESULTS)
        compute_results(setup.pot)
        set_phase(setup.budget, phase)
        return Delivered(first, second, setup.budget.slug,
                         person(make_user("Colin Officer", role="civil_servant", organisation="Riverside Council")),
                         person(admin), person(make_user("Rita Resident")), person(make_user(role="moderator")))


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def updates(app, proposal_id: int) -> list[tuple[str, int]]:
    with app.app_context():
        query = db.select(DeliveryUpdate.status, DeliveryUpdate.percent_complete).where(
            DeliveryUpdate.proposal_id == proposal_id).order_by(DeliveryUpdate.id)
        return [tuple(row) for row in db.session.execute(query)]


def today() -> date:
    return utcnow().date()


def form_data(when: date | None = None, **changes) -> dict:
    when = when or today()
    data = {"status": "in_progress", "happened_on": [str(when.day), str(when.month), str(when.year)],
            "percent": "40", "note": "The *footings* are poured."}
    return {**data, **changes}


# --- The service ---------------------------------------------------------------------------------------------


def test_staff_post_updates_on_funded_proposals_newest_first(app) -> None:
    data = build(app)
    with app.app_context():
        proposal, officer = db.session.get(Proposal, data.funded), make_user(role="civil_servant")
        delivery.add_update(proposal, officer, "planned", today() + timedelta(days=30), 0, "Work starts in spring.")
        delivery.add_update(proposal, officer, "in_progress", today() - timedelta(days=3), "35%", "Started.")
        delivery.add_update(proposal, officer, "delivered", today(), 100, "Opened by the **mayor**.")
        shown = delivery.updates_for(proposal)
        assert [(u.status, u.percent_complete) for u in shown] == [("planned", 0), ("delivered", 100),
                                                                   ("in_progress", 35)]
        assert shown[1].note_html == "<p>Opened by the <strong>mayor</strong>.</p>"


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"status": "finished"}, "status", "Choose where the project stands"),
    ({"percent": "101"}, "percent", "100 or less"),
    ({"percent": "-3"}, "percent", "whole number from 0 to 100"),
    ({"percent": "half"}, "percent", "whole number from 0 to 100"),
    ({"percent": ""}, "percent", "how far along"),
    ({"status": "delivered", "percent": "90"}, "percent", "100% complete"),
    ({"happened_on": None}, "happened_on", "Enter the date"),
    ({"happened_on": date(1999, 12, 31)}, "happened_on", "between 2000"),
    ({"status": "delivered", "percent": "100", "happened_on": "tomorrow"}, "happened_on", "Only a planned step"),
    ({"note": "  "}, "note", "Enter a note"),
    ({"note": "x" * 10_001}, "note", "10,000 characters"),
])
def test_every_field_error(app, changes: dict, field: str, message: str) -> None:
    data = build(app)
    if changes.get("happened_on") == "tomorrow":
        changes["happened_on"] = today() + timedelta(days=1)
    args = {"status": "in_progress", "happened_on": today(), "percent": "40", "note": "Going well.", **changes}
    with app.app_context():
        proposal = db.session.get(Proposal, data.funded)
        with pytest.raises(ValidationFailed, match=message) as refused:
            delivery.add_update(proposal, make_user(role="admin"), **args)
        assert refused.value.field == field
    assert updates(app, data.funded) == []


def test_only_staff_and_only_funded_proposals_once_results_are_out(app) -> None:
    data = build(app)
    with app.app_context():
        funded, unfunded = db.session.get(Proposal, data.funded), db.session.get(Proposal, data.unfunded)
        for someone in (make_user(), make_user(role="moderator")):
            with pytest.raises(PermissionDenied, match="civil servants"):
                delivery.add_update(funded, someone, "planned", today(), 0, "x")
        with pytest.raises(PermissionDenied, match="funded projects"):
            delivery.add_update(unfunded, make_user(role="admin"), "planned", today(), 0, "x")
        funded.pot.budget.phase = Phase.VOTING
        db.session.commit()
        assert not delivery.may_post_updates(funded)
    assert updates(app, data.funded) == []


# --- The pages -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("phase", [Phase.RESULTS, Phase.DELIVERY])
def test_a_civil_servant_posts_an_update_and_the_page_shows_progress(app, client, phase: str) -> None:
    data = build(app, phase)
    sign_in(client, data.officer)
    url = f"/budgets/proposals/{data.funded}/updates/new"
    form = text(client.get(url))
    assert "Where does the project stand?" in form and 'name="happened_on"' in form
    assert f'value="{today().day:02d}"' in form, "today's date is filled in"
    response = client.post(url, data=form_data(today() - timedelta(days=1)))
    assert response.headers["Location"] == f"/budgets/proposals/{data.funded}#delivery"
    client.post(url, data=form_data(status="delivered", percent="100", note="Opened to the public."))
    page = text(client.get(f"/budgets/proposals/{data.funded}"))
    assert re.search(r'<progress class="pb-progress__bar" id="delivery-progress" max="100" value="100">', page)
    assert "Delivered: 100% complete" in page and "<em>footings</em>" in page
    assert page.index("Opened to the public.") < page.index("footings"), "newest first"
    assert "Posted by" in page and "Colin Officer" in page
    assert ' style="' not in page


def test_the_form_shows_every_error_with_the_input_kept(app, client) -> None:
    data = build(app)
    sign_in(client, data.admin)
    url = f"/budgets/proposals/{data.funded}/updates/new"
    bad = {"happened_on": ["31", "2", "2027"], "percent": "120", "note": "Still *here*"}
    page = text(client.post(url, data=bad))
    assert "Choose where the project stands" in page and "Enter a real date, like 27 3 2027" in page
    assert 'value="31"' in page and 'value="120"' in page and "Still *here*" in page
    page = text(client.post(url, data=form_data(percent="120")))
    assert "The percentage must be 100 or less" in page
    page = text(client.post(url, data=form_data(happened_on=["", "", ""])))
    assert "Enter the date of the update" in page
    page = text(client.post(url, data=form_data(happened_on=["1", "x", "2027"])))
    assert "Enter the date as numbers" in page
    assert updates(app, data.funded) == []


def test_a_date_sent_in_other_than_three_parts_is_an_error_on_the_form(app, client) -> None:
    """Hand-made requests (the attack sweep's): two boxes, four, one, or none at all come back as a form with
    an error and the boxes as sent, never a 500."""
    data = build(app)
    sign_in(client, data.admin)
    url = f"/budgets/proposals/{data.funded}/updates/new"
    for parts, message in ((["1", "2"], "Enter the date as numbers"), (["1", "2", "2027", "9"], "Enter the date as"),
                           (["2027-1"], "Enter the date as numbers"), ([], "Enter the date of the update")):
        sent = {key: value for key, value in form_data().items() if key != "happened_on"}
        response = client.post(url, data={**sent, "happened_on": parts} if parts else sent)
        page = text(response)
        assert response.status_code == 200 and "govuk-error-summary" in page and message in page, parts
        if parts:
            assert f'value="{parts[0]}"' in page
    assert updates(app, data.funded) == []


def test_residents_and_moderators_may_not_post_updates(app, client) -> None:
    data = build(app)
    url = f"/budgets/proposals/{data.funded}/updates/new"
    assert client.get(url).headers["Location"].startswith("/login")
    for someone in (data.resident, data.moderator):
        sign_in(client, someone)
        assert client.get(url).status_code == 403
        assert client.post(url, data=form_data()).status_code == 403
        assert "Post a delivery update" not in text(client.get(f"/budgets/proposals/{data.funded}"))
    assert updates(app, data.funded) == []


def test_updates_are_only_for_funded_proposals_after_voting(app, client) -> None:
    data = build(app)
    sign_in(client, data.officer)
    assert client.get(f"/budgets/proposals/{data.unfunded}/updates/new").status_code == 403
    assert "Post a delivery update" not in text(client.get(f"/budgets/proposals/{data.unfunded}"))
    page = text(client.get(f"/budgets/proposals/{data.funded}"))
    assert f'href="/budgets/proposals/{data.funded}/updates/new"' in page
    assert "Council staff will post updates here" in page
    with app.app_context():
        proposal = db.session.get(Proposal, data.funded)
        set_phase(proposal.pot.budget, Phase.VOTING)
    response = client.post(f"/budgets/proposals/{data.funded}/updates/new", data=form_data())
    assert response.status_code == 403
    assert updates(app, data.funded) == []


def test_the_proposal_page_query_count_does_not_grow_with_updates_or_tags(app, client) -> None:
    data = build(app, Phase.DELIVERY)
    with app.app_context():
        officers = [make_user(f"Officer {n}", role="civil_servant") for n in range(5)]
        officer = officers[0]
        few, many = db.session.get(Proposal, data.funded), db.session.get(Proposal, data.unfunded)
        many.status = few.status  # both funded, for the page's sake
        few.tags = tag_services.get_or_create(["parks"])
        many.tags = tag_services.get_or_create(["a", "b", "c", "d", "e"])
        db.session.commit()
        delivery.add_update(few, officer, "planned", today(), 0, "Planned.")
        for n in range(30):
            delivery.add_update(many, officers[n % 5], "in_progress", today() - timedelta(days=n), n, f"Update {n}.")
    counts = []
    for proposal_id in (data.funded, data.unfunded, data.funded):
        client.get(f"/budgets/proposals/{proposal_id}")
        with counting_queries(app) as statements:
            page = client.get(f"/budgets/proposals/{proposal_id}")
        assert page.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1] == counts[2] <= 9, counts  # 8, and the header's moderation link
