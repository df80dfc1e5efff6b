"""Reflow (WCAG 1.4.10) and prose in Chromium, at a phone's 320px and a laptop's 1280px: no page type scrolls
sideways, and what people write reads as GOV.UK body text with GOV.UK links.

The forum is the demo (``flask seed-demo``: groups, threads, both budgets, a moderation queue), seeded once per
database, plus a thread by a civil servant with a very long organisation name whose post holds a very long word,
a long address and every kind of Markdown the text pipeline allows."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from forum.accounts.models import User
from forum.budgeting.models import Budget, Phase, Pot, Proposal, Result
from forum.common.transaction import unit_of_work
from forum.demo import seed
from forum.extensions import db
from forum.groups.models import Group
from forum.threads import services as thread_services
from forum.threads.models import Post
from tests.browser.conftest import Session
from tests.browser.helpers import sign_in
from tests.factories import sign_in_id
from tests.people import sign_in as client_sign_in

pytestmark = pytest.mark.browser

WIDTHS = [320, 1280]
# GOV.UK Frontend 6 sets govuk-body at 19px on every screen (Frontend 5 and earlier: 16px below 40.0625em).
BODY_PX = "19px"
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosisandsomemoreletterstomakeitlonger"
LONG_ORGANISATION = "Northfield and Selly Oak Neighbourhood Renewal Directorate (Interdepartmentalcoordinationunit)"
LONG_BODY = f"""Our {LONG_WORD} plan, in [the consultation](https://example.org/consultation) and at
https://example.org/a/very/long/address/that/goes/on/and/on/without/a/single/space/to/break/it/anywhere/at/all.

# What we heard

- Benches by the pond
- Lights on the towpath

1. First
2. Second

> A quote from a resident that runs long enough to wrap onto a second line on a phone.

Inline `code` and a block:

    a_code_block_line_that_is_much_longer_than_a_phone_is_wide_and_has_no_spaces_to_break_at_all_anywhere

| Item | Cost |
|------|-----:|
| {LONG_WORD} | £1,000 |

---

The end."""


@dataclass
class World:
    group: str
    thread: int
    post: int
    tag: str
    budget: str
    voting_pot: int
    proposal: int
    results_pot: int
    moderation_item: str
    profile: str
    author: str
    resident: str
    moderator: str
    admin: str


@pytest.fixture
def app(module_app: Flask) -> Flask:
    """The pages here only read: one app and one seeded forum per database serve the whole module."""
    return module_app


@pytest.fixture
def live_server(module_live_server: str) -> str:
    return module_live_server


def _user(handle: str) -> User:
    return db.session.scalar(select(User).where(User.handle == handle))


@pytest.fixture(scope="module")
def world(module_app: Flask) -> World:
    with module_app.app_context():
        with unit_of_work():
            for _label, step in seed.steps(module_app.config["PASSWORD_HASH_METHOD"]):
                step()
        with unit_of_work():
            author = _user("priya-shah")
            author.organisation = LONG_ORGANISATION
            group = db.session.scalar(select(Group).where(Group.slug == "total-place-all-public-spending-in-one-place"))
            thread = thread_services.start_thread(group, author, f"Reflow check: {LONG_WORD}", LONG_BODY,
                                                  "open data")
            thread_services.add_comment(
                db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.number == 1)),
                _user("jo-walker"), f"A comment with a {LONG_WORD} in it and [a link](https://example.org/).")
        post = db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.number == 1))
        voting = db.session.scalar(select(Budget).where(Budget.phase == Phase.VOTING))
        voting_pot = db.session.scalar(select(Pot).where(Pot.budget_id == voting.id))
        proposal = db.session.scalar(select(Proposal).where(Proposal.pot_id == voting_pot.id))
        results_pot = db.session.scalar(select(Result.pot_id))
        world = World(
            group=group.slug, thread=thread.id, post=post.id, tag="open data", budget=voting.slug,
            voting_pot=voting_pot.id, proposal=proposal.id, results_pot=results_pot, moderation_item="",
            profile=author.handle, author=sign_in_id(author), resident=sign_in_id(_user("jo-walker")),
            moderator=sign_in_id(_user("morgan-reid")), admin=sign_in_id(_user("alex-admin")),
        )
    client = module_app.test_client()
    client_sign_in(client, world.moderator)
    queue = client.get("/moderation/").get_data(as_text=True)
    world.moderation_item = re.search(r'href="(/moderation/items/[a-z]+/\d+)"', queue).group(1)
    return world


def submit_empty(button: str) -> Callable[[Page], None]:
    def act(page: Page) -> None:
        with page.expect_navigation():
            page.locator("main").get_by_role("button", name=button, exact=True).click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()

    return act


@dataclass
class Case:
    path: Callable[[World], str]
    who: str | None = None  # the World attribute holding the session id of who is signed in
    status: int = 200
    then: Callable[[Page], None] | None = None


CASES: dict[str, Case] = {
    "home": Case(lambda w: "/"),
    "home-signed-in": Case(lambda w: "/", who="resident"),
    "groups": Case(lambda w: "/groups/"),
    "group": Case(lambda w: f"/groups/{w.group}/", who="author"),
    "thread-long-words": Case(lambda w: f"/threads/{w.thread}/", who="author"),
    "thread-anonymous": Case(lambda w: f"/threads/{w.thread}/"),
    "new-thread": Case(lambda w: f"/groups/{w.group}/threads/new", who="author"),
    "new-thread-errors": Case(lambda w: f"/groups/{w.group}/threads/new", who="author",
                              then=submit_empty("Start the thread")),
    "reply-errors": Case(lambda w: f"/threads/{w.thread}/reply", who="author", then=submit_empty("Post reply")),
    "edit-post": Case(lambda w: f"/posts/{w.post}/edit", who="author"),
    "post-history": Case(lambda w: f"/posts/{w.post}/history", who="author"),
    "withdraw-confirmation": Case(lambda w: f"/posts/{w.post}/withdraw", who="author"),
    "tags": Case(lambda w: "/tags/"),
    "tag": Case(lambda w: f"/tags/{w.tag}/"),
    "search": Case(lambda w: f"/search?q={LONG_WORD[:20]}"),
    "search-common-word": Case(lambda w: "/search?q=budget"),
    "profile": Case(lambda w: f"/users/{w.profile}/"),
    "notifications": Case(lambda w: "/notifications/", who="author"),
    "notification-settings": Case(lambda w: "/notifications/settings", who="author"),
    "account": Case(lambda w: "/account", who="author"),
    "account-name": Case(lambda w: "/account/name", who="author"),
    "account-email": Case(lambda w: "/account/email", who="author"),
    "account-password": Case(lambda w: "/account/password", who="author"),
    "account-data": Case(lambda w: "/account/data", who="author"),
    "account-delete": Case(lambda w: "/account/delete", who="author"),
    "bookmarks": Case(lambda w: "/bookmarks", who="author"),
    "sign-in": Case(lambda w: "/login"),
    "register-errors": Case(lambda w: "/register", then=submit_empty("Create account")),
    "budgets": Case(lambda w: "/budgets/"),
    "budget": Case(lambda w: f"/budgets/{w.budget}"),
    "proposals": Case(lambda w: f"/budgets/{w.budget}/proposals"),
    "proposal": Case(lambda w: f"/budgets/proposals/{w.proposal}"),
    "ballot": Case(lambda w: f"/budgets/pots/{w.voting_pot}/ballot", who="resident"),
    "results": Case(lambda w: f"/budgets/pots/{w.results_pot}/results"),
    "results-staff": Case(lambda w: f"/budgets/pots/{w.results_pot}/results", who="admin"),
    "moderation-queue": Case(lambda w: "/moderation/", who="moderator"),
    "moderation-item": Case(lambda w: w.moderation_item, who="moderator"),
    "audit-log": Case(lambda w: "/moderation/log", who="moderator"),
    "admin-users": Case(lambda w: "/admin/users", who="admin"),
    "group-members": Case(lambda w: f"/groups/{w.group}/members", who="admin"),
    "budget-areas": Case(lambda w: "/budgets/areas", who="admin"),
    "house-rules": Case(lambda w: "/community/rules"),
    "privacy": Case(lambda w: "/privacy"),
    "accessibility-statement": Case(lambda w: "/accessibility"),
    "cookies": Case(lambda w: "/cookies"),
    "contact": Case(lambda w: "/contact"),
    "not-found": Case(lambda w: "/no-such-page", status=404),
}

# What sticks out past the right edge: the innermost elements that do, to name the culprit in a failure.
OVERFLOWING = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
  .filter(el => ![...el.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 0.5))
  .slice(0, 5)
  .map(el => `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent || '').trim().slice(0, 40)}"`)"""

# Every paragraph, list and quote people wrote (comments aside, which are a size smaller), with its font size.
PROSE_SIZES = """() => [...document.querySelectorAll(
    '.forum-prose:not(.forum-comment__body) :is(p, li, blockquote, td)')]
  .filter(el => !el.closest('.forum-comment__body'))
  .map(el => getComputedStyle(el).fontSize)"""

# The colour of a govuk-link and of each link people wrote, read from a probe link added to the page.
LINK_COLOURS = """() => {
  const probe = document.createElement('a');
  probe.className = 'govuk-link'; probe.href = '#never-visited'; probe.textContent = 'probe';
  document.body.append(probe);
  const govuk = getComputedStyle(probe).color;
  probe.remove();
  const prose = [...document.querySelectorAll('.forum-prose a')].map(a => getComputedStyle(a).color);
  return {govuk, prose};
}"""


def open_case(app: Flask, world: World, session: Session, page: Page, case: Case, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    if case.who:
        sign_in(app, page, session.base_url, getattr(world, case.who))
    path = case.path(world)
    url = session.expect_error_status(path) if case.status != 200 else path
    response = page.goto(url)
    assert response is not None and response.status == case.status, f"{path} answered {response and response.status}"
    if case.then:
        case.then(page)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(CASES))
def test_no_page_scrolls_sideways_and_prose_is_govuk_body_text(
    name: str, width: int, app: Flask, world: World, browser_session: Session, page: Page
) -> None:
    open_case(app, world, browser_session, page, CASES[name], width)
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    assert wide <= width, f"{name} is {wide}px wide at {width}px: {page.evaluate(OVERFLOWING)}"
    assert set(page.evaluate(PROSE_SIZES)) <= {BODY_PX}
    colours = page.evaluate(LINK_COLOURS)
    assert set(colours["prose"]) <= {colours["govuk"]}


def computed(page: Page, selector: str, *properties: str) -> list[str]:
    return page.locator(selector).first.evaluate(
        "(el, props) => props.map(p => getComputedStyle(el).getPropertyValue(p))", list(properties))


@pytest.mark.parametrize("width", WIDTHS)
def test_a_post_reads_as_govuk_body_text_with_govuk_headings_lists_quotes_and_links(
    width: int, app: Flask, world: World, browser_session: Session, page: Page
) -> None:
    open_case(app, world, browser_session, page, CASES["thread-long-words"], width)
    body = "#post-1 .forum-post__body"
    expect(page.locator(f"{body} p").first).to_contain_text(LONG_WORD)
    assert computed(page, f"{body} p", "font-size", "line-height", "font-family") == [
        BODY_PX, "25px", "arial, sans-serif"]
    # Their "# What we heard" is an h3 on the page, as large as govuk-heading-m (24px, 21px on a phone).
    assert computed(page, f"{body} h3", "font-size", "font-weight") == ["24px" if width > 640 else "21px", "700"]
    assert computed(page, f"{body} ul", "list-style-type", "padding-left") == ["disc", "20px"]
    assert computed(page, f"{body} ol", "list-style-type") == ["decimal"]
    assert computed(page, f"{body} blockquote", "border-left-width", "padding-left") == ["10px", "15px"]
    assert "monospace" in computed(page, f"{body} pre", "font-family")[0]
    # GOV.UK's link colours, and its focus: black text on yellow with a thick black underline.
    link = page.locator(f"{body} a", has_text="the consultation")
    assert link.evaluate("a => getComputedStyle(a).color") == "rgb(26, 101, 166)"
    link.focus()
    focus = link.evaluate("a => [getComputedStyle(a).backgroundColor, getComputedStyle(a).boxShadow]")
    assert focus[0] == "rgb(255, 221, 0)" and "rgb(11, 12, 12) 0px 4px" in focus[1]
    # The long word, the long address and the code block stay inside the post; the comment is smaller.
    assert page.locator(body).evaluate("el => el.scrollWidth <= el.clientWidth")
    assert page.locator(f"{body} pre").evaluate("el => el.scrollWidth <= el.clientWidth")
    assert computed(page, ".forum-comment__body p", "font-size", "font-family") == ["16px", "arial, sans-serif"]
    # The long organisation name wraps inside its badge.
    badge = page.locator(".forum-badge", has_text="Interdepartmental").first
    assert badge.evaluate("el => el.getBoundingClientRect().right <= window.innerWidth")


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_nothing_in_a_post_with_every_kind_of_markdown(
    width: int, app: Flask, world: World, browser_session: Session, page: Page, check_a11y
) -> None:
    open_case(app, world, browser_session, page, CASES["thread-long-words"], width)
    check_a11y(page)
