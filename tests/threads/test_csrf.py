"""With CSRF checks on (as in production): the forms on the thread pages carry working tokens, and an expired
token re-renders the form with the text kept."""

from __future__ import annotations

import re

import pytest

from tests.threads.support import comments_of, make_world, posts_of, sign_in


@pytest.fixture
def app_config() -> dict:
    return {"WTF_CSRF_ENABLED": True}


def token_from(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_forms_on_the_thread_page_work_with_their_tokens(app, client):
    world = make_world(app)
    sign_in(client, world.author)
    token = token_from(client.get(f"/threads/{world.thread_id}/").get_data(as_text=True))
    reply = client.post(f"/threads/{world.thread_id}/reply", data={"body": "With a token.", "csrf_token": token})
    assert reply.headers["Location"].endswith("#post-2")
    comment = client.post(f"/posts/{world.opening_post_id}/comments", data={"body": "Noted.", "csrf_token": token})
    assert "#comment-" in comment.headers["Location"]
    withdraw = client.post(f"/posts/{world.opening_post_id}/withdraw", data={"csrf_token": token})
    assert withdraw.headers["Location"].endswith("#post-1")
    assert comments_of(app, world.opening_post_id) == ["Noted."]


def test_button_actions_without_a_token_are_refused(app, client):
    world = make_world(app)
    sign_in(client, world.author)
    assert client.post(f"/posts/{world.opening_post_id}/withdraw").status_code == 400


@pytest.mark.parametrize("kind", ["reply", "comment"])
def test_an_expired_token_keeps_the_text(app, client, kind):
    world = make_world(app)
    sign_in(client, world.member)
    url = f"/threads/{world.thread_id}/reply" if kind == "reply" else f"/posts/{world.opening_post_id}/comments"
    response = client.post(url, data={"body": "An hour of careful words.", "csrf_token": "expired"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Your session expired: what you entered is kept below; check it and submit again" in page
    assert "An hour of careful words." in page
    assert len(posts_of(app, world.thread_id)) == 1
