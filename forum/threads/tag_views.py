"""Tag pages (placeholders until the listings land)."""

from flask import abort

from forum.threads import tags_bp


@tags_bp.route("/")
def list():  # noqa: A001 - endpoint name tags.list
    abort(404)


@tags_bp.route("/<name>/")
def show(name: str):
    abort(404)
