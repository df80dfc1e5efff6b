"""Issue 11's account pages in Chromium: axe-core finds nothing on each (errors showing too), and a person
renames themselves, changes their email, downloads their data and deletes their account with the keyboard alone."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from forum.accounts import services
from tests import factories
from tests.browser.helpers import BUTTON_NAMED, KeyboardDriver, assert_focus_visible, sign_in, tab_to
from tests.conftest import TEST_PASSWORD
from tests.factories import sign_in_id

pytestmark = pytest.mark.browser


@dataclass
class People:
    resident: str
    email_token: str


@pytest.fixture
def people(app: Flask) -> People:
    with app.app_context():
        resident = factories.make_user("Rita Reader", email="rita@example.org")
        return People(sign_in_id(resident), services.make_email_token(resident, "rita.new@example.org"))


def click(button: str) -> Callable[[Page], None]:
    def act(page: Page) -> None:
        with page.expect_navigation():
            page.get_by_role("button", name=button, exact=True).click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()

    return act


@dataclass
class Case:
    path: Callable[[People], str]
    who: str | None = "resident"
    status: int = 200
    then: Callable[[Page], None] | None = None


CASES: dict[str, Case] = {
    "account": Case(lambda p: "/account"),
    "change-name": Case(lambda p: "/account/name"),
    "change-email-errors": Case(lambda p: "/account/email", then=click("Send the link")),
    "email-confirm": Case(lambda p: f"/account/email/{p.email_token}", who=None),
    "email-invalid": Case(lambda p: "/account/email/not-a-real-token", who=None, status=400),
    "download": Case(lambda p: "/account/data"),
    "delete-errors": Case(lambda p: "/account/delete", then=click("Delete my account")),
}


@pytest.mark.parametrize("name", list(CASES))
def test_account_data_page_has_no_axe_violations(name, app, people, browser_session, page, check_a11y):
    case = CASES[name]
    if case.who:
        sign_in(app, page, browser_session.base_url, getattr(people, case.who))
    path = case.path(people)
    url = browser_session.expect_error_status(path) if case.status != 200 else path
    response = page.goto(url)
    assert response is not None and response.status == case.status
    if case.then:
        case.then(page)
    check_a11y(page)


def test_account_data_by_keyboard(app, people, browser_session, page):
    sign_in(app, page, browser_session.base_url, people.resident)
    keys = KeyboardDriver(page)
    page.goto("/account")

    keys.follow("Change display name")
    keys.fill("Display name", "Rita Writer")
    keys.press("Save display name")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your display name is now Rita Writer")

    keys.follow("Change email address")
    keys.fill("New email address", "rita.new@example.org")
    keys.fill("Current password", TEST_PASSWORD)
    keys.press("Send the link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    page.goto("/account")
    keys.follow("Download your data")
    tab_to(page, BUTTON_NAMED, {"name": "Download your data", "within": None})
    assert_focus_visible(page)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "forum-data-rita-writer.json"
    data = json.loads(Path(download.value.path()).read_text())
    assert data["profile"]["display_name"] == "Rita Writer"

    page.goto("/account")
    keys.follow("Delete your account")
    keys.fill("Your password", TEST_PASSWORD)
    keys.press("Delete my account")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your account has been deleted")
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
