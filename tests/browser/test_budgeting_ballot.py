"""The ballot in Chromium: a resident builds and casts a ballot with JavaScript on (money left updates live),
with it off (every Add and Remove is a round trip) and with the keyboard alone; axe-core finds nothing on the
ballot page (empty, with choices, with an error), the confirmation and staff's paper-ballot pages. On a phone
(375 px) a refused Add is said beside its button with the money-left bar in view, without JavaScript the error
summary is on screen after a refused Add, and leaving with unsaved changes asks first."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from forum.accounts.models import User
from forum.budgeting.models import Pot, Proposal
from forum.budgeting.services import voting
from forum.extensions import db
from tests.browser.helpers import BUTTON_NAMED, KeyboardDriver, assert_focus_visible, focused_matches, sign_in, tab_to
from tests.budgeting.support import make_budget
from tests.factories import make_user, sign_in_id

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
        return World(setup.pot.id, setup.ids, sign_in_id(resident), resident.id, sign_in_id(officer))


def stored(app: Flask, world: World) -> dict[int, int] | None:
    with app.app_context():
        ballot, points = voting.current_ballot(db.session.get(Pot, world.pot_id),
                                               db.session.get(User, world.resident_id))
        return None if ballot is None else points


def money_left(page: Page):
    """The money or points left in "Your ballot" (the money-left bar shows the same figure)."""
    return page.locator(".pb-ballot__summary [data-ballot-left]")


PHONE = {"width": 375, "height": 667}


def inside_viewport(page: Page, selector: str) -> dict:
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not shown"
    viewport = page.viewport_size
    # (scroll positions are whole pixels, boxes are not: half a pixel either way is still on screen)
    assert box["y"] >= -1 and box["y"] + box["height"] <= viewport["height"] + 1, (selector, box)
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], (selector, box)
    return box


def overlaps(a: dict, b: dict) -> bool:
    return not (a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


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
    expect(page.locator(".pb-ballot__summary [data-ballot-count]")).to_have_text("2 proposals chosen")
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


def test_on_a_phone_a_refused_add_is_said_by_its_button_with_the_money_left_in_view(app, browser_session,
                                                                                   page: Page, check_a11y) -> None:
    world = build(app)
    sign_in(app, page, browser_session.base_url, world.resident)
    page.set_viewport_size(PHONE)
    page.goto(world.url)
    page.get_by_role("button", name="Add Project 1").click()
    # the bar grows a line as the first choice lands: the next click waits for it, so the layout is still
    expect(page.locator("[data-ballot-bar]")).to_contain_text("£40,000 left of £80,000")
    page.get_by_role("button", name="Add Project 2").click()  # £10,000 left
    expect(page.locator("[data-ballot-bar]")).to_contain_text("£10,000 left of £80,000")
    refused = page.get_by_role("button", name="Add Project 3")  # £25,000
    refused.click()
    message = "Project 3 costs £25,000, more than the £10,000 you have left. Remove a proposal first."
    error = page.locator(f"#proposal-{world.ids[2]} .govuk-error-message")
    expect(error).to_have_text(f"Error: {message}")
    expect(status(page)).to_have_text(message)  # the live region: said to screen readers too
    expect(refused).to_have_attribute("aria-describedby", error.get_attribute("id"))
    expect(refused).to_be_focused()
    # The refusal, its button and the money-left bar are all on screen, and the bar covers neither.
    error_box, button_box = inside_viewport(page, f"#proposal-{world.ids[2]} .govuk-error-message"), \
        inside_viewport(page, f"#ballot-button-{world.ids[2]}")
    bar_box = inside_viewport(page, "[data-ballot-bar]")
    expect(page.locator("[data-ballot-bar] [data-ballot-left]")).to_have_text("£10,000")
    expect(page.locator("[data-ballot-bar] [data-ballot-count]")).to_have_text("2 proposals chosen")
    assert not overlaps(bar_box, error_box) and not overlaps(bar_box, button_box)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    check_a11y(page)
    page.get_by_role("button", name="Remove Project 1").click()  # the next change clears the refusal
    expect(page.locator(".govuk-error-message")).to_have_count(0)
    expect(page.locator("[data-ballot-bar] [data-ballot-left]")).to_have_text("£50,000")


def test_on_a_phone_tabbing_down_the_list_keeps_focus_clear_of_the_money_left_bar(app, browser_session,
                                                                                 page: Page) -> None:
    """WCAG 2.2 2.4.11: the sticky bar never hides what has focus (the page's scroll padding)."""
    world = build(app, costs=tuple([5_000] * 12))
    sign_in(app, page, browser_session.base_url, world.resident)
    page.set_viewport_size(PHONE)
    page.goto(world.url)
    for n in range(1, 13):
        tab_to(page, BUTTON_NAMED, {"name": f"Add Project {n}", "within": None})
        button = page.evaluate("() => { const r = document.activeElement.getBoundingClientRect();"
                               " return {x: r.x, y: r.y, width: r.width, height: r.height}; }")
        bar = page.locator("[data-ballot-bar]").bounding_box()
        assert not overlaps(button, bar), (n, button, bar)
        assert button["y"] + button["height"] <= PHONE["height"]


def test_without_javascript_a_refused_add_brings_the_error_summary_on_screen(app, browser_session,
                                                                           nojs_page: Page) -> None:
    world = build(app)
    p1, p2, p3, *_ = world.ids
    page = nojs_page
    sign_in(app, page, browser_session.base_url, world.resident)
    page.set_viewport_size(PHONE)
    page.goto(world.url)
    for name in ("Add Project 1", "Add Project 2"):
        with page.expect_navigation():
            page.get_by_role("button", name=name).click()
    inside_viewport(page, f"#ballot-button-{p2}")  # a change that fits comes back at its proposal
    with page.expect_navigation():
        page.get_by_role("button", name="Add Project 3").click()  # £25,000 with £10,000 left: refused
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Project 3 costs £25,000, more than the £10,000 you have left")
    inside_viewport(page, ".govuk-error-summary")
    expect(page.locator(f"#proposal-{p3} .govuk-error-message")).to_contain_text("Project 3 costs £25,000")
    # The summary's link goes to the button that was refused.
    assert summary.get_by_role("link").get_attribute("href") == f"#ballot-button-{p3}"
    assert stored(app, world) is None


def test_leaving_with_unsaved_changes_asks_first(app, browser_session, page: Page) -> None:
    world = build(app)
    sign_in(app, page, browser_session.base_url, world.resident)
    page.goto(world.url)
    asked: list[str] = []

    def answer(dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.get_by_role("link", name="Budgets").first.click()  # nothing changed yet: leaves without asking
    page.wait_for_url("**/budgets/")
    assert asked == []
    page.goto(world.url)
    page.get_by_role("button", name="Add Project 5").click()
    page.get_by_role("link", name="Budgets").first.click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"] and page.url.endswith(world.url)
    page.get_by_role("button", name="Remove Project 5").click()  # back as it was saved: nothing to lose
    page.get_by_role("link", name="Budgets").first.click()
    page.wait_for_url("**/budgets/")
    assert asked == ["beforeunload"]
    page.goto(world.url)
    page.get_by_role("button", name="Add Project 5").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Submit my vote").click()  # submitting does not ask
    expect(page.locator(".govuk-panel__title")).to_have_text("Your vote has been recorded")
    assert asked == ["beforeunload"]


# Ranked (ordinal) and choose-1 ballots -------------------------------------------------------------------------

LONG_TITLE = "Riverside community orchard with accessible raised beds and seating for older residents"


def ranked_world(app: Flask) -> World:
    """A ranked ballot like Kraków's: exactly 3 ranks. One proposal has a long title (the widest select option)."""
    world = build(app, ballot_kind="ordinal", min_projects=3, max_projects=3)
    with app.app_context():
        db.session.get(Proposal, world.ids[4]).title = LONG_TITLE
        db.session.commit()
    return world


def no_overflow(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_ranked_ballot_by_keyboard_alone_with_move_buttons_announced(app, browser_session, page: Page,
                                                                      check_a11y) -> None:
    world = ranked_world(app)
    p1, p2, p3, p4, p5 = world.ids
    sign_in(app, page, browser_session.base_url, world.resident)
    page.set_viewport_size(PHONE)
    page.goto(world.url)
    check_a11y(page)
    no_overflow(page, PHONE["width"])
    # Each rank's select, reached by Tab and set with the arrow keys (options: "Choose a proposal", then by title).
    for label, presses in (("1st choice", 2), ("2nd choice", 4), ("3rd choice", 1)):
        tab_to(page, "(el, arg) => el.tagName === 'SELECT' && el.labels[0].textContent.trim() === arg.name",
               {"name": label})
        assert_focus_visible(page)
        for _ in range(presses):
            page.keyboard.press("ArrowDown")
    expect(page.get_by_label("1st choice")).to_have_value(str(p2))
    expect(page.get_by_label("2nd choice")).to_have_value(str(p4))
    expect(page.get_by_label("3rd choice")).to_have_value(str(p1))
    expect(page.locator(f"#proposal-{p4} [data-ballot-on]")).to_have_text("Your 2nd choice")

    # Move the 2nd choice up: it swaps with the 1st, focus follows it, and the status region says so.
    tab_to(page, BUTTON_NAMED, {"name": "Move up your 2nd choice", "within": None})
    page.keyboard.press("Enter")
    expect(page.get_by_label("1st choice")).to_have_value(str(p4))
    expect(page.get_by_label("2nd choice")).to_have_value(str(p2))
    expect(status(page)).to_have_text("Project 4 is now your 1st choice.")
    assert focused_matches(page, BUTTON_NAMED, {"name": "Move down your 1st choice", "within": None})
    page.keyboard.press("Enter")  # and back down again
    expect(page.get_by_label("2nd choice")).to_have_value(str(p4))
    expect(status(page)).to_have_text("Project 4 is now your 2nd choice.")
    check_a11y(page)
    KeyboardDriver(page).press("Submit my vote")
    expect(page.locator(".govuk-panel__title")).to_have_text("Your vote has been recorded")
    expect(page.locator("[data-ballot-confirmed] li")).to_have_text(
        ["Project 2 (£30,000)", "Project 4 (£20,000)", "Project 1 (£40,000)"])
    check_a11y(page)
    assert stored(app, world) == {p2: 1, p4: 2, p1: 3}


def test_a_ranked_ballot_without_javascript_on_a_phone(app, browser_session, nojs_page: Page) -> None:
    world = ranked_world(app)
    p1, p2, p3, p4, p5 = world.ids
    page = nojs_page
    sign_in(app, page, browser_session.base_url, world.resident)
    page.set_viewport_size(PHONE)
    page.goto(world.url)
    expect(page.get_by_role("button", name="Move up your 2nd choice")).to_have_count(0)  # the script's own
    page.get_by_label("1st choice").select_option(str(p5))
    page.get_by_label("2nd choice").select_option(str(p5))
    with page.expect_navigation():
        page.get_by_role("button", name="Submit my vote").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(f"Choose a different proposal as your 2nd choice: {LONG_TITLE} is already your "
                                    "1st choice")
    inside_viewport(page, ".govuk-error-summary")
    expect(page.get_by_label("1st choice")).to_have_value(str(p5))  # what the person chose is kept
    expect(page.get_by_label("2nd choice")).to_have_value(str(p5))
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("2nd choice")).to_be_focused()
    page.get_by_label("2nd choice").select_option(str(p3))
    page.get_by_label("3rd choice").select_option(str(p1))
    with page.expect_navigation():
        page.get_by_role("button", name="Submit my vote").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Your vote has been recorded")
    expect(page.locator("[data-ballot-confirmed] li")).to_have_text(
        [f"{LONG_TITLE} (£10,000)", "Project 3 (£25,000)", "Project 1 (£40,000)"])
    no_overflow(page, PHONE["width"])
    assert stored(app, world) == {p5: 1, p3: 2, p1: 3}


def test_a_ranked_ballot_with_an_error_is_accessible_and_fits_320_px(app, browser_session, page: Page,
                                                                    check_a11y) -> None:
    ranked = ranked_world(app)
    sign_in(app, page, browser_session.base_url, ranked.resident)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(ranked.url)
    no_overflow(page, 320)
    page.get_by_label("2nd choice").select_option(str(ranked.ids[4]))
    with page.expect_navigation():
        page.get_by_role("button", name="Submit my vote").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose your 1st choice")
    no_overflow(page, 320)
    check_a11y(page)


def test_a_choose_one_ballot_is_accessible_and_fits_320_px(app, browser_session, page: Page, check_a11y) -> None:
    one = build(app, ballot_kind="choose_one")
    sign_in(app, page, browser_session.base_url, one.resident)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(one.url)
    no_overflow(page, 320)
    check_a11y(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Submit my vote").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose the proposal you want funded")
    check_a11y(page)
    summary.get_by_role("link").click()
    expect(page.locator("#choices")).to_be_focused()
    page.get_by_label("Project 2").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Submit my vote").click()
    expect(page.locator("[data-ballot-confirmed] li")).to_have_text(["Project 2 (£30,000)"])
    no_overflow(page, 320)
    check_a11y(page)
    assert stored(app, one) == {one.ids[1]: 1}


def test_staff_ranked_paper_ballot_page_is_accessible(app, browser_session, page: Page, check_a11y) -> None:
    world = ranked_world(app)
    sign_in(app, page, browser_session.base_url, world.officer)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/budgets/pots/{world.pot_id}/paper-ballots/new")
    page.get_by_label("Reference number").fill("KR-1")
    page.get_by_label("1st choice").select_option(str(world.ids[0]))
    with page.expect_navigation():
        page.get_by_role("button", name="Enter this ballot").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose your 2nd choice: rank exactly 3 proposals")
    no_overflow(page, 320)
    check_a11y(page)
