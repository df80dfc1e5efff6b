"""Agreeing with a post (forum.threads.reactions): once per person, a second press changes nothing, the count and
who agreed on the thread page, refusals for what cannot be agreed with, sign-in and CSRF."""

from __future__ import annotations

import re

import pytest

from forum.common import transaction
from forum.extensions import db
from forum.threads import services as thread_services
from forum.threads import visibility
from forum.threads.models import Post, PostReaction, Visibility
from tests import factories
from tests.pages import read
from tests.query_counting import counting_queries
from tests.threads.support import make_world, person, sign_in, sign_out


@pytest.fixture
def world(app):
    return make_world(app)


def agreed(app, post_id: int) -> list[int]:
    with app.app_context():
        return sorted(db.session.scalars(db.select(PostReaction.user_id).where(PostReaction.post_id == post_id)))


def reply_by(app, world, who_id: int, body: str = "A reply.") -> int:
    with app.app_context():
        from forum.accounts.models import User
        from forum.threads.models import Thread

        post = thread_services.reply(db.session.get(Thread, world.thread_id), db.session.get(User, who_id), body)
        transaction.commit()
        return post.id


def test_agree_once_second_press_changes_nothing_and_remove_takes_it_back(app, client, world):
    sign_in(client, world.member)
    response = client.post(f"/posts/{world.opening_post_id}/agree")
    assert response.status_code == 302 and response.headers["Location"].endswith("#post-1")
    assert client.post(f"/posts/{world.opening_post_id}/agree").status_code == 302
    assert agreed(app, world.opening_post_id) == [world.member.id]
    page = read(client.get(f"/threads/{world.thread_id}/"))
    assert "1 person agrees" in page.text("#post-1 .forum-reactions__who summary")
    assert page.texts("#post-1 .forum-reactions__who li") == [world.member.name]
    assert page.has(f'form[action="/posts/{world.opening_post_id}/agree/remove"]')
    assert not page.has(f'form[action="/posts/{world.opening_post_id}/agree"]')
    client.post(f"/posts/{world.opening_post_id}/agree/remove")
    client.post(f"/posts/{world.opening_post_id}/agree/remove")
    assert agreed(app, world.opening_post_id) == []
    page = read(client.get(f"/threads/{world.thread_id}/"))
    assert not page.has("#post-1 .forum-reactions__who")
    assert page.has(f'form[action="/posts/{world.opening_post_id}/agree"]')


def test_count_and_names_of_several_people(app, client, world):
    for who in (world.member, world.outsider, world.moderator):  # reading is enough: a public group
        sign_in(client, who)
        assert client.post(f"/posts/{world.opening_post_id}/agree").status_code == 302
    sign_out(client)
    page = read(client.get(f"/threads/{world.thread_id}/"))
    assert "3 people agree" in page.text("#post-1 .forum-reactions__who summary")
    names = page.texts("#post-1 .forum-reactions__who li")
    assert len(names) == 3  # oldest first
    assert [world.member.name, world.outsider.name, world.moderator.name] == [
        next(p.name for p in (world.member, world.outsider, world.moderator) if n.startswith(p.name)) for n in names
    ]
    # Anonymous readers see the count but no buttons.
    assert not page.has("form[action$='/agree']") and not page.has("form[action$='/bookmark']")


def test_the_author_cannot_agree_with_their_own_post(app, client, world):
    sign_in(client, world.author)
    page = read(client.get(f"/threads/{world.thread_id}/"))
    assert not page.has(f'form[action="/posts/{world.opening_post_id}/agree"]')
    assert client.post(f"/posts/{world.opening_post_id}/agree").status_code == 403
    assert agreed(app, world.opening_post_id) == []


def test_anonymous_people_are_sent_to_sign_in(app, client, world):
    response = client.post(f"/posts/{world.opening_post_id}/agree")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert agreed(app, world.opening_post_id) == []


def test_unreadable_posts_are_not_found(app, client, world):
    sign_in(client, world.outsider)
    assert client.post(f"/posts/{world.private_post_id}/agree").status_code == 404
    assert client.post("/posts/999999/agree").status_code == 404
    assert agreed(app, world.private_post_id) == []


@pytest.mark.parametrize("change", ["held", "hidden", "withdrawn"])
def test_held_hidden_or_withdrawn_posts_take_no_agreement(app, client, world, change):
    reply_id = reply_by(app, world, world.author.id)
    with app.app_context():
        post = db.session.get(Post, reply_id)
        if change == "withdrawn":
            visibility.change_post(post, withdraw=True)
        else:
            visibility.change_post(post, state=Visibility(change), reason="Rude")
        transaction.commit()
    sign_in(client, world.member)  # sees none of them: a 404
    assert client.post(f"/posts/{reply_id}/agree").status_code == (403 if change == "withdrawn" else 404)
    sign_in(client, world.moderator)  # sees them all: still refused
    assert client.post(f"/posts/{reply_id}/agree").status_code == 403
    page = read(client.get(f"/threads/{world.thread_id}/"))
    assert not page.has(f'form[action="/posts/{reply_id}/agree"]')
    assert agreed(app, reply_id) == []


def test_the_thread_page_query_count_does_not_grow_with_agreements(app, client):
    counts = []
    for replies in (3, 40):
        with app.app_context():
            author = factories.make_user()
            readers = [factories.make_user() for _ in range(3)]
            group = factories.make_group(members=(author, *readers))
            thread = factories.make_thread(group, author, replies=replies)
            for post in db.session.scalars(db.select(Post).where(Post.thread_id == thread.id)):
                for reader in readers:
                    db.session.add(PostReaction(post_id=post.id, user_id=reader.id))
            transaction.commit()
            thread_id, reader = thread.id, person(readers[0])
        sign_in(client, reader)
        client.get(f"/threads/{thread_id}/")
        with counting_queries(app) as statements:
            page = client.get(f"/threads/{thread_id}/").get_data(as_text=True)
        counts.append(len(statements))
        assert "3 people agree" in page and "Remove agreement" in page
    assert counts[0] == counts[1]


def test_with_csrf_on_the_agree_button_works_and_a_missing_token_is_refused(app, client, world):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        sign_in(client, world.member)
        page = client.get(f"/threads/{world.thread_id}/").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        assert client.post(f"/posts/{world.opening_post_id}/agree").status_code == 400
        assert agreed(app, world.opening_post_id) == []
        assert client.post(f"/posts/{world.opening_post_id}/agree", data={"csrf_token": token}).status_code == 302
        assert agreed(app, world.opening_post_id) == [world.member.id]
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
