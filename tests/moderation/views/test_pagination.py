"""The queue and the audit log page through long lists, keeping their filters."""

from __future__ import annotations

import pytest

from tests.moderation import support as s


@pytest.fixture
def app_config():
    return {"QUEUE_PER_PAGE": 1, "AUDIT_PER_PAGE": 1}


@pytest.fixture
def world(app):
    world = s.make_world(app)
    with app.app_context():
        s.flag_as(world.flaggers[0], "post", world.reply_id, "spam", "Selling benches")
        s.flag_as(world.flaggers[1], "comment", world.comment_id, "off_topic")
    return world


def rows(body: str) -> str:
    """The log table's rows (the action filter also names every action)."""
    return body[body.find("<tbody"):body.find("</tbody>")]


def test_the_queue_pages_keep_the_filters(client, world):
    s.sign_in(client, world.sitemod)
    first = s.page(client.get("/moderation/?kind=flagged"))
    assert "govuk-pagination" in first and "/moderation/?page=2&kind=flagged" in first
    second = s.page(client.get("/moderation/?kind=flagged&page=2"))
    assert ("Near the playground too." in second) != ("Near the playground too." in first)
    assert ("I agree about the benches." in second) != ("I agree about the benches." in first)
    assert client.get("/moderation/?page=3").status_code == 404
    assert client.get("/moderation/?page=x").status_code == 400


def test_the_log_pages_keep_the_filters(client, world):
    s.sign_in(client, world.sitemod)
    for reason in ("First reason", "Second reason"):
        client.post(f"/moderation/items/post/{world.reply_id}/hide", data={"reason": reason})
        client.post(f"/moderation/items/post/{world.reply_id}/restore")
    first = s.page(client.get("/moderation/log?action=hide&moderator=sam-sitemod"))
    assert "Second reason" in first and "First reason" not in first  # newest first
    assert "/moderation/log?page=2&moderator=sam-sitemod&action=hide" in first
    second = s.page(client.get("/moderation/log?page=2&moderator=sam-sitemod&action=hide"))
    assert "First reason" in rows(second) and "Restored" not in rows(second)


def test_a_failed_bulk_form_comes_back_on_the_page_it_was_sent_from(client, world):
    s.sign_in(client, world.sitemod)
    second = s.page(client.get("/moderation/?page=2"))
    key = "comment-" if "Near the playground too." in second else "post-"
    item = f"comment-{world.comment_id}" if key == "comment-" else f"post-{world.reply_id}"
    assert '<input type="hidden" name="page" value="2">' in second
    body = s.page(client.post("/moderation/bulk", data={"items": [item], "action": "hide", "page": "2"}))
    assert "govuk-error-summary" in body and f'value="{item}" checked' in body
