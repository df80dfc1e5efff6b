"""Email: at once with one-click unsubscribe headers, the signed unsubscribe link, the daily digest."""

from __future__ import annotations

import re

import pytest

from forum.extensions import db
from forum.mail import transport
from forum.notifications import services, tasks
from forum.notifications.models import Notification, Preference
from tests.notifications.support import make_world
from tests.pages import read
from tests.people import sign_in, sign_out


@pytest.fixture
def world(app):
    return make_world(app)


def reply(client, world, body="A reply."):
    sign_in(client, world.member)
    client.post(f"/threads/{world.thread_id}/reply", data={"body": body})
    sign_out(client)


def unsubscribe_path(message) -> str:
    url = message["List-Unsubscribe"].strip("<>")
    assert url.startswith("http://forum.test/notifications/unsubscribe/")
    return url.removeprefix("http://forum.test")


def test_a_reply_is_emailed_at_once_with_one_click_unsubscribe_headers(app, client, world):
    app.config["BASE_URL"] = "http://forum.test"
    reply(client, world)
    sent = transport.sent(app)
    assert [m["To"] for m in sent] == [world.author.email]
    message = sent[0]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = message.get_content()
    assert "Bob Member replied to your thread “More benches”" in body
    assert re.search(r"See it: http://forum\.test/notifications/\d+", body)
    assert unsubscribe_path(message) in body


def test_the_unsubscribe_link_works_without_sign_in_or_a_csrf_token(app, client, world):
    app.config["BASE_URL"] = "http://forum.test"
    reply(client, world)
    path = unsubscribe_path(transport.sent(app)[0])
    app.config["WTF_CSRF_ENABLED"] = True
    page = read(client.get(path))
    assert page.h1 == "Stop these emails"
    assert "a reply to your thread" in page.visible_text
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert read(response).h1 == "You will not get these emails any more"
    with app.app_context():
        assert db.session.get(Preference, (world.author.id, "reply_to_thread")).cadence == "never"
    reply(client, world, "Another.")
    assert len(transport.sent(app)) == 1


def test_a_forged_unsubscribe_link_is_a_404(client, world):
    assert client.get("/notifications/unsubscribe/not-a-token").status_code == 404
    assert client.post("/notifications/unsubscribe/WzEsIm1lbnRpb24iXQ.forged").status_code == 404


def test_daily_kinds_wait_for_the_digest_which_sends_each_once(app, client, world):
    app.config["BASE_URL"] = "http://forum.test"
    sign_in(client, world.other)
    client.post(f"/notifications/watch/threads/{world.thread_id}", data={"level": "watching"})
    reply(client, world, "One.")
    reply(client, world, "Two.")
    assert [m["To"] for m in transport.sent(app)] == [world.author.email, world.author.email]
    with app.app_context():
        assert tasks.daily_digest() == 1
    digests = [m for m in transport.sent(app) if m["To"] == world.other.email]
    assert len(digests) == 1
    assert digests[0]["Subject"] == "Citizen Forum: 2 new notifications"
    assert digests[0]["List-Unsubscribe"]
    assert digests[0].get_content().count("Bob Member wrote in “More benches”") == 2
    with app.app_context():
        assert tasks.daily_digest() == 0


def test_read_notifications_are_not_digested(app, client, world):
    sign_in(client, world.other)
    client.post(f"/notifications/watch/threads/{world.thread_id}", data={"level": "watching"})
    reply(client, world)
    sign_in(client, world.other)
    client.post("/notifications/read-all")
    with app.app_context():
        assert tasks.daily_digest() == 0


def test_notify_from_another_domain(app, world):
    with app.app_context():
        note = services.notify(world.author.id, "sanction", "You were warned: be kind.", "/community/warnings",
                               actor=world.moderator.id)
        assert note is not None
        assert services.notify(world.author.id, "sanction", "Self.", "/", actor=world.author.id) is None
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Notification.id))) == 1
    assert transport.sent(app)[-1]["To"] == world.author.email
