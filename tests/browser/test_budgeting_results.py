"""The results page in Chromium: axe-core finds nothing on it (counted by greedy and by equal shares, seen by a
visitor and by staff) nor on the page shown before results exist; the charts have text alternatives (a title and
description, and a table of the same figures); at 320px and 1280px nothing scrolls sideways and every chart label
and figure is whole; the download and the recount work from the page. While a pot is being counted its page (and,
for staff, a failed count's notice) is accessible and fits 320px, and its script says each new step aloud."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from forum.budgeting.count_models import CountState, PotCount
from forum.budgeting.models import Pot
from forum.budgeting.services.results import Stage, compute_results
from forum.common.timefmt import utcnow
from forum.extensions import db
from tests import factories
from tests.browser.conftest import Session
from tests.browser.helpers import sign_in
from tests.budgeting.test_result_pages import build_pot
from tests.factories import sign_in_id

pytestmark = pytest.mark.browser

LONG_TITLE = ("Community orchard and wildflower meadow on the Bournbrook recreation ground, with "
              "Supercalifragilisticexpialidociouslyoverlongcommunityorchardname benches")


@dataclass
class World:
    greedy: int
    mes: int
    voting: int
    uncounted: int
    staff: str
    queued: int
    waiting: int
    failed: int


@pytest.fixture
def app(module_app: Flask) -> Flask:
    """The pages here only read (the recount test counts a pot that is counted already): one app per database."""
    return module_app


@pytest.fixture
def live_server(module_live_server: str) -> str:
    return module_live_server


@pytest.fixture(scope="module")
def world(module_app: Flask) -> World:
    with module_app.app_context():
        fair = build_pot("mes", title="Fair Budget 2027", area="Hillside")
        fair.proposals[0].title = LONG_TITLE  # a title longer than a phone is wide, with a word as long
        db.session.commit()
        return World(
            greedy=build_pot("greedy", title="Green Budget 2027", area="Riverside").pot.id,
            mes=fair.pot.id,
            voting=build_pot("greedy", phase="voting", count=False, title="Open Budget", area="Dockside").pot.id,
            uncounted=build_pot("mes", count=False, title="Late Budget", area="Uplands").pot.id,
            staff=sign_in_id(factories.make_user("Cal Servant", role="civil_servant")),
            queued=_with_count(build_pot("mes", count=False, title="Slow Budget", area="Eastside").pot.id,
                               CountState.QUEUED),
            waiting=_with_count(build_pot("greedy", count=False, title="Quiet Budget", area="Northside").pot.id,
                                CountState.QUEUED),
            failed=_with_count(build_pot("mes", count=False, title="Broken Budget", area="Westside").pot.id,
                               CountState.FAILED, error="MemoryError: the worker ran out of memory"),
        )


def _with_count(pot_id: int, state: str, **values) -> int:
    """The pot with its count row in ``state``, as the count job leaves it (no job runs: the test moves it on)."""
    db.session.add(PotCount(pot_id=pot_id, state=state, queued_at=utcnow(), ballots_read=0, **values))
    db.session.commit()
    return pot_id


def _move_count(app: Flask, pot_id: int, **values) -> None:
    with app.app_context():
        db.session.execute(PotCount.__table__.update().where(PotCount.pot_id == pot_id).values(**values))
        db.session.commit()


def results(pot_id: int) -> str:
    return f"/budgets/pots/{pot_id}/results"


def assert_charts_have_text_alternatives(page: Page) -> None:
    charts = page.locator(".pb-bars[role=img]")
    expect(charts).to_have_count(2)
    for n in range(2):
        chart = charts.nth(n)
        labelled_by = chart.get_attribute("aria-labelledby").split()
        assert [page.locator(f"#{ident}").count() for ident in labelled_by] == [1, 1]
        assert page.locator(f"#{labelled_by[0]}").text_content().strip()
        table = chart.locator("xpath=ancestor::figure[1]//table")
        expect(table).to_have_count(1)
        assert table.locator("tbody tr").count() >= 2


@pytest.mark.parametrize("rule", ["greedy", "mes"])
def test_results_page_is_accessible_with_charts_described(world: World, page: Page, check_a11y, rule: str) -> None:
    page.goto(results(getattr(world, rule)))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Results:")
    expect(page.get_by_role("heading", name="Funded proposals")).to_be_visible()
    assert_charts_have_text_alternatives(page)
    other = "Most votes first" if rule == "mes" else "Equal shares"
    expect(page.locator(".pb-results-difference")).to_contain_text(f"{other} would also have funded")
    # A chart is a named image to a screen reader.
    expect(page.get_by_role("img", name="Bar chart of the votes for each proposal")).to_be_visible()
    check_a11y(page)


def test_staff_see_the_recount_button_and_the_page_stays_accessible(
        app: Flask, world: World, browser_session: Session, page: Page, check_a11y) -> None:
    sign_in(app, page, browser_session.base_url, world.staff)
    page.goto(results(world.mes))
    with page.expect_navigation():
        page.get_by_role("link", name="Count the votes again").click()
    expect(page.locator("h1")).to_have_text("Count the votes again?")  # it replaces the result: asked first
    check_a11y(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Count the votes again").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The votes are being counted")
    check_a11y(page)


@pytest.mark.parametrize("pot", ["voting", "uncounted"])
def test_page_before_results_is_accessible(world: World, page: Page, check_a11y, pot: str) -> None:
    response = page.goto(results(getattr(world, pot)))
    assert response is not None and response.status == 200
    words = "Results come when voting closes" if pot == "voting" else "have not been counted yet"
    expect(page.locator("main")).to_contain_text(words)
    expect(page.locator("main svg")).to_have_count(0)
    check_a11y(page)


# Whether each chart label and value is drawn whole: no box is wider than what holds it, nothing reaches past the
# page's right edge, and every proposal's whole title is there.
CHART_TEXT_FITS = """() => [...document.querySelectorAll('.pb-bars__label, .pb-bars__value, .pb-bars__caption')]
  .filter(el => el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > window.innerWidth)
  .map(el => el.textContent.trim())"""


@pytest.mark.parametrize("width", [320, 1280])
def test_results_reflow_with_every_chart_label_and_figure_whole(world: World, page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(results(world.mes))
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate(CHART_TEXT_FITS) == []
    titles = page.locator(".pb-compare tbody th").evaluate_all(
        "cells => cells.map(c => c.firstChild.textContent.trim())")
    labels = page.locator(".pb-bars__label").evaluate_all("els => els.map(el => el.textContent.trim())")
    assert set(titles) <= set(labels) and len(titles) >= 5
    # On a phone each table row stacks and names its columns; on a laptop the names are the column headings.
    label = page.locator(".pb-compare tbody .pb-table__label").first
    if width == 320:
        expect(label).to_be_visible()
        assert page.locator(".pb-compare tbody tr").first.evaluate("tr => getComputedStyle(tr).display") == "flex"
    else:
        expect(label).to_be_hidden()


def test_the_download_link_gives_the_pabulib_file(world: World, page: Page) -> None:
    page.goto(results(world.greedy))
    with page.expect_download() as download:
        page.get_by_role("link", name="pabulib file (.pb)").click()
    assert download.value.suggested_filename == f"green-budget-2027-riverside-pot-{world.greedy}.pb"
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "project_id;cost;name;selected" in text and "VOTES" in text


NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_the_counting_page_says_each_step_then_leads_to_the_result(app: Flask, world: World, page: Page,
                                                                     check_a11y) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(results(world.queued))
    status = page.get_by_role("status")
    expect(page.get_by_role("heading", name="Counting the votes")).to_be_visible()
    expect(status).to_have_text("Waiting for the count to start.")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    check_a11y(page)
    _move_count(app, world.queued, state=CountState.COUNTING, stage=Stage.COMPARING, started_at=utcnow(),
                progress_at=utcnow(), ballots_read=9)
    # The script asks every two seconds and puts the new step in the live region: a screen reader says it.
    expect(status).to_have_text("Step 3 of 4: Working out what the other rule would fund (9 ballots read).",
                                timeout=8000)
    expect(page.locator("#count-steps")).to_have_attribute("value", "3")
    with app.app_context():
        compute_results(db.session.get(Pot, world.queued))
        db.session.commit()
    _move_count(app, world.queued, state=CountState.DONE, finished_at=utcnow())
    expect(status).to_have_text("The votes have been counted.", timeout=8000)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    check_a11y(page)
    with page.expect_navigation():
        page.get_by_role("link", name="See the results").click()
    expect(page.get_by_role("heading", name="Funded proposals")).to_be_visible()


def test_residents_follow_a_count_without_the_script(world: World, browser_session: Session) -> None:
    page = browser_session.new_page(javascript=False)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(browser_session.base_url + results(world.waiting))
    expect(page.get_by_role("status")).to_have_text("Waiting for the count to start.")
    expect(page.get_by_role("link", name="Refresh this page")).to_be_visible()
    page.goto(browser_session.base_url + results(world.failed))
    expect(page.locator("main")).to_contain_text("The result is delayed")  # residents: no error text
    expect(page.locator("main")).not_to_contain_text("MemoryError")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)


def test_staff_see_a_failed_count_with_its_error_and_a_way_to_try_again(
        app: Flask, world: World, browser_session: Session, page: Page, check_a11y) -> None:
    sign_in(app, page, browser_session.base_url, world.staff)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(results(world.failed))
    notice = page.get_by_role("region", name="Important")
    expect(notice).to_contain_text("The count of this pot failed")
    expect(notice).to_contain_text("Error: MemoryError: the worker ran out of memory")
    expect(notice.get_by_role("button", name="Try again")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    check_a11y(page)
