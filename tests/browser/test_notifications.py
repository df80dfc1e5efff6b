"""The notifications pages in Chromium: by keyboard alone from the header's count to the post, mark all read,
the email settings, the unsubscribe page; axe-core finds nothing on each."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from playwright.sync_api import Page

from forum.accounts.models import User
from forum.common import transaction
from forum.extensions import db
from forum.notifications import services
from forum.threads import services as thread_services
from tests import factories
from tests.browser.helpers import BUTTON_NAMED, LINK_NAMED, sign_in, tab_to
from tests.factories import sign_in_id

pytestmark = pytest.mark.browser


@dataclass
class World:
    author: str
    author_id: int
    thread_id: int


@pytest.fixture
def world(app: Flask) -> World:
    with app.app_context():
        author = factories.make_user("Alice Author")
        member = factories.make_user("Bob Member")
        group = factories.make_group("Parks", members=(author, member))
        thread = factories.make_thread(group, author, title="More benches", body="We need benches.")
        thread_services.reply(thread, db.session.get(User, member.id), "Yes, by the pond. Ask @alice-author.")
        thread_services.reply(thread, db.session.get(User, member.id), "And near the swings.")
        transaction.commit()
        return World(sign_in_id(author), author.id, thread.id)


def test_from_the_header_to_the_post_by_keyboard(app, world, browser_session, page: Page, check_a11y):
    sign_in(app, page, browser_session.base_url, world.author)
    page.goto("/")
    tab_to(page, LINK_NAMED, {"name": "Notifications 2 unread"})
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Notifications"
    assert page.locator(".forum-notification--unread").count() == 2
    check_a11y(page)
    tab_to(page, LINK_NAMED, {"name": "Bob Member mentioned you in “More benches”"})
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("#post-2")
    page.goto("/notifications/")
    assert page.locator(".forum-notification--unread").count() == 1
    tab_to(page, BUTTON_NAMED, {"name": "Mark all as read"})
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".forum-notification--unread").count() == 0
    check_a11y(page)


def test_settings_and_unsubscribe_pages_have_no_axe_violations(app, world, browser_session, page: Page,
                                                               check_a11y):
    with app.app_context():
        token = services.unsubscribe_token(world.author_id, "mention")
    page.goto(f"/notifications/unsubscribe/{token}")
    check_a11y(page)
    tab_to(page, BUTTON_NAMED, {"name": "Stop these emails"})
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "You will not get these emails any more"
    check_a11y(page)
    sign_in(app, page, browser_session.base_url, world.author)
    page.goto("/notifications/settings")
    assert page.locator("input[name=mention][value=never]").is_checked()
    check_a11y(page)
