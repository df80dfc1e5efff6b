"""Group views (placeholders until the groups work lands)."""

from flask import abort

from forum.groups import bp


@bp.route("/")
def list():  # noqa: A001 - endpoint name groups.list
    abort(404)
