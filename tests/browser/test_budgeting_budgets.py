"""The budgets pages in Chromium, on the demo forum: axe-core finds nothing on the list, a budget in each
phase (as a visitor and as staff), the confirmation before a phase move, and the staff forms with their errors;
the phase steps read in order, after the H1, and take two lines on a phone; "Vote" is a start button."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from forum.accounts.models import User
from forum.budgeting.models import Budget
from forum.demo import seed
from forum.extensions import db
from tests.browser.conftest import Session
from tests.browser.helpers import sign_in
from tests.factories import sign_in_id

pytestmark = pytest.mark.browser


@dataclass
class Demo:
    voting: str
    finished: str
    staff: str


@pytest.fixture
def app(module_app: Flask) -> Flask:
    return module_app


@pytest.fixture
def live_server(module_live_server: str) -> str:
    return module_live_server


@pytest.fixture(scope="module")
def demo(module_app: Flask) -> Demo:
    with module_app.app_context():
        for _label, step in seed.steps("pbkdf2:sha256:1000"):
            step()
        slugs = {b.phase: b.slug for b in db.session.scalars(select(Budget))}
        staff = db.session.scalar(select(User).where(User.display_name == "Priya Shah"))
        return Demo(slugs["voting"], slugs["delivery"], sign_in_id(staff))


def test_the_list_and_each_budget_are_accessible_to_visitors(demo: Demo, browser_session: Session, page: Page,
                                                             check_a11y):
    page.goto("/budgets/")
    expect(page.locator("h1")).to_have_text("Participatory budgets")
    check_a11y(page)
    page.get_by_role("link", name="Make a bigger difference in Northfield 2027").click()
    steps = page.get_by_role("navigation", name="Phases of Make a bigger difference in Northfield 2027")
    expect(steps.locator("li")).to_have_count(5)
    expect(steps.locator('[aria-current="step"]')).to_contain_text("Voting")
    expect(page.get_by_text("Voting is open.")).to_be_visible()
    check_a11y(page)
    page.goto(f"/budgets/{demo.finished}")
    expect(steps.locator('[aria-current="step"]')).to_have_count(0)  # another budget's navigation
    expect(page.locator('[aria-current="step"]')).to_contain_text("Delivery")
    check_a11y(page)


def test_staff_pages_and_their_errors_are_accessible(app, demo: Demo, browser_session: Session, page: Page,
                                                     check_a11y):
    sign_in(app, page, browser_session.base_url, demo.staff)
    page.goto(f"/budgets/{demo.voting}")
    expect(page.get_by_role("heading", name="Run this budget")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Close voting and count the votes").click()  # a link: asks first
    expect(page.locator("h1")).to_have_text("Close voting and publish the results?")
    expect(page.locator("main")).to_contain_text("Voting closes: residents can no longer cast or change ballots")
    check_a11y(page)
    page.get_by_role("link", name="Cancel").click()
    expect(page.locator('[aria-current="step"]')).to_contain_text("Voting")  # nothing moved
    page.goto("/budgets/new")
    page.get_by_label("Title").fill("Play streets 2028")
    page.get_by_label("Amount of money").fill("nothing")
    page.get_by_role("button", name="Create budget").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the amount in pounds")
    expect(page.get_by_label("Title")).to_have_value("Play streets 2028")
    check_a11y(page)
    page.goto(f"/budgets/{demo.voting}/edit")
    expect(page.get_by_text("can no longer change")).to_be_visible()
    check_a11y(page)


def test_on_a_phone_the_heading_comes_first_and_the_steps_are_compact(demo: Demo, browser_session: Session,
                                                                      page: Page, check_a11y):
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto(f"/budgets/{demo.voting}")
    heading = page.locator("h1").bounding_box()
    steps = page.locator("nav.pb-phases").bounding_box()
    assert heading["y"] + heading["height"] <= steps["y"]  # the steps after the H1
    assert steps["height"] <= 100, steps  # "Step 3 of 5" and one row of numbers, not a screen and a half
    expect(page.locator(".pb-phases__where")).to_have_text("Step 3 of 5")
    expect(page.locator('[aria-current="step"]')).to_contain_text("Voting")
    vote = page.get_by_role("button", name="Vote in").first  # a start button, not a link
    expect(vote).to_have_class(re.compile(r"govuk-button--start"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    check_a11y(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 800})
    assert page.locator("nav.pb-phases").bounding_box()["height"] <= 120  # the full row, names and dates
    expect(page.locator(".pb-phases__where")).to_be_hidden()
