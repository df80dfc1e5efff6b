"""Email: SMTP when a server is configured, the log otherwise, and never a broken page when SMTP fails."""

from __future__ import annotations

import logging
import smtplib

from forum.common import mail


class FakeSMTP:
    sent: list = []
    fail = False

    def __init__(self, host, port, timeout=None):
        self.host, self.port, self.calls = host, port, []
        if FakeSMTP.fail:
            raise OSError("connection refused")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self, context=None):
        self.calls.append("starttls")

    def login(self, user, password):
        self.calls.append(("login", user, password))

    def send_message(self, message):
        FakeSMTP.sent.append((self.host, self.port, self.calls, message))


def test_without_a_server_the_message_goes_to_the_log_and_the_outbox(app, caplog):
    with app.app_context(), caplog.at_level(logging.INFO, logger=app.logger.name):
        assert mail.send_mail("ann@example.org", "Hello", "The body with a link http://x/")
    assert "http://x/" in caplog.text and "ann@example.org" in caplog.text
    assert [m["Subject"] for m in mail.outbox(app)] == ["Hello"]


def test_with_a_server_the_message_goes_through_smtp(app, monkeypatch):
    FakeSMTP.sent, FakeSMTP.fail = [], False
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    app.config.update(MAIL_SERVER="smtp.example.org", MAIL_PORT=2525, MAIL_USERNAME="forum", MAIL_PASSWORD="pw",
                      MAIL_FROM="forum@example.org")
    with app.app_context():
        assert mail.send_mail("ann@example.org", "Hello", "Body")
    host, port, calls, message = FakeSMTP.sent[0]
    assert (host, port) == ("smtp.example.org", 2525)
    assert calls == ["starttls", ("login", "forum", "pw")]
    assert message["From"] == "forum@example.org" and message["To"] == "ann@example.org"


def test_a_failing_server_is_logged_not_raised(app, monkeypatch, caplog):
    FakeSMTP.fail = True
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    app.config["MAIL_SERVER"] = "smtp.example.org"
    with app.app_context(), caplog.at_level(logging.ERROR, logger=app.logger.name):
        assert mail.send_mail("ann@example.org", "Hello", "Body") is False
    assert "Could not send an email" in caplog.text
    FakeSMTP.fail = False
