"""View decorators for authorisation and CSRF, each leaving a mark a test can find on the view."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user

F = Callable[..., Any]


def role_required(*roles: str) -> Callable[[F], F]:
    """Only signed-in users holding one of ``roles`` may call the view; others get 403 (anonymous: sign in).

    The view is tagged with ``required_roles`` so that tests can walk the URL map and find any admin or
    moderation endpoint without a check.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            from forum.extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = tuple(roles)  # type: ignore[attr-defined]
        return wrapped

    return decorator


def form_checks_csrf(view: F) -> F:
    """Mark a view whose FlaskForm checks the CSRF token itself.

    Such a view re-renders the form, with everything the person typed, when the token has expired; every
    other state-changing request is checked before the view runs (``forum.common.csrf``).
    """
    view.form_checks_csrf = True  # type: ignore[attr-defined]
    return view
