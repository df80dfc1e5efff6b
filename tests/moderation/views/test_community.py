"""The community pages: house rules for everyone, flagging, and one's own flags and warnings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.moderation.models import Flag
from forum.moderation.services import sanctions
from tests.moderation import support as s


@pytest.fixture
def world(app):
    return s.make_world(app)


def flag_url(kind: str, item_id: int) -> str:
    return f"/community/flag/{kind}/{item_id}"


def flags_in(app) -> list[tuple[str, int, int, str, str]]:
    with app.app_context():
        return [(f.item_type, f.item_id, f.flagger_id, f.reason, f.note) for f in db.session.scalars(select(Flag))]


def test_the_house_rules_are_shown_to_everyone(client, world):
    response = client.get("/community/rules")
    body = s.page(response)
    assert response.status_code == 200 and "<h1 class=\"govuk-heading-l\">House rules</h1>" in body
    for words in ("Be respectful", "Stay on topic", "personal information", "No spam or advertising",
                  "party-political", "edit it to fix the problem", "suspend"):
        assert words in body
    assert "<h3>" in body  # Markdown headings, shifted below the page's own


def test_a_council_writes_its_own_rules_in_the_instance_folder(app, client, world):
    import os

    own = os.path.join(app.instance_path, "house_rules.md")
    with open(own, "w", encoding="utf-8") as handle:
        handle.write("# Our rules\n\nBe kind. <script>alert(1)</script>")
    try:
        body = s.page(client.get("/community/rules"))
    finally:
        os.remove(own)
    assert "Be kind." in body and "Stay on topic" not in body and "<script>alert" not in body


def test_flagging_shows_the_item_then_thanks_and_returns_to_it(app, client, world):
    s.sign_in(client, world.outsider)
    body = s.page(client.get(flag_url("post", world.reply_id)))
    assert "Flag this post" in body and "I agree about the benches." in body and "Bob Member" in body
    for label in ("It is off-topic", "It is spam or advertising", "It shares someone's personal information",
                  "Something else"):
        assert label in body
    response = client.post(flag_url("post", world.reply_id), data={"reason": "spam", "note": "An advert"})
    assert response.headers["Location"].endswith(f"/threads/{world.thread_id}/benches-by-the-pond#post-2")
    assert "Thanks: moderators will look at it" in s.page(client.get(response.headers["Location"]))
    assert flags_in(app) == [("post", world.reply_id, world.outsider.id, "spam", "An advert")]


def test_flagging_a_comment_returns_to_the_comment(client, world):
    s.sign_in(client, world.outsider)
    response = client.post(flag_url("comment", world.comment_id), data={"reason": "off_topic"})
    assert response.headers["Location"].endswith(f"#comment-{world.comment_id}")


def test_other_needs_a_note_and_the_form_keeps_what_was_typed(app, client, world):
    s.sign_in(client, world.outsider)
    response = client.post(flag_url("post", world.reply_id), data={"reason": "other", "note": ""})
    body = s.page(response)
    assert response.status_code == 200 and "govuk-error-summary" in body
    assert "Tell the moderators what is wrong" in body and 'value="other" checked' in body
    body = s.page(client.post(flag_url("post", world.reply_id), data={"note": "Kept note"}))
    assert "Choose why you are flagging this" in body and "Kept note" in body
    body = s.page(client.post(flag_url("post", world.reply_id), data={"reason": "spam", "note": "y" * 501}))
    assert "500 characters or fewer" in body and "y" * 501 in body
    assert flags_in(app) == []


def test_own_items_and_second_flags_are_refused_with_the_reason(app, client, world):
    s.sign_in(client, world.member)
    body = s.page(client.get(flag_url("post", world.reply_id)))
    assert "You cannot flag your own post" in body and "Send to the moderators" not in body
    body = s.page(client.post(flag_url("post", world.reply_id), data={"reason": "spam"}))
    assert "govuk-error-summary" in body and "You cannot flag your own post" in body
    s.sign_in(client, world.outsider)
    client.post(flag_url("post", world.reply_id), data={"reason": "spam"})
    assert "You have already flagged this post" in s.page(client.get(flag_url("post", world.reply_id)))
    body = s.page(client.post(flag_url("post", world.reply_id), data={"reason": "inappropriate", "note": "Again"}))
    assert "You have already flagged this post" in body and "Again" in body
    assert len(flags_in(app)) == 1


def test_flagging_needs_sign_in_and_a_readable_item(client, world):
    response = client.get(flag_url("post", world.reply_id))
    assert "/login" in response.headers["Location"]
    s.sign_in(client, world.outsider)
    assert client.get(flag_url("post", world.private_post_id)).status_code == 404
    assert client.get(flag_url("thread", world.thread_id)).status_code == 404
    assert client.get(flag_url("post", 999_999)).status_code == 404


def test_a_suspended_person_is_told_why_they_cannot_flag(app, client, world):
    with app.app_context():
        sanctions.suspend(s.user(world.sitemod), s.user(world.outsider), 7, "Abusive flags")
    s.sign_in(client, world.outsider)
    response = client.post(flag_url("post", world.reply_id), data={"reason": "spam"})
    assert response.status_code == 403 and "Abusive flags" in s.page(response)
    assert flags_in(app) == []


def test_my_flags_shows_what_became_of_each(app, client, world):
    s.sign_in(client, world.outsider)
    client.post(flag_url("post", world.reply_id), data={"reason": "spam", "note": "An advert"})
    client.post(flag_url("comment", world.comment_id), data={"reason": "off_topic"})
    body = s.page(client.get("/community/flags"))
    assert body.count("Waiting for a moderator") == 2 and "An advert" in body
    assert f'href="/threads/{world.thread_id}/benches-by-the-pond#post-2"' in body
    s.sign_in(client, world.sitemod)
    client.post(f"/moderation/items/post/{world.reply_id}/hide", data={"reason": "Advert"})
    client.post(f"/moderation/items/comment/{world.comment_id}/approve")
    s.sign_in(client, world.outsider)
    body = s.page(client.get("/community/flags"))
    assert "A moderator agreed and hid it" in body and "A moderator reviewed it and kept it" in body
    assert "Post 2 in “Benches by the pond” (no longer shown)" in body  # hidden: no link to it
    assert f'#comment-{world.comment_id}"' in body


def test_my_flags_is_empty_at_first_and_needs_sign_in(client, world):
    assert "/login" in client.get("/community/flags").headers["Location"]
    s.sign_in(client, world.outsider)
    assert "You have not flagged anything" in s.page(client.get("/community/flags"))
    assert client.get("/community/flags?page=2").status_code == 404


def test_my_warnings_shows_warnings_and_the_suspension(app, client, world):
    s.sign_in(client, world.member)
    assert "You have no warnings" in s.page(client.get("/community/warnings"))
    with app.app_context():
        sanctions.warn(s.user(world.parks_mod), s.user(world.member), "Stay on topic", s.group(world.parks_id))
        sanctions.suspend(s.user(world.sitemod), s.user(world.member), 3, "Repeated spam")
    body = s.page(client.get("/community/warnings"))
    assert "“Stay on topic”" in body and "about Parks" in body
    assert "Your account is suspended until" in body and "Repeated spam" in body
    with app.app_context():
        user = s.user(world.member)
        user.suspended_until = utcnow() - timedelta(minutes=1)  # it ends by itself
        db.session.commit()
    assert "suspended" not in s.page(client.get("/community/warnings"))


def test_flag_counts_are_untouched_by_a_get(app, client, world):
    s.sign_in(client, world.outsider)
    client.get(flag_url("post", world.reply_id))
    with app.app_context():
        assert db.session.scalar(select(func.count(Flag.id))) == 0


def test_my_warnings_needs_sign_in(client, world):
    assert "/login" in client.get("/community/warnings").headers["Location"]
