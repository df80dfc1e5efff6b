"""Every URL the groups package serves, in one table, and the membership enums for every template.

A group's own page (``threads.group``) and starting a thread in it (``threads.start``) list or make threads, so
they belong to the threads package, under the same ``/groups/<slug>/`` addresses.
"""

from flask import Blueprint

from forum.groups import views
from forum.groups.models import MemberRole, MemberStatus

bp = Blueprint("groups", __name__, url_prefix="/groups")
bp.add_app_template_global(MemberRole, "MemberRole")
bp.add_app_template_global(MemberStatus, "MemberStatus")

GET_POST = ["GET", "POST"]
POST = ["POST"]

bp.add_url_rule("/", "list", view_func=views.list_groups)
bp.add_url_rule("/new", view_func=views.create, methods=GET_POST)
bp.add_url_rule("/<slug>/edit", view_func=views.edit, methods=GET_POST)
bp.add_url_rule("/<slug>/join", view_func=views.join, methods=POST)
bp.add_url_rule("/<slug>/leave", view_func=views.leave, methods=GET_POST)
bp.add_url_rule("/<slug>/request", view_func=views.ask_to_join)
bp.add_url_rule("/<slug>/members", view_func=views.members)
bp.add_url_rule("/<slug>/members/add", view_func=views.add_member, methods=POST)
bp.add_url_rule("/<slug>/members/<id:user_id>/role", view_func=views.set_role, methods=POST)
bp.add_url_rule("/<slug>/requests", view_func=views.requests)
bp.add_url_rule("/<slug>/requests/<id:membership_id>/approve", view_func=views.approve, methods=POST)
bp.add_url_rule("/<slug>/requests/<id:membership_id>/reject", view_func=views.reject, methods=POST)
