"""Flagging is rate limited per person (RATELIMIT_FLAGGING); the 429 page gives the note back."""

from __future__ import annotations

import pytest

from tests.moderation import support as s


@pytest.fixture
def app_config() -> dict:
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_FLAGGING": "2 per hour", "FLAG_HIDE_THRESHOLD": 0}


def test_flagging_beyond_the_limit_gets_the_429_page_with_the_note(app, client):
    world = s.make_world(app)
    s.sign_in(client, world.outsider)
    assert client.post(f"/community/flag/post/{world.reply_id}", data={"reason": "other"}).status_code == 200
    for kind, item_id in (("post", world.reply_id), ("comment", world.comment_id)):
        assert "Location" in client.post(f"/community/flag/{kind}/{item_id}", data={"reason": "spam"}).headers
    url = f"/community/flag/post/{world.opening_id}"
    response = client.post(url, data={"reason": "other", "note": "Every word of this note is kept."})
    body = s.page(response)
    assert response.status_code == 429 and "Too many attempts" in body
    assert "Every word of this note is kept." in body and f'action="{url}"' in body and 'value="other"' in body
    s.sign_in(client, world.flaggers[0])  # the limit is per person
    assert "Location" in client.post(url, data={"reason": "spam"}).headers
