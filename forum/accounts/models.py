"""People and their roles."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum, nonmember

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum.common.timefmt import utcnow
from forum.extensions import db


class Role(StrEnum):
    """Site-wide roles, stored as their values. Residents are the default; the others are granted by an admin."""

    RESIDENT = "resident"
    CIVIL_SERVANT = "civil_servant"
    MODERATOR = "moderator"
    ADMIN = "admin"

    # Sets of roles and their labels, not roles themselves (``nonmember``); their keys and items are the values
    # above, which compare equal to the members.
    ALL = nonmember((RESIDENT, CIVIL_SERVANT, MODERATOR, ADMIN))
    LABELS = nonmember({
        RESIDENT: "Resident",
        CIVIL_SERVANT: "Civil servant",
        MODERATOR: "Moderator",
        ADMIN: "Administrator",
    })
    STAFF = nonmember((CIVIL_SERVANT, MODERATOR, ADMIN))
    MODERATORS = nonmember((MODERATOR, ADMIN))
    # Who runs participatory budgets: creates them, reviews proposals, enters paper ballots, verifies residents.
    BUDGET_STAFF = nonmember((CIVIL_SERVANT, ADMIN))


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(50))
    # The display name folded for URLs and uniqueness: "Ann Smith" and "ann-smith" are the same person.
    handle: Mapped[str] = mapped_column(String(60), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    email_key: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.RESIDENT)
    organisation: Mapped[str | None] = mapped_column(String(100))
    bio_source: Mapped[str] = mapped_column(Text, default="")
    bio_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A suspended person can read but not post, flag or vote until then (issue 5); lifting clears both.
    suspended_until: Mapped[datetime | None] = mapped_column()
    suspension_reason: Mapped[str | None] = mapped_column(Text)
    # Set when the person deleted their account (issue 11): the row stays, so their posts keep an author, but
    # every personal detail is gone (``accounts.services.anonymise``) and it can never sign in again.
    deleted_at: Mapped[datetime | None] = mapped_column()
    # When the person opened the link registration mailed them (issue 14); until then they cannot sign in.
    # Accounts made any other way (the command line, the demo, imports) are confirmed when made.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(default=utcnow)

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > utcnow()

    @property
    def is_former_member(self) -> bool:
        """Whether the account was deleted: shown as "A former member", never linked to a profile."""
        return self.deleted_at is not None

    @property
    def role_label(self) -> str:
        return Role.LABELS.get(self.role, self.role)

    @property
    def is_staff(self) -> bool:
        return self.role in Role.STAFF

    @property
    def runs_budgets(self) -> bool:
        return self.role in Role.BUDGET_STAFF

    @property
    def is_site_moderator(self) -> bool:
        return self.role in Role.MODERATORS

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    # The token of the sign-in this object was loaded for (``accounts.sign_ins``); a plain attribute, not a column.
    sign_in_token = None
    # The content and viewer versions read with the sign-in (``forum.common.own_pages``); plain, not columns.
    page_versions = None

    def get_id(self) -> str:
        """What the session cookie (and a remember-me cookie) stores: the id and this browser's sign-in token, so
        that signing out, "sign out everywhere" and a password change end the session on the server too
        (Flask-Login's alternative-token pattern)."""
        if not self.sign_in_token:
            raise RuntimeError("get_id() before accounts.sign_ins.start(): a session needs a sign-in row")
        return f"{self.id}:{self.sign_in_token}"

    def __repr__(self) -> str:
        return f"<User {self.handle}>"



class SignIn(db.Model):
    """One browser signed in to one account, so the server can end it: a copied session cookie stops working
    once its sign-in row is gone. Only a digest of the token is stored, so a copy of the database signs no one in."""

    __tablename__ = "sign_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The browser's own description, cut short: enough for "Firefox on Windows" on the account page.
    user_agent: Mapped[str] = mapped_column(String(200), default="")
