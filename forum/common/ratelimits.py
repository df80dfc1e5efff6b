"""What the forum's per-person rate limits share (Flask-Limiter): whom a limit counts, and what counts."""

from __future__ import annotations

from typing import Any

from flask_limiter.util import get_remote_address
from flask_login import current_user


def per_person() -> str:
    """Each signed-in person has one count, wherever they send from; anyone else counts by address (the views
    refuse them anyway)."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"address:{get_remote_address()}"


def went_through(response: Any) -> bool:
    """Only what went through (a redirect) counts against the limit, not a form sent back with a problem."""
    return response.status_code in (301, 302, 303)
