"""Bookmarks (forum.threads.bookmarks): a thread and a post, listed on /bookmarks while still visible to the
person, paginated, removed from the list or from the thread page; refusals, sign-in and CSRF."""

from __future__ import annotations

import re

import pytest

from forum.common import transaction
from forum.extensions import db
from forum.groups.models import Group, Membership
from forum.threads import visibility
from forum.threads.models import Bookmark, Post, Thread, Visibility
from tests import factories
from tests.pages import read
from tests.threads.support import make_world, sign_in


@pytest.fixture
def world(app):
    return make_world(app)


def bookmarks_of(app, user_id: int) -> list[tuple[int | None, int | None]]:
    with app.app_context():
        rows = db.session.execute(db.select(Bookmark.thread_id, Bookmark.post_id).where(Bookmark.user_id == user_id))
        return sorted((tuple(row) for row in rows), key=lambda r: (r[0] or 0, r[1] or 0))


def listed(client) -> list[str]:
    return read(client.get("/bookmarks")).texts(".forum-bookmark h2")


def test_bookmark_a_thread_and_a_post_list_them_and_remove_them(app, client, world):
    sign_in(client, world.member)
    assert "You have no bookmarks yet" in client.get("/bookmarks").get_data(as_text=True)
    response = client.post(f"/threads/{world.thread_id}/bookmark")
    assert response.status_code == 302 and f"/threads/{world.thread_id}/" in response.headers["Location"]
    client.post(f"/threads/{world.thread_id}/bookmark")  # twice: still one
    response = client.post(f"/posts/{world.opening_post_id}/bookmark")
    assert response.headers["Location"].endswith("#post-1")
    assert bookmarks_of(app, world.member.id) == [(None, world.opening_post_id), (world.thread_id, None)]
    assert listed(client) == [
        "Opening post by Alice Author in “More benches in the park”",  # newest first
        "More benches in the park",
    ]
    page = read(client.get(f"/threads/{world.thread_id}/"))
    assert page.has(f'form[action="/threads/{world.thread_id}/bookmark/remove"]')
    assert page.has(f'form[action="/posts/{world.opening_post_id}/bookmark/remove"]')
    client.post(f"/posts/{world.opening_post_id}/bookmark/remove")
    assert listed(client) == ["More benches in the park"]
    with app.app_context():
        bookmark_id = db.session.scalar(db.select(Bookmark.id).where(Bookmark.user_id == world.member.id))
    response = client.post(f"/bookmarks/{bookmark_id}/remove")
    assert response.headers["Location"].endswith("/bookmarks")
    assert bookmarks_of(app, world.member.id) == []
    page = read(client.get(f"/threads/{world.thread_id}/"))
    assert page.has(f'form[action="/threads/{world.thread_id}/bookmark"]')


def test_bookmarks_are_personal(app, client, world):
    sign_in(client, world.member)
    client.post(f"/threads/{world.thread_id}/bookmark")
    with app.app_context():
        bookmark_id = db.session.scalar(db.select(Bookmark.id))
    sign_in(client, world.outsider)
    assert listed(client) == []
    client.post(f"/bookmarks/{bookmark_id}/remove")  # not theirs: nothing happens
    assert bookmarks_of(app, world.member.id) == [(world.thread_id, None)]


def test_only_items_still_visible_are_listed(app, client, world):
    with app.app_context():
        from forum.threads import services as thread_services

        thread = db.session.get(Thread, world.thread_id)
        author = thread.author
        replies = [thread_services.reply(thread, author, f"Reply {n}.") for n in range(3)]
        transaction.commit()
        reply_ids = [r.id for r in replies]
    sign_in(client, world.member)
    for reply_id in reply_ids:
        client.post(f"/posts/{reply_id}/bookmark")
    client.post(f"/posts/{world.private_post_id}/bookmark")
    client.post(f"/threads/{world.private_thread_id}/bookmark")
    assert len(listed(client)) == 5
    with app.app_context():
        visibility.change_post(db.session.get(Post, reply_ids[0]), state=Visibility.HIDDEN, reason="Rude")
        visibility.change_post(db.session.get(Post, reply_ids[1]), state=Visibility.HELD)
        visibility.change_post(db.session.get(Post, reply_ids[2]), withdraw=True)
        # The member leaves the private group: its thread and post drop out of their list.
        group_id = db.session.scalar(db.select(Group.id).where(Group.slug == world.private_slug))
        db.session.execute(db.delete(Membership).where(Membership.group_id == group_id,
                                                       Membership.user_id == world.member.id))
        transaction.commit()
    assert listed(client) == []
    assert len(bookmarks_of(app, world.member.id)) == 5  # kept: they come back if the content does


def test_the_list_is_paginated(app, client, world):
    app.config["BOOKMARKS_PER_PAGE"] = 2
    try:
        with app.app_context():
            group = db.session.scalar(db.select(Group).where(Group.slug == world.group_slug))
            author = db.session.get(Thread, world.thread_id).author
            thread_ids = [factories.make_thread(group, author, title=f"Thread number {n}").id for n in range(3)]
        sign_in(client, world.member)
        for thread_id in thread_ids:
            client.post(f"/threads/{thread_id}/bookmark")
        first = read(client.get("/bookmarks"))
        assert first.texts(".forum-bookmark h2") == ["Thread number 2", "Thread number 1"]
        assert first.has(".govuk-pagination")
        assert read(client.get("/bookmarks?page=2")).texts(".forum-bookmark h2") == ["Thread number 0"]
        assert client.get("/bookmarks?page=3").status_code == 404
    finally:
        app.config.pop("BOOKMARKS_PER_PAGE")


def test_refusals(app, client, world):
    assert client.get("/bookmarks").status_code == 302
    response = client.post(f"/threads/{world.thread_id}/bookmark")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    sign_in(client, world.outsider)
    assert client.post(f"/threads/{world.private_thread_id}/bookmark").status_code == 404
    assert client.post(f"/posts/{world.private_post_id}/bookmark").status_code == 404
    with app.app_context():
        visibility.change_post(db.session.get(Post, world.opening_post_id), state=Visibility.HIDDEN, reason="Rude")
        transaction.commit()
    sign_in(client, world.author)  # the author still sees the hidden thread, but cannot bookmark it
    assert client.post(f"/threads/{world.thread_id}/bookmark").status_code == 403
    assert client.post(f"/posts/{world.opening_post_id}/bookmark").status_code == 403
    assert bookmarks_of(app, world.author.id) == []
    assert bookmarks_of(app, world.outsider.id) == []


def test_removing_a_bookmark_of_something_gone_still_removes_it(app, client, world):
    sign_in(client, world.member)
    client.post(f"/posts/{world.opening_post_id}/bookmark")
    with app.app_context():
        visibility.change_post(db.session.get(Post, world.opening_post_id), state=Visibility.HIDDEN, reason="Rude")
        transaction.commit()
    response = client.post(f"/posts/{world.opening_post_id}/bookmark/remove")
    assert response.status_code == 302 and response.headers["Location"].endswith("/bookmarks")
    assert bookmarks_of(app, world.member.id) == []


def test_with_csrf_on_a_missing_token_is_refused(app, client, world):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        sign_in(client, world.member)
        page = client.get(f"/threads/{world.thread_id}/").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        assert client.post(f"/threads/{world.thread_id}/bookmark").status_code == 400
        assert client.post(f"/threads/{world.thread_id}/bookmark", data={"csrf_token": token}).status_code == 302
        assert bookmarks_of(app, world.member.id) == [(world.thread_id, None)]
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
