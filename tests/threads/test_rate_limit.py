"""Posting is rate limited per signed-in person (RATELIMIT_POSTING), with the 429 page."""

from __future__ import annotations

import pytest

from tests.threads.support import make_world, posts_of, sign_in


@pytest.fixture
def app_config() -> dict:
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_POSTING": "3 per minute"}


def test_posting_beyond_the_limit_gets_the_429_page(app, client):
    world = make_world(app)
    sign_in(client, world.member)
    thread = f"/threads/{world.thread_id}/reply"
    assert "Location" in client.post(thread, data={"body": "One."}).headers
    assert "Location" in client.post(f"/posts/{world.opening_post_id}/comments", data={"body": "Two."}).headers
    new = client.post(f"/groups/{world.group_slug}/threads/new", data={"title": "Three", "body": "Three."})
    assert "Location" in new.headers
    response = client.post(thread, data={"body": "Four, with every word kept.", "quote": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Too many attempts" in page and "Wait a few minutes" in page
    assert "Four, with every word kept." in page and f'action="{thread}"' in page
    assert [p[1] for p in posts_of(app, world.thread_id)] == ["We need benches.", "One."]


def test_forms_sent_back_with_errors_do_not_use_up_the_limit(app, client):
    world = make_world(app)
    sign_in(client, world.member)
    thread = f"/threads/{world.thread_id}/reply"
    for _ in range(5):
        assert client.post(thread, data={"body": ""}).status_code == 200
    assert "Location" in client.post(thread, data={"body": "Finally."}).headers


def test_the_limit_is_per_person(app, client):
    world = make_world(app)
    thread = f"/threads/{world.thread_id}/reply"
    sign_in(client, world.member)
    for n in range(3):
        client.post(thread, data={"body": f"Member {n}."})
    assert client.post(thread, data={"body": "Too many."}).status_code == 429
    sign_in(client, world.author)
    assert "Location" in client.post(thread, data={"body": "Author's turn."}).headers


def test_a_new_thread_over_the_limit_keeps_title_and_tags(app, client):
    world = make_world(app)
    sign_in(client, world.member)
    url = f"/groups/{world.group_slug}/threads/new"
    for n in range(3):
        client.post(url, data={"title": f"Thread {n}", "body": "Text."})
    response = client.post(url, data={"title": "Kept title", "body": "Kept body", "tags": "kept, tags"})
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert 'value="Kept title"' in page and "Kept body" in page and 'value="kept, tags"' in page
