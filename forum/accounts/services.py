"""Accounts: registration, authentication, password resets and roles. Views call these; these own the transaction."""

from __future__ import annotations

from forum.accounts.models import User
from forum.extensions import db


def load_user(session_id: str) -> User | None:
    """Flask-Login's loader: the user whose id and password fragment match the session."""
    user_id, _, fragment = (session_id or "").partition(":")
    if not user_id.isdigit() or len(user_id) > 18:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.password_hash[-12:] != fragment:
        return None
    return user
