"""Every URL the home package serves: the home page."""

from flask import Blueprint

from forum.home import views

bp = Blueprint("home", __name__)

bp.add_url_rule("/", view_func=views.index)
