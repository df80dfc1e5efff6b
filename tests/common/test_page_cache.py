"""Pages for readers who are not signed in: cached and answered with 304, never stale after a post, edit or hide."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from forum import create_app
from forum.accounts.models import User
from forum.common import page_cache
from forum.extensions import db
from forum.moderation.services import actions
from forum.threads import services as thread_services
from forum.threads.models import Post, Thread
from tests import factories
from tests.moderation import support as moderation
from tests.people import Person, person_of, sign_in, sign_out


@dataclass(frozen=True)
class World:
    thread: str
    thread_id: int
    group: str
    author: Person
    moderator_id: int


@pytest.fixture
def world(app) -> World:
    with app.app_context():
        author = factories.make_user("Alice Author")
        moderator = factories.make_user("Mo Moderator", role="moderator")
        group = factories.make_group("Parks", members=(author,))
        thread = factories.make_thread(group, author, "Swings chained up", "The swings are chained up.", replies=2)
        return World(f"/threads/{thread.id}/", thread.id, f"/groups/{group.slug}/", person_of(author), moderator.id)


def _get(client, url, etag=None):
    return client.get(url, headers={"If-None-Match": etag} if etag else {})


def test_a_reader_gets_the_page_from_the_cache_and_a_304_on_a_repeat_visit(app, client, world):
    first = _get(client, world.thread)
    assert first.status_code == 200 and first.headers["X-Page-Cache"] == "miss"
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache" and "Cookie" in first.headers["Vary"]
    second = _get(client, world.thread)
    assert second.headers["X-Page-Cache"] == "hit" and second.get_data() == first.get_data()
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    repeat = _get(client, world.thread, etag)
    assert repeat.status_code == 304 and repeat.get_data() == b""
    assert repeat.headers["ETag"] == etag
    assert _get(client, world.thread, 'W/' + etag).status_code == 304, "a weakened tag (a compressing proxy) fails"


@pytest.mark.parametrize("change", ["reply", "edit", "hide", "retitle"])
def test_the_page_changes_for_readers_as_soon_as_what_it_shows_changes(app, client, world, change):
    before = _get(client, world.thread)
    group_before = _get(client, world.group)
    assert _get(client, world.thread).headers["X-Page-Cache"] == "hit"
    with app.app_context():
        thread = db.session.get(Thread, world.thread_id)
        posts = db.session.scalars(select(Post).where(Post.thread_id == world.thread_id).order_by(Post.number)).all()
        if change == "reply":
            thread_services.reply(thread, posts[0].author, "A brand new reply about the swings.")
            expected, gone = "A brand new reply about the swings.", None
        elif change == "edit":
            thread_services.edit_post(posts[1], posts[1].author, "Reply number 1, corrected.")
            expected, gone = "Reply number 1, corrected.", "Reply number 1."
        elif change == "hide":
            moderator = db.session.get(User, world.moderator_id)
            actions.hide(moderation.post_item(posts[2].id), moderator, "Off topic")
            expected, gone = None, "Reply number 2."
        else:
            thread_services.edit_post(posts[0], posts[0].author, posts[0].body_source, title="Swings mended at last")
            expected, gone = "Swings mended at last", None
        db.session.commit()
    after = _get(client, world.thread, before.headers["ETag"])
    assert after.status_code == 200, "a reader's browser kept the page from before the change"
    html = after.get_data(as_text=True)
    if expected:
        assert expected in html
    if gone:
        assert gone not in html
    assert after.headers["ETag"] != before.headers["ETag"]
    group_after = _get(client, world.group, group_before.headers["ETag"])
    assert group_after.status_code == 200 and group_after.headers["X-Page-Cache"] == "miss"


def test_a_reply_through_the_site_reaches_readers_at_once(app, client, world):
    _get(client, world.thread)
    member = app.test_client()
    sign_in(member, world.author)
    response = member.post(f"/threads/{world.thread_id}/reply", data={"body": "Posted through the form."})
    assert response.status_code == 302
    assert "Posted through the form." in _get(client, world.thread).get_data(as_text=True)


def test_signed_in_readers_get_their_own_page_every_time(app, client, world):
    _get(client, world.thread)
    sign_in(client, world.author)
    page = _get(client, world.thread)
    assert "X-Page-Cache" not in page.headers and "ETag" not in page.headers
    assert "Sign out" in page.get_data(as_text=True)
    sign_out(client)


def test_private_writes_leave_the_cached_pages_alone(app, client, world):
    """A bookmark or a reading place shows on no reader's page: it keeps the cache."""
    etag = _get(client, world.thread).headers["ETag"]
    member = app.test_client()
    sign_in(member, world.author)
    assert member.get(world.thread).status_code == 200  # records a reading place
    assert member.post(f"/threads/{world.thread_id}/bookmark").status_code == 302
    assert _get(client, world.thread, etag).status_code == 304


def test_a_page_with_a_message_for_this_reader_is_neither_served_from_nor_put_in_the_cache(app, client, world):
    _get(client, "/")
    sign_in(client, world.author)
    client.post("/logout")
    page = _get(client, "/")
    assert "You have signed out" in page.get_data(as_text=True)
    assert "X-Page-Cache" not in page.headers
    assert "You have signed out" not in _get(client, "/").get_data(as_text=True)


def test_pages_with_a_form_token_are_not_shared(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert "X-Page-Cache" not in client.get("/login").headers
        page = client.get("/search?q=swings")
        assert 'name="csrf_token"' not in page.get_data(as_text=True) or "X-Page-Cache" not in page.headers
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_a_change_made_by_another_process_reaches_this_ones_cache(app, client, world):
    """Two app processes (here two apps on one database) keep their own stores; the version in the database
    tells each that its stored page is out of date."""
    cached = _get(client, world.thread)
    assert _get(client, world.thread).headers["X-Page-Cache"] == "hit"
    other = create_app({key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "TESTING")})
    with other.app_context():
        thread_services.reply(db.session.get(Thread, world.thread_id), db.session.get(User, world.author.id),
                              "Written through another process.")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    fresh = _get(client, world.thread, cached.headers["ETag"])
    assert fresh.status_code == 200 and "Written through another process." in fresh.get_data(as_text=True)


def test_switched_off_it_serves_every_page_fresh(app, client, world):
    store = app.extensions[page_cache.EXTENSION]
    app.config["PAGE_CACHE_ENABLED"] = False
    app.extensions[page_cache.EXTENSION] = page_cache._make_store(app)
    try:
        _get(client, world.thread)
        assert _get(client, world.thread).headers.get("X-Page-Cache") == "miss"
    finally:
        app.config["PAGE_CACHE_ENABLED"] = True
        app.extensions[page_cache.EXTENSION] = store


def test_each_visitor_keeps_their_own_order_of_proposals_while_voting(app, client):
    """The voting order is random per visitor (a seed in their session): that page is never shared."""
    from tests.budgeting.support import make_budget

    with app.app_context():
        setup = make_budget(phase="voting", costs=tuple(range(1_000, 13_000, 1_000)), amount=100_000)
        url = f"/budgets/{setup.budget.slug}/proposals"
    orders = set()
    for _ in range(6):
        visitor = app.test_client()
        first, again = visitor.get(url), visitor.get(url)
        assert "X-Page-Cache" not in first.headers and "X-Page-Cache" not in again.headers
        assert first.get_data() == again.get_data()
        orders.add(first.get_data())
    assert len(orders) > 1, "six visitors were all shown one order"


def test_a_reader_with_a_form_token_in_their_session_still_gets_the_shared_page(app, client, world):
    """Served by Flask (the cookie keeps the request from the WSGI front), from the same store, same headers."""
    plain = _get(app.test_client(), world.thread)
    with client.session_transaction() as session:
        session["csrf_token"] = "a token from the sign-in page"
    page = _get(client, world.thread)
    assert page.headers["X-Page-Cache"] == "hit" and page.get_data() == plain.get_data()
    assert page.headers["ETag"] == plain.headers["ETag"]
    assert client.head(world.thread).get_data() == b""


def test_with_the_development_key_every_request_reaches_the_app(app, client, world, monkeypatch):
    """The key guard (forum.common.security) must see each request, so the WSGI front stands aside."""
    from forum.config import DEVELOPMENT_SECRET_KEY

    _get(client, world.thread)
    monkeypatch.setitem(app.config, "SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    outsider = client.get(world.thread, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert outsider.status_code == 503
