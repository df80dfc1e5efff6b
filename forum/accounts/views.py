"""Account views (placeholders until the accounts work lands)."""

from flask import abort

from forum.accounts import bp
from forum.common.decorators import role_required


@bp.route("/login", methods=["GET", "POST"])
def login():
    abort(404)


@bp.route("/register", methods=["GET", "POST"])
def register():
    abort(404)


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    abort(404)


@bp.route("/admin/users")
@role_required("admin")
def admin_users():
    abort(404)
