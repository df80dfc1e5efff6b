"""Flags, the review queue and warnings.

Items are named by kind and id ("post", 12) rather than by a foreign key per kind: a thread is flagged and
moderated through its opening post, so the kinds are posts and comments. The queue holds one row per item,
reopened when it is flagged again after a decision, so a moderator sees an item once with all its flags.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.groups.models import Group


class ItemType:
    POST = "post"
    COMMENT = "comment"
    ALL = (POST, COMMENT)


class FlagReason:
    OFF_TOPIC = "off_topic"
    INAPPROPRIATE = "inappropriate"
    SPAM = "spam"
    PERSONAL_INFORMATION = "personal_information"
    OTHER = "other"

    LABELS = {
        OFF_TOPIC: "It is off-topic",
        INAPPROPRIATE: "It is inappropriate (rude, abusive or hateful)",
        SPAM: "It is spam or advertising",
        PERSONAL_INFORMATION: "It shares someone's personal information",
        OTHER: "Something else",
    }
    SHORT = {
        OFF_TOPIC: "Off-topic",
        INAPPROPRIATE: "Inappropriate",
        SPAM: "Spam",
        PERSONAL_INFORMATION: "Personal information",
        OTHER: "Other",
    }
    #: How much harm each reason may do while it waits, which orders the queue (highest first; then oldest
    #: first). Someone's personal information out in public can hurt a person in the real world within hours,
    #: so it comes first; abuse and hate ("inappropriate") next; "something else" then, because the flagger
    #: had to write what is wrong and it may be serious (a threat, something illegal); spam and off-topic posts
    #: waste readers' time but hurt nobody, so they wait longest. Held posts sit between (``HELD_HARM``).
    HARM = {
        PERSONAL_INFORMATION: 50,
        INAPPROPRIATE: 40,
        OTHER: 30,
        SPAM: 10,
        OFF_TOPIC: 0,
    }
    #: A post held for pre-moderation (no flag): a person waits to be heard, so it comes after every flag that
    #: may hurt someone but before spam and off-topic flags. A held item that is also flagged ranks by the
    #: higher of the two.
    HELD_HARM = 20


class Outcome:
    """What became of a flag or a queue item; flaggers see these words on their flags page."""

    UPHELD = "upheld"  # the item was hidden
    DISMISSED = "dismissed"  # the item was kept
    APPROVED = "approved"  # a held item was published

    LABELS = {
        UPHELD: "A moderator agreed and hid it",
        DISMISSED: "A moderator reviewed it and kept it",
        APPROVED: "Approved and published",
    }


class ReviewStatus:
    PENDING = "pending"
    RESOLVED = "resolved"


class _AboutAnItem:
    """A row about one post or comment, named by kind and id (see the module docstring); its
    columns come first in the table."""

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-1)
    item_type: Mapped[str] = mapped_column(String(10), sort_order=-1)
    item_id: Mapped[int] = mapped_column(Integer, sort_order=-1)


class Flag(_AboutAnItem, db.Model):
    __tablename__ = "flags"

    flagger_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str | None] = mapped_column(String(20))
    resolved_at: Mapped[datetime | None] = mapped_column()

    flagger: Mapped[User] = relationship(User)

    __table_args__ = (
        UniqueConstraint("item_type", "item_id", "flagger_id", name="uq_flags_item_flagger"),
        Index("ix_flags_flagger_created", "flagger_id", "created_at"),
    )

    @property
    def reason_label(self) -> str:
        return FlagReason.SHORT.get(self.reason, self.reason)

    @property
    def outcome_label(self) -> str:
        return Outcome.LABELS.get(self.outcome or "", "Waiting for a moderator")


class ReviewItem(_AboutAnItem, db.Model):
    """An item waiting for (or once given) a moderator's decision."""

    __tablename__ = "review_items"

    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(10), default=ReviewStatus.PENDING)
    # Held for pre-moderation (rather than, or as well as, flagged).
    held: Mapped[bool] = mapped_column(Boolean, default=False)
    # Flags not yet decided on.
    open_flags: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column()
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str | None] = mapped_column(String(20))

    group: Mapped[Group] = relationship(Group)
    author: Mapped[User] = relationship(User, foreign_keys=[author_id])
    resolved_by: Mapped[User | None] = relationship(User, foreign_keys=[resolved_by_id])

    __table_args__ = (
        UniqueConstraint("item_type", "item_id", name="uq_review_items_item"),
        Index("ix_review_items_queue", "status", "group_id", "updated_at"),
        Index("ix_review_items_status_updated", "status", "updated_at"),
    )


class ModeratorWarning(db.Model):
    """A moderator's formal warning to a person, shown on their account page."""

    __tablename__ = "warnings"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    moderator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(User, foreign_keys=[user_id])
    moderator: Mapped[User] = relationship(User, foreign_keys=[moderator_id])
    group: Mapped[Group | None] = relationship(Group)

    __table_args__ = (Index("ix_warnings_user_created", "user_id", "created_at"),)
