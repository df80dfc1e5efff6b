"""The count of a place in Chromium (issue 15): the demo's area page and the import page are accessible (axe), work
by keyboard alone (a file chosen, the form sent, the problems read; the year and download links reached with
visible focus), and nothing on them scrolls sideways at 320px, charts and tables included."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from forum.budgeting.services import budgets as budget_services
from forum.common.timefmt import utcnow
from forum.demo import places as demo_places
from forum.extensions import db
from forum.places.count import year_of
from tests import factories
from tests.browser.conftest import Session
from tests.browser.helpers import assert_focus_visible, sign_in, tab_to
from tests.factories import sign_in_id

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
TEXT_CUT = """() => [...document.querySelectorAll('.pb-bars__label, .pb-bars__value, main th, main td')]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1).map(el => el.textContent.trim())"""


@dataclass
class World:
    area: str
    staff: str


@pytest.fixture
def app(module_app: Flask) -> Flask:
    return module_app


@pytest.fixture
def live_server(module_live_server: str) -> str:
    return module_live_server


@pytest.fixture(scope="module")
def world(module_app: Flask) -> World:
    with module_app.app_context():
        for name in demo_places.PLACES:
            budget_services.create_area(name)
        demo_places.load_count()
        staff = factories.make_user("Cal Servant", role="civil_servant")
        db.session.commit()
        return World(area="/places/northfield/", staff=sign_in_id(staff))


def test_the_area_page_is_accessible_and_labels_the_figures_illustrative(world: World, page: Page,
                                                                         check_a11y) -> None:
    page.goto(world.area)
    expect(page.locator("h1")).to_have_text("Public spending in Northfield")
    expect(page.locator(".govuk-warning-text")).to_contain_text("These figures are illustrative")
    expect(page.get_by_role("img", name="Public spending in Northfield by body")).to_be_visible()
    expect(page.get_by_role("img", name="Public spending in Northfield by purpose")).to_be_visible()
    check_a11y(page)
    page.goto("/places/")
    check_a11y(page)


def test_the_area_page_by_keyboard(world: World, page: Page) -> None:
    page.goto(world.area)
    last_year = year_of(utcnow()) - 1
    label = f"{last_year}-{(last_year + 1) % 100:02d}"
    tab_to(page, "(el, a) => el.tagName === 'A' && el.textContent.trim() === a.text", {"text": label})
    assert_focus_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".govuk-caption-l")).to_have_text(label)
    tab_to(page, "(el, a) => el.tagName === 'A' && el.textContent.trim() === a.text", {"text": "both (JSON)"},
           max_tabs=80)
    assert_focus_visible(page)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "northfield-count.json"


@pytest.mark.parametrize("width", [320, 1280])
def test_nothing_scrolls_sideways(world: World, browser_session: Session, app: Flask, page: Page,
                                  width: int, tmp_path: Path) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(world.area)
    assert page.evaluate(NO_SIDEWAYS_SCROLL) and page.evaluate(TEXT_CUT) == []
    if width == 320:
        expect(page.locator(".forum-count-table tbody .pb-table__label").first).to_be_visible()
    sign_in(app, page, browser_session.base_url, world.staff)
    bad = tmp_path / "count.csv"
    bad.write_text("area,year,body_type,body,purpose,description,amount,source\n"
                   "Northfield,2025-27,council,A very long body name that goes on and on,10.2,Care,lots,Accounts\n")
    page.goto("/places/import")
    page.set_input_files("input[type=file]", str(bad))
    with page.expect_navigation():
        page.get_by_role("button", name="Check and load the file").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The file has 2 problems")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)


def test_staff_load_a_file_by_keyboard_and_read_its_problems(world: World, browser_session: Session, app: Flask,
                                                             page: Page, check_a11y, tmp_path: Path) -> None:
    sign_in(app, page, browser_session.base_url, world.staff)
    bad = tmp_path / "count.csv"
    bad.write_text("area,year,body_type,body,purpose,description,amount,source\n"
                   "Nowhere,2025-26,council,A council,10.2,Care,100,Accounts\n")
    page.goto("/places/import")
    check_a11y(page)
    tab_to(page, "el => el.type === 'file'")
    assert_focus_visible(page)
    page.locator("input[type=file]").set_input_files(str(bad))  # the file chooser is the browser's own dialog
    tab_to(page, "el => el.tagName === 'BUTTON'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(page.locator("#problems tbody tr")).to_have_text(["2 There is no area “Nowhere” (use an area's name "
                                                             "or its short name)"])
    check_a11y(page)
