"""The person's name and email address (issue 11): renaming, and changing the address through a signed link.

Downloading one's data and deleting the account gather rows from every domain, so they live above them all,
in ``forum.account_data``. URLs: ``forum.accounts.routes``.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from forum.accounts import services
from forum.accounts.forms import ChangeEmailForm, ConfirmEmailForm, DisplayNameForm
from forum.accounts.views import _limit, _me, csrf_before_sign_in
from forum.common.decorators import form_checks_csrf
from forum.extensions import limiter


@form_checks_csrf
@csrf_before_sign_in
@login_required
def change_name():
    """Choose another display name, under the same rules as registering."""
    form = DisplayNameForm(display_name=current_user.display_name)
    if form.validate_on_submit():
        user = services.change_display_name(_me(), form.display_name.data)
        flash(f"Your display name is now {user.display_name}.", "success")
        return redirect(url_for("accounts.account"))
    return render_template("accounts/change_name.html", form=form)


@form_checks_csrf
@csrf_before_sign_in
@login_required
@limiter.limit(_limit("RATELIMIT_LOGIN"), methods=["POST"])
def change_email():
    """Ask for a new address (with the current password): a link goes to it, a notice to the current one."""
    form = ChangeEmailForm()
    if form.validate_on_submit():
        new_email = services.request_email_change(
            _me(), form.email.data, form.current_password.data,
            lambda token: url_for("accounts.confirm_email", token=token, _external=True),
        )
        return render_template("accounts/email_sent.html", email=new_email)
    return render_template("accounts/change_email.html", form=form)


@form_checks_csrf
def confirm_email(token: str):
    """The emailed link: a page with one button (so a mail scanner opening links changes nothing), which makes
    the new address the account's. Signing in is not needed; a used, old or broken link says so."""
    try:
        user, new_email = services.email_change_for_token(token)
        form = ConfirmEmailForm()
        if form.validate_on_submit():
            services.confirm_email_change(token)
            flash(f"Your email address is now {new_email}.", "success")
            return redirect(url_for("accounts.account" if current_user.is_authenticated else "accounts.login"))
    except services.EmailLinkInvalid as error:
        return render_template("accounts/email_invalid.html", error=error), (410 if error.gone else 400)
    return render_template("accounts/email_confirm.html", form=form, email=new_email, user=user)
