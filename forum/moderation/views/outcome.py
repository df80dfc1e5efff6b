"""How a moderation button ends: the action's message, or what someone else already did, then back."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from forum.moderation.services import queue
from forum.moderation.services.actions import AlreadyDone
from forum.moderation.services.items import Item


def act_then_go(action: Callable[[], str], back: str) -> Response:
    """Do ``action`` and go to ``back`` with its message. One that someone else took a moment ago
    (``AlreadyDone``) is said as information, not refused: it is raised before anything changes, so the
    redirect commits nothing half-done."""
    try:
        flash(action(), "success")
    except AlreadyDone as already:
        flash(already.message, "info")
    return redirect(back)


NEXT = "Here is the next item in the queue."
ALL_DONE = "Nothing else waits for review."


def decide_then_next(item: Item, action: Callable[[], str]) -> Response:
    """Decide on a queue item, then go on to the next item in the queue's order (its review page), or to the
    queue when nothing else waits, with a banner saying what was done and where the moderator now is.

    The item's place in the queue is read before the decision (which takes it out of the queue), so "next"
    means the item after it, as the queue lists them."""
    place = queue.place_of(item)
    try:
        done, category = action(), "success"
    except AlreadyDone as already:
        done, category = already.message, "info"
    following = queue.next_after(current_user, place)
    if following is None:
        flash(f"{done} {ALL_DONE}", category)
        return redirect(url_for("moderation.queue"))
    flash(f"{done} {NEXT}", category)
    kind, item_id = following
    return redirect(url_for("moderation.item", kind=kind, item_id=item_id))
