"""Discussions of proposals in Chromium: a resident starts one with the keyboard alone, from the proposal page
to the new thread; axe-core finds nothing on the form (with its errors) or on a thread page's proposal panel."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from forum.budgeting.models import ProposalThread
from forum.extensions import db
from forum.threads.models import Thread
from tests import factories
from tests.browser.conftest import Session
from tests.browser.helpers import FIELD_LABELLED, KeyboardDriver, assert_focus_visible, sign_in, tab_to
from tests.budgeting.support import make_budget
from tests.factories import sign_in_id

pytestmark = pytest.mark.browser


@dataclass
class World:
    member: str  # session id of a member of three groups
    proposal_id: int
    parks_id: int


@pytest.fixture
def world(app: Flask) -> World:
    with app.app_context():
        member = factories.make_user("Meg Member")
        parks = factories.make_group("Parks and green spaces", members=(member,), position=1)
        factories.make_group("Make a bigger difference", members=(member,), position=5)
        factories.make_group("Budget working party", private=True, members=(member,))
        setup = make_budget(costs=(12_500,), area="Riverside", title="Green Budget 2027")
        return World(sign_in_id(member), setup.proposals[0].id, parks.id)


def test_start_a_discussion_with_the_keyboard_alone(app: Flask, world: World, browser_session: Session,
                                                    page: Page, check_a11y):
    sign_in(app, page, browser_session.base_url, world.member)
    page.goto(f"/budgets/proposals/{world.proposal_id}")
    keys = KeyboardDriver(page)
    keys.follow("Start a discussion")
    expect(page.locator("h1")).to_have_text("Start a discussion")
    expect(page.get_by_label("Make a bigger difference")).to_be_checked()
    expect(page.get_by_label("Title")).to_have_value("About: Project 1")

    tab_to(page, FIELD_LABELLED, {"name": "Make a bigger difference", "within": None})  # the chosen radio
    assert_focus_visible(page)
    page.keyboard.press("ArrowUp")  # the group before it in the list
    expect(page.get_by_label("Parks and green spaces")).to_be_checked()
    keys.fill("Your post", "Could the **benches** face the river?")
    keys.fill("Tags (optional)", "parks, benches")
    keys.press("Start the discussion")

    expect(page.locator("h1")).to_have_text("About: Project 1")
    panel = page.get_by_role("complementary", name="This thread discusses")
    expect(panel.get_by_role("link", name="Project 1")).to_have_attribute(
        "href", f"/budgets/proposals/{world.proposal_id}")
    expect(panel).to_contain_text("£12,500")
    expect(panel).to_contain_text("Green Budget 2027")
    check_a11y(page)
    with app.app_context():
        thread = db.session.scalar(select(Thread))
        assert thread.group_id == world.parks_id
        assert db.session.scalar(select(ProposalThread.proposal_id).where(ProposalThread.thread_id == thread.id)) \
            == world.proposal_id


def test_the_discuss_form_with_errors_is_accessible_and_keeps_the_text(app: Flask, world: World,
                                                                        browser_session: Session, page: Page,
                                                                        check_a11y):
    sign_in(app, page, browser_session.base_url, world.member)
    page.goto(f"/budgets/proposals/{world.proposal_id}/discuss")
    check_a11y(page)
    page.get_by_label("Title").fill("")
    page.get_by_label("Your post").fill("My careful words.")
    with page.expect_navigation():
        page.get_by_role("button", name="Start the discussion").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a title")
    expect(page.get_by_label("Your post")).to_have_value("My careful words.")
    check_a11y(page)
    summary.get_by_role("link", name="Enter a title").click()
    expect(page.get_by_label("Title")).to_be_focused()


def test_the_group_page_marks_the_linked_thread_and_is_accessible(app: Flask, world: World,
                                                                   browser_session: Session, page: Page, check_a11y):
    with app.app_context():
        from forum.accounts.models import User
        from forum.groups.models import Group

        parks = db.session.get(Group, world.parks_id)
        thread = factories.make_thread(parks, db.session.scalar(select(User)), title="Benches by the river")
        db.session.add(ProposalThread(proposal_id=world.proposal_id, thread_id=thread.id))
        db.session.commit()
        slug = parks.slug
    sign_in(app, page, browser_session.base_url, world.member)
    page.goto(f"/groups/{slug}/")
    item = page.locator(".forum-thread-list li", has_text="Benches by the river")
    expect(item.locator(".govuk-tag")).to_have_text("Spending proposal")
    check_a11y(page)
    page.goto(f"/budgets/proposals/{world.proposal_id}")
    expect(page.get_by_role("link", name="Benches by the river")).to_be_visible()
    check_a11y(page)
