"""A person as moderators see them: role, suspension and history; warning, suspending and lifting."""

from __future__ import annotations

from flask import flash, redirect, render_template
from flask_login import current_user

from forum.accounts.models import User
from forum.common.converters import parse_id
from forum.common.timefmt import exact
from forum.moderation.forms.people import SuspendForm, WarnForm
from forum.moderation.services import sanctions, scope
from forum.moderation.views.access import moderators_form, moderators_only
from forum.moderation.views.links import person_href
from forum.moderation.views.outcome import act_then_go

CHOOSE_GROUP = "Choose the group you moderate that this warning is about"


def _warn_form(from_request: bool = True) -> WarnForm:
    form = WarnForm() if from_request else WarnForm(formdata=None)
    first = ("", "Not about one group (site-wide)" if current_user.is_site_moderator else "Choose a group")
    form.warn_group.choices = [first] + [(str(g.id), g.name) for g in scope.groups_moderated(current_user)]
    return form


def render_person(target: User, warn_form: WarnForm | None = None, suspend_form: SuspendForm | None = None) -> str:
    return render_template(
        "moderation/person.html", person=target, history=sanctions.history(target, current_user),
        may_suspend=sanctions.may_suspend(current_user, target),
        warn_form=warn_form or _warn_form(from_request=False), suspend_form=suspend_form or SuspendForm(formdata=None),
        form=warn_form or suspend_form,
    )


@moderators_only
def person(user_id: int):
    return render_person(sanctions.person(user_id, current_user))


@moderators_form
def warn(user_id: int):
    """A warning they see on their warnings page; a group moderator says which of their groups it is about."""
    target = sanctions.person(user_id, current_user)
    form = _warn_form()
    if form.validate_on_submit():
        group = sanctions.warning_group(parse_id(form.warn_group.data), current_user)
        if group is not None or current_user.is_site_moderator:
            sanctions.warn(current_user, target, form.warn_reason.data, group)
            flash(f"Warned {target.display_name}. They see your warning on their warnings page.", "success")
            return redirect(person_href(target.id))
        form.add_error("warn_group", CHOOSE_GROUP)
    return render_person(target, warn_form=form)


@moderators_form
def suspend(user_id: int):
    """Site moderators and admins only (the service refuses others with 403, whatever the form says)."""
    target = sanctions.person(user_id, current_user)
    sanctions.check_may_suspend(current_user, target)
    form = SuspendForm()
    if form.validate_on_submit():
        sanctions.suspend(current_user, target, parse_id(form.days.data), form.suspend_reason.data)
        flash(f"Suspended {target.display_name} until {exact(target.suspended_until)}.", "success")
        return redirect(person_href(target.id))
    return render_person(target, suspend_form=form)


@moderators_only
def lift(user_id: int):
    target = sanctions.person(user_id, current_user)

    def lifted() -> str:
        sanctions.lift(current_user, target)
        return f"Lifted {target.display_name}'s suspension: they can post again."

    return act_then_go(lifted, person_href(target.id))
