"""Groups: themed spaces that hold threads, public or private, with members and group moderators."""

from flask import Blueprint

bp = Blueprint("groups", __name__, url_prefix="/groups")
