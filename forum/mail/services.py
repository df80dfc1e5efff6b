"""Queue an email in the outbox (same transaction as the change) and deliver it as a job, retrying with back-off.

Retries are the outbox's own, not Huey's: a failed attempt sets ``next_attempt_at`` (1, 2, 4 ... minutes, at most
an hour) and the periodic sweep queues every message that is due, which also recovers a message whose job was
lost (a queue that was down at commit, a worker killed mid-job). A message is sent at most once per successful
attempt: the row is locked while it is handed on.
"""

from __future__ import annotations

import smtplib
from datetime import timedelta

from flask import current_app
from huey import crontab
from sqlalchemy import func, select

from forum.common.errors import NotFound
from forum.common.pagination import Page
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.jobs import after_commit, periodic, task
from forum.mail import transport
from forum.mail.models import MailStatus, OutboxMessage


def queue_mail(to: str, subject: str, body: str, user_id: int | None = None,
               headers: dict[str, str] | None = None) -> OutboxMessage:
    """Write the message to the outbox; it is delivered once this transaction commits."""
    # One line: user text in a subject (a moderator's reason) may hold line breaks, which no mail header may.
    subject = " ".join(subject.split())
    message = OutboxMessage(
        to_address=to, subject=subject[:300], body=body, user_id=user_id, headers=dict(headers or {}),
        status=MailStatus.PENDING, attempts=0, next_attempt_at=utcnow(),
    )
    db.session.add(message)
    db.session.flush()
    after_commit(deliver, message.id)
    return message


def backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


@task()
def deliver(message_id: int) -> None:
    """Hand one outbox message on; on failure leave it pending for the sweep, with the error and a later time."""
    message = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.id == message_id).with_for_update()
    ).one_or_none()
    if message is None or message.status != MailStatus.PENDING:
        return
    message.attempts += 1
    try:
        transport.hand_on(
            transport.build(message.to_address, message.subject, message.body, message.headers or {}, message.id),
            message.id,
        )
    except (OSError, smtplib.SMTPException) as error:
        message.last_error = f"{type(error).__name__}: {error}"[:1000]
        if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            message.status = MailStatus.FAILED
        else:
            message.next_attempt_at = utcnow() + backoff(message.attempts)
        current_app.logger.warning("Email %s not delivered (attempt %s): %s", message.id, message.attempts, error)
        return
    message.status, message.sent_at, message.last_error = MailStatus.SENT, utcnow(), None


def due_messages(limit: int = 500) -> list[int]:
    return list(db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == MailStatus.PENDING, OutboxMessage.next_attempt_at <= utcnow())
        .order_by(OutboxMessage.next_attempt_at).limit(limit)
    ))


@periodic(crontab(minute="*"))
def sweep_outbox() -> int:
    """Queue every message that is due (retries, and jobs lost while the queue was down)."""
    due = due_messages()
    for message_id in due:
        after_commit(deliver, message_id)
    return len(due)


def list_outbox(page: int, per_page: int = 50) -> Page:
    """One page of the outbox, newest first, with how many messages wait or failed (for admins)."""
    total = db.session.scalar(select(func.count(OutboxMessage.id))) or 0
    result = Page(items=[], number=page, per_page=per_page, total=total)
    if page > result.pages:
        raise NotFound("No such page")
    result.items = list(db.session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(per_page).offset((page - 1) * per_page)
    ))
    return result


def counts_by_status() -> dict[str, int]:
    rows = db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
    return {status: n for status, n in rows}


def send_again(message_id: int) -> OutboxMessage:
    """An admin sends a failed (or pending) message again now."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound("There is no such message.")
    if message.status != MailStatus.SENT:
        message.status, message.next_attempt_at, message.attempts = MailStatus.PENDING, utcnow(), 0
        db.session.flush()
        after_commit(deliver, message.id)
    return message
