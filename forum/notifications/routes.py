"""Every URL of notifications, and what the package hooks into (``init_app``, called by ``create_app``)."""

from __future__ import annotations

from flask import Blueprint, Flask

from forum.extensions import csrf
from forum.notifications import tasks, views
from forum.threads import signals

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

GET_POST = ["GET", "POST"]
POST = ["POST"]

bp.add_url_rule("/", "index", view_func=views.index)
bp.add_url_rule("/<id:notification_id>", "open", view_func=views.open)
bp.add_url_rule("/read-all", "read_all", view_func=views.read_all, methods=POST)
bp.add_url_rule("/settings", "settings", view_func=views.settings, methods=GET_POST)
bp.add_url_rule("/unsubscribe/<token>", "unsubscribe", view_func=views.unsubscribe, methods=GET_POST)
bp.add_url_rule("/watch/threads/<id:thread_id>", "watch_thread", view_func=views.watch_thread, methods=POST)
bp.add_url_rule("/watch/groups/<slug>", "watch_group", view_func=views.watch_group, methods=POST)

# RFC 8058 one-click unsubscribe: a mail program POSTs "List-Unsubscribe=One-Click" to the address in the
# List-Unsubscribe header, with no cookie and no token. The signed link is itself the proof (only that person's
# inbox has it), and all it can do is turn one kind of email off, so CSRF protection has nothing to protect here.
csrf.exempt(views.unsubscribe)
views.unsubscribe.form_checks_csrf = True  # type: ignore[attr-defined]  (skip forum.common.csrf too)

bp.app_context_processor(views.unread_badge)
bp.add_app_template_global(views.watch_state, "watch_state")


def init_app(app: Flask) -> None:
    """New posts and comments fan out to those concerned, as a job (blinker keeps one connection)."""
    signals.published.connect(tasks.on_published)
