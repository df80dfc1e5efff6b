"""The email outbox (forum/mail) for admins: what was sent, what waits, what failed and why; send one again."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for

from forum.accounts.models import Role
from forum.common.decorators import role_required
from forum.common.pagination import page_from_request
from forum.mail import services


@role_required(Role.ADMIN)
def outbox():
    page = services.list_outbox(page_from_request(), current_app.config["AUDIT_PER_PAGE"])
    pagination = page.govuk_params(lambda n: url_for("accounts.outbox", page=n))
    return render_template("admin/outbox.html", page=page, pagination=pagination,
                           counts=services.counts_by_status())


@role_required(Role.ADMIN)
def send_again(message_id: int):
    message = services.send_again(message_id)
    flash(f"Email {message.id} to {message.to_address} will be sent again.", "success")
    return redirect(url_for("accounts.outbox"))
