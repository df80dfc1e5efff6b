"""The moderation queue, filtered by group and kind, and the bulk decisions taken from it."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from forum.common.converters import parse_id
from forum.common.errors import NotFound
from forum.common.pagination import page_from_request
from forum.moderation.forms.items import BulkForm
from forum.moderation.models import ItemType
from forum.moderation.services import actions, queue, scope
from forum.moderation.services.items import items_for_moderation
from forum.moderation.views.access import moderators_form, moderators_only
from forum.moderation.views.links import item_href


def _filters(source: Any) -> dict[str, str]:
    """The queue's filters as sent (query string or the bulk form's hidden fields), unknown kinds dropped."""
    found = {"group": (source.get("group") or "").strip(), "kind": source.get("kind") or ""}
    if found["kind"] not in queue.KINDS:
        found["kind"] = ""
    return {k: v for k, v in found.items() if v}


def render_queue(form: BulkForm | None, filters: dict[str, str], number: int = 1) -> str:
    groups = scope.groups_moderated(current_user)
    group = next((g for g in groups if g.slug == filters.get("group")), None)
    if filters.get("group") and group is None:
        abort(404)  # not one of their groups (a private one may not even be named)
    page = queue.queue_page(current_user, number, current_app.config["QUEUE_PER_PAGE"],
                            group_id=group.id if group else None, kind=filters.get("kind"))

    def page_url(n: int) -> str:
        return url_for("moderation.queue", page=n if n > 1 else None, **filters)

    failed = form is not None
    return render_template(
        "moderation/queue.html", page=page, groups=groups, group=group, filters=filters, kinds=queue.KINDS,
        pagination=page.govuk_params(page_url), bulk_form=form or BulkForm(formdata=None),
        form=form if failed else None, item_href=item_href,
    )


@moderators_only
def queue_view():
    """What waits in the groups this person moderates, oldest first."""
    return render_queue(None, _filters(request.args), page_from_request())


def _keys(values: list[str]) -> list[tuple[str, int]]:
    """"post-12" -> ("post", 12); anything else names no item (404)."""
    keys = []
    for value in values:
        kind, _, raw = (value or "").partition("-")
        item_id = parse_id(raw)
        if kind not in ItemType.ALL or item_id is None:
            raise NotFound("There is no such post or comment.")
        keys.append((kind, item_id))
    return keys


def _report(done: list[str], skipped: list[str]) -> None:
    if done:
        flash(done[0] if len(done) == 1 else f"Done for {len(done)} items. " + " ".join(done), "success")
    if skipped:
        flash(" ".join(skipped), "info")


@moderators_form
def bulk():
    """Approve or hide the ticked items; a problem shows the queue again with the ticks, action and reason kept."""
    form = BulkForm()
    filters = _filters(request.form)
    if form.validate_on_submit():
        items = items_for_moderation(_keys(form.items.data), current_user)
        _report(*actions.bulk(items, current_user, form.action.data, form.reason.data or ""))
        return redirect(url_for("moderation.queue", **filters))
    try:
        return render_queue(form, filters, parse_id(request.form.get("page")) or 1)
    except NotFound:  # the queue shrank meanwhile: its first page, with the form as sent
        return render_queue(form, filters)
