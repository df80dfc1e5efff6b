"""Registering without telling strangers who has an account.

Registration answers every well-formed request the same way ("check your email"), whether or not the address
has an account, as signing in and password resets do. A new address gets an unconfirmed account and a link to
confirm it; an address that already has an account gets an email telling its owner someone tried, with links to
sign in or reset the password. Both paths hash the password once and queue one email, so neither the page nor its
timing tells them apart. An unconfirmed account cannot sign in; registering the same address again before it is
confirmed replaces its name and password (nothing was proven by the first try) and sends a fresh link. Unconfirmed
accounts older than ``REGISTRATION_MAX_AGE`` are deleted at the next registration, so a name is not held for ever.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, select

from forum.accounts import services
from forum.accounts.models import User
from forum.common.errors import DomainError, FormRefused
from forum.common.text import normalise_space, slugify
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.mail.services import queue_mail

SALT = "forum.accounts.registration"


class ConfirmLinkInvalid(DomainError):
    """A confirmation link that is forged, mangled, replaced by a newer one, or too old."""

    def __init__(self, message: str, gone: bool = True) -> None:
        super().__init__(message)
        self.gone = gone


@dataclass(frozen=True)
class Links:
    """How the caller (a view) builds absolute links for the emails: models and services never see the request."""

    confirm: Callable[[str], str]
    sign_in: str
    reset: str


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _max_age() -> int:
    return current_app.config["REGISTRATION_MAX_AGE"]


def register(display_name: str, email: str, password: str, links: Links) -> None:
    """Start an account for ``email`` or tell its owner someone tried; the caller shows "check your email"."""
    display_name, email = normalise_space(display_name), (email or "").strip()
    db.session.execute(delete(User).where(User.email_confirmed_at.is_(None),
                                          User.created_at < utcnow() - timedelta(seconds=_max_age())))
    existing = db.session.scalar(select(User).where(User.email_key == services.email_key(email)))
    pending = existing if existing is not None and existing.email_confirmed_at is None else None
    problems = services.account_problems(display_name, email, password, pending)
    if problems:
        raise FormRefused(problems)
    password_hash = services._hash(password)
    if existing is not None and pending is None:
        _tell_the_owner(existing, links)
        return
    if pending is None:
        user = services.create_user(display_name, email, password, password_hash=password_hash, confirmed=False)
    else:
        user = pending
        user.display_name, user.handle = display_name, slugify(display_name)
        user.email, user.password_hash, user.created_at = email, password_hash, utcnow()
        db.session.flush()
    _send_link(user, links)


def _send_link(user: User, links: Links) -> None:
    site, days = current_app.config["SITE_NAME"], max(1, _max_age() // 86400)
    link = links.confirm(_serializer().dumps({"u": user.id, "h": services._hash_fragment(user)}))
    body = (
        f"Hello {user.display_name},\n\n"
        f"To finish creating your account on {site}, confirm your email address by opening this link within "
        f"{days} {'day' if days == 1 else 'days'}:\n\n{link}\n\n"
        "If you did not ask for an account, ignore this email: without the link, none is created.\n"
    )
    queue_mail(user.email, f"Confirm your email address for {site}", body, user_id=user.id)


def _tell_the_owner(user: User, links: Links) -> None:
    site = current_app.config["SITE_NAME"]
    body = (
        f"Hello {user.display_name},\n\n"
        f"Someone tried to create an account on {site} with this email address, which already has one: yours.\n"
        f"If it was you, sign in instead:\n\n{links.sign_in}\n\n"
        f"Forgotten your password? Choose a new one here:\n\n{links.reset}\n\n"
        "If it was not you, you can ignore this email: nothing has changed.\n"
    )
    queue_mail(user.email, f"Someone tried to register with your address on {site}", body, user_id=user.id)


def user_for_link(token: str) -> User:
    """The unconfirmed account a link was made for; ConfirmLinkInvalid when it is bad, old, used or replaced."""
    try:
        data = _serializer().loads(token, max_age=_max_age())
    except SignatureExpired:
        raise ConfirmLinkInvalid("That link has expired. Register again to get a new one.") from None
    except BadSignature:
        raise ConfirmLinkInvalid(
            "That link is not valid. Check you copied the whole link from the email.", gone=False) from None
    user_id = data.get("u") if isinstance(data, dict) else None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or user.deleted_at is not None or not hmac.compare_digest(str(data.get("h", "")),
                                                                              services._hash_fragment(user)):
        raise ConfirmLinkInvalid("That link has been replaced by a newer one, or the account no longer exists.")
    return user


def confirm(token: str) -> User:
    """Confirm the address behind a link (again is harmless: the person is signed in either way)."""
    user = user_for_link(token)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    return user


def resend_if_unconfirmed(user: User, links: Links) -> bool:
    """For sign-in with the right password on an unconfirmed account: send a fresh link; whether one was needed."""
    if user.email_confirmed_at is not None:
        return False
    _send_link(user, links)
    return True
