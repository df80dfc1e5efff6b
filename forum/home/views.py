"""Home page views."""

from flask import render_template
from flask_login import current_user

from forum.budgeting.models import Phase
from forum.budgeting.services import overview
from forum.home import info_pages
from forum.notifications import services as notifications
from forum.threads import links, listings

RECENT_NOTIFICATIONS = 5


def index():
    """The forum's purpose, the groups the visitor may see and the latest activity among them; for a signed-in
    person first their unread notifications, their groups' recent activity and their ballots in open budgets."""
    latest = listings.latest_threads(current_user)
    open_budgets = overview.open_budgets()
    mine = None
    if current_user.is_authenticated:
        voting = [budget for budget in open_budgets if budget.phase == Phase.VOTING]
        mine = {
            "unread": notifications.unread_count(current_user),
            "notifications": notifications.page_for(current_user, 1, RECENT_NOTIFICATIONS).items,
            "groups": listings.my_groups_activity(current_user),
            "voting": voting,
            "voted_pots": overview.ballots_cast(current_user, voting),
        }
    return render_template(
        "home/index.html",
        groups=listings.home_groups(current_user),
        latest=latest,
        thread_links=links.links_for(thread.id for thread in latest),
        open_budgets=open_budgets,
        mine=mine,
    )


def info_page(name: str):
    """A privacy notice, accessibility statement, cookies or contact page (council-editable)."""
    info, body_html = info_pages.page(name)
    return render_template("home/info_page.html", info=info, body_html=body_html)
