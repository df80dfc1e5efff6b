"""How a moderation button ends: the action's message, or what someone else already did, then back."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect
from werkzeug.wrappers import Response

from forum.moderation.services.actions import AlreadyDone


def act_then_go(action: Callable[[], str], back: str) -> Response:
    """Do ``action`` and go to ``back`` with its message. One that someone else took a moment ago
    (``AlreadyDone``) is said as information, not refused: it is raised before anything changes, so the
    redirect commits nothing half-done."""
    try:
        flash(action(), "success")
    except AlreadyDone as already:
        flash(already.message, "info")
    return redirect(back)
