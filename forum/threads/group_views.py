"""The group page, which lists a group's threads (it lives here because it lists threads)."""

from flask import abort

from forum.groups import bp as groups_bp


@groups_bp.route("/<slug>/")
def show(slug: str):
    abort(404)
