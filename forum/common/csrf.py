"""CSRF on every state change: forms check their own token, everything else is checked here first."""

from __future__ import annotations

from flask import Flask, current_app, request

from forum.extensions import csrf

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def protect_unsafe_requests() -> None:
    """Check the token before any state-changing view that does not check it in its form."""
    if request.method not in UNSAFE_METHODS or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, "form_checks_csrf", False):
        return
    csrf.protect()


def init_app(app: Flask) -> None:
    app.before_request(protect_unsafe_requests)
