"""Search in Chromium: from the header's search box by keyboard alone to a highlighted result, and axe-core
finds nothing on the results page (with results, with none, and with a filter error)."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from forum.common import transaction
from tests import factories
from tests.browser.helpers import KeyboardDriver

pytestmark = pytest.mark.browser


@pytest.fixture
def content(app: Flask) -> None:
    with app.app_context():
        author = factories.make_user("Sam Writer")
        group = factories.make_group("Streets", members=(author,))
        factories.make_thread(group, author, title="Bike lanes on the high street",
                              body="Protected lanes would make cycling to school safe.", tags="cycling")
        transaction.commit()


def test_searching_from_the_header_by_keyboard(content, browser_session, page: Page, check_a11y):
    page.goto(browser_session.base_url + "/")
    keys = KeyboardDriver(page)
    keys.fill("Search the forum", '"lanes* (')
    keys.press("Search")
    expect(page.locator("h1")).to_have_text("Search")
    result = page.locator(".forum-search-result")
    expect(result).to_have_count(1)
    expect(result.locator("mark").first).to_have_text("lanes")
    keys.follow("Bike lanes on the high street")
    expect(page.locator("h1")).to_contain_text("Bike lanes on the high street")


@pytest.mark.parametrize("path", ["/search", "/search?q=lanes", "/search?q=nothing&tag=cycling",
                                  "/search?q=lanes&from=not-a-date"])
def test_search_pages_have_no_axe_violations(path, content, browser_session, page: Page, check_a11y):
    response = page.goto(browser_session.base_url + path)
    assert response is not None and response.status == 200
    check_a11y(page)
