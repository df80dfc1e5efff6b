"""The journey a newcomer takes: register, join a group, start a thread with tags, reply, comment, edit, and
see it all. Three ways: with the mouse, with JavaScript off, and with the keyboard alone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from forum.mail.transport import sent as outbox
from tests import factories
from tests.browser.conftest import Session
from tests.browser.helpers import LINK_NAMED, KeyboardDriver, MouseDriver, assert_focus_visible, tab_to

pytestmark = pytest.mark.browser

GROUP = "Parks and play areas"
TITLE = "Fix the swings in Victoria Park"
TAGS = "Play Areas, budget"
REPLY = "I walked past on Monday and two of them are still chained up."
EDITED = "I walked past on Monday: all three swings are chained up."
COMMENT = "Thanks, I have asked the parks team."


@pytest.fixture
def group_slug(app) -> str:
    with app.app_context():
        return factories.make_group(GROUP, description="Swings, slides and benches.").slug


def _confirmation_path(app) -> str:
    """The link in the registration email, as a path on the live server."""
    message = outbox(app)[-1]
    assert message["To"] == "jo@example.org"
    return re.search(r"https?://[^/\s]+(/register/\S+)", message.get_content()).group(1)


def run_journey(page: Page, driver: MouseDriver | KeyboardDriver, app) -> None:
    page.goto("/")
    driver.follow("Create an account")
    driver.fill("Display name", "Jo Walker")
    driver.fill("Email address", "jo@example.org")
    driver.fill("Password", "a long and quiet walk in the park")
    driver.fill("Confirm password", "a long and quiet walk in the park")
    driver.press("Create account")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    page.goto(_confirmation_path(app))
    driver.press("Confirm and sign in")
    expect(page.get_by_role("link", name="Jo Walker").first).to_be_visible()

    driver.follow("Groups")
    driver.follow(GROUP, within="main")
    driver.press("Join this group")
    expect(page.get_by_text("You are a member")).to_be_visible()

    driver.press("Start a thread")
    driver.fill("Title", TITLE)
    driver.fill("Your post", "The swings have been chained up since August.")
    driver.fill("Tags (optional)", TAGS)
    driver.press("Start the thread")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    driver.fill("Your reply", REPLY)
    driver.press("Post reply")
    expect(page.locator("#post-2")).to_contain_text(REPLY)

    driver.open("Add a comment to post 1", within="#post-1")
    driver.fill("Your comment on post 1", COMMENT, within="#post-1")
    driver.press("Add comment", within="#post-1")
    expect(page.locator("#post-1 .forum-comment-list")).to_contain_text(COMMENT)

    driver.follow("Edit post 2", within="#post-2")
    driver.fill("Your post", EDITED)
    driver.press("Save changes")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your changes were saved.")

    check_everything_is_visible(page)

    driver.follow("play areas", within="main")
    expect(page.get_by_role("heading", level=1)).to_contain_text("play areas")
    expect(page.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=f"latest post in “{TITLE}”")).to_have_attribute("href", re.compile("#post-2$"))


def check_everything_is_visible(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    tags = page.get_by_role("list", name="Tags")
    expect(tags.get_by_role("link", name="play areas", exact=True)).to_have_attribute("href", "/tags/play%20areas/")
    expect(tags.get_by_role("link", name="budget", exact=True)).to_have_attribute("href", "/tags/budget/")
    reply = page.locator("#post-2")
    expect(reply).to_contain_text(EDITED)
    expect(reply).not_to_contain_text(REPLY)
    expect(reply).to_contain_text("Edited")
    expect(reply.get_by_role("link", name=re.compile(r"^see what changed"))).to_be_visible()
    expect(page.locator("#post-1 .forum-comment-list")).to_contain_text(COMMENT)
    expect(page.locator("#post-1")).to_contain_text("The swings have been chained up since August.")


def test_journey_with_the_mouse(app, page: Page, group_slug: str, browser_session) -> None:
    run_journey(page, MouseDriver(page), app)
    browser_session.console.assert_clean()


def test_journey_without_javascript(app, nojs_page: Page, group_slug: str) -> None:
    run_journey(nojs_page, MouseDriver(nojs_page), app)
    assert "govuk-frontend-supported" not in (nojs_page.locator("body").get_attribute("class") or "")


def test_journey_with_the_keyboard_alone(app, page: Page, group_slug: str, browser_session) -> None:
    run_journey(page, KeyboardDriver(page), app)
    browser_session.console.assert_clean()


# Every element looks the same focused or not.
FLAT_LOOK = (
    "*, *:focus, *:focus-visible { outline: none !important; box-shadow: none !important;"
    " background: none !important; color: black !important; text-decoration: none !important; }"
)


def test_the_focus_check_catches_a_focus_that_cannot_be_seen(browser_session: Session) -> None:
    """The keyboard journey's focus check means something only if a page without focus styles fails it."""
    context = browser_session.browser.new_context(base_url=browser_session.base_url, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto("/")
        tab_to(page, LINK_NAMED, {"name": "Groups", "within": None})
        assert_focus_visible(page)
        page.add_style_tag(content=FLAT_LOOK)
        with pytest.raises(AssertionError, match="focus is not visible"):
            assert_focus_visible(page)
    finally:
        context.close()
