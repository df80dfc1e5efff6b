"""Profiles, which list a person's groups and recent posts (they live here because they list posts)."""

from flask import abort

from forum.accounts import bp as accounts_bp


@accounts_bp.route("/users/<handle>/")
def profile(handle: str):
    abort(404)
