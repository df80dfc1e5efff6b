"""Every URL of ``forum.account_data``: the person's own data, under /account."""

from flask import Blueprint

from forum.account_data import views

bp = Blueprint("account_data", __name__)

GET_POST = ["GET", "POST"]

bp.add_url_rule("/account/data", endpoint="download", view_func=views.download, methods=GET_POST)
bp.add_url_rule("/account/delete", endpoint="delete", view_func=views.delete, methods=GET_POST)
