"""Who may open a moderation page: anyone who moderates something. Per-item checks are the services'."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user

from forum.accounts.models import Role
from forum.common.decorators import form_checks_csrf
from forum.extensions import login_manager
from forum.moderation.services import scope

F = Callable[..., Any]

#: What tests/test_route_permissions.py reads: site moderators and admins, or a group's appointed moderators.
MODERATOR_ROLES = (Role.MODERATOR, Role.ADMIN, "group moderator")


def moderators_only(view: F) -> F:
    """Anonymous people are sent to sign in; anyone who moderates no group gets 403.

    A group moderator passes here; whether they moderate the item's group is checked by the service (403, or
    404 for an item in a private group they cannot read).
    """

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not scope.moderates_anything(current_user):
            abort(403)
        return view(*args, **kwargs)

    wrapped.required_roles = MODERATOR_ROLES  # type: ignore[attr-defined]
    return wrapped


def moderators_form(view: F) -> F:
    """A moderators' form view (``moderators_only``) whose form checks the CSRF token itself: an expired token
    shows the page again with what was typed."""
    return form_checks_csrf(moderators_only(view))
