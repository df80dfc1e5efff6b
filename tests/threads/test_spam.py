"""Spam and abuse refused at the door (forum.threads.spam): the same post twice in quick succession, and
new accounts posting many links. Fields a form does not offer cannot be set by adding them to a request."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from forum.accounts.models import User
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.threads.models import Comment, Post, Thread
from tests.budgeting.test_voting_concurrency import all_at_once
from tests.threads.support import first_post_id, make_world, posts_of, sign_in

LINKS = "See https://a.example.org, https://b.example.org and [the map](https://c.example.org/map) for the plans."


@pytest.fixture
def app_config() -> dict:
    return {"DUPLICATE_POST_WINDOW_SECONDS": 600, "NEW_ACCOUNT_DAYS": 3, "NEW_ACCOUNT_MAX_LINKS": 2,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 12, "max_overflow": 4}}


@pytest.fixture
def world(app):
    return make_world(app)


def age(app, who, days: int) -> None:
    with app.app_context():
        db.session.execute(update(User).where(User.id == who.id).values(created_at=utcnow() - timedelta(days=days)))
        db.session.commit()


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_the_same_reply_twice_is_refused_with_the_text_kept(app, client, world):
    sign_in(client, world.member)
    url = f"/threads/{world.thread_id}/reply"
    assert client.post(url, data={"body": "Fix  the swings first."}).status_code == 302
    response = client.post(url, data={"body": "Fix the swings first. "})
    page = text_of(response)
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "You posted exactly this a moment ago, in “" in page and "Fix the swings first." in page
    assert [body for _n, body, _a in posts_of(app, world.thread_id)].count("Fix  the swings first.") == 1


def test_the_same_text_again_after_the_window_is_posted(app, client, world):
    sign_in(client, world.member)
    url = f"/threads/{world.thread_id}/reply"
    client.post(url, data={"body": "Still broken."})
    with app.app_context():
        db.session.execute(update(Post).values(created_at=utcnow() - timedelta(minutes=11)))
        db.session.commit()
    assert client.post(url, data={"body": "Still broken."}).status_code == 302


def test_a_withdrawn_post_may_be_posted_again(app, client, world):
    sign_in(client, world.member)
    url = f"/threads/{world.thread_id}/reply"
    client.post(url, data={"body": "A first try."})
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.author_id == world.member.id))
    client.post(f"/posts/{post_id}/withdraw")
    assert client.post(url, data={"body": "A first try."}).status_code == 302


def test_the_same_new_thread_twice_is_refused(app, client, world):
    sign_in(client, world.member)
    url = f"/groups/{world.group_slug}/threads/new"
    data = {"title": "Bins on Tuesdays", "body": "Why did collection move?", "tags": ""}
    assert client.post(url, data=data).status_code == 302
    assert "You posted exactly this a moment ago" in text_of(client.post(url, data=data))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Thread).where(Thread.title == data["title"])) == 1


def test_a_double_click_sending_a_reply_twice_at_once_leaves_one_post(app, world):
    clients = []
    for _ in range(2):
        client = app.test_client()
        sign_in(client, world.member)
        clients.append(client)
    url = f"/threads/{world.thread_id}/reply"
    results = all_at_once([lambda c=c: c.post(url, data={"body": "Sent twice."}).status_code for c in clients])
    assert sorted(results) == [200, 302], results
    assert [body for _n, body, _a in posts_of(app, world.thread_id)].count("Sent twice.") == 1
    with app.app_context():
        assert db.session.scalar(select(Thread.post_count).where(Thread.id == world.thread_id)) == len(
            posts_of(app, world.thread_id))


def test_new_accounts_may_post_two_links_not_three(app, client, world):
    sign_in(client, world.member)
    url = f"/threads/{world.thread_id}/reply"
    page = text_of(client.post(url, data={"body": LINKS}))
    assert "New accounts can include up to 2 links in a post (this has 3)" in page
    assert LINKS in page
    two = "Two: https://a.example.org and [the map](https://b.example.org/map)"
    assert client.post(url, data={"body": two}).status_code == 302


def test_older_accounts_and_staff_may_post_more_links(app, client, world):
    age(app, world.member, days=4)
    sign_in(client, world.member)
    assert client.post(f"/threads/{world.thread_id}/reply", data={"body": LINKS}).status_code == 302
    with app.app_context():
        opening = first_post_id(world.thread_id)
    sign_in(client, world.moderator)  # staff, and new: a site moderator may comment in any group
    assert client.post(f"/posts/{opening}/comments", data={"body": LINKS}).status_code == 302


def test_comments_and_edits_of_new_accounts_are_held_to_the_link_limit(app, client, world):
    sign_in(client, world.author)
    with app.app_context():
        opening = first_post_id(world.thread_id)
    page = text_of(client.post(f"/posts/{opening}/comments", data={"body": LINKS}))
    assert "New accounts can include up to 2 links" in page
    page = text_of(client.post(f"/posts/{opening}/edit", data={"body": LINKS, "title": "Swings", "tags": ""}))
    assert "New accounts can include up to 2 links" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Comment)) == 0
        assert db.session.get(Post, opening).revision_count == 1


def test_fields_a_form_does_not_offer_cannot_be_set(app, client, world):
    sign_in(client, world.member)
    client.post(f"/groups/{world.group_slug}/threads/new", data={
        "title": "Sneaky", "body": "Pinned and locked?", "pinned": "1", "locked": "yes", "group_id": "999"})
    client.post("/account", data={"display_name": "Still Resident", "role": "admin", "email": "x@example.org"})
    with app.app_context():
        thread = db.session.scalar(select(Thread).where(Thread.title == "Sneaky"))
        assert (thread.pinned, thread.locked) == (False, False)
        assert db.session.get(User, world.member.id).role == "resident"
