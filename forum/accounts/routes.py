"""Every URL the accounts package serves, in one table, and the ``Role`` enum for every template.

A person's profile (``threads.profile``) lists their posts, so it belongs to the threads package.
"""

from flask import Blueprint

from forum.accounts import data_views, outbox_views, sign_ins, views
from forum.accounts.models import Role

bp = Blueprint("accounts", __name__)
bp.add_app_template_global(Role, "Role")
bp.add_app_template_filter(sign_ins.browser_name, "browser_name")

GET_POST = ["GET", "POST"]

bp.add_url_rule("/register", view_func=views.register, methods=GET_POST)
bp.add_url_rule("/register/<token>", view_func=views.confirm_registration, methods=GET_POST)
bp.add_url_rule("/login", view_func=views.login, methods=GET_POST)
bp.add_url_rule("/logout", view_func=views.logout, methods=GET_POST)
bp.add_url_rule("/reset-password", view_func=views.reset_request, methods=GET_POST)
bp.add_url_rule("/reset-password/<token>", view_func=views.reset_password, methods=GET_POST)
bp.add_url_rule("/account", view_func=views.account, methods=GET_POST)
bp.add_url_rule("/account/password", view_func=views.change_password, methods=GET_POST)
bp.add_url_rule("/account/sign-out-everywhere", view_func=views.sign_out_everywhere, methods=["POST"])
bp.add_url_rule("/admin/users", view_func=views.admin_users)
bp.add_url_rule("/admin/users/<id:user_id>", view_func=views.admin_user, methods=GET_POST)
bp.add_url_rule("/admin/outbox", "outbox", view_func=outbox_views.outbox)
bp.add_url_rule("/admin/outbox/<id:message_id>/send", "outbox_send_again", view_func=outbox_views.send_again,
                methods=["POST"])

# Issue 11: the person's display name and email address (forum/accounts/data_views.py).
bp.add_url_rule("/account/name", view_func=data_views.change_name, methods=GET_POST)
bp.add_url_rule("/account/email", view_func=data_views.change_email, methods=GET_POST)
bp.add_url_rule("/account/email/<token>", view_func=data_views.confirm_email, methods=GET_POST)
