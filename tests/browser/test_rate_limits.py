"""Over a rate limit, the browser gets a 429 page that passes axe; a reply over the posting limit comes back
with every word kept, ready to send again."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import BROWSER_CONFIG, Session
from tests.browser.helpers import sign_in
from tests.factories import sign_in_id

pytestmark = pytest.mark.browser

KEPT = "Two, and every word of it kept."


@pytest.fixture
def app_config() -> dict:
    return {**BROWSER_CONFIG, "RATELIMIT_ENABLED": True, "RATELIMIT_POSTING": "1 per minute",
            "RATELIMIT_LOGIN": "1 per minute"}


def test_a_reply_over_the_posting_limit_comes_back_kept(
    app: Flask, browser_session: Session, page: Page, check_a11y
) -> None:
    with app.app_context():
        member = factories.make_user("Sam Resident")
        group = factories.make_group("Parks and play areas", members=(member,))
        thread = factories.make_thread(group, member, "Fix the swings").id
        member = sign_in_id(member)
    sign_in(app, page, browser_session.base_url, member)
    browser_session.expect_error_status(f"/threads/{thread}/reply")
    page.goto(f"/threads/{thread}/")
    for text in ("One.", KEPT):
        page.get_by_label("Your reply", exact=True).fill(text)
        with page.expect_navigation():
            page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many attempts")
    expect(page.get_by_label("Your text")).to_have_value(KEPT)
    check_a11y(page)
    browser_session.console.assert_clean()


def test_too_many_sign_in_attempts_get_the_429_page(app: Flask, browser_session: Session, page: Page,
                                                    check_a11y) -> None:
    browser_session.expect_error_status("/login")
    page.goto("/login")
    for _ in range(2):
        page.get_by_label("Email address").fill("nobody@example.org")
        page.get_by_label("Password", exact=True).fill("not the password")
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many attempts")
    check_a11y(page)
    browser_session.console.assert_clean()
