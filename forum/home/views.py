"""Home page views."""

from flask import render_template
from flask_login import current_user

from forum.budgeting.services import overview
from forum.threads import links, listings


def index():
    """The forum's purpose, the groups the visitor may see and the latest activity among them."""
    latest = listings.latest_threads(current_user)
    return render_template(
        "home/index.html",
        groups=listings.home_groups(current_user),
        latest=latest,
        thread_links=links.links_for(thread.id for thread in latest),
        open_budgets=overview.open_budgets(),
    )
