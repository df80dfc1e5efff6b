"""The proposal pages in Chromium: a resident proposes a project with JavaScript off and with the keyboard alone,
and axe-core finds nothing on the list (with filters), the proposal page (proposed, reviewed with a revised cost,
funded with delivery updates) and the new, edit, withdraw, review and delivery forms with their errors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from forum.budgeting.models import Phase, Proposal
from forum.budgeting.services import budgets, delivery
from forum.budgeting.services.proposals import review_proposal
from forum.budgeting.services.results import compute_results
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.tags import services as tag_services
from tests.browser.helpers import FIELD_LABELLED, KeyboardDriver, MouseDriver, sign_in, tab_to
from tests.budgeting.support import make_budget, set_phase, store_ballot
from tests.factories import make_user, sign_in_id

pytestmark = pytest.mark.browser


@dataclass
class Scene:
    slug: str
    proposal_id: int  # by the resident, proposed
    resident: str  # session ids
    officer: str


def collecting(app: Flask) -> Scene:
    """A collecting budget with two pots, three tagged proposals, a resident and a civil servant."""
    with app.app_context():
        resident = make_user("Rita Resident")
        setup = make_budget(phase=Phase.COLLECTING, costs=(12_000, 3_000), author=resident)
        hill = budgets.create_pot(setup.budget, budgets.create_area("Hill"), "Hill fund", "£20,000")
        budgets.create_proposal(hill, "Library books", "£2,000", description="More books.")
        for proposal in setup.proposals:
            proposal.tags = tag_services.get_or_create(["parks", "benches"])
        db.session.commit()
        officer = make_user("Colin Officer", role="civil_servant", organisation="Riverside Council")
        return Scene(setup.budget.slug, setup.ids[0], sign_in_id(resident), sign_in_id(officer))


def _as(app: Flask, page: Page, base_url: str, session_id: str) -> None:
    sign_in(app, page, base_url, session_id)


@pytest.mark.parametrize("driver_kind", ["no-javascript", "keyboard"])
def test_a_resident_proposes_a_project(app: Flask, browser_session, check_a11y, driver_kind: str) -> None:
    scene = collecting(app)
    page = browser_session.new_page(javascript=driver_kind == "keyboard")
    keyboard = driver_kind == "keyboard"
    driver = KeyboardDriver(page) if keyboard else MouseDriver(page)
    # axe runs scripts in the page, so it checks the pages of the run with JavaScript on.
    check = check_a11y if keyboard else (lambda _page: None)
    _as(app, page, browser_session.base_url, scene.resident)
    page.goto(f"/budgets/{scene.slug}/proposals")
    driver.press("Propose a project")
    expect(page.locator("h1")).to_have_text("Propose a project")
    check(page)
    driver.fill("Title", "Benches by the weir")
    driver.fill("Description", "Six benches where people **rest**.")
    driver.fill("Estimated cost", "£0")
    driver.fill("Where (optional)", "The weir")
    driver.fill("Tags (optional)", "parks, rest")
    driver.press("Propose the project")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose the pot of money your project is for")
    expect(summary).to_contain_text("The cost must be more than £0")
    expect(page.get_by_label("Title", exact=True)).to_have_value("Benches by the weir")
    expect(page.get_by_label("Description", exact=True)).to_have_value("Six benches where people **rest**.")
    check(page)
    if keyboard:
        tab_to(page, FIELD_LABELLED, {"name": "Riverside: £80,000 for Riverside", "within": None})
        page.keyboard.press("Space")
    else:
        page.get_by_label("Riverside: £80,000 for Riverside").check()
    driver.fill("Estimated cost", "12,500")
    driver.press("Propose the project")
    expect(page.locator("h1")).to_have_text("Benches by the weir")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your project has been proposed")
    expect(page.locator(".pb-description").first).to_contain_text("Six benches where people rest.")
    expect(page.locator(".govuk-summary-list")).to_contain_text("£12,500")
    check(page)


def test_the_list_with_filters_is_accessible_and_filters_without_javascript(
        app: Flask, browser_session, page: Page, nojs_page: Page, check_a11y) -> None:
    scene = collecting(app)
    nojs_page.goto(f"/budgets/{scene.slug}/proposals")
    expect(nojs_page.locator(".pb-proposal")).to_have_count(3)
    nojs_page.get_by_label("Hill fund: £20,000 for Hill").check()
    with nojs_page.expect_navigation():
        nojs_page.get_by_role("button", name="Apply filters").click()
    expect(nojs_page.locator(".pb-proposal")).to_have_count(1)
    expect(nojs_page.locator("#results-heading")).to_contain_text("1 proposal matching your filters")
    nojs_page.get_by_label("Tag").select_option("parks")
    nojs_page.get_by_label("Hill fund: £20,000 for Hill").uncheck()
    nojs_page.get_by_label("Proposed", exact=True).check()
    with nojs_page.expect_navigation():
        nojs_page.get_by_role("button", name="Apply filters").click()
    expect(nojs_page.locator(".pb-proposal")).to_have_count(2)
    for url in (f"/budgets/{scene.slug}/proposals", nojs_page.url):
        page.goto(url)
        check_a11y(page)


def test_the_proposal_page_is_accessible_proposed_and_reviewed(app: Flask, browser_session, page: Page,
                                                               check_a11y) -> None:
    scene = collecting(app)
    _as(app, page, browser_session.base_url, scene.resident)
    page.goto(f"/budgets/proposals/{scene.proposal_id}")
    expect(page.get_by_role("link", name="Change your proposal")).to_be_visible()
    check_a11y(page)
    with app.app_context():
        review_proposal(db.session.get(Proposal, scene.proposal_id), make_user(role="civil_servant"), True,
                        "The parks team can do it.", "£14,000", "Concrete footings are needed")
    page.goto(f"/budgets/proposals/{scene.proposal_id}")
    expect(page.locator(".pb-cost-revision")).to_contain_text("Concrete footings are needed")
    check_a11y(page)


def test_the_edit_and_withdraw_pages_are_accessible(app: Flask, browser_session, page: Page, check_a11y) -> None:
    scene = collecting(app)
    _as(app, page, browser_session.base_url, scene.resident)
    page.goto(f"/budgets/proposals/{scene.proposal_id}/edit")
    page.get_by_label("Estimated cost").fill("lots")
    page.get_by_label("Title", exact=True).fill("")
    with page.expect_navigation():
        page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the cost in pounds")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title")
    check_a11y(page)
    page.goto(f"/budgets/proposals/{scene.proposal_id}/withdraw")
    check_a11y(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Withdraw the proposal").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You withdrew your proposal")


def test_the_review_form_with_errors_is_accessible(app: Flask, browser_session, page: Page, check_a11y) -> None:
    scene = collecting(app)
    _as(app, page, browser_session.base_url, scene.officer)
    page.goto(f"/budgets/proposals/{scene.proposal_id}/review")
    check_a11y(page)
    page.get_by_label("Not feasible").check()
    page.get_by_label("Revised cost (optional)").fill("£0")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The cost must be more than £0")
    check_a11y(page)
    page.get_by_label("Reason (shown to everyone)").fill("The land belongs to the railway")
    page.get_by_label("Revised cost (optional)").fill("")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the review").click()
    expect(page.locator(".pb-review")).to_contain_text("The land belongs to the railway")


def test_a_funded_project_with_delivery_updates_is_accessible(app: Flask, browser_session, page: Page,
                                                              check_a11y) -> None:
    with app.app_context():
        setup = make_budget(phase=Phase.VOTING, costs=(40_000, 30_000), amount=50_000)
        store_ballot(setup.pot, make_user(), [setup.ids[0]])
        officer = make_user("Colin Officer", role="civil_servant", organisation="Riverside Council")
        set_phase(setup.budget, Phase.RESULTS)
        compute_results(setup.pot)
        set_phase(setup.budget, Phase.DELIVERY)
        funded = db.session.get(Proposal, setup.ids[0])
        delivery.add_update(funded, officer, "planned", utcnow().date() - timedelta(days=60), 0, "Designs agreed.")
        funded_id, officer_id = funded.id, sign_in_id(officer)
    _as(app, page, browser_session.base_url, officer_id)
    page.goto(f"/budgets/proposals/{funded_id}/updates/new")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("How far along is it?").fill("140")
    with page.expect_navigation():
        page.get_by_role("button", name="Post the update").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose where the project stands")
    expect(summary).to_contain_text("Enter a real date")
    check_a11y(page)
    page.get_by_label("In progress").check()
    today = utcnow().date()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("How far along is it?").fill("45")
    page.get_by_label("Note").fill("The footings are poured.")
    with page.expect_navigation():
        page.get_by_role("button", name="Post the update").click()
    expect(page.get_by_label("In progress: 45% complete")).to_have_attribute("value", "45")
    expect(page.locator(".pb-update")).to_have_count(2)
    expect(page.locator(".pb-update").first).to_contain_text("The footings are poured.")
    check_a11y(page)
