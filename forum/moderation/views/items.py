"""One post or comment under review: its page, and approve, hide and restore; each decision goes on to the next
item in the queue."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import render_template
from flask_login import current_user

from forum.moderation.forms.items import HideForm
from forum.moderation.services import actions, queue
from forum.moderation.services.items import Item, item_for_moderation
from forum.moderation.views.access import moderators_form, moderators_only
from forum.moderation.views.links import item_href
from forum.moderation.views.outcome import decide_then_next


def render_item(item: Item, hide_form: HideForm | None = None) -> str:
    """The review page; ``hide_form`` comes back with the reason kept when hiding failed."""
    failed = hide_form is not None
    return render_template(
        "moderation/item.html", item=item, context=queue.item_context(item),
        hide_form=hide_form or HideForm(formdata=None), form=hide_form if failed else None,
        item_href=item_href(item),
    )


def _decide(kind: str, item_id: int, action: Callable[[Item], str]) -> Any:
    item = item_for_moderation(kind, item_id, current_user)
    return decide_then_next(item, lambda: action(item))


@moderators_only
def item(kind: str, item_id: int):
    """The item with its thread, author's history, flags and earlier actions, and the decisions on it."""
    return render_item(item_for_moderation(kind, item_id, current_user))


@moderators_only
def approve(kind: str, item_id: int):
    return _decide(kind, item_id, lambda item: actions.approve(item, current_user))


@moderators_only
def restore(kind: str, item_id: int):
    return _decide(kind, item_id, lambda item: actions.restore(item, current_user))


@moderators_form
def hide(kind: str, item_id: int):
    """Hide with a reason; a missing reason or an expired form shows the page again with the reason kept."""
    item = item_for_moderation(kind, item_id, current_user)
    form = HideForm()
    if form.validate_on_submit():
        return decide_then_next(item, lambda: actions.hide(item, current_user, form.reason.data))
    return render_item(item, form)
