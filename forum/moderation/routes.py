"""Every URL the moderation package serves, in one table, and what else it adds to the app.

Two blueprints: ``moderation`` (/moderation, for anyone who moderates something) and ``community``
(/community: the house rules, flagging, and a person's own flags and warnings). ``create_app`` registers both
and calls ``init_app``.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from forum.common.timefmt import exact
from forum.moderation.services import review
from forum.moderation.services.items import title_of
from forum.moderation.views import community, items, log, nav, people, queue, threads

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
community_bp = Blueprint("community", __name__, url_prefix="/community")

POST = ["POST"]
ITEM, THREAD, PERSON = "/items/<kind>/<id:item_id>", "/threads/<id:thread_id>", "/people/<id:user_id>"

# The queue, its bulk decisions and the audit log
bp.add_url_rule("/", "queue", view_func=queue.queue_view)
bp.add_url_rule("/bulk", view_func=queue.bulk, methods=POST)
bp.add_url_rule("/log", view_func=log.log)

# One post or comment under review, and the decisions on it
bp.add_url_rule(ITEM, view_func=items.item)
bp.add_url_rule(f"{ITEM}/approve", view_func=items.approve, methods=POST)
bp.add_url_rule(f"{ITEM}/restore", view_func=items.restore, methods=POST)
bp.add_url_rule(f"{ITEM}/hide", view_func=items.hide, methods=POST)

# Thread tools
bp.add_url_rule(THREAD, view_func=threads.thread)
bp.add_url_rule(f"{THREAD}/<any(lock,unlock,pin,unpin):action>", view_func=threads.thread_toggle, methods=POST)
bp.add_url_rule(f"{THREAD}/move", view_func=threads.move, methods=POST)
bp.add_url_rule(f"{THREAD}/tags", view_func=threads.retag, methods=POST)

# A person: their history, warnings and suspensions
bp.add_url_rule(PERSON, view_func=people.person)
bp.add_url_rule(f"{PERSON}/warn", view_func=people.warn, methods=POST)
bp.add_url_rule(f"{PERSON}/suspend", view_func=people.suspend, methods=POST)
bp.add_url_rule(f"{PERSON}/lift", view_func=people.lift, methods=POST)

community_bp.add_url_rule("/rules", view_func=community.rules)
community_bp.add_url_rule("/flag/<kind>/<id:item_id>", view_func=community.flag, methods=["GET", "POST"])
community_bp.add_url_rule("/flags", view_func=community.my_flags)
community_bp.add_url_rule("/warnings", view_func=community.my_warnings)

# The header's "Moderation" link on every page; how moderation pages name an item ("post 4 in “Bins”") and print
# an exact time.
bp.app_context_processor(nav.moderation_nav)
bp.add_app_template_global(title_of, "item_title")
bp.add_app_template_global(exact, "exact_time")
bp.add_app_template_filter(lambda text: text[:1].upper() + text[1:], "capitalize_first")


def init_app(app: Flask) -> None:
    """What moderation hooks into besides its URLs: posts and comments threads hold are queued for review."""
    review.connect_signals()
