"""The ballot in Chromium: a resident builds and casts a ballot with JavaScript on (money left updates live),
with it off (every Add and Remove is a round trip) and with the keyboard alone; axe-core finds nothing on the
ballot page (empty, with choices, with an error), the confirmation and staff's paper-ballot pages."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from forum.accounts.models import User
from forum.budgeting.models import Pot
from forum.budgeting.services import voting
from forum.extensions import db
from tests.browser.helpers import BUTTON_NAMED, KeyboardDriver, assert_focus_visible, focused_matches, sign_in, tab_to
from tests.budgeting.support import make_budget
from tests.factories import make_user

pytestmark = pytest.mark.browser


@dataclass
class World:
    pot_id: int
    ids: list[int]
    resident: str
    resident_id: int
    officer: str

    @property
    def url(self) -> str:
        return f"/budgets/pots/{self.pot_id}/ballot"


def build(app: Flask, **settings) -> World:
    with app.app_context():
        setup = make_budget(**settings)
        resident = make_user("Rita Resident")
        officer = make_user("Carys Clerk", role="civil_servant", organisation="Riverside Council")
        return World(setup.pot.id, setup.ids, resident.get_id(), resident.id, officer.get_id())


def stored(app: Flask, world: World) -> dict[int, int] | None:
    with app.app_context():
        ballot, points = voting.current_ballot(db.session.get(Pot, world.pot_id),
                                               db.session.get(User, world.resident_id))
        return None if ballot is None else points


def money_left(page: Page):
    return page.locator("[data-ballot-left]")


def status(page: Page):
    return page.locator("[data-ballot-status]")


def test_a_resident_builds_and_casts_a_ballot_with_javascript(app, browser_session, page: Page, check_a11y) -> None:
    world = build(app)
    p1, p2, p3, p4, p5 = world.ids
    sign_in(app, page, browser_session.base_url, world.resident)
    page.goto(world.url)
    expect(money_left(page)).to_have_text("£80,000")
    check_a11y(page)

    url = page.url
    page.get_by_role("button", name="Add Project 1").click()
    expect(money_left(page)).to_have_text("£40,000")
    expect(status(page)).to_have_text("Added Project 1. £40,000 left of £80,000")
    assert page.url == url  # no round trip
    expect(page.get_by_role("button", name="Remove Project 1")).to_be_focused()
    expect(page.locator("[data-ballot-list] li")).to_have_text(["Project 1 (£40,000)"])
    assert page.locator("[data-ballot-meter]").evaluate("m => m.value") == 4_000_000

    page.get_by_role("button", name="Add Project 2").click()
    expect(money_left(page)).to_have_text("£10,000")
    page.get_by_role("button", name="Add Project 3").click()  # £25,000: more than is left
    expect(status(page)).to_have_text(
        "Project 3 costs £25,000, more than the £10,000 you have left. Remove a proposal first.")
    expect(money_left(page)).to_have_text("£10,000")
    expect(page.get_by_role("button", name="Add Project 3")).to_be_focused()
    check_a11y(page)

    page.get_by_role("button", name="Remove Project 1").click()
    expect(status(page)).to_have_text("Removed Project 1. £50,000 left of £80,000")
    page.get_by_role("button", name="Add Project 3").click()
    expect(money_left(page)).to_have_text("£25,000")
    expect(page.locator("[data-ballot-count]")).to_have_text("2 proposals chosen")
    with page.expect_navigation():
        page.get_by_role("button", name="Submit my vote").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Your vote has been recorded")
    check_a11y(page)
    assert stored(app, world) == {p2: 1, p3: 1}

    page.get_by_role("link", name="Change your vote").click()
    expect(page.locator("[data-ballot-voted]")).to_contain_text("You voted on")
    expect(money_left(page)).to_have_text("£25,000")
    expect(page.get_by_role("button", name="Update my vote")).to_be_visible()


def test_a_refused_ballot_shows_an_accessible_error_summary(app, browser_session, page: Page, check_a11y) -> None:
    world = build(app)
    sign_in(app, page, browser_session.base_url, world.resident)
    page.goto(world.url)
    with page.expect_navigation():
        page.get_by_role("button", name="Submit my vote").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose at least one proposal")
    check_a11y(page)
    summary.get_by_role("link", name="Choose at least one proposal").click()
    expect(page.locator("#choices")).to_be_focused()
    assert stored(app, world) is None


def test_a_resident_builds_a_ballot_without_javascript(app, browser_session, nojs_page: Page) -> None:
    """(axe-core needs JavaScript to run: the same pages are checked with it on, above.)"""
    world = build(app)
    p1, p2, p3, p4, p5 = world.ids
    page = nojs_page
    sign_in(app, page, browser_session.base_url, world.resident)
    page.goto(world.url)
    for name, left in (("Add Project 1", "£40,000"), ("Add Project 2", "£10,000"), ("Remove Project 1", "£50,000"),
                       ("Add Project 4", "£30,000")):
        with page.expect_navigation():
            page.get_by_role("button", name=name).click()
        expect(money_left(page)).to_have_text(left)
    assert stored(app, world) is None
    with page.expect_navigation():
        page.get_by_role("button", name="Add Project 1").click()  # £40,000 with £30,000 left: refused
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Project 1 costs £40,000, more than the £30,000 you have left")
    expect(money_left(page)).to_have_text("£30,000")
    with page.expect_navigation():
        page.get_by_role("button", name="Submit my vote").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Your vote has been recorded")
    expect(page.locator("[data-ballot-confirmed] li")).to_have_count(2)
    assert stored(app, world) == {p2: 1, p4: 1}


def test_a_resident_votes_with_the_keyboard_alone(app, browser_session, page: Page) -> None:
    world = build(app)
    p1, p2, p3, p4, p5 = world.ids
    sign_in(app, page, browser_session.base_url, world.resident)
    page.goto(world.url)
    for name, left in (("Add Project 5", "£70,000"), ("Add Project 4", "£50,000")):
        tab_to(page, BUTTON_NAMED, {"name": name, "within": None})
        assert_focus_visible(page)
        page.keyboard.press("Enter")
        expect(money_left(page)).to_have_text(left)
        assert focused_matches(page, BUTTON_NAMED, {"name": name.replace("Add", "Remove"), "within": None})
    page.keyboard.press("Space")  # the focused button now removes Project 4
    expect(money_left(page)).to_have_text("£70,000")
    KeyboardDriver(page).press("Submit my vote")
    expect(page.locator(".govuk-panel__title")).to_have_text("Your vote has been recorded")
    assert stored(app, world) == {p5: 1}


def test_a_points_ballot_counts_points_live(app, browser_session, page: Page, check_a11y) -> None:
    world = build(app, ballot_kind="cumulative", points_per_voter=10)
    p1, p2, *_ = world.ids
    sign_in(app, page, browser_session.base_url, world.resident)
    page.goto(world.url)
    page.get_by_label("Points for Project 1").fill("6")
    expect(money_left(page)).to_have_text("4")
    page.get_by_label("Points for Project 2").fill("7")
    expect(money_left(page)).to_have_text("-3")
    expect(status(page)).to_have_text("You have given 13 points, 3 more than the 10 you have. Take some away.")
    page.get_by_label("Points for Project 2").fill("4")
    expect(money_left(page)).to_have_text("0")
    expect(page.locator("[data-ballot-list] li")).to_have_count(2)
    check_a11y(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Submit my vote").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Your vote has been recorded")
    assert stored(app, world) == {p1: 6, p2: 4}


def test_visitors_and_closed_voting_pages_are_accessible(app, browser_session, page: Page, check_a11y) -> None:
    world = build(app)
    page.goto(world.url)
    expect(page.get_by_role("link", name="Sign in to vote")).to_be_visible()
    check_a11y(page)
    with app.app_context():
        db.session.get(Pot, world.pot_id).budget.phase = "results"
        db.session.commit()
    sign_in(app, page, browser_session.base_url, world.resident)
    page.goto(world.url)
    expect(page.locator("main")).to_contain_text("Voting has closed")
    expect(page.get_by_role("button", name="Add Project 1")).to_have_count(0)
    check_a11y(page)


def test_staff_paper_ballot_pages_are_accessible(app, browser_session, page: Page, check_a11y) -> None:
    world = build(app)
    sign_in(app, page, browser_session.base_url, world.officer)
    page.goto(f"/budgets/pots/{world.pot_id}/paper-ballots/new")
    check_a11y(page)
    page.get_by_label("Reference number").fill("RV-0001")
    page.get_by_label("Project 5 (£10,000)").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Enter this ballot").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Paper ballot RV-0001 entered")
    page.get_by_label("Reference number").fill("rv-0001")
    page.get_by_label("Project 4 (£20,000)").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Enter this ballot").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Paper ballot RV-0001 has already been entered")
    check_a11y(page)
    page.get_by_role("link", name="See the paper ballots entered").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("Carys Clerk")
    check_a11y(page)
