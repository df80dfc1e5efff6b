"""axe-core's WCAG 2.2 A and AA rules find nothing on any page type, each seen as a person would see it
(signed in where that shows more: edit links, withdraw buttons, comment forms, the admin's menu).

The thread page holds every kind of post: an opening post with comments, an edited reply, a withdrawn reply,
a withdrawn comment, a civil servant's reply quoting the opening post; a second thread runs to two pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from forum.accounts import registration
from forum.extensions import db
from forum.threads import services as thread_services
from forum.threads.models import Post
from tests import factories
from tests.browser.conftest import Session
from tests.browser.helpers import sign_in
from tests.factories import sign_in_id

pytestmark = pytest.mark.browser


@dataclass
class World:
    """What the seeded forum holds, as plain values the tests can use after the app context closes."""

    group: str
    private_group: str
    thread: int
    edited_post: int
    tag: str
    author: str
    author_handle: str
    admin: str
    resident: str
    staff: str
    staff_handle: str
    long_thread: int
    confirm_registration: str  # the path of a registration's emailed link


@pytest.fixture
def app(module_app: Flask) -> Flask:
    """Every page here only reads: one app and one seeded forum per database serve the whole module."""
    return module_app


@pytest.fixture
def live_server(module_live_server: str) -> str:
    return module_live_server


@pytest.fixture(scope="module")
def world(module_app: Flask) -> World:
    with module_app.app_context():
        admin = factories.make_user("Ada Admin", role="admin")
        author = factories.make_user("Sam Resident")
        staff = factories.make_user("Cass Servant", role="civil_servant", organisation="Parks department")
        resident = factories.make_user("Rita Reader")
        group = factories.make_group(
            "Parks and play areas", members=(author, staff), position=1,
            description="Swings, **slides** and benches. See [the parks map](https://example.org/parks).",
        )
        private = factories.make_group("Budget working group", private=True, moderators=(staff,))
        factories.make_group("Libraries", members=(resident,))
        thread = factories.make_thread(
            group, author, "Fix the swings in Victoria Park", "The swings have been *chained up* since August.",
            tags="play areas, budget", replies=3, comments_per_post=1,
        )
        factories.make_thread(private, staff, "Draft budget lines", tags="budget")
        factories.add_member(private, factories.make_user("Pat Pending"), status="pending")
        long_thread = factories.make_thread(group, author, "Bench by the pond", replies=22)
        posts = db.session.scalars(select(Post).where(Post.thread_id == thread.id).order_by(Post.number)).all()
        thread_services.reply(thread, staff, "> The swings have been chained up\n\nWe have ordered new chains.",
                              quoted_post_id=posts[0].id)
        thread_services.edit_post(posts[1], author, "Reply number 1, corrected.")
        thread_services.withdraw_post(posts[2], author)
        withdrawn = thread_services.add_comment(posts[0], author, "A comment I thought better of.")
        thread_services.withdraw_comment(withdrawn, author)
        links: list[str] = []
        registration.register("Newt Newcomer", "newt@example.org", "a long and quiet walk in the park",
                              registration.Links(confirm=lambda token: links.append(f"/register/{token}") or "",
                                                 sign_in="/login", reset="/reset-password"))
        return World(
            confirm_registration=links[0],
            group=group.slug, private_group=private.slug, thread=thread.id, edited_post=posts[1].id,
            tag="play areas", author=sign_in_id(author), author_handle=author.handle, admin=sign_in_id(admin),
            resident=sign_in_id(resident), staff=sign_in_id(staff), staff_handle=staff.handle,
            long_thread=long_thread.id,
        )


@dataclass
class Case:
    path: Callable[[World], str]
    who: str | None = None  # attribute of World holding the session id of who is signed in
    status: int = 200
    then: Callable[[Page], None] | None = None  # something to do before checking (submit a form empty, say)


def open_every_details(page: Page) -> None:
    """Open every comment form, so axe checks what is inside them too."""
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")


def clear_and_save(page: Page) -> None:
    page.get_by_label("Your post", exact=True).fill("")
    submit_empty("Save changes")(page)


def register_someone(page: Page) -> None:
    for label, value in (("Display name", "Rae Resident"), ("Email address", "rae@example.org"),
                         ("Password", "a long and quiet walk in the park"),
                         ("Confirm password", "a long and quiet walk in the park")):
        page.get_by_label(label, exact=True).fill(value)
    with page.expect_navigation():
        page.get_by_role("button", name="Create account", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")


def submit_empty(button: str, within: str = "main", opening: str | None = None) -> Callable[[Page], None]:
    """Send a form with nothing in it (opening the ``<details>`` it sits in first), to see the errors."""

    def act(page: Page) -> None:
        scope = page.locator(within)
        if opening:
            scope.locator("summary", has_text=opening).click()
        with page.expect_navigation():
            scope.get_by_role("button", name=button, exact=True).click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()

    return act


CASES: dict[str, Case] = {
    "home": Case(lambda w: "/"),
    "home-signed-in": Case(lambda w: "/", who="author"),
    "groups": Case(lambda w: "/groups/", who="resident"),
    "group": Case(lambda w: f"/groups/{w.group}/", who="author"),
    "group-anonymous": Case(lambda w: f"/groups/{w.group}/"),
    "thread": Case(lambda w: f"/threads/{w.thread}/", who="author", then=open_every_details),
    "thread-anonymous": Case(lambda w: f"/threads/{w.thread}/"),
    "thread-page-2": Case(lambda w: f"/threads/{w.long_thread}/?page=2", who="author"),
    "group-tag-filter": Case(lambda w: f"/groups/{w.group}/?tag=budget", who="author"),
    "private-group-member": Case(lambda w: f"/groups/{w.private_group}/", who="staff"),
    "group-members": Case(lambda w: f"/groups/{w.private_group}/members", who="staff"),
    "group-requests": Case(lambda w: f"/groups/{w.private_group}/requests", who="staff"),
    "group-create": Case(lambda w: "/groups/new", who="admin"),
    "group-edit": Case(lambda w: f"/groups/{w.group}/edit", who="admin"),
    "leave-group-confirmation": Case(lambda w: f"/groups/{w.private_group}/leave", who="staff"),
    "new-thread": Case(lambda w: f"/groups/{w.group}/threads/new", who="author"),
    "new-thread-errors": Case(lambda w: f"/groups/{w.group}/threads/new", who="author",
                              then=submit_empty("Start the thread")),
    "reply": Case(lambda w: f"/threads/{w.thread}/reply", who="author"),
    "reply-errors": Case(lambda w: f"/threads/{w.thread}/", who="author", then=submit_empty("Post reply")),
    "comment-errors": Case(lambda w: f"/threads/{w.thread}/", who="author",
                           then=submit_empty("Add comment", within="#post-1", opening="Add a comment")),
    "edit-post-errors": Case(lambda w: f"/posts/{w.edited_post}/edit", who="author", then=clear_and_save),
    "edit-post": Case(lambda w: f"/posts/{w.edited_post}/edit", who="author"),
    "post-history": Case(lambda w: f"/posts/{w.edited_post}/history", who="author"),
    "withdraw-post-confirmation": Case(lambda w: f"/posts/{w.edited_post}/withdraw", who="author"),
    "register": Case(lambda w: "/register"),
    "register-errors": Case(lambda w: "/register", then=submit_empty("Create account")),
    "register-sent": Case(lambda w: "/register", then=register_someone),
    "register-confirm": Case(lambda w: w.confirm_registration),
    "login": Case(lambda w: "/login"),
    "logout": Case(lambda w: "/logout", who="author"),
    "reset-request": Case(lambda w: "/reset-password"),
    "tags": Case(lambda w: "/tags/"),
    "tag": Case(lambda w: f"/tags/{w.tag}/"),
    "profile": Case(lambda w: f"/users/{w.staff_handle}/"),
    "own-profile": Case(lambda w: f"/users/{w.author_handle}/", who="author"),
    "admin-users": Case(lambda w: "/admin/users", who="admin"),
    "admin-outbox": Case(lambda w: "/admin/outbox", who="admin"),
    "bookmarks": Case(lambda w: "/bookmarks", who="author"),
    "privacy": Case(lambda w: "/privacy"),
    "accessibility-statement": Case(lambda w: "/accessibility"),
    "cookies": Case(lambda w: "/cookies"),
    "contact": Case(lambda w: "/contact"),
    "not-found": Case(lambda w: f"/groups/{w.private_group}/", who="resident", status=404),
    "forbidden": Case(lambda w: "/admin/users", who="resident", status=403),
}


@pytest.mark.parametrize("name", list(CASES))
def test_page_has_no_axe_violations(
    name: str, app: Flask, world: World, browser_session: Session, page: Page, check_a11y
) -> None:
    case = CASES[name]
    path = case.path(world)
    if case.who:
        sign_in(app, page, browser_session.base_url, getattr(world, case.who))
    url = browser_session.expect_error_status(path) if case.status != 200 else path
    response = page.goto(url)
    assert response is not None and response.status == case.status, f"{path} answered {response and response.status}"
    if case.then:
        case.then(page)
    expect(page.locator("h1")).to_have_count(1)
    check_a11y(page)
    browser_session.console.assert_clean()


def test_the_check_itself_catches_a_violation(page: Page, check_a11y) -> None:
    """Zero violations means something only if a broken page fails: add a field with no label."""
    page.goto("/")
    page.evaluate("() => document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')")
    with pytest.raises(AssertionError, match=r"label \(critical\)"):
        check_a11y(page)
