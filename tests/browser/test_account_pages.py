"""The account pages in Chromium: axe-core finds nothing on each (errors showing too), and a forgotten
password can be reset with JavaScript off, from the emailed link to signing in again."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from forum.accounts import services
from forum.mail.transport import sent as outbox
from tests import factories
from tests.browser.test_accessibility import sign_in

pytestmark = pytest.mark.browser

STRONG = "purple monkey dishwasher"


@dataclass
class People:
    admin: str
    resident: str
    resident_id: int
    reset_token: str


@pytest.fixture
def people(app: Flask) -> People:
    with app.app_context():
        admin = factories.make_user("Ada Admin", role="admin")
        resident = factories.make_user("Rita Reader", email="rita@example.org")
        return People(factories.sign_in_id(admin), factories.sign_in_id(resident), resident.id,
                      services.make_reset_token(resident))


def click(button: str) -> Callable[[Page], None]:
    def act(page: Page) -> None:
        with page.expect_navigation():
            page.get_by_role("button", name=button, exact=True).click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()

    return act


@dataclass
class Case:
    path: Callable[[People], str]
    who: str | None = None
    status: int = 200
    then: Callable[[Page], None] | None = None


CASES: dict[str, Case] = {
    "login-errors": Case(lambda p: "/login", then=click("Sign in")),
    "reset-request-errors": Case(lambda p: "/reset-password", then=click("Send the link")),
    "reset-password": Case(lambda p: f"/reset-password/{p.reset_token}"),
    "reset-password-errors": Case(lambda p: f"/reset-password/{p.reset_token}", then=click("Save password")),
    "reset-invalid": Case(lambda p: "/reset-password/not-a-real-token", status=400),
    "account": Case(lambda p: "/account", who="resident"),
    "change-password-errors": Case(lambda p: "/account/password", who="resident", then=click("Change password")),
    "admin-user": Case(lambda p: f"/admin/users/{p.resident_id}", who="admin"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_account_page_has_no_axe_violations(name, app, people, browser_session, page, check_a11y):
    case = CASES[name]
    path = case.path(people)
    if case.who:
        sign_in(app, page, browser_session.base_url, getattr(people, case.who))
    url = browser_session.expect_error_status(path) if case.status != 200 else path
    response = page.goto(url)
    assert response is not None and response.status == case.status
    if case.then:
        case.then(page)
    check_a11y(page)


def test_admin_user_page_error_has_no_axe_violations(app, people, browser_session, page, check_a11y):
    sign_in(app, page, browser_session.base_url, people.admin)
    page.goto(f"/admin/users/{people.resident_id}")
    page.get_by_label("Civil servant").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save role").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the organisation")
    check_a11y(page)


def test_forgotten_password_without_javascript(app, people, browser_session, nojs_page):
    page = nojs_page
    page.goto("/login")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_label("Email address").fill("rita@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    link = re.search(r"http://\S+/reset-password/\S+", outbox(app)[-1].get_content()).group(0)
    assert link.startswith(browser_session.base_url)
    page.goto(link)
    page.get_by_label("New password", exact=True).fill(STRONG)
    page.get_by_label("Confirm new password").fill(STRONG)
    page.get_by_role("button", name="Save password").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your password has been changed")
    page.get_by_label("Email address").fill("rita@example.org")
    page.get_by_label("Password", exact=True).fill(STRONG)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Rita Reader")).to_be_visible()
