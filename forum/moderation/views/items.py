"""One post or comment under review: its page, and approve, hide and restore."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from forum.common.decorators import form_checks_csrf
from forum.common.errors import ValidationFailed
from forum.moderation import bp
from forum.moderation.forms.common import add_error, explain_csrf_failure
from forum.moderation.forms.items import HideForm
from forum.moderation.services import actions, queue
from forum.moderation.services.actions import AlreadyDone
from forum.moderation.services.items import Item, item_for_moderation
from forum.moderation.views.access import moderators_only
from forum.moderation.views.links import item_href


def render_item(item: Item, hide_form: HideForm | None = None) -> str:
    """The review page; ``hide_form`` comes back with the reason kept when hiding failed."""
    failed = hide_form is not None
    return render_template(
        "moderation/item.html", item=item, context=queue.item_context(item),
        hide_form=hide_form or HideForm(formdata=None), form=hide_form if failed else None,
        item_href=item_href(item),
    )


def _back(item: Item) -> Any:
    return redirect(url_for("moderation.item", kind=item.kind, item_id=item.id))


def _decide(kind: str, item_id: int, action: Callable[[Item], str]) -> Any:
    """Do ``action``; one already done by someone else is said (info), not refused."""
    item = item_for_moderation(kind, item_id, current_user)
    try:
        flash(action(item), "success")
    except AlreadyDone as already:
        flash(already.message, "info")
    return _back(item)


@bp.route("/items/<kind>/<id:item_id>")
@moderators_only
def item(kind: str, item_id: int):
    """The item with its thread, author's history, flags and earlier actions, and the decisions on it."""
    return render_item(item_for_moderation(kind, item_id, current_user))


@bp.route("/items/<kind>/<id:item_id>/approve", methods=["POST"])
@moderators_only
def approve(kind: str, item_id: int):
    return _decide(kind, item_id, lambda item: actions.approve(item, current_user))


@bp.route("/items/<kind>/<id:item_id>/restore", methods=["POST"])
@moderators_only
def restore(kind: str, item_id: int):
    return _decide(kind, item_id, lambda item: actions.restore(item, current_user))


@bp.route("/items/<kind>/<id:item_id>/hide", methods=["POST"])
@form_checks_csrf
@moderators_only
def hide(kind: str, item_id: int):
    """Hide with a reason; a missing reason or an expired form shows the page again with the reason kept."""
    item = item_for_moderation(kind, item_id, current_user)
    form = HideForm()
    if form.validate_on_submit():
        try:
            flash(actions.hide(item, current_user, form.reason.data), "success")
            return _back(item)
        except AlreadyDone as already:
            flash(already.message, "info")
            return _back(item)
        except ValidationFailed as error:
            add_error(form, error.field, error.message)
    explain_csrf_failure(form)
    return render_item(item, form)
