"""Groups and who belongs to them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.common.timefmt import utcnow
from forum.extensions import db


class MemberRole(StrEnum):
    """A member's role in one group (stored as its value)."""

    MEMBER = "member"
    MODERATOR = "moderator"


class MemberStatus(StrEnum):
    """Whether a membership counts yet (stored as its value)."""

    ACTIVE = "active"
    PENDING = "pending"  # a request to join a private group, waiting for a group moderator


class Group(db.Model):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(String(300), default="")
    description_source: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    is_private: Mapped[bool] = mapped_column(Boolean, default=False)
    # Every post by someone who is not a moderator waits for review before anyone else sees it.
    premoderated: Mapped[bool] = mapped_column(Boolean, default=False)
    # The group's own house rules, shown to a member before their first post here (with the site's).
    rules_source: Mapped[str] = mapped_column(Text, default="")
    rules_html: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=100)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Counters kept by the services in the same transaction (UPDATE ... SET n = n + 1), so list pages
    # never count rows.
    thread_count: Mapped[int] = mapped_column(Integer, default=0)
    post_count: Mapped[int] = mapped_column(Integer, default=0)
    member_count: Mapped[int] = mapped_column(Integer, default=0)
    last_activity_at: Mapped[datetime | None] = mapped_column()

    created_by: Mapped[User | None] = relationship(User)

    __table_args__ = (Index("ix_groups_position_name", "position", "name"),)


class Membership(db.Model):
    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default=MemberRole.MEMBER)
    status: Mapped[str] = mapped_column(String(20), default=MemberStatus.ACTIVE)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    group: Mapped[Group] = relationship(Group)
    user: Mapped[User] = relationship(User)

    __table_args__ = (
        UniqueConstraint("group_id", "user_id", name="uq_memberships_group_user"),
        Index("ix_memberships_group_status", "group_id", "status"),
    )

    @property
    def is_active(self) -> bool:
        return self.status == MemberStatus.ACTIVE
