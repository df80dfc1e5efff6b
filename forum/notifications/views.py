"""The notifications page, opening one, marking all read, watching, email settings and one-click unsubscribe."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.common.errors import NotFound
from forum.common.pagination import page_from_request
from forum.notifications import kinds, services
from forum.notifications.forms import SettingsForm
from forum.threads import queries

LEVELS = {"watching": "watching", "muted": "muted", "none": None}
SAID = {"watching": "You are watching {}. You will be told about new {}.",
        "muted": "You muted {}. You will only be told when someone mentions you.",
        None: "You stopped watching {}."}


@login_required
def index():
    number = page_from_request()
    page = services.page_for(current_user, number)

    def page_url(n: int) -> str:
        return url_for("notifications.index", page=n if n > 1 else None)

    return render_template("notifications/index.html", page=page, pagination=page.govuk_params(page_url),
                           unread=services.unread_count(current_user))


@login_required
def open(notification_id: int):  # noqa: A001  (the endpoint's name in URLs and emails)
    """Opening a notification marks it read and goes to what it is about."""
    notification = services.mark_read(current_user, notification_id)
    return redirect(notification.url)


@login_required
def read_all():
    n = services.mark_all_read(current_user)
    flash(f"Marked {n} notification{'s' if n != 1 else ''} as read." if n else "Nothing was unread.", "success")
    return redirect(url_for("notifications.index"))


def _level() -> str | None:
    raw = request.form.get("level", "")
    if raw not in LEVELS:
        raise NotFound("Choose watch, mute or stop.")
    return LEVELS[raw]


@login_required
def watch_thread(thread_id: int):
    thread, _ = queries.readable_thread(thread_id, current_user)
    level = _level()
    services.set_watch(current_user, level, thread_id=thread.id)
    flash(SAID[level].format(f"“{thread.title}”", "posts in it"), "success")
    return redirect(url_for("threads.show", thread_id=thread.id, slug=thread.slug))


@login_required
def watch_group(slug: str):
    group, _ = queries.readable_group(slug, current_user)
    level = _level()
    services.set_watch(current_user, level, group_id=group.id)
    flash(SAID[level].format(group.name, "threads in it"), "success")
    return redirect(url_for("threads.group", slug=group.slug))


@login_required
def settings():
    form = SettingsForm(data=services.preferences_of(current_user) if request.method == "GET" else None)
    if form.validate_on_submit():
        services.set_preferences(current_user, form.choices())
        flash("Your email settings are saved.", "success")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form)


def unsubscribe(token: str):
    """A signed link from an email: GET asks, POST (the button, or a mail program's RFC 8058 one-click POST)
    sets that kind to "never". No sign-in; no CSRF token either (see ``routes.py``)."""
    user, kind = services.read_unsubscribe_token(token)
    label = kinds.get(kind).label
    if request.method == "POST":
        services.set_preference(user.id, kind, kinds.NEVER)
        return render_template("notifications/unsubscribed.html", label=label, done=True, token=token)
    return render_template("notifications/unsubscribed.html", label=label, done=False, token=token)


def unread_badge() -> dict[str, Any]:
    """``notifications_unread()`` in templates: None for anonymous visitors, else the unread count (one
    query, asked only when the header is printed)."""
    state: dict[str, Any] = {}

    def unread() -> int | None:
        if "n" not in state:
            state["n"] = services.unread_count(current_user) if current_user.is_authenticated else None
        return state["n"]

    return {"notifications_unread": unread}


def watch_state(thread_id: int | None = None, group_id: int | None = None) -> str | None:
    """For the Watch/Mute buttons on the thread and group pages (one query)."""
    return services.watch_level(current_user, thread_id=thread_id, group_id=group_id)


