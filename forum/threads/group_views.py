"""The group page, which lists a group's threads (it lives here because it lists threads)."""

from flask import current_app, render_template, request
from flask_login import current_user

from forum.accounts import services as account_services
from forum.common.pagination import page_from_request
from forum.threads import links, listings, queries


def show(slug: str):
    """A group: its description, the membership control, and its threads (pinned first), filterable by tag."""
    number = page_from_request()
    group, viewer = queries.readable_group(slug, current_user)
    tag = listings.canonical_tag_name(request.args.get("tag", "")) or None
    page = listings.group_threads(group, number, current_app.config["THREADS_PER_PAGE"], tag=tag)
    return render_template(
        "groups/show.html",
        group=group,
        membership=viewer.membership,
        can_post=viewer.can_post,
        suspension=account_services.suspension_notice(current_user),
        tag=tag,
        group_tags=listings.group_tags(group),
        page=page,
        thread_links=links.links_for(thread.id for thread in page.items),
    )
