"""Notifications, what people watch or mute, and how they want each kind emailed."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.common.timefmt import utcnow
from forum.extensions import db


class Notification(db.Model):
    """One thing that happened that concerns ``recipient``. ``text`` and ``url`` (a path) are written when it is
    created, so listing them needs no other table. ``budget_id``/``proposal_id`` carry no foreign key: budgeting
    sits above notifications and its rows outlive nothing here."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    budget_id: Mapped[int | None] = mapped_column(Integer)
    proposal_id: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column()
    # When a daily digest carried it (or when an email at once did): never emailed twice.
    digested_at: Mapped[datetime | None] = mapped_column()

    actor: Mapped[User | None] = relationship(User, foreign_keys=[actor_id])

    __table_args__ = (Index("ix_notifications_recipient_unread", "recipient_id", "read_at", "created_at"),)

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class WatchLevel(enum.StrEnum):
    WATCHING = "watching"
    MUTED = "muted"


class Watch(db.Model):
    """A person watching (or muting) a thread or a group: exactly one of the two."""

    __tablename__ = "watches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("user_id", "thread_id", name="uq_watches_user_thread"),
        UniqueConstraint("user_id", "group_id", name="uq_watches_user_group"),
        Index("ix_watches_thread_level", "thread_id", "level"),
        Index("ix_watches_group_level", "group_id", "level"),
        CheckConstraint("(thread_id IS NULL) <> (group_id IS NULL)", name="one_target"),
    )


class Preference(db.Model):
    """How a person wants one kind emailed; no row means the kind's default (``kinds.py``)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    cadence: Mapped[str] = mapped_column(String(10))
