"""Thread tools: lock or unlock, pin or unpin, move to another group, change the tags."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from forum.common.converters import parse_id
from forum.common.decorators import form_checks_csrf
from forum.common.errors import ValidationFailed
from forum.moderation import bp
from forum.moderation.forms.common import add_error, explain_csrf_failure
from forum.moderation.forms.threads import MoveForm, TagsForm
from forum.moderation.services import scope, thread_actions
from forum.moderation.services.actions import AlreadyDone
from forum.moderation.views.access import moderators_only
from forum.threads.models import Thread


def _move_form(thread: Thread, from_request: bool = True) -> MoveForm:
    form = MoveForm() if from_request else MoveForm(formdata=None)
    form.group.choices = [("", "Choose a group")] + [
        (str(g.id), g.name) for g in scope.groups_moderated(current_user) if g.id != thread.group_id
    ]
    return form


def _tags_form(thread: Thread) -> TagsForm:
    return TagsForm(formdata=None, tags=", ".join(t.name for t in thread.tags))


def render_thread(thread: Thread, move_form: MoveForm | None = None, tags_form: TagsForm | None = None) -> str:
    """The tools page; a failed form comes back with what was typed, and heads the error summary."""
    failed = move_form or tags_form
    return render_template(
        "moderation/thread.html", thread=thread,
        move_form=move_form or _move_form(thread, from_request=False), tags_form=tags_form or _tags_form(thread),
        form=failed,
    )


def _back(thread: Thread) -> Any:
    return redirect(url_for("moderation.thread", thread_id=thread.id))


@bp.route("/threads/<id:thread_id>")
@moderators_only
def thread(thread_id: int):
    return render_thread(thread_actions.thread_for_moderation(thread_id, current_user))


@bp.route("/threads/<id:thread_id>/<any(lock,unlock,pin,unpin):action>", methods=["POST"])
@moderators_only
def thread_toggle(thread_id: int, action: str):
    """One button each; a thread already so (another moderator was quicker) is said, not refused."""
    found = thread_actions.thread_for_moderation(thread_id, current_user)
    try:
        flash(thread_actions.set_flag(found, current_user, action), "success")
    except AlreadyDone as already:
        flash(already.message, "info")
    return _back(found)


@bp.route("/threads/<id:thread_id>/move", methods=["POST"])
@form_checks_csrf
@moderators_only
def move(thread_id: int):
    found = thread_actions.thread_for_moderation(thread_id, current_user)
    form = _move_form(found)
    if form.validate_on_submit():
        try:
            flash(thread_actions.move(found, current_user, parse_id(form.group.data), form.move_reason.data or ""),
                  "success")
            return _back(found)
        except AlreadyDone as already:
            flash(already.message, "info")
            return _back(found)
        except ValidationFailed as error:
            add_error(form, error.field, error.message, {"reason": "move_reason"})
    explain_csrf_failure(form)
    return render_thread(found, move_form=form)


@bp.route("/threads/<id:thread_id>/tags", methods=["POST"])
@form_checks_csrf
@moderators_only
def retag(thread_id: int):
    found = thread_actions.thread_for_moderation(thread_id, current_user)
    form = TagsForm()
    if form.validate_on_submit():
        try:
            flash(thread_actions.retag(found, current_user, form.tags.data or ""), "success")
            return _back(found)
        except AlreadyDone as already:
            flash(already.message, "info")
            return _back(found)
        except ValidationFailed as error:
            add_error(form, "tags", error.message)
    explain_csrf_failure(form)
    return render_thread(found, tags_form=form)
