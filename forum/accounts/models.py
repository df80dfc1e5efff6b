"""People and their roles."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum, nonmember

from flask_login import UserMixin
from sqlalchemy import String, Text
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

    def get_id(self) -> str:
        """What the session cookie stores: the id and a piece of the password hash, so that a password
        reset signs out every other session (Flask-Login's alternative-token pattern)."""
        return f"{self.id}:{self.password_hash[-12:]}"

    def __repr__(self) -> str:
        return f"<User {self.handle}>"

