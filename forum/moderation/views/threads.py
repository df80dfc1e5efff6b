"""Thread tools: lock or unlock, pin or unpin, move to another group, change the tags."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from forum.common.converters import parse_id
from forum.moderation.forms.threads import MoveForm, TagsForm
from forum.moderation.services import scope, thread_actions
from forum.moderation.views.access import moderators_form, moderators_only
from forum.moderation.views.links import thread_tools_href
from forum.moderation.views.outcome import act_then_go
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


@moderators_only
def thread(thread_id: int):
    return render_thread(thread_actions.thread_for_moderation(thread_id, current_user))


@moderators_only
def thread_toggle(thread_id: int, action: str):
    """One button each; a thread already so (another moderator was quicker) is said, not refused."""
    found = thread_actions.thread_for_moderation(thread_id, current_user)
    return act_then_go(lambda: thread_actions.set_flag(found, current_user, action), thread_tools_href(thread_id))


@moderators_form
def move(thread_id: int):
    found = thread_actions.thread_for_moderation(thread_id, current_user)
    form = _move_form(found)
    if form.validate_on_submit():
        group_id, reason = parse_id(form.group.data), form.move_reason.data or ""
        return act_then_go(lambda: thread_actions.move(found, current_user, group_id, reason),
                           thread_tools_href(thread_id))
    return render_thread(found, move_form=form)


@moderators_form
def retag(thread_id: int):
    found = thread_actions.thread_for_moderation(thread_id, current_user)
    form = TagsForm()
    if form.validate_on_submit():
        return act_then_go(lambda: thread_actions.retag(found, current_user, form.tags.data or ""),
                           thread_tools_href(thread_id))
    return render_thread(found, tags_form=form)
