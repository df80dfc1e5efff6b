"""URLs of the outbox pages (admins only)."""

from flask import Blueprint

from forum.mail import views

bp = Blueprint("mail", __name__)
bp.add_url_rule("/admin/outbox", view_func=views.outbox)
bp.add_url_rule("/admin/outbox/<id:message_id>/send", view_func=views.send_again, methods=["POST"])
