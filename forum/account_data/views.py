"""Downloading one's data and deleting one's account. URLs: ``forum.account_data.routes``."""

from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, logout_user

from forum.account_data import services
from forum.account_data.forms import DeleteAccountForm
from forum.accounts.models import User
from forum.accounts.views import _limit, csrf_before_sign_in
from forum.common.decorators import form_checks_csrf
from forum.common.errors import PermissionDenied
from forum.extensions import limiter


def _me() -> User:
    return current_user._get_current_object()


@login_required
def download():
    """GET: what the file holds and a button; POST (CSRF-checked by ``forum.common.csrf``): the JSON file."""
    if request.method == "GET":
        return render_template("accounts/data.html")
    user = _me()
    body = json.dumps(services.export_for(user), indent=2, ensure_ascii=False)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="{services.export_filename(user)}"',
        "Cache-Control": "no-store",
    })


@form_checks_csrf
@csrf_before_sign_in
@login_required
@limiter.limit(_limit("RATELIMIT_LOGIN"), methods=["POST"])
def delete():
    """Confirm with the password, then delete the account and sign out."""
    try:
        services.check_may_delete(_me())
    except PermissionDenied as refusal:
        if request.method == "POST":
            raise  # the 403 page: nothing was deleted
        return render_template("accounts/delete.html", form=None, refusal=refusal.message)
    form = DeleteAccountForm()
    if form.validate_on_submit():
        services.delete_account(_me(), form.password.data)
        logout_user()
        flash("Your account has been deleted. What you wrote stays in its threads, as written by a former member.",
              "success")
        return redirect(url_for("home.index"))
    return render_template("accounts/delete.html", form=form, refusal=None)
