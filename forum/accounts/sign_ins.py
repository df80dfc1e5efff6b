"""Sign-ins held on the server: each browser that signs in gets a row, and its session cookie names that row.

A Flask session cookie is signed, not stored: without a row behind it, a copy of the cookie taken before signing
out would go on working until it expired. With one, signing out deletes the row and the copy is worthless;
"sign out everywhere" deletes every row of the account, and a password change every row but the current one.
A sign-in left unused for ``SIGN_IN_IDLE_DAYS`` ends too. The cookie carries a random token; the table keeps its
SHA-256 digest only.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from forum.accounts.models import SignIn, User
from forum.common import own_pages
from forum.common.timefmt import utcnow
from forum.extensions import db

# How stale last_seen_at may be before a request refreshes it: one write an hour per browser, not one a request.
SEEN_EVERY = timedelta(hours=1)
USER_AGENT_MAX = 200


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _idle_limit() -> timedelta:
    return timedelta(days=current_app.config["SIGN_IN_IDLE_DAYS"])


def start(user: User, user_agent: str = "") -> User:
    """Record a new sign-in for ``user`` and give the object its token (``User.get_id`` puts it in the cookie).
    The account's sign-ins idle past the limit are cleared on the way."""
    now = utcnow()
    db.session.execute(delete(SignIn).where(SignIn.user_id == user.id, SignIn.last_seen_at < now - _idle_limit()))
    token = secrets.token_urlsafe(32)
    db.session.add(SignIn(user_id=user.id, token_digest=_digest(token), created_at=now, last_seen_at=now,
                          user_agent=(user_agent or "")[:USER_AGENT_MAX]))
    db.session.flush()
    user.sign_in_token = token
    return user


def load(session_id: str) -> User | None:
    """Flask-Login's loader: the account whose live sign-in the session (or remember-me cookie) names."""
    user_id, _, token = (session_id or "").partition(":")
    if not token or not user_id.isdigit():
        return None
    row = db.session.execute(
        select(SignIn, User, *own_pages.version_columns(SignIn.user_id))
        .join(User, User.id == SignIn.user_id).where(SignIn.token_digest == _digest(token))
    ).first()
    if row is None:
        return None
    sign_in, user, content_version, viewer_version = row
    if not hmac.compare_digest(str(user.id), user_id) or user.deleted_at is not None:
        return None
    now = utcnow()
    if sign_in.last_seen_at < now - _idle_limit():
        return None
    if sign_in.last_seen_at < now - SEEN_EVERY:
        sign_in.last_seen_at = now
    user.sign_in_token = token
    user.page_versions = (content_version, viewer_version)  # what this person's kept pages are kept under
    return user


def end(user: User) -> None:
    """Sign this browser out: its row goes, so any copy of its cookie stops working."""
    if user.sign_in_token:
        db.session.execute(delete(SignIn).where(SignIn.token_digest == _digest(user.sign_in_token)))
        user.sign_in_token = None


def end_all(user: User, keep_current: bool = False) -> int:
    """End every sign-in of the account (all but this browser's with ``keep_current``); how many ended."""
    statement = delete(SignIn).where(SignIn.user_id == user.id)
    if keep_current and user.sign_in_token:
        statement = statement.where(SignIn.token_digest != _digest(user.sign_in_token))
    ended = db.session.execute(statement).rowcount or 0
    if not keep_current:
        user.sign_in_token = None
    return ended


def list_for(user: User) -> list[tuple[SignIn, bool]]:
    """The account's live sign-ins, most recently used first, each with whether it is this browser."""
    current = _digest(user.sign_in_token) if user.sign_in_token else None
    rows = db.session.scalars(
        select(SignIn).where(SignIn.user_id == user.id, SignIn.last_seen_at >= utcnow() - _idle_limit())
        .order_by(SignIn.last_seen_at.desc(), SignIn.id.desc()).limit(50)
    )
    return [(row, row.token_digest == current) for row in rows]


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
             ("Chromium/", "Chromium"), ("Safari/", "Safari"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))


def browser_name(user_agent: str) -> str:
    """"Firefox on Windows" from a User-Agent header, enough to tell one's own devices apart."""
    agent = user_agent or ""
    browser = next((name for marker, name in _BROWSERS if marker in agent), None)
    system = next((name for marker, name in _SYSTEMS if marker in agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "An unknown browser"
