"""Refusing the commonest abuse before it lands (issue 5): a post sent twice in quick succession (a
double-click, or a paste into several threads), and new accounts posting many links (link spam).

Both are checked inside the posting transaction after its first write, so two copies sent at once are
serialised: on PostgreSQL by a lock on the author's row, on SQLite by its single writer. The limits are
settings: ``DUPLICATE_POST_WINDOW_SECONDS``, ``NEW_ACCOUNT_DAYS`` and ``NEW_ACCOUNT_MAX_LINKS``. Staff are
trusted with links.
"""

from __future__ import annotations

import re
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from forum.accounts.models import User
from forum.common.errors import ValidationFailed
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.threads.models import Post, Thread

_LINK = re.compile(r"<a\s", re.IGNORECASE)


def _same_text(text: str) -> str:
    return " ".join(text.split()).casefold()


def check_not_duplicate(author: User, body: str) -> None:
    """Refuse a post whose text equals the author's latest post of the last few minutes.

    The lock on the author's row makes a copy sent at the same time wait here until the first one's request
    ends; the refusal then drops everything the request wrote (its edge rolls back, ``forum.common.errors``).
    """
    window = current_app.config.get("DUPLICATE_POST_WINDOW_SECONDS", 600)
    if not window:
        return
    db.session.execute(select(User.id).where(User.id == author.id).with_for_update())
    since = utcnow() - timedelta(seconds=window)
    latest = db.session.execute(
        select(Post.body_source, Thread.title)
        .join(Thread, Thread.id == Post.thread_id)
        .where(Post.author_id == author.id, Post.created_at >= since, Post.withdrawn_at.is_(None))
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(1)
    ).first()
    if latest is not None and _same_text(latest.body_source) == _same_text(body):
        raise ValidationFailed(
            f"You posted exactly this a moment ago, in “{latest.title}”, so it was not posted again. "
            "If you meant to post it twice, change it a little",
            field="body",
        )


def is_new_account(author: User) -> bool:
    days = current_app.config.get("NEW_ACCOUNT_DAYS", 3)
    return not author.is_staff and author.created_at > utcnow() - timedelta(days=days)


def check_links(author: User, html: str, field: str = "body") -> None:
    """Refuse more than ``NEW_ACCOUNT_MAX_LINKS`` links from an account younger than ``NEW_ACCOUNT_DAYS``."""
    limit = current_app.config.get("NEW_ACCOUNT_MAX_LINKS", 2)
    links = len(_LINK.findall(html))
    if links > limit and is_new_account(author):
        days = current_app.config.get("NEW_ACCOUNT_DAYS", 3)
        raise ValidationFailed(
            f"New accounts can include up to {limit} links in a post (this has {links}). "
            f"Remove some links, or post them after your account is {days} days old",
            field=field,
        )
