"""Handing one message on: SMTP when ``MAIL_SERVER`` is set, else a file in ``MAIL_FILE_DIR`` (development).

A testing app also keeps every message handed on in ``sent(app)``, so tests read what was delivered.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from email.message import EmailMessage

from flask import Flask, current_app

SENT_KEY = "forum.mail.sent"


def sent(app: Flask) -> list[EmailMessage]:
    """The messages a testing app has delivered so far."""
    return app.extensions.setdefault(SENT_KEY, [])


def build(to: str, subject: str, body: str, headers: dict[str, str], message_id: int) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config.get("MAIL_FROM") or "forum@localhost"
    message["To"] = to
    message["Subject"] = subject
    for name, value in headers.items():
        message[name] = value
    message["X-Forum-Outbox-Id"] = str(message_id)
    message.set_content(body)
    return message


def _smtp(message: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 587), timeout=15) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)


def _to_file(message: EmailMessage, message_id: int) -> None:
    folder = current_app.config.get("MAIL_FILE_DIR") or os.path.join(current_app.instance_path, "mail")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, f"{message_id:06d}.eml"), "wb") as out:
        out.write(bytes(message))


def hand_on(message: EmailMessage, message_id: int) -> None:
    """Deliver or raise (``OSError``/``SMTPException``) so the outbox retries later."""
    if current_app.config.get("MAIL_SERVER"):
        _smtp(message)
    elif not current_app.testing or current_app.config.get("MAIL_FILE_DIR"):
        _to_file(message, message_id)
    if current_app.testing:
        sent(current_app).append(message)
