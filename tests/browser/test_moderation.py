"""Moderation in Chromium: a moderator works through a queue of flagged posts with the keyboard alone; axe-core
finds nothing on the queue, an item's review page, the audit log, the flag form (also with an error), the thread
tools and a person's page; a resident flags a post through the flag form."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from forum.extensions import db
from forum.moderation.models import Flag, ReviewItem, ReviewStatus
from forum.threads import services as thread_services
from forum.threads.models import Post, Visibility
from tests.browser.helpers import (
    BUTTON_NAMED,
    FIELD_LABELLED,
    assert_focus_visible,
    describe_focus,
    focused_matches,
    sign_in,
    tab_to,
)
from tests.moderation import support

pytestmark = pytest.mark.browser

REPLIES = ["Cheap loans, call now.", "This thread is pointless and so are you.", "Meet me in the car park."]
REASON = "Abuse aimed at another member (house rule 2: criticise ideas, not people)."
CHECKBOX = "(el, arg) => el.matches(`input[type=checkbox][value='${arg.value}']`)"
RADIO = "(el, arg) => el.matches(`input[type=radio][value='${arg.value}']`)"


@dataclass
class Queue:
    world: support.World
    post_ids: list[int]

    def key(self, n: int) -> str:
        return f"post-{self.post_ids[n]}"


def flagged_queue(app: Flask) -> Queue:
    """Three replies in "Benches by the pond", each flagged once, waiting for a site moderator."""
    world = support.make_world(app)
    with app.app_context():
        thread = support.thread(world.thread_id)
        post_ids = []
        for text in REPLIES:
            post = thread_services.reply(thread, support.user(world.member), text)
            post_ids.append(post.id)
        for n, post_id in enumerate(post_ids):
            support.flag_as(world.flaggers[n], "post", post_id, reason="inappropriate")
    return Queue(world, post_ids)


def states(app: Flask, post_ids: list[int]) -> list[tuple[str, str | None]]:
    with app.app_context():
        rows = {p.id: (p.state, p.hidden_reason) for p in db.session.scalars(select(Post).where(Post.id.in_(post_ids)))}
        return [rows[i] for i in post_ids]


def pending(app: Flask) -> int:
    with app.app_context():
        return len(db.session.scalars(select(ReviewItem.id).where(ReviewItem.status == ReviewStatus.PENDING)).all())


def assert_banner_focused(page: Page, text: str) -> None:
    """GOV.UK's notification banner (or error summary) takes focus on arrival, with the yellow focus outline."""
    banner = page.locator(".govuk-notification-banner, .govuk-error-summary").first
    expect(banner).to_contain_text(text)
    expect(banner).to_be_focused()
    outline = page.evaluate("() => { const s = getComputedStyle(document.activeElement);"
                            " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }")
    assert outline[0] != "none" and outline[1] >= 2, f"no visible focus on {describe_focus(page)}: {outline}"


def tick(page: Page, value: str) -> None:
    """Tab to the checkbox for ``value`` and tick it with Space."""
    tab_to(page, CHECKBOX, {"value": value})
    assert_focus_visible(page)
    page.keyboard.press("Space")
    assert page.evaluate("() => document.activeElement.checked"), "Space did not tick the box"


def apply_to_selected(page: Page) -> None:
    tab_to(page, BUTTON_NAMED, {"name": "Apply to selected items"})
    assert_focus_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_moderator_clears_a_queue_of_flagged_posts_with_the_keyboard_alone(app, browser_session, page: Page,
                                                                              check_a11y) -> None:
    queue = flagged_queue(app)
    sign_in(app, page, browser_session.base_url, queue.world.sitemod.session_id)
    page.goto("/moderation/")
    expect(page.get_by_text("3 items waiting")).to_be_visible()
    for text in REPLIES:
        expect(page.locator(".moderation-entry", has_text=text)).to_be_visible()
    page.keyboard.press("Tab")  # from the top of the page: the skip link first
    assert_focus_visible(page)

    # Applying with nothing ticked says what is missing, and the error summary takes focus.
    apply_to_selected(page)
    assert_banner_focused(page, "Select at least one item")

    # Tick the first two, choose Approve, apply.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    tick(page, queue.key(0))
    tick(page, queue.key(1))
    tab_to(page, RADIO, {"value": "approve"})
    assert_focus_visible(page)
    page.keyboard.press("Space")
    apply_to_selected(page)
    assert_banner_focused(page, "Done for 2 items")
    expect(page.get_by_text("1 item waiting")).to_be_visible()
    assert [s for s, _ in states(app, queue.post_ids)] == [Visibility.VISIBLE] * 3

    # Hide the last one with a reason: tick it, Tab into the choices (a radio group is one Tab stop, and the
    # arrow keys move within it, as on every platform), Down to Hide, Tab to the reason and write it.
    tick(page, queue.key(2))
    tab_to(page, RADIO, {"value": "approve"})
    page.keyboard.press("ArrowDown")
    assert focused_matches(page, RADIO, {"value": "hide"}), describe_focus(page)
    assert page.evaluate("() => document.activeElement.checked"), "the arrow key did not choose Hide"
    assert_focus_visible(page)
    page.keyboard.press("Tab")
    assert focused_matches(page, FIELD_LABELLED, {"name": "Reason for hiding"}), describe_focus(page)
    assert_focus_visible(page)
    page.keyboard.type(REASON)
    apply_to_selected(page)
    assert_banner_focused(page, "Hid post")
    expect(page.locator("#queue-empty")).to_have_text("Nothing waits for review.")
    assert states(app, queue.post_ids)[2] == (Visibility.HIDDEN, REASON)
    assert pending(app) == 0
    check_a11y(page)


def test_axe_finds_nothing_on_the_moderation_pages(app, browser_session, page: Page, check_a11y) -> None:
    queue = flagged_queue(app)
    world = queue.world
    with app.app_context():
        support.flag_as(world.flaggers[0], "comment", world.comment_id, reason="other", note="Spam link.")
    sign_in(app, page, browser_session.base_url, world.sitemod.session_id)
    page.goto("/moderation/")
    expect(page.locator(".moderation-entry")).to_have_count(4)
    check_a11y(page)

    page.get_by_role("button", name="Apply to selected items").click()  # nothing ticked: an error
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_a11y(page)

    page.goto(f"/moderation/items/post/{queue.post_ids[0]}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Review")
    check_a11y(page)
    page.get_by_role("button", name="Hide with this reason").click()  # no reason: an error
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Hide it").fill(REASON)
    page.get_by_role("button", name="Hide with this reason").click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    check_a11y(page)  # the review page of a hidden post, with its reason

    page.goto(f"/moderation/items/comment/{world.comment_id}")
    check_a11y(page)
    page.goto("/moderation/log")
    expect(page.locator("main")).to_contain_text(REASON)
    check_a11y(page)
    page.goto(f"/moderation/threads/{world.thread_id}")
    check_a11y(page)
    page.goto(f"/moderation/people/{world.member.id}")
    expect(page.locator("main")).to_contain_text(world.member.name)
    check_a11y(page)

    resident = browser_session.new_page()
    sign_in(app, resident, browser_session.base_url, world.outsider.session_id)
    resident.goto(f"/community/flag/post/{world.reply_id}")
    check_a11y(resident)
    resident.get_by_role("button", name="Send to the moderators").click()  # no reason chosen: an error
    expect(resident.locator(".govuk-error-summary")).to_contain_text("Choose why you are flagging this")
    check_a11y(resident)
    resident.get_by_label("Something else").check()
    resident.get_by_role("button", name="Send to the moderators").click()  # "other" needs a note
    expect(resident.locator(".govuk-error-summary")).to_contain_text("Tell the moderators what is wrong")
    check_a11y(resident)


def test_a_resident_flags_a_post_through_the_flag_form(app, browser_session, page: Page) -> None:
    world = support.make_world(app)
    sign_in(app, page, browser_session.base_url, world.outsider.session_id)
    page.goto(f"/threads/{world.thread_id}/")
    reply = page.locator("#post-2")
    reply.get_by_role("link", name="Flag").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Flag this post")
    expect(page.locator("blockquote")).to_contain_text("I agree about the benches.")
    page.get_by_label("It is spam or advertising").check()
    page.get_by_label("Anything the moderators should know?").fill("The same text is in three threads.")
    page.get_by_role("button", name="Send to the moderators").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Thanks: moderators will look at it")
    assert f"/threads/{world.thread_id}/" in page.url
    with app.app_context():
        flags = db.session.scalars(select(Flag).where(Flag.flagger_id == world.outsider.id)).all()
        assert [(f.item_type, f.item_id, f.reason, f.note) for f in flags] == [
            ("post", world.reply_id, "spam", "The same text is in three threads.")]
    page.goto(f"/community/flag/post/{world.reply_id}")  # a second time: the form says it is done already
    expect(page.locator("main")).to_contain_text("You have already flagged this post")


#: Elements wider than the window, or a page wider than it: what makes a reader scroll sideways (WCAG 1.4.10).
OVERFLOW = """() => ({page: document.documentElement.scrollWidth, window: window.innerWidth,
  wide: [...document.querySelectorAll('main *')].filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 5).map(el => el.tagName + '.' + el.className)})"""


@pytest.mark.parametrize("width", [320, 375])
def test_no_moderation_page_scrolls_sideways_on_a_phone(app, browser_session, page: Page, width: int) -> None:
    queue = flagged_queue(app)
    world = queue.world
    long_title = "Supercalifragilisticexpialidocious-neighbourhood-improvement-consultation-responses"
    with app.app_context():
        thread = support.thread(world.thread_id)
        thread.title = long_title
        db.session.commit()
        support.flag_as(world.flaggers[0], "comment", world.comment_id, reason="personal_information",
                        note="Her-home-address-is-written-out-in-full-here-without-any-spaces-at-all")
    sign_in(app, page, browser_session.base_url, world.sitemod.session_id)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"/moderation/items/post/{queue.post_ids[0]}")
    page.get_by_label("Hide it").fill(REASON)
    page.get_by_role("button", name="Hide with this reason").click()  # something in the audit log
    for url in ("/moderation/", f"/moderation/items/post/{queue.post_ids[1]}", f"/moderation/items/comment/"
                f"{world.comment_id}", "/moderation/log", f"/moderation/threads/{world.thread_id}",
                f"/moderation/people/{world.member.id}"):
        page.goto(url)
        found = page.evaluate(OVERFLOW)
        assert found["page"] <= width and not found["wide"], (url, found)


def test_the_queue_puts_personal_information_first_and_a_decision_opens_the_next_item(app, browser_session,
                                                                                       page: Page) -> None:
    queue = flagged_queue(app)
    world = queue.world
    with app.app_context():
        support.flag_as(world.flaggers[0], "comment", world.comment_id, reason="personal_information",
                        note="Her address")
    sign_in(app, page, browser_session.base_url, world.sitemod.session_id)
    page.goto("/moderation/")
    expect(page.locator(".moderation-entry").first).to_contain_text("Personal information")
    page.locator(".moderation-entry").first.get_by_role("link", name="Review this item").click()
    page.get_by_label("Hide it").fill("Shares a home address.")
    page.get_by_role("button", name="Hide with this reason").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Hid a comment on post 1")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Here is the next item in the queue.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Review post {3}")
