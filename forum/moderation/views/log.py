"""The audit log: newest first, filtered by moderator, person, group and action."""

from __future__ import annotations

from flask import current_app, render_template, request, url_for
from flask_login import current_user

from forum.audit.models import AuditEntry
from forum.common.pagination import page_from_request
from forum.common.text import slugify
from forum.moderation.models import ItemType
from forum.moderation.services import audit_log, audit_names, scope
from forum.moderation.views.access import moderators_only
from forum.moderation.views.links import person_href, thread_tools_href

FILTER_MAX = 100  # longer than any handle, slug or action: the rest is cut, not an error


def _filters() -> audit_log.LogFilters:
    """The filters as typed; a person may be given by handle or by name ("Sam Sitemod" is "sam-sitemod")."""
    values = {name: (request.args.get(name) or "").strip()[:FILTER_MAX] for name in ("moderator", "person", "group",
                                                                                      "action")}
    for name in ("moderator", "person"):
        if values[name]:
            values[name] = slugify(values[name])
    return audit_log.LogFilters(**values)


def entry_href(entry: AuditEntry) -> str | None:
    """Where an entry's item can be looked at by a moderator, when it is something with a page."""
    if entry.item_id is None:
        return None
    if entry.item_type in ItemType.ALL:
        return url_for("moderation.item", kind=entry.item_type, item_id=entry.item_id)
    if entry.item_type == "thread":
        return thread_tools_href(entry.item_id)
    if entry.item_type == "user":
        return person_href(entry.item_id)
    if entry.item_type == "group" and entry.group is not None:
        return url_for("threads.group", slug=entry.group.slug)
    return None


@moderators_only
def log():
    """Who did what, to which item (named: "post 3 in “Parks budget”"), when and why; a group moderator reads
    their groups' part."""
    filters = _filters()
    page = audit_log.entries(current_user, filters, page_from_request(), current_app.config["AUDIT_PER_PAGE"])

    def page_url(n: int) -> str:
        return url_for("moderation.log", page=n if n > 1 else None, **filters.as_args())

    return render_template(
        "moderation/log.html", page=page, filters=filters, actions=audit_log.ACTION_CHOICES,
        groups=scope.groups_moderated(current_user), pagination=page.govuk_params(page_url), entry_href=entry_href,
        names=audit_names.names_for(page.items),
    )
