"""``/search``: the query, the filters, one page of results."""

from __future__ import annotations

from datetime import date

from flask import render_template, request, url_for
from flask_login import current_user

from forum.common.pagination import page_from_request
from forum.search import services

MAX_QUERY = 200


def _date(name: str, errors: dict[str, str]) -> date | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = "Enter a real date, like 2026-03-31"
        return None


def search():
    """Search everything the person may see; filters narrow it down; nothing typed shows just the form."""
    args = request.args
    query = args.get("q", "").strip()[:MAX_QUERY]
    errors: dict[str, str] = {}
    filters = services.Filters(
        group=args.get("group", "").strip()[:100], tag=args.get("tag", "").strip()[:100],
        author=args.get("author", "").strip()[:100], date_from=_date("from", errors), date_to=_date("to", errors),
    )
    results = services.search(query, filters, current_user, page_from_request()) if query else None

    def page_url(n: int) -> str:
        dates = {"from": args.get("from") or None, "to": args.get("to") or None}
        return url_for("search.search", q=query, group=filters.group or None, tag=filters.tag or None,
                       author=filters.author or None, page=n if n > 1 else None, **dates)

    return render_template(
        "search/results.html", query=query, filters=filters, results=results, errors=errors,
        groups=services.readable_groups(current_user), args=args,
        pagination=results.page.govuk_params(page_url) if results else None,
    )
