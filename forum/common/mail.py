"""Sending email: through SMTP when ``MAIL_SERVER`` is set, otherwise written to the app log (development).

Under ``TESTING`` every message is also kept in ``outbox(app)``, so tests can read what was sent.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from flask import Flask, current_app

OUTBOX_KEY = "forum.mail.outbox"


def outbox(app: Flask) -> list[EmailMessage]:
    """The messages sent so far by a testing app (empty for any other app)."""
    return app.extensions.setdefault(OUTBOX_KEY, [])


def build_message(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config.get("MAIL_FROM") or "forum@localhost"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 587), timeout=15) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send a plain-text email; True when it was handed on (to SMTP or to the log).

    A failing mail server is logged, not raised: the person's page must not break (and must not reveal,
    say, whether an address has an account) because the mail server is down.
    """
    message = build_message(to, subject, body)
    if current_app.testing:
        outbox(current_app).append(message)
    if not current_app.config.get("MAIL_SERVER"):
        current_app.logger.info(
            "MAIL_SERVER is not set, so this email was written here instead of sent.\nTo: %s\nSubject: %s\n\n%s",
            to, subject, body,
        )
        return True
    try:
        _send_smtp(message)
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("Could not send an email through %s", current_app.config["MAIL_SERVER"])
        return False
    return True
