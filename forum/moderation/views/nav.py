"""The header's "Moderation" link, with how many items wait, for people who moderate something.

One query for anyone signed in (a group moderator's groups and their count together), asked only when a
template prints the header; none for anonymous visitors. It is the same query on every page, so a page's
query count still does not depend on its content, and someone appointed a group moderator sees the link at once.
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from forum.moderation.services import queue


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
    return queue.nav_count(current_user) if current_user.is_authenticated else None


def moderation_nav() -> dict[str, Any]:
    """``moderation_pending()``: None for anyone who moderates nothing, else the number of items waiting."""
    return {"moderation_pending": _Once(_pending)}
