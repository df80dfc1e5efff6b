"""Replying to a thread, with and without a quote (forum.threads.views.reply)."""

from __future__ import annotations

import html

import pytest

from forum.extensions import db
from forum.groups.models import Group
from forum.threads.models import Post, Thread
from tests import factories
from tests.threads.support import make_world, posts_of, sign_in


@pytest.fixture
def world(app):
    return make_world(app)


def reply_url(world, **query) -> str:
    suffix = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/threads/{world.thread_id}/reply" + (f"?{suffix}" if suffix else "")


def test_member_replies_and_lands_on_the_new_post(app, client, world):
    sign_in(client, world.member)
    response = client.post(reply_url(world), data={"body": "I agree, **strongly**."})
    assert response.headers["Location"] == f"/threads/{world.thread_id}/more-benches-in-the-park#post-2"
    assert posts_of(app, world.thread_id)[-1] == (2, "I agree, **strongly**.", world.member.id)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="post-2"' in page and "<strong>strongly</strong>" in page


def test_reply_on_a_later_page_redirects_to_that_page(app, client, world):
    app.config["POSTS_PER_PAGE"] = 2
    sign_in(client, world.member)
    client.post(reply_url(world), data={"body": "Second."})
    response = client.post(reply_url(world), data={"body": "Third."})
    assert response.headers["Location"] == f"/threads/{world.thread_id}/more-benches-in-the-park?page=2#post-3"
    assert "Third." in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "Enter the text of your reply"), ("   ", "Enter the text of your reply"),
     ("w" * 50_001, "Text must be 50,000 characters or fewer"),
     ("\u200b\u200b", "Enter some text that is not only formatting")],
)
def test_bad_reply_re_renders_the_reply_page_with_the_text(app, client, world, body, message):
    sign_in(client, world.member)
    response = client.post(reply_url(world), data={"body": body, "quote": str(world.opening_post_id)})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: " in page and page.count(message) == 2
    assert 'href="#body"' in page
    assert body.strip() == "" or html.escape(body) in page
    assert f'value="{world.opening_post_id}"' in page  # the quote link survives the error
    assert len(posts_of(app, world.thread_id)) == 1


def test_quote_prefills_the_reply_with_a_blockquote_and_attribution(app, client, world):
    sign_in(client, world.author)
    client.post(reply_url(world), data={"body": "First line.\n\nSecond paragraph."})
    with app.app_context():
        post_id = db.session.scalar(db.select(Post.id).where(Post.thread_id == world.thread_id, Post.number == 2))
    sign_in(client, world.member)
    response = client.get(reply_url(world, quote=post_id))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    post_link = f"/threads/{world.thread_id}/more-benches-in-the-park#post-2"
    expected = f"[Alice Author wrote in post 2]({post_link}):\n\n> First line.\n>\n> Second paragraph.\n\n"
    assert html.escape(expected) in page
    response = client.post(reply_url(world), data={"body": expected + "Quite so.", "quote": str(post_id)})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    # The credit comes before the quote and links to the quoted post.
    credit = f'<a href="{post_link}" rel="nofollow ugc noopener">Alice Author wrote in post 2</a>:'
    assert credit in page and page.index(credit) < page.index("<blockquote>")
    with app.app_context():
        assert db.session.scalar(db.select(Post.quoted_post_id).where(Post.number == 3,
                                                                      Post.thread_id == world.thread_id)) == post_id


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "", "1e3", "%C2%B2", "%E2%91%A0"])
def test_a_quote_that_is_not_a_post_id_is_400(client, world, value):
    sign_in(client, world.member)
    assert client.get(reply_url(world, quote=value)).status_code == 400


def test_a_posted_quote_that_is_a_unicode_digit_is_ignored(app, client, world):
    """"²" passes str.isdigit() but not int(): the reply goes through without a quote, not as a 500."""
    sign_in(client, world.member)
    response = client.post(reply_url(world), data={"body": "A plain reply.", "quote": "²"})
    assert response.headers["Location"].startswith(f"/threads/{world.thread_id}/")
    assert posts_of(app, world.thread_id)[-1][1] == "A plain reply."


def test_quoting_a_post_of_another_thread_is_ignored(client, world):
    sign_in(client, world.member)
    response = client.get(reply_url(world, quote=world.private_post_id))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Secret numbers." not in page
    assert "wrote in post" not in page
    assert client.get(reply_url(world, quote=987654)).status_code == 200


def test_quoting_a_withdrawn_post_is_ignored(client, world):
    sign_in(client, world.author)
    client.post(f"/posts/{world.opening_post_id}/withdraw")
    response = client.get(reply_url(world, quote=world.opening_post_id))
    assert "We need benches." not in response.get_data(as_text=True)


def test_a_posted_quote_of_a_withdrawn_post_is_not_recorded(app, client, world):
    sign_in(client, world.author)
    client.post(f"/posts/{world.opening_post_id}/withdraw")
    client.post(reply_url(world), data={"body": "Quoting nothing now.", "quote": str(world.opening_post_id)})
    with app.app_context():
        quoted = db.session.scalar(db.select(Post.quoted_post_id).where(Post.thread_id == world.thread_id,
                                                                       Post.number == 2))
    assert posts_of(app, world.thread_id)[-1][1] == "Quoting nothing now." and quoted is None


def test_anonymous_reply_goes_to_sign_in(app, client, world):
    response = client.post(reply_url(world), data={"body": "Hello"})
    assert response.headers["Location"].startswith("/login")
    assert client.get(reply_url(world, quote=world.opening_post_id)).headers["Location"].startswith("/login")
    assert len(posts_of(app, world.thread_id)) == 1


def test_non_member_is_offered_to_join_instead_of_a_reply_form(app, client, world):
    sign_in(client, world.outsider)
    response = client.get(reply_url(world, quote=world.opening_post_id))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<h1 class=\"govuk-heading-l\">Join the group to reply</h1>" in page
    assert f'action="/groups/{world.group_slug}/join"' in page
    assert f'name="next" value="/threads/{world.thread_id}/reply?quote={world.opening_post_id}"' in page
    assert 'name="body"' not in page
    assert client.post(reply_url(world), data={"body": "Hello"}).status_code == 403
    assert len(posts_of(app, world.thread_id)) == 1


def test_joining_from_the_reply_page_comes_back_to_the_reply_form(app, client, world):
    sign_in(client, world.outsider)
    response = client.post(f"/groups/{world.group_slug}/join", data={"next": reply_url(world)})
    assert response.headers["Location"] == reply_url(world)
    page = client.get(reply_url(world)).get_data(as_text=True)
    assert "You are now a member of Parks and green spaces." in page and 'name="body"' in page
    client.post(reply_url(world), data={"body": "Glad to be here."})
    assert posts_of(app, world.thread_id)[-1][1] == "Glad to be here."


def test_a_suspended_or_locked_out_reader_is_still_refused(app, client, world):
    with app.app_context():
        db.session.get(Thread, world.thread_id).locked = True
        db.session.commit()
    sign_in(client, world.outsider)
    assert client.get(reply_url(world)).status_code == 403


def test_private_thread_reply_and_quote_are_404_for_non_members(app, client, world):
    sign_in(client, world.outsider)
    url = f"/threads/{world.private_thread_id}/reply"
    assert client.get(url).status_code == 404
    assert client.get(f"{url}?quote={world.private_post_id}").status_code == 404
    assert client.post(url, data={"body": "Let me see"}).status_code == 404
    assert len(posts_of(app, world.private_thread_id)) == 1


def test_member_who_left_cannot_reply(app, client, world):
    with app.app_context():
        group = db.session.scalar(db.select(Group).where(Group.slug == world.group_slug))
        db.session.execute(db.delete(factories.Membership).where(
            factories.Membership.group_id == group.id, factories.Membership.user_id == world.member.id))
        db.session.commit()
    sign_in(client, world.member)
    assert client.post(reply_url(world), data={"body": "Hello"}).status_code == 403


def test_thread_counters_move_with_a_reply(app, client, world):
    sign_in(client, world.member)
    client.post(reply_url(world), data={"body": "One more."})
    with app.app_context():
        thread = db.session.get(Thread, world.thread_id)
        assert thread.post_count == 2 and thread.last_post_author_id == world.member.id
        assert thread.group.post_count == 2
