"""The groups pages in Chromium: axe-core finds nothing on the pages the shared walk does not visit, and the
private-group journey (invitation link, request, acceptance) works with JavaScript off and the real CSRF token."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.helpers import sign_in
from tests.groups.support import World, build_world, invite_for, membership_of

pytestmark = pytest.mark.browser


@pytest.fixture
def world(app: Flask) -> World:
    """The groups tests' world (tests/groups/support.py): five people, a public and a private group."""
    return build_world(app)


def _as(app: Flask, tab: Page, base_url: str, person) -> None:
    sign_in(app, tab, base_url, person.session_id)


def test_invitation_page_is_accessible_signed_out_and_in(app, world: World, browser_session, page, check_a11y):
    token = invite_for(app, world.private)
    page.goto(f"/groups/{world.private}/request?invite={token}")
    expect(page.locator("h1")).to_have_text("Ask to join Budget working party")
    check_a11y(page)
    _as(app, page, browser_session.base_url, world.resident)
    page.goto(f"/groups/{world.private}/request?invite={token}")
    expect(page.get_by_role("button", name="Ask to join")).to_be_visible()
    check_a11y(page)


def test_create_form_errors_are_accessible_and_keep_the_text(app, world: World, browser_session, page, check_a11y):
    _as(app, page, browser_session.base_url, world.admin)
    page.goto("/groups/new")
    page.get_by_label("Name").fill("Make a bigger difference")
    page.get_by_label("Summary").fill("My careful summary.")
    with page.expect_navigation():
        page.get_by_role("button", name="Create group").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("A group with this name already exists")
    expect(page.get_by_label("Summary")).to_have_value("My careful summary.")
    check_a11y(page)


def test_group_moderator_edit_page_is_accessible(app, world: World, browser_session, page, check_a11y):
    _as(app, page, browser_session.base_url, world.group_moderator)
    page.goto(f"/groups/{world.public}/edit")
    expect(page.get_by_label("Summary")).to_have_value("About Make a bigger difference")
    check_a11y(page)


def test_private_group_journey_without_javascript(app, world: World, browser_session, nojs_page: Page):
    """A resident follows an invitation link, asks to join; a group moderator accepts; the resident reads it."""
    token = invite_for(app, world.private)
    base = browser_session.base_url
    _as(app, nojs_page, base, world.resident)
    nojs_page.goto(f"/groups/{world.private}/request?invite={token}")
    with nojs_page.expect_navigation():
        nojs_page.get_by_role("button", name="Ask to join").click()
    expect(nojs_page.get_by_text("Request sent")).to_be_visible()
    assert membership_of(app, world.private, world.resident)["status"] == "pending"

    moderator = browser_session.new_page(javascript=False)
    _as(app, moderator, base, world.group_moderator)
    moderator.goto(f"/groups/{world.private}/requests")
    with moderator.expect_navigation():
        moderator.get_by_role("button", name="Accept Rita Resident").click()
    expect(moderator.get_by_text("There are no requests waiting")).to_be_visible()

    response = nojs_page.goto(f"/groups/{world.private}/members")
    assert response is not None and response.status == 200
    expect(nojs_page.locator("main")).to_contain_text("Rita Resident")
