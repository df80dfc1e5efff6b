"""Pages for signed-in people (forum/common/own_pages.py): each person's own copy, served again and answered with
304 until what it shows changes, for everyone (a reply) or for them alone (a notification, a bookmark, a watch,
where they have read to); never another person's page, never a stored message, a working form token."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from forum.extensions import db
from forum.threads import services as thread_services
from forum.threads.models import Thread
from tests import factories
from tests.pages import read
from tests.people import person_of, sign_in, sign_out
from tests.threads.support import make_world


@pytest.fixture
def world(app):
    return make_world(app)


def _thread(world) -> str:
    return f"/threads/{world.thread_id}/"


def _seen_twice(client, url):
    """The second of two views (the first may move the reading place, so it is never kept)."""
    client.get(url)
    return client.get(url)


def test_a_signed_in_reader_gets_their_page_again_and_a_304_on_a_repeat_visit(app, client, world):
    sign_in(client, world.member)
    first = client.get(_thread(world))
    assert "X-Page-Cache" not in first.headers, "the first view moved the reading place: not kept"
    second = client.get(_thread(world))
    assert second.headers["X-Page-Cache"] == "miss" and second.headers["Cache-Control"] == "private, no-cache"
    third = client.get(_thread(world))
    assert third.headers["X-Page-Cache"] == "hit" and third.get_data() == second.get_data()
    assert third.headers["Content-Security-Policy"] == second.headers["Content-Security-Policy"]
    repeat = client.get(_thread(world), headers={"If-None-Match": third.headers["ETag"]})
    assert repeat.status_code == 304 and repeat.get_data() == b""


def test_a_stored_page_costs_the_sign_in_and_one_query_whatever_it_shows(app, client, world):
    with app.app_context():
        thread = db.session.get(Thread, world.thread_id)
        big = factories.make_thread(thread.group, thread.author, "A long one", "Many replies.", replies=40)
        big_url = f"/threads/{big.id}/"
    sign_in(client, world.member)
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def listener(*args):
        statements.append(args[2])

    counts = []
    for url in (_thread(world), big_url):
        assert _seen_twice(client, url).headers["X-Page-Cache"] == "miss"
        statements.clear()
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).headers["X-Page-Cache"] == "hit"
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        counts.append(len(statements))
    # the sign-in and its person (forum.accounts.sign_ins), and the two versions the page is kept under
    assert counts[0] == counts[1] <= 3, counts


def test_people_never_get_each_others_pages(app, client, world):
    sign_in(client, world.member)
    assert client.get("/").headers["X-Page-Cache"] == "miss"
    assert client.get("/").headers["X-Page-Cache"] == "hit"
    sign_in(client, world.author)
    page = client.get("/")
    assert page.headers.get("X-Page-Cache") != "hit"
    header = read(page).text(".govuk-service-navigation")
    assert world.author.display_name in header and world.member.display_name not in header
    sign_out(client)
    anonymous = client.get("/")
    assert world.member.display_name not in anonymous.get_data(as_text=True)


def test_the_page_changes_when_someone_else_writes_what_it_shows(app, client, world):
    sign_in(client, world.member)
    _seen_twice(client, _thread(world))
    with app.app_context():
        thread = db.session.get(Thread, world.thread_id)
        thread_services.reply(thread, thread.author, "A reply written while the page was kept.")
        db.session.commit()
    assert "A reply written while the page was kept." in client.get(_thread(world)).get_data(as_text=True)


def test_a_notification_for_the_reader_shows_at_once(app, client, world):
    """The author watches their thread; a reply makes them a notification (in a job), which only they see."""
    sign_in(client, world.author)
    assert "unread" not in read(_seen_twice(client, "/groups/")).text(".govuk-service-navigation")
    assert client.get("/groups/").headers["X-Page-Cache"] == "hit"
    sign_in(client, world.member)
    client.post(f"/threads/{world.thread_id}/reply", data={"body": "Benches by the pond too, please."})
    member_groups = _seen_twice(client, "/groups/")
    sign_in(client, world.author)
    assert "1 unread" in read(client.get("/groups/")).text(".govuk-service-navigation")
    assert client.post("/notifications/read-all").status_code == 302  # one UPDATE for all of them
    assert "unread" not in read(client.get("/groups/")).text(".govuk-service-navigation")
    sign_in(client, world.member)
    assert client.get("/groups/").get_data() == member_groups.get_data(), "the member's page did not change"


def test_the_readers_own_bookmarks_watches_and_reading_places_show_at_once(app, client, world):
    sign_in(client, world.member)
    thread = _thread(world)
    assert read(_seen_twice(client, thread)).has(f'form[action="/threads/{world.thread_id}/bookmark"]')
    client.post(f"/threads/{world.thread_id}/bookmark")
    assert read(client.get(thread)).has(f'form[action="/threads/{world.thread_id}/bookmark/remove"]')
    before = _seen_twice(client, thread).get_data(as_text=True)
    watched = client.post(f"/notifications/watch/threads/{world.thread_id}", data={"level": "watching"},
                          follow_redirects=True)
    assert watched.get_data(as_text=True) != before
    assert client.get(thread).get_data(as_text=True) != before


def test_a_new_post_counts_as_unread_until_the_reader_has_seen_it(app, client, world):
    sign_in(client, world.member)
    client.get(_thread(world))  # read to the end
    home = _seen_twice(client, "/").get_data(as_text=True)
    with app.app_context():
        thread = db.session.get(Thread, world.thread_id)
        thread_services.reply(thread, thread.author, "Something new.")
        db.session.commit()
    unread = client.get("/").get_data(as_text=True)
    assert unread != home and "1 new post" in unread
    client.get(_thread(world))  # reading it moves the reader's place (a write of theirs alone)
    assert "1 new post" not in client.get("/").get_data(as_text=True)


def test_a_message_is_shown_once_and_never_kept(app, client, world):
    sign_in(client, world.member)
    _seen_twice(client, _thread(world))
    response = client.post(f"/notifications/watch/threads/{world.thread_id}", data={"level": "watching"},
                           follow_redirects=True)
    assert response.status_code == 200 and "X-Page-Cache" not in response.headers
    banners = read(response).texts(".govuk-notification-banner")
    again = read(client.get(_thread(world))).texts(".govuk-notification-banner")
    assert banners and not again


def test_switched_off_every_signed_in_page_is_built_afresh(app, client, world):
    app.config["PAGE_CACHE_SIGNED_IN"] = False
    try:
        sign_in(client, world.member)
        assert "X-Page-Cache" not in _seen_twice(client, _thread(world)).headers
    finally:
        app.config["PAGE_CACHE_SIGNED_IN"] = True


class TestWithFormTokens:
    @pytest.fixture
    def app_config(self) -> dict:
        return {"WTF_CSRF_ENABLED": True}

    def test_a_kept_page_carries_the_sessions_own_working_token(self, app, world):
        first, second = app.test_client(), app.test_client()
        for client in (first, second):
            sign_in(client, world.member)
        assert _seen_twice(first, _thread(world)).headers["X-Page-Cache"] == "miss"
        kept = second.get(_thread(world))
        assert kept.headers["X-Page-Cache"] == "hit", "the same person in another browser gets the kept page"
        tokens = {re.search(r'name="csrf_token" value="([^"]+)"', client.get(_thread(world)).get_data(as_text=True))
                  .group(1) for client in (first, second)}
        assert len(tokens) == 2 and b"forum-csrf-token" not in kept.get_data()
        for client in (first, second):
            page = client.get(_thread(world)).get_data(as_text=True)
            token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
            reply = client.post(f"/threads/{world.thread_id}/reply",
                                data={"body": f"Posted from a kept page {id(client)}.", "csrf_token": token})
            assert reply.status_code == 302 and "#post-" in reply.headers["Location"]


def test_a_person_with_no_version_yet_gets_a_kept_page_until_their_first_change(app, client, world):
    """A viewer version row appears with the first write of theirs; until then their pages are kept under none."""
    with app.app_context():
        person = person_of(factories.make_user("Nora New"))
    sign_in(client, person)
    assert client.get("/").headers["X-Page-Cache"] == "miss"
    assert client.get("/").headers["X-Page-Cache"] == "hit"
    client.post(f"/threads/{world.thread_id}/bookmark")
    assert client.get("/").headers["X-Page-Cache"] == "miss"
