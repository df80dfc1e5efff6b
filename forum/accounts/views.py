"""Account views: each reads a form, calls a service and picks the next page. Services own the rules.

A service's refusal (``ValidationFailed``) is not caught here: the error mapping shows the form again with the
message by its field (``forum.common.errors``). URLs: ``forum.accounts.routes``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from forum.accounts import registration, services, sign_ins
from forum.accounts.forms import (
    BioForm,
    ChangePasswordForm,
    ConfirmRegistrationForm,
    LoginForm,
    NewPasswordForm,
    RegisterForm,
    ResetRequestForm,
    RoleForm,
)
from forum.accounts.models import Role, User
from forum.common.csrf import UNSAFE_METHODS
from forum.common.decorators import form_checks_csrf, role_required
from forum.common.pagination import page_from_request
from forum.extensions import csrf, limiter

LOGIN_FAILED = "Enter a correct email address and password"


def _limit(key: str):
    """A rate limit read from the config when the request arrives (so tests and deployments can change it)."""
    return lambda: current_app.config[key]


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site, else None: a ``next`` parameter must never send people away."""
    if not target or len(target) > 2000 or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


def csrf_before_sign_in(view: Callable[..., Any]) -> Callable[..., Any]:
    """On a form for signed-in people, check an anonymous POST's token before sending it to sign in.

    Such a form checks its own token (to keep the text of a signed-in person whose token expired), so without
    this a forged anonymous POST would be answered with a redirect rather than refused.
    """

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        anonymous = not current_user.is_authenticated
        if anonymous and request.method in UNSAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()
        return view(*args, **kwargs)

    return wrapped


def _me() -> User:
    return current_user._get_current_object()


def _sign_in(user: User, remember: bool = False) -> None:
    """Start a sign-in row for this browser, then put it in the session (and the remember-me cookie)."""
    login_user(sign_ins.start(user, request.user_agent.string), remember=remember)


@form_checks_csrf
@limiter.limit(_limit("RATELIMIT_REGISTER"), methods=["POST"])
def register():
    """Start a resident's account: the same "check your email" answer whether or not the address has one."""
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("home.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        registration.register(form.display_name.data, form.email.data, form.password.data, _links())
        return render_template("accounts/register_sent.html", email=form.email.data)
    return render_template("accounts/register.html", form=form)


def _links() -> registration.Links:
    return registration.Links(
        confirm=lambda token: url_for("accounts.confirm_registration", token=token, _external=True),
        sign_in=url_for("accounts.login", _external=True), reset=url_for("accounts.reset_request", _external=True))


@form_checks_csrf
def confirm_registration(token: str):
    """The link from the registration email: one button confirms (a mail scanner opening links changes nothing),
    then the person is signed in."""
    try:
        user = registration.user_for_link(token)
        form = ConfirmRegistrationForm()
        if form.validate_on_submit():
            user = registration.confirm(token)
            _sign_in(user)
            flash(f"Welcome, {user.display_name}: your account is ready.", "success")
            return redirect(url_for("home.index"))
    except registration.ConfirmLinkInvalid as error:
        return render_template("accounts/register_invalid.html", error=error), (410 if error.gone else 400)
    return render_template("accounts/register_confirm.html", form=form, user=user)


@form_checks_csrf
@limiter.limit(_limit("RATELIMIT_LOGIN"), methods=["POST"])
def login():
    """Sign in; a wrong email or password gets one message that does not say which was wrong."""
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(next_url or url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None and registration.resend_if_unconfirmed(user, _links()):
            form.add_error("email", "Confirm your email address first: we have sent you a new link")
        elif user is not None:
            _sign_in(user, remember=form.remember.data)
            return redirect(next_url or url_for("home.index"))
        form.add_error("email", LOGIN_FAILED)
    return render_template("accounts/login.html", form=form, next_url=next_url)


def logout():
    """GET asks to confirm (signing out changes state, so it needs a POST); POST ends this browser's sign-in on the
    server, so a copy of the cookie stops working too."""
    if request.method == "POST":
        if current_user.is_authenticated:
            sign_ins.end(_me())
        logout_user()
        flash("You have signed out.", "success")
        return redirect(url_for("home.index"))
    if not current_user.is_authenticated:
        return redirect(url_for("home.index"))
    return render_template("accounts/logout.html")


@form_checks_csrf
@limiter.limit(_limit("RATELIMIT_RESET"), methods=["POST"])
def reset_request():
    """Ask for a reset link. The answer is the same whether or not the address has an account."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(
            form.email.data, lambda token: url_for("accounts.reset_password", token=token, _external=True)
        )
        return render_template("accounts/reset_sent.html", email=form.email.data)
    return render_template("accounts/reset_request.html", form=form)


@form_checks_csrf
def reset_password(token: str):
    """Choose a new password through an emailed link; a bad or old link offers to send a new one."""
    try:
        user = services.user_for_reset_token(token)
        form = NewPasswordForm()
        if form.validate_on_submit():
            services.reset_password(token, form.password.data)
            logout_user()
            flash("Your password has been changed. Sign in with your new password.", "success")
            return redirect(url_for("accounts.login"))
    except services.ResetLinkInvalid as error:
        # 410 Gone for a link that worked once (expired or used); 400 for one that never could.
        return render_template("accounts/reset_invalid.html", error=error), (410 if error.gone else 400)
    return render_template("accounts/reset_password.html", form=form, user=user)


@form_checks_csrf
@csrf_before_sign_in
@login_required
def account():
    """The person's own settings: their profile text, their email (shown to them alone), a password link."""
    form = BioForm(bio=current_user.bio_source)
    if form.validate_on_submit():
        services.update_bio(_me(), form.bio.data)
        flash("Your profile has been saved.", "success")
        return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", form=form, suspension=services.suspension_notice(current_user),
                           signed_in=sign_ins.list_for(_me()))


@csrf_before_sign_in
@login_required
def sign_out_everywhere():
    """End every sign-in of the account, this browser's too: for a lost phone or a shared computer left signed in."""
    ended = sign_ins.end_all(_me())
    logout_user()
    flash(f"You have signed out everywhere ({ended} {'browser' if ended == 1 else 'browsers'}). "
          "Sign in again on the devices you use.", "success")
    return redirect(url_for("accounts.login"))


@form_checks_csrf
@csrf_before_sign_in
@login_required
@limiter.limit(_limit("RATELIMIT_LOGIN"), methods=["POST"])
def change_password():
    """Change the password (the current one first); every other session is signed out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        services.change_password(_me(), form.current_password.data, form.password.data)
        flash("Your password has been changed. Any other devices have been signed out.", "success")
        return redirect(url_for("accounts.account"))
    return render_template("accounts/change_password.html", form=form)


@role_required(Role.ADMIN)
def admin_users():
    """Every account, a page at a time, with role and organisation."""
    page = services.list_users(page_from_request(), current_app.config["USERS_PER_PAGE"])
    pagination = page.govuk_params(lambda n: url_for("accounts.admin_users", page=n))
    return render_template("admin/users.html", page=page, pagination=pagination)


@form_checks_csrf
@csrf_before_sign_in
@role_required(Role.ADMIN)
def admin_user(user_id: int):
    """One account, with its email, and a form to grant a role (and a civil servant's organisation)."""
    user = services.get_user(user_id)
    form = RoleForm(obj=user)
    if form.validate_on_submit():
        services.set_role(user, form.role.data, form.organisation.data, actor=_me())
        flash(f"{user.display_name} is now: {user.role_label}.", "success")
        return redirect(url_for("accounts.admin_user", user_id=user.id))
    return render_template("admin/user.html", form=form, user=user)
