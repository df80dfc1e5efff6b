"""Home page views."""

from flask import render_template

from forum.home import bp


@bp.route("/")
def index():
    """The home page (placeholder until the listings land)."""
    return render_template("home/index.html", title=None)
