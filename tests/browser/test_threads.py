"""The thread page as a reader sees it (issue 12, item 8): comments read as replies, not quotes; actions under a
comment are the comment's size; a quote credits and links the quoted post; withdrawing asks first; an edit is
confirmed and its history shows what changed; a non-member is offered to join; lists lead to new posts.
At 320 px and 1280 px nothing overflows, and axe-core finds nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from forum.extensions import db
from forum.threads import services
from forum.threads.models import Post
from tests import factories
from tests.browser.helpers import sign_in
from tests.people import person_of

pytestmark = pytest.mark.browser

OPENING = "The lamp outside number 12 has been out for a fortnight.\n\n> Reported on 3 March.\n\nStill nothing."
COMMENT = "I reported it too, reference 4471."


@pytest.fixture
def place(app):
    with app.app_context():
        author = factories.make_user("Ann Author")
        member = factories.make_user("Mo Member")
        outsider = factories.make_user("Olu Outsider", role="civil_servant", organisation="Highways")
        group = factories.make_group("Street lights", members=(author, member))
        thread = factories.make_thread(group, author, title="Broken lamp on Elm Road", body=OPENING)
        opening = db.session.scalar(db.select(Post).where(Post.thread_id == thread.id, Post.number == 1))
        services.add_comment(opening, member, COMMENT)
        services.reply(thread, member, "Same on Oak Street.")
        services.edit_post(opening, author, OPENING.replace("a fortnight", "three weeks"))
        db.session.commit()
        return {"author": person_of(author), "member": person_of(member), "outsider": person_of(outsider),
                "thread": f"/threads/{thread.id}/", "opening": opening.id, "group": group.slug}


def _no_overflow(page: Page) -> None:
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"overflow at {width}px on {page.url}"


def test_comments_read_as_replies_and_their_actions_are_their_size(app, page, browser_session, place, check_a11y):
    sign_in(app, page, browser_session.base_url, place["author"])
    page.goto(place["thread"])
    comments = page.locator("#post-1 .forum-comment-list")
    expect(comments).to_contain_text(COMMENT)
    expect(page.locator("#post-1 .forum-comment-thread h3")).to_have_text("1 comment on the opening post by Ann Author")
    style = comments.evaluate("el => { const s = getComputedStyle(el); return [s.borderLeftStyle, s.backgroundColor] }")
    quote = page.locator("#post-1 .forum-post__body blockquote")
    quote_style = quote.evaluate("el => [getComputedStyle(el).borderLeftStyle, getComputedStyle(el).backgroundColor]")
    assert style[0] == "none" and style != quote_style  # a comment list does not look like a quote
    item = comments.locator("li").first
    assert item.locator(".forum-comment__meta").evaluate("el => el.nextElementSibling !== null")
    meta_first = item.evaluate("el => el.firstElementChild.classList.contains('forum-comment__meta')")
    assert meta_first  # who and when come before the words
    page.set_viewport_size({"width": 320, "height": 900})  # where GOV.UK's small text is smallest
    sign_in(app, page, browser_session.base_url, place["outsider"])
    page.reload()
    flag = page.get_by_role("link", name="Flag comment by Mo Member on the opening post by Ann Author for a moderator")
    body = page.locator("#post-1 .forum-comment__body p").first
    assert flag.evaluate("el => getComputedStyle(el).fontSize") == body.evaluate("el => getComputedStyle(el).fontSize")
    _no_overflow(page)
    check_a11y(page)


def test_withdrawing_a_comment_asks_first_without_javascript(app, nojs_page, browser_session, place):
    page = nojs_page
    sign_in(app, page, browser_session.base_url, place["member"])
    page.goto(place["thread"])
    page.get_by_role("link", name="Withdraw your comment by Mo Member on the opening post by Ann Author").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw your comment?")
    expect(page.locator("main")).to_contain_text(COMMENT)
    _no_overflow(page)
    page.get_by_role("button", name="Withdraw comment").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your comment was withdrawn.")
    expect(page.locator("#post-1 .forum-comment-list")).to_contain_text("The author withdrew this comment.")


def test_withdrawing_a_post_can_be_cancelled(app, page, browser_session, place, check_a11y):
    sign_in(app, page, browser_session.base_url, place["member"])
    page.goto(place["thread"])
    page.locator("#post-2").get_by_role("link", name="Withdraw post 2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw your post?")
    check_a11y(page)
    _no_overflow(page)
    page.get_by_role("link", name="Keep the post").click()
    expect(page.locator("#post-2")).to_contain_text("Same on Oak Street.")


def test_a_quote_credits_the_quoted_post_with_a_link(app, page, browser_session, place):
    sign_in(app, page, browser_session.base_url, place["member"])
    page.goto(place["thread"])
    page.locator("#post-1").get_by_role("link", name="Reply with quote from post 1").click()
    page.get_by_role("button", name="Post reply").click()
    credit = page.locator("#post-3").get_by_role("link", name="Ann Author wrote in post 1")
    credit.click()
    thread_id = place["thread"].split("/")[2]
    expect(page).to_have_url(f"{browser_session.base_url}/threads/{thread_id}/broken-lamp-on-elm-road#post-1")


def test_the_history_shows_what_changed(app, page, browser_session, place, check_a11y):
    sign_in(app, page, browser_session.base_url, place["author"])
    page.goto(place["thread"])
    page.locator("#post-1").get_by_role("link", name="see what changed in post 1").click()
    diff = page.locator("#diff-2")
    expect(diff.locator("del")).to_contain_text("a fortnight")
    expect(diff.locator("ins")).to_contain_text("three weeks")
    expect(diff.locator("ins .govuk-visually-hidden").first).to_have_text("[added:")
    _no_overflow(page)
    check_a11y(page)


def test_a_civil_servant_who_is_not_a_member_joins_to_reply(app, page, browser_session, place, check_a11y):
    sign_in(app, page, browser_session.base_url, place["outsider"])
    page.goto(place["thread"] + "reply")
    expect(page.get_by_role("heading", level=1)).to_have_text("Join the group to reply")
    check_a11y(page)
    page.get_by_role("button", name="Join the group to reply").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("You are now a member")
    page.get_by_label("Your reply").fill("Highways will fix it this week.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator("#post-3")).to_contain_text("Highways will fix it this week.")


def test_the_group_page_leads_a_reader_to_what_is_new(app, page, browser_session, place, check_a11y):
    sign_in(app, page, browser_session.base_url, place["author"])
    page.goto(place["thread"])
    with app.app_context():
        thread = db.session.get(Post, place["opening"]).thread
        services.reply(thread, db.session.get(factories.User, place["member"].id), "And on Ash Grove.")
        db.session.commit()
    page.goto(f"/groups/{place['group']}/")
    page.get_by_role("link", name="1 new post in “Broken lamp on Elm Road”").click()
    expect(page.locator("#post-3")).to_be_in_viewport()
    _no_overflow(page)
