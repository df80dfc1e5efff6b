"""The outbox: an email is written with the change, delivered by a job over real SMTP (aiosmtpd), kept while the
server is down and delivered after, retried with back-off, visible to admins."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from forum.extensions import db
from forum.mail import services
from forum.mail.models import MailStatus, OutboxMessage
from forum.mail.transport import sent
from tests.pages import read
from tests.people import new_person, sign_in


class Inbox:
    """An aiosmtpd handler keeping every message it is given."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_app(app):
    port = free_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    return app


def start_server(port: int) -> tuple[Controller, Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, inbox


def queue(app, to="ann@example.org", subject="Hello", headers=None) -> int:
    with app.app_context():
        return services.queue_mail(to, subject, "A body with a link http://x/", headers=headers).id


def row(app, message_id: int) -> OutboxMessage:
    with app.app_context():
        return db.session.get(OutboxMessage, message_id)


def test_a_queued_email_is_delivered_over_smtp_once_the_change_commits(smtp_app):
    controller, inbox = start_server(smtp_app.config["MAIL_PORT"])
    try:
        message_id = queue(smtp_app, headers={"List-Unsubscribe": "<http://x/u>"})
    finally:
        controller.stop()
    (envelope,) = inbox.messages
    assert envelope.rcpt_tos == ["ann@example.org"]
    assert b"List-Unsubscribe: <http://x/u>" in envelope.content
    stored = row(smtp_app, message_id)
    assert (stored.status, stored.attempts, stored.last_error) == (MailStatus.SENT, 1, None)


def test_nothing_is_sent_when_the_change_is_rolled_back(app):
    with pytest.raises(RuntimeError), app.app_context():
        services.queue_mail("ann@example.org", "Never", "Body")
        raise RuntimeError("the request failed")
    assert sent(app) == []
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage.id)) is None


def test_a_server_that_is_down_loses_nothing_and_the_sweep_delivers_later(smtp_app):
    message_id = queue(smtp_app)  # nothing listens on the port yet
    waiting = row(smtp_app, message_id)
    assert waiting.status == MailStatus.PENDING and waiting.attempts == 1
    assert "Connection" in waiting.last_error or "refused" in waiting.last_error.lower()
    assert waiting.next_attempt_at > waiting.created_at  # backed off, not retried at once
    with smtp_app.app_context():
        assert services.sweep_outbox() == 0  # not due yet
    controller, inbox = start_server(smtp_app.config["MAIL_PORT"])
    try:
        with smtp_app.app_context():
            db.session.execute(update(OutboxMessage).values(next_attempt_at=OutboxMessage.created_at))
        with smtp_app.app_context():
            assert services.sweep_outbox() == 1
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    delivered = row(smtp_app, message_id)
    assert delivered.status == MailStatus.SENT and delivered.attempts == 2


def test_back_off_doubles_up_to_an_hour():
    assert [services.backoff(n) for n in (1, 2, 3, 7, 20)] == [
        timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4), timedelta(minutes=60),
        timedelta(minutes=60),
    ]


def test_after_the_last_attempt_the_message_is_failed_and_an_admin_can_send_it_again(smtp_app, client):
    smtp_app.config["MAIL_MAX_ATTEMPTS"] = 1
    message_id = queue(smtp_app, subject="Your reply")
    assert row(smtp_app, message_id).status == MailStatus.FAILED
    admin = new_person(smtp_app, "Ada Admin", role="admin")
    sign_in(client, admin)
    page = read(client.get("/admin/outbox"))
    assert page.h1 == "Email outbox"
    assert "Failed: 1" in page.visible_text and "Your reply" in page.visible_text
    controller, inbox = start_server(smtp_app.config["MAIL_PORT"])
    try:
        response = client.post(f"/admin/outbox/{message_id}/send")
    finally:
        controller.stop()
    assert response.status_code == 302
    assert len(inbox.messages) == 1 and row(smtp_app, message_id).status == MailStatus.SENT


def test_only_admins_see_the_outbox(app, client):
    sign_in(client, new_person(app, "Rita Resident"))
    assert client.get("/admin/outbox").status_code == 403
    client2 = app.test_client()
    assert client2.get("/admin/outbox").status_code == 302  # to sign in
