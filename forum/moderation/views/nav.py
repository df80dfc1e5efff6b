"""The header's "Moderation" link, with how many items wait, for people who moderate something.

Site moderators and admins cost one query (the count), group moderators one (their groups and the count
together). Everyone else is remembered in the session as moderating nothing for a few minutes, so ordinary
pages cost them no query at all; someone appointed a group moderator sees the link within that time.
"""

from __future__ import annotations

import time
from typing import Any

from flask import session
from flask_login import current_user

from forum.moderation import bp
from forum.moderation.services import queue

SESSION_KEY = "moderates_nothing"
REMEMBER_SECONDS = 300


class _Once:
    """Call a function the first time a template asks, then remember the answer (pages that never print the
    header, like redirects, pay nothing)."""

    def __init__(self, func: Any) -> None:
        self._func, self._done, self._value = func, False, None

    def __call__(self) -> Any:
        if not self._done:
            self._value, self._done = self._func(), True
        return self._value


def _pending() -> int | None:
    if not current_user.is_authenticated:
        return None
    remembered = session.get(SESSION_KEY)
    if (not current_user.is_site_moderator and isinstance(remembered, list) and len(remembered) == 2
            and remembered[0] == current_user.id and time.time() - remembered[1] < REMEMBER_SECONDS):
        return None
    count = queue.nav_count(current_user)
    if count is None:
        session[SESSION_KEY] = [current_user.id, time.time()]
    elif SESSION_KEY in session:
        session.pop(SESSION_KEY)
    return count


@bp.app_context_processor
def moderation_nav() -> dict[str, Any]:
    """``moderation_pending()``: None for anyone who moderates nothing, else the number of items waiting."""
    return {"moderation_pending": _Once(_pending)}
