"""Group views: the list of groups, joining and leaving, members, join requests, creating and editing.

The group page itself (``threads.group``) lives in ``forum.threads.group_views`` because it lists threads; it
includes ``groups/_membership.html`` for the join and leave controls. A service's refusal on a form
(``ValidationFailed``) is shown by the error mapping, which runs the view again (``forum.common.errors``).
URLs: ``forum.groups.routes``.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from forum.accounts.models import Role
from forum.common.confirm import Confirmation, confirm_page
from forum.common.decorators import form_checks_csrf, role_required
from forum.common.errors import PermissionDenied, ValidationFailed
from forum.common.pagination import page_from_request
from forum.groups import permissions, services
from forum.groups.forms import AddMemberForm, GroupCreateForm, make_edit_form
from forum.groups.models import Group, MemberRole, MemberStatus


def _safe_next(default: str, source: Any = None) -> str:
    """The form's (or ``source``'s) ``next`` when it is a path on this site, else ``default`` (no open
    redirects)."""
    target = (request.form if source is None else source).get("next", "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target and target.isprintable():
        return target
    return default


def _sign_in_first(slug: str) -> Response:
    """Anonymous people are sent to sign in, but only for groups they could see (a private one is a 404)."""
    services.get_readable_group(slug, current_user)
    return redirect(url_for("accounts.login", next=url_for("threads.group", slug=slug)))


def _pagination(page, endpoint: str, **values):
    return page.govuk_params(lambda n: url_for(endpoint, page=n, **values))


def list_groups():
    """The groups this person may read, in the site's order, with the ones they belong to marked."""
    page = services.list_groups(current_user, page_from_request())
    return render_template(
        "groups/list.html", title="Groups", page=page, pagination=_pagination(page, "groups.list"),
        memberships=services.membership_map(page.items, current_user),
    )


@role_required(Role.ADMIN)
@form_checks_csrf
def create():
    form = GroupCreateForm()
    if form.validate_on_submit():
        group = services.create_group(
            current_user, form.name.data, form.summary.data or "", form.description.data or "",
            private=form.privacy.data == "private",
            position=100 if form.position.data is None else form.position.data,
            rules=form.rules.data or "", premoderated=bool(form.premoderated.data),
        )
        flash(f"Group “{group.name}” created.", "success")
        return redirect(url_for("threads.group", slug=group.slug))
    return render_template("groups/create.html", title="Create a group", form=form)


@form_checks_csrf
def edit(slug: str):
    group = services.get_readable_group(slug, current_user)
    if not permissions.can_edit_group(group, current_user):
        raise PermissionDenied("Only administrators and the group's moderators can edit this group.")
    form = make_edit_form(current_user.is_admin, data=None if request.method == "POST" else _form_data(group))
    if form.validate_on_submit():
        admin = current_user.is_admin
        services.update_group(
            group, current_user, form.summary.data or "", form.description.data or "",
            private=form.privacy.data == "private" if admin else None,
            position=form.position.data if admin else None,
            rules=form.rules.data or "", premoderated=bool(form.premoderated.data),
        )
        flash("Your changes have been saved.", "success")
        return redirect(url_for("threads.group", slug=group.slug))
    return render_template("groups/edit.html", title=f"Edit {group.name}", form=form, group=group)


def _form_data(group: Group) -> dict:
    return {
        "summary": group.summary, "description": group.description_source,
        "privacy": "private" if group.is_private else "public", "position": group.position,
        "rules": group.rules_source, "premoderated": group.premoderated,
    }


def join(slug: str):
    if not current_user.is_authenticated:
        return _sign_in_first(slug)
    group, membership = services.join(slug, current_user, invite=request.form.get("invite"))
    if membership.is_active:
        flash(f"You are now a member of {group.name}.", "success")
        return redirect(_safe_next(url_for("threads.group", slug=group.slug)))
    flash(f"Your request to join {group.name} has been sent to its moderators.", "success")
    return redirect(_safe_next(url_for("groups.list")))


def leave(slug: str):
    """Leave a group (asked first: a private group takes a new request and a moderator to come back), or
    withdraw a request to join (one click: asking again is as easy)."""
    if not current_user.is_authenticated:
        return _sign_in_first(slug)
    if request.method == "GET":
        group = services.get_group(slug)
        membership = services.get_membership(group, current_user)
        if membership is None or not membership.is_active:
            # The group's page for a reader; for anyone else a private group answers as a missing one.
            group = services.get_readable_group(slug, current_user)
            return redirect(url_for("threads.group", slug=group.slug))
        return confirm_page(_leave_confirmation(group))
    group, status = services.leave(slug, current_user)
    if status == MemberStatus.ACTIVE:
        flash(f"You have left {group.name}.", "success")
    elif status == MemberStatus.PENDING:
        flash(f"You withdrew your request to join {group.name}.", "success")
    if group.is_private and not permissions.can_read(group, current_user):
        return redirect(url_for("groups.list"))
    return redirect(_safe_next(url_for("threads.group", slug=group.slug)))


def _leave_confirmation(group: Group) -> Confirmation:
    back = url_for("threads.group", slug=group.slug)
    if group.is_private:
        consequences = [
            "You will no longer be able to read or take part in its threads.",
            "To come back you will need an invitation, and a moderator must accept your request.",
        ]
    else:
        consequences = [
            "You will no longer be able to start threads or reply in it where the group asks for members.",
            "You can join again at any time.",
        ]
    return Confirmation(
        heading=f"Leave {group.name}?", action=url_for("groups.leave", slug=group.slug), button="Leave group",
        cancel=back, consequences=consequences, warning=None if not group.is_private else "You cannot undo this.",
        breadcrumbs=[{"text": "Groups", "href": url_for("groups.list")}, {"text": group.name, "href": back}],
        hidden={"next": _safe_next(back, source=request.args)},
    )


def ask_to_join(slug: str):
    """The page an invitation link opens: ask to join a private group (the request goes to its moderators)."""
    invite = request.args.get("invite", "")
    group = services.get_group_for_invite(slug, current_user, invite)
    if permissions.can_read(group, current_user):
        return redirect(url_for("threads.group", slug=group.slug))
    return render_template(
        "groups/ask_to_join.html", title=f"Ask to join {group.name}", group=group, invite=invite,
        membership=services.get_membership(group, current_user),
    )


def members(slug: str):
    group = services.get_readable_group(slug, current_user)
    form = AddMemberForm() if permissions.can_moderate(group, current_user) else None
    return _render_members(group, form)


def _render_members(group: Group, form: AddMemberForm | None):
    page = services.list_members(group, page_from_request())
    return render_template(
        "groups/members.html", title=f"Members of {group.name}", group=group, page=page, form=form,
        pagination=_pagination(page, "groups.members", slug=group.slug), can_moderate=form is not None,
    )


@form_checks_csrf
def add_member(slug: str):
    group = services.get_readable_group(slug, current_user)
    if not permissions.can_moderate(group, current_user):
        raise PermissionDenied("Only the group's moderators can add members.")
    form = AddMemberForm()
    if form.validate_on_submit():
        membership = services.add_member(group, current_user, form.display_name.data)
        flash(f"{membership.user.display_name} is now a member of {group.name}.", "success")
        return redirect(url_for("groups.members", slug=group.slug))
    return _render_members(group, form)


@role_required(Role.ADMIN)
def set_role(slug: str, user_id: int):
    group = services.get_readable_group(slug, current_user)
    try:
        membership = services.appoint(group, current_user, user_id, request.form.get("role", ""))
    except ValidationFailed as error:  # no form to show it by: said on the members page, as before
        flash(error.message, "error")
        return redirect(url_for("groups.members", slug=group.slug))
    role = "a group moderator" if membership.role == MemberRole.MODERATOR else "an ordinary member"
    flash(f"{membership.user.display_name} is now {role} of {group.name}.", "success")
    return redirect(_safe_next(url_for("groups.members", slug=group.slug)))


def requests(slug: str):
    group = services.get_readable_group(slug, current_user)
    page = services.list_requests(group, current_user, page_from_request())
    invite_url = None
    if group.is_private:
        token = services.invite_token(group, current_user)
        invite_url = url_for("groups.ask_to_join", slug=group.slug, invite=token, _external=True)
    return render_template(
        "groups/requests.html", title=f"Requests to join {group.name}", group=group, page=page,
        invite_url=invite_url, pagination=_pagination(page, "groups.requests", slug=group.slug),
    )


def approve(slug: str, membership_id: int):
    group = services.get_readable_group(slug, current_user)
    membership = services.approve(group, current_user, membership_id)
    flash(f"{membership.user.display_name} is now a member of {group.name}.", "success")
    return redirect(url_for("groups.requests", slug=group.slug))


def reject(slug: str, membership_id: int):
    group = services.get_readable_group(slug, current_user)
    try:
        person = services.reject(group, current_user, membership_id)
    except ValidationFailed as error:  # another moderator accepted them meanwhile: said on the requests page
        flash(error.message, "error")
    else:
        flash(f"You refused the request from {person.display_name}.", "success")
    return redirect(url_for("groups.requests", slug=group.slug))
