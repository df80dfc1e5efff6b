"""A person as moderators see them: role, suspension and history; warning, suspending and lifting."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from forum.accounts.models import User
from forum.common.converters import parse_id
from forum.common.decorators import form_checks_csrf
from forum.common.errors import ValidationFailed
from forum.common.timefmt import exact
from forum.moderation import bp
from forum.moderation.forms.common import add_error, explain_csrf_failure
from forum.moderation.forms.people import SuspendForm, WarnForm
from forum.moderation.services import sanctions, scope
from forum.moderation.services.actions import AlreadyDone
from forum.moderation.views.access import moderators_only

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


def _back(target: User) -> Any:
    return redirect(url_for("moderation.person", user_id=target.id))


@bp.route("/people/<id:user_id>")
@moderators_only
def person(user_id: int):
    return render_person(sanctions.person(user_id, current_user))


@bp.route("/people/<id:user_id>/warn", methods=["POST"])
@form_checks_csrf
@moderators_only
def warn(user_id: int):
    """A warning they see on their warnings page; a group moderator says which of their groups it is about."""
    target = sanctions.person(user_id, current_user)
    form = _warn_form()
    if form.validate_on_submit():
        group_id = parse_id(form.warn_group.data)
        group = sanctions.warning_group(group_id, current_user)
        if group is None and not current_user.is_site_moderator:
            add_error(form, "warn_group", CHOOSE_GROUP)
        else:
            try:
                sanctions.warn(current_user, target, form.warn_reason.data, group)
                flash(f"Warned {target.display_name}. They see your warning on their warnings page.", "success")
                return _back(target)
            except ValidationFailed as error:
                add_error(form, error.field, error.message, {"reason": "warn_reason"})
    explain_csrf_failure(form)
    return render_person(target, warn_form=form)


@bp.route("/people/<id:user_id>/suspend", methods=["POST"])
@form_checks_csrf
@moderators_only
def suspend(user_id: int):
    """Site moderators and admins only (the service refuses others with 403, whatever the form says)."""
    target = sanctions.person(user_id, current_user)
    sanctions.check_may_suspend(current_user, target)
    form = SuspendForm()
    if form.validate_on_submit():
        days = parse_id(form.days.data)
        try:
            sanctions.suspend(current_user, target, days, form.suspend_reason.data)
            flash(f"Suspended {target.display_name} until {exact(target.suspended_until)}.", "success")
            return _back(target)
        except ValidationFailed as error:
            add_error(form, error.field, error.message, {"reason": "suspend_reason"})
    explain_csrf_failure(form)
    return render_person(target, suspend_form=form)


@bp.route("/people/<id:user_id>/lift", methods=["POST"])
@moderators_only
def lift(user_id: int):
    target = sanctions.person(user_id, current_user)
    try:
        sanctions.lift(current_user, target)
        flash(f"Lifted {target.display_name}'s suspension: they can post again.", "success")
    except AlreadyDone as already:
        flash(already.message, "info")
    return _back(target)
