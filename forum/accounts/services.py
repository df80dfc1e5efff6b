"""Accounts: registration, authentication, password resets and roles.

Views and the ``users`` commands call these. They change and ``flush()``; the request's or the command's edge
commits (``forum.common.transaction``), and a refusal (a ``DomainError``) drops the whole unit of work.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Callable
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from forum.accounts import sign_ins
from forum.accounts.models import Role, User
from forum.audit import services as audit
from forum.audit.models import Action
from forum.common import markup
from forum.common.errors import DomainError, FormRefused, NotFound, ValidationFailed
from forum.common.pagination import Page
from forum.common.text import normalise_space, slugify
from forum.common.timefmt import exact, utcnow
from forum.extensions import db
from forum.mail.services import queue_mail

DISPLAY_NAME_MIN = 2
DISPLAY_NAME_MAX = 50
EMAIL_MAX = 254
PASSWORD_MIN = 10
PASSWORD_MAX = 200
BIO_MAX = 5_000
ORGANISATION_MAX = 100
RESET_SALT = "forum.accounts.password-reset"
NAME_TAKEN = "That display name is already taken: choose another"
EMAIL_TAKEN = "An account already uses that email address: sign in or reset your password instead"
EMAIL_CHANGE_SALT = "email-change"
EMAIL_CHANGE_MAX_AGE = 24 * 60 * 60  # seconds; EMAIL_CHANGE_MAX_AGE in the config overrides it
WRONG_PASSWORD = "Your current password is not correct"
# What a deleted account is shown as (its posts stay in their threads); no one may take the name or its handles.
FORMER_MEMBER = "A former member"
FORMER_HANDLE_PREFIX = "former-member"
NAME_RESERVED = "That display name is reserved: choose another"

# The passwords people choose most often (from the published breach lists), each at least 10 characters long:
# anything shorter is already refused by the length rule.
COMMON_PASSWORDS = frozenset(
    {
        "1234567890", "0123456789", "12345678910", "123456789a", "1q2w3e4r5t", "1qaz2wsx3edc", "qwertyuiop",
        "asdfghjkl1", "password12", "password123", "password1234", "passw0rd123", "p@ssw0rd123", "iloveyou12",
        "qwerty1234", "qwerty12345", "qwerty123456", "abcdefghij", "abcd123456", "abc1234567", "letmein123",
        "welcome123", "welcome2024", "welcome2025", "welcome2026", "football12", "football123", "monkey1234",
        "sunshine12", "princess12", "dragon1234", "baseball12", "superman12", "1111111111", "0000000000",
        "9876543210", "aaaaaaaaaa", "changeme123", "administrator", "trustno1234", "zaq12wsxcvb",
        "1234qwerasdf", "qazwsxedcrfv", "passwordpassword", "mypassword1", "liverpool1", "chelsea123",
        "arsenal123", "manchester1", "summer2024", "summer2025", "winter2025", "spring2026", "autumn2026",
    }
)


class EmailLinkInvalid(DomainError):
    """An email-change link that is forged, mangled, already used or too old."""

    def __init__(self, message: str, gone: bool = True) -> None:
        super().__init__(message)
        self.gone = gone


class ResetLinkInvalid(DomainError):
    """A password-reset link that is forged, mangled, already used or too old."""

    def __init__(self, message: str, expired: bool = False, gone: bool = True) -> None:
        super().__init__(message)
        self.expired = expired
        self.gone = gone


_dummy_hashes: dict[str, str] = {}


def _hash(password: str) -> str:
    return generate_password_hash(password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


def _dummy_hash() -> str:
    """A hash of nothing anyone knows, made with the configured method, to check against when no account matches."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    if method not in _dummy_hashes:
        _dummy_hashes[method] = _hash("no account has this password")
    return _dummy_hashes[method]


def email_key(email: str) -> str:
    """The form of an address used to find an account: trimmed and case-folded."""
    return (email or "").strip().lower()


def password_problem(password: str, display_name: str = "", email: str = "") -> str | None:
    """Why ``password`` is too weak, as a sentence to show the person, or None when it will do."""
    if len(password) < PASSWORD_MIN:
        return f"Password must be at least {PASSWORD_MIN} characters long"
    if len(password) > PASSWORD_MAX:
        return f"Password must be {PASSWORD_MAX} characters or fewer"
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) < 4:
        return "That password is too easy to guess: choose a less common one, such as three or four random words"
    squashed = lowered.replace(" ", "")
    for part in (normalise_space(display_name).lower(), email_key(email).partition("@")[0]):
        if len(part) >= 3 and (part in lowered or part.replace(" ", "") in squashed):
            return "Password must not contain your display name or email address"
    return None


def check_password_strength(password: str, display_name: str = "", email: str = "", field: str = "password") -> None:
    """Refuse a weak password with a ValidationFailed on ``field``."""
    problem = password_problem(password, display_name, email)
    if problem:
        raise ValidationFailed(problem, field=field)


def _name_problems(display_name: str, user: User | None = None) -> list[ValidationFailed]:
    """Field errors for a display name that cannot be used, or that someone other than ``user`` already uses."""
    problems: list[ValidationFailed] = []
    handle = slugify(display_name)
    taken_by = select(User.id).where(User.handle == handle)
    if user is not None:
        taken_by = taken_by.where(User.id != user.id)
    if not any(ch.isalnum() for ch in display_name):
        problems.append(ValidationFailed("Display name must include letters or numbers", field="display_name"))
    elif any(unicodedata.category(ch) in ("Cc", "Cf") for ch in display_name):
        # Control and format characters (a right-to-left override, a zero-width space) let one name look like another.
        problems.append(ValidationFailed("Display name must not contain invisible or control characters",
                                         field="display_name"))
    elif handle == slugify(FORMER_MEMBER) or handle.startswith(FORMER_HANDLE_PREFIX):
        problems.append(ValidationFailed(NAME_RESERVED, field="display_name"))
    elif db.session.scalar(taken_by) is not None:
        problems.append(ValidationFailed(NAME_TAKEN, field="display_name"))
    return problems


def _name_length_problem() -> ValidationFailed:
    return ValidationFailed(
        f"Display name must be between {DISPLAY_NAME_MIN} and {DISPLAY_NAME_MAX} characters", field="display_name")


def _email_taken(email: str) -> bool:
    return db.session.scalar(select(User.id).where(User.email_key == email_key(email))) is not None


def account_problems(display_name: str, email: str, password: str,
                     user: User | None = None) -> list[ValidationFailed]:
    """What is wrong with a new account's name, address and password (a name ``user`` holds is not taken);
    whether the address already has an account is the caller's to say, or not (registration)."""
    problems = []
    if not DISPLAY_NAME_MIN <= len(display_name) <= DISPLAY_NAME_MAX:
        problems.append(_name_length_problem())
    problems += _name_problems(display_name, user)
    if "@" not in email or len(email) > EMAIL_MAX:
        problems.append(ValidationFailed("Enter an email address in the correct format, like name@example.com",
                                         field="email"))
    problem = password_problem(password, display_name, email)
    if problem:
        problems.append(ValidationFailed(problem, field="password"))
    return problems


def create_user(display_name: str, email: str, password: str, role: str = Role.RESIDENT,
                organisation: str | None = None, password_hash: str | None = None, confirmed: bool = True) -> User:
    """Make an account, refusing a taken display name or email and a weak password (all problems at once).
    ``password_hash``: the password already hashed (registration hashes on every path, for even timing)."""
    display_name = normalise_space(display_name)
    email = (email or "").strip()
    problems = account_problems(display_name, email, password)
    if _email_taken(email):
        problems.append(ValidationFailed(EMAIL_TAKEN, field="email"))
    if role not in Role.ALL:
        problems.append(ValidationFailed("Choose a role", field="role"))
    if problems:
        raise FormRefused(problems)
    user = User(
        display_name=display_name, handle=slugify(display_name), email=email, email_key=email_key(email),
        password_hash=password_hash or _hash(password), role=role,
        organisation=normalise_space(organisation or "") or None, bio_source="", bio_html="",
    )
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as error:
        # Someone took the name or address between our check and our insert (the refusal drops the transaction).
        raise _taken(error) from None
    if not confirmed:
        user.email_confirmed_at = None  # after the insert: the column's default fills in a None given to it
    return user


def _taken(error: IntegrityError) -> ValidationFailed:
    """The refusal for a display name or email address that another account took a moment ago."""
    if "email_key" in str(error.orig):
        return ValidationFailed(EMAIL_TAKEN, field="email")
    return ValidationFailed(NAME_TAKEN, field="display_name")


def authenticate(email: str, password: str) -> User | None:
    """The account with this email and password, or None (the caller shows one generic message either way)."""
    user = db.session.scalar(select(User).where(User.email_key == email_key(email), User.deleted_at.is_(None)))
    if user is None:
        # Spend the same time as a real check, so response times do not reveal which addresses have accounts.
        check_password_hash(_dummy_hash(), password or "")
        return None
    if not check_password_hash(user.password_hash, password or ""):
        return None
    return user


# Password resets -----------------------------------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _hash_fragment(user: User) -> str:
    """A digest of the current password hash: the link stops working once the password changes."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user: User) -> str:
    """A signed, time-stamped token naming the user and their current password."""
    return _serializer().dumps({"u": user.id, "h": _hash_fragment(user)})


def user_for_reset_token(token: str) -> User:
    """The user a reset link was made for, or ResetLinkInvalid when it is bad, used or too old."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except SignatureExpired:
        raise ResetLinkInvalid("That password reset link has expired.", expired=True) from None
    except BadSignature:
        raise ResetLinkInvalid(
            "That password reset link is not valid. Check you copied the whole link from the email.", gone=False
        ) from None
    user_id = data.get("u") if isinstance(data, dict) else None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not hmac.compare_digest(str(data.get("h", "")), _hash_fragment(user)):
        raise ResetLinkInvalid("That password reset link has already been used.")
    return user


def request_password_reset(email: str, link_for: Callable[[str], str]) -> None:
    """Email a reset link if an account uses ``email``; say nothing either way (the page is always the same)."""
    user = db.session.scalar(select(User).where(User.email_key == email_key(email)))
    if user is None:
        current_app.logger.info("Password reset asked for an address with no account")
        return
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    body = (
        f"Hello {user.display_name},\n\n"
        f"Someone asked to reset the password for your account on {current_app.config['SITE_NAME']}.\n"
        f"If it was you, open this link within {minutes} minutes to choose a new password:\n\n"
        f"{link_for(make_reset_token(user))}\n\n"
        "If it was not you, you can ignore this email: your password has not changed.\n"
    )
    queue_mail(user.email, f"Reset your {current_app.config['SITE_NAME']} password", body, user_id=user.id)


def reset_password(token: str, password: str) -> User:
    """Set a new password through a reset link; every existing session for the account stops working."""
    user = user_for_reset_token(token)
    check_password_strength(password, user.display_name, user.email)
    user.password_hash = _hash(password)
    sign_ins.end_all(user)
    return user


# The person's own settings ------------------------------------------------------------------------------------


def update_bio(user: User, source: str) -> User:
    """Change the profile text, rendered once through the text pipeline."""
    source = (source or "").strip()
    if len(source) > BIO_MAX:
        raise ValidationFailed(f"Your profile text must be {BIO_MAX:,} characters or fewer", field="bio")
    user.bio_source = source
    user.bio_html = markup.render(source) if source else ""
    return user


def change_password(user: User, current: str, new: str) -> User:
    """Change the password after checking the current one; every other browser signed in to the account is
    signed out (this one stays)."""
    check_current_password(user, current)
    check_password_strength(new, user.display_name, user.email)
    if check_password_hash(user.password_hash, new):
        raise ValidationFailed("Your new password must be different from your current one", field="password")
    user.password_hash = _hash(new)
    sign_ins.end_all(user, keep_current=True)
    return user


def check_current_password(user: User, password: str, field: str = "current_password") -> None:
    """Refuse (on ``field``) a password that is not the person's current one."""
    if not check_password_hash(user.password_hash, password or ""):
        raise ValidationFailed(WRONG_PASSWORD, field=field)


def change_display_name(user: User, display_name: str) -> User:
    """Rename the person, under the registration rules; their profile address (the handle) follows the name."""
    display_name = normalise_space(display_name)
    problems = _name_problems(display_name, user)
    if not DISPLAY_NAME_MIN <= len(display_name) <= DISPLAY_NAME_MAX:
        problems.insert(0, _name_length_problem())
    if problems:
        raise FormRefused(problems)
    if display_name == user.display_name:
        return user
    user.display_name = display_name
    user.handle = slugify(display_name)
    try:
        db.session.flush()
    except IntegrityError:
        # Someone took the name between our check and our update (the refusal drops the transaction).
        raise ValidationFailed(NAME_TAKEN, field="display_name") from None
    return user


# Changing the email address -------------------------------------------------------------------------------------


def _email_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=EMAIL_CHANGE_SALT)


def _email_fragment(user: User) -> str:
    """A digest of the current address: a link stops working once the address changes (so it works once)."""
    return hashlib.sha256(user.email_key.encode()).hexdigest()[:16]


def make_email_token(user: User, new_email: str) -> str:
    """A signed, time-stamped token naming the user, the new address and (a digest of) the current one."""
    return _email_serializer().dumps({"u": user.id, "e": new_email, "f": _email_fragment(user)})


def email_change_for_token(token: str) -> tuple[User, str]:
    """The user and new address an email-change link was made for, or EmailLinkInvalid."""
    max_age = current_app.config.get("EMAIL_CHANGE_MAX_AGE", EMAIL_CHANGE_MAX_AGE)
    try:
        data = _email_serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise EmailLinkInvalid("That link to confirm your new email address has expired.") from None
    except BadSignature:
        raise EmailLinkInvalid("That link is not valid. Check you copied the whole link from the email.",
                               gone=False) from None
    data = data if isinstance(data, dict) else {}
    user_id, new_email = data.get("u"), data.get("e")
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if (user is None or user.deleted_at is not None or not isinstance(new_email, str)
            or not hmac.compare_digest(str(data.get("f", "")), _email_fragment(user))):
        raise EmailLinkInvalid("That link to confirm your new email address has already been used.")
    return user, new_email


def request_email_change(user: User, new_email: str, password: str, link_for: Callable[[str], str]) -> str:
    """Check the password and the new address, then mail a confirmation link to the new address and a notice to
    the current one. Nothing changes until the link is opened. Returns the new address as it will be stored."""
    new_email = (new_email or "").strip()
    check_current_password(user, password)
    if "@" not in new_email or len(new_email) > EMAIL_MAX:
        raise ValidationFailed("Enter an email address in the correct format, like name@example.com", field="email")
    if email_key(new_email) == user.email_key:
        raise ValidationFailed("That is already your email address", field="email")
    if _email_taken(new_email):
        raise ValidationFailed(EMAIL_TAKEN, field="email")  # no more than registering with it would say
    site = current_app.config["SITE_NAME"]
    hours = current_app.config.get("EMAIL_CHANGE_MAX_AGE", EMAIL_CHANGE_MAX_AGE) // 3600
    queue_mail(
        to=new_email, subject=f"Confirm your new email address for {site}", user_id=user.id,
        body=(
            f"Hello {user.display_name},\n\n"
            f"You asked to use this address for your account on {site}.\n"
            f"Open this link within {hours} hours to confirm it:\n\n"
            f"{link_for(make_email_token(user, new_email))}\n\n"
            "If you did not ask for this, you can ignore this email: nothing will change.\n"
        ),
    )
    queue_mail(
        to=user.email, subject=f"Your email address for {site} is changing", user_id=user.id,
        body=(
            f"Hello {user.display_name},\n\n"
            f"Someone signed in to your account on {site} asked to change its email address. The change happens\n"
            "only when the link we sent to the new address is opened; until then this address stays in use.\n\n"
            "If it was not you, change your password now and tell the forum's administrators.\n"
        ),
    )
    return new_email


def confirm_email_change(token: str) -> User:
    """Use an email-change link: the account's address becomes the new one (the link then stops working)."""
    user, new_email = email_change_for_token(token)
    if _email_taken(new_email):
        raise EmailLinkInvalid("Another account has started using that email address since the link was sent.")
    user.email = new_email
    user.email_key = email_key(new_email)
    try:
        db.session.flush()
    except IntegrityError:
        raise EmailLinkInvalid("Another account has started using that email address since the link was sent.") \
            from None
    return user


# Deleting an account (the rest of it, in other domains, is forum.account_data.services) ------------------------


def is_last_admin(user: User) -> bool:
    """Whether ``user`` is the only administrator left (who must not delete their account)."""
    if user.role != Role.ADMIN:
        return False
    others = select(func.count(User.id)).where(User.role == Role.ADMIN, User.id != user.id, User.deleted_at.is_(None))
    return (db.session.scalar(others) or 0) == 0


def anonymise(user: User) -> User:
    """Remove every personal detail from the account and make it unusable, keeping the row for its posts.

    The password hash becomes a value no password matches and every sign-in ends; the address becomes a unique
    one that cannot be delivered to (``.invalid`` is reserved, RFC 2606)."""
    placeholder = f"deleted-{user.id}-{secrets.token_hex(8)}@deleted.invalid"
    user.display_name = FORMER_MEMBER
    user.handle = f"{FORMER_HANDLE_PREFIX}-{user.id}"
    user.email = placeholder
    user.email_key = placeholder
    user.password_hash = f"!deleted:{secrets.token_hex(16)}"
    user.role = Role.RESIDENT
    user.organisation = None
    user.bio_source = ""
    user.bio_html = ""
    user.suspension_reason = None
    user.suspended_until = None
    user.deleted_at = utcnow()
    sign_ins.end_all(user)
    db.session.flush()
    return user


# Administration -----------------------------------------------------------------------------------------------


def list_users(page: int, per_page: int) -> Page:
    """One page of every account, alphabetically (one query for the rows, one for the count)."""
    total = db.session.scalar(select(func.count(User.id))) or 0
    page_obj = Page(items=[], number=page, per_page=per_page, total=total)
    if page > page_obj.pages:
        raise NotFound("No such page")
    page_obj.items = list(
        db.session.scalars(select(User).order_by(User.handle, User.id).limit(per_page).offset((page - 1) * per_page))
    )
    return page_obj


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("No such user")
    return user


def find_by_email(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email_key == email_key(email)))
    if user is None:
        raise NotFound(f"No account uses {email.strip()}")
    return user


def set_role(user: User, role: str, organisation: str | None = None, actor: User | None = None) -> User:
    """Grant ``role``; civil servants need an organisation (their badge). Admins cannot demote themselves."""
    organisation = normalise_space(organisation or "") or None
    if role not in Role.ALL:
        raise ValidationFailed("Choose a role", field="role")
    if actor is not None and actor.id == user.id and user.role == Role.ADMIN and role != Role.ADMIN:
        raise ValidationFailed(
            "You cannot remove your own administrator role: ask another administrator to do it", field="role")
    if role == Role.CIVIL_SERVANT and not organisation:
        raise ValidationFailed("Enter the organisation a civil servant works for", field="organisation")
    if organisation and len(organisation) > ORGANISATION_MAX:
        raise ValidationFailed(f"Organisation must be {ORGANISATION_MAX} characters or fewer", field="organisation")
    changes = _role_changes(user, role, organisation)
    user.role = role
    user.organisation = organisation
    if changes:  # a save that changes nothing is not an action worth a line in the audit log
        audit.record(actor, Action.SET_ROLE, item_type="user", item_id=user.id, subject_id=user.id,
                     summary="; ".join(changes))
    return user


def _role_changes(user: User, role: str, organisation: str | None) -> list[str]:
    """What a role change changes, in words for the audit log ("Role: resident → moderator")."""
    changes = []
    if role != user.role:
        changes.append(f"Role: {user.role} → {role}")
    if organisation != user.organisation:
        changes.append(f"Organisation: {user.organisation or 'none'} → {organisation or 'none'}")
    return changes


def suspension_notice(user: Any) -> str | None:
    """What a suspended person is told on the pages where they would otherwise post (None if not suspended)."""
    if not getattr(user, "is_authenticated", False) or not user.is_suspended:
        return None
    reason = user.suspension_reason or "none given"
    return f"Your account is suspended until {exact(user.suspended_until)} (reason: {reason})."
