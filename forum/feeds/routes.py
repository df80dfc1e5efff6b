"""Every URL the feeds package serves: each feed sits beside the page it follows (``.../feed.atom``)."""

from flask import Blueprint

from forum.feeds import views

bp = Blueprint("feeds", __name__)

bp.add_url_rule("/feeds/site.atom", "site", view_func=views.site)
bp.add_url_rule("/groups/<slug>/feed.atom", "group", view_func=views.group)
bp.add_url_rule("/tags/<path:name>/feed.atom", "tag", view_func=views.tag)
bp.add_url_rule("/threads/<id:thread_id>/feed.atom", "thread", view_func=views.thread)
