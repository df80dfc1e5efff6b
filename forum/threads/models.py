"""Threads, posts, post revisions and comments.

A thread's opening text is its first post (number 1), as in Discourse, so editing, quoting, revisions and
withdrawal work the same for the opening post and every reply. Posts are numbered within their thread, so a
page of posts is an index range, not an OFFSET scan.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.groups.models import Group
from forum.tags.models import Tag


class Visibility(enum.StrEnum):
    """Whether a thread, post or comment is shown (issue 5). Nothing is ever deleted by moderation.

    ``HELD`` waits for a moderator (pre-moderation): its author sees "awaiting review", nobody else sees it.
    ``HIDDEN`` was hidden by a moderator, or automatically once enough people flagged it: its author sees the
    reason and may edit it to resubmit it; nobody else sees it. Moderators of the group see everything.
    A thread's state is its opening post's state, copied onto the thread so lists filter on one column.
    The values are what the ``state`` columns hold; templates compare with the Jinja global ``Visibility``.
    """

    VISIBLE = "visible"
    HELD = "held"
    HIDDEN = "hidden"


class _Moderated:
    """A thread, post or comment: shown to everyone only while its moderation ``state`` is visible."""

    @property
    def is_visible(self) -> bool:
        return self.state == Visibility.VISIBLE


class _Withdrawable(_Moderated):
    """A post or comment, which its author may also withdraw (it stays in place as a placeholder)."""

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_shown(self) -> bool:
        """Whether everyone who can read the thread sees it (a post then counts in reply and group counts)."""
        return self.is_visible and not self.is_withdrawn


thread_tags = Table(
    "thread_tags",
    db.metadata,
    Column("thread_id", ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Thread(_Moderated, db.Model):
    __tablename__ = "threads"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_post_author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Every post ever made in the thread, the opening one included; the next post's number is this plus one.
    post_count: Mapped[int] = mapped_column(Integer, default=0)
    # Replies everyone may see (visible, not withdrawn): what lists show as the reply count.
    visible_reply_count: Mapped[int] = mapped_column(Integer, default=0)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(10), default=Visibility.VISIBLE)

    group: Mapped[Group] = relationship(Group)
    author: Mapped[User] = relationship(User, foreign_keys=[author_id])
    last_post_author: Mapped[User | None] = relationship(User, foreign_keys=[last_post_author_id])
    tags: Mapped[list[Tag]] = relationship(Tag, secondary=thread_tags, order_by=Tag.name)

    __table_args__ = (
        Index("ix_threads_group_listing", "group_id", "state", "pinned", "last_activity_at"),
        Index("ix_threads_state_last_activity", "state", "last_activity_at"),
    )

    @property
    def reply_count(self) -> int:
        return self.visible_reply_count


class Post(_Withdrawable, db.Model):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column()
    revision_count: Mapped[int] = mapped_column(Integer, default=1)
    withdrawn_at: Mapped[datetime | None] = mapped_column()
    quoted_post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(10), default=Visibility.VISIBLE)
    # The moderator's reason for hiding, shown to the author.
    hidden_reason: Mapped[str | None] = mapped_column(Text)

    thread: Mapped[Thread] = relationship(Thread)
    author: Mapped[User] = relationship(User)

    __table_args__ = (
        UniqueConstraint("thread_id", "number", name="uq_posts_thread_number"),
        Index("ix_posts_author_created", "author_id", "created_at"),
        Index("ix_posts_author_state", "author_id", "state"),
    )


class PostRevision(db.Model):
    """An earlier or current text of a post; revision 1 is the text as first posted."""

    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(String(200))
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    editor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    editor: Mapped[User] = relationship(User)

    __table_args__ = (UniqueConstraint("post_id", "number", name="uq_post_revisions_post_number"),)


class Comment(_Withdrawable, db.Model):
    """A short remark under a post; comments do not nest further."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column()
    state: Mapped[str] = mapped_column(String(10), default=Visibility.VISIBLE)
    hidden_reason: Mapped[str | None] = mapped_column(Text)

    author: Mapped[User] = relationship(User)
    post: Mapped[Post] = relationship(Post)

    __table_args__ = (
        Index("ix_comments_post_created", "post_id", "created_at"),
        Index("ix_comments_author_state", "author_id", "state"),
    )


class PostReaction(db.Model):
    """One person agreeing with one post (issue 11): the only reaction there is, once per person per post."""

    __tablename__ = "post_reactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(User)

    __table_args__ = (
        UniqueConstraint("post_id", "user_id", name="uq_post_reactions_post_user"),
        Index("ix_post_reactions_post_created", "post_id", "created_at"),
    )


class Bookmark(db.Model):
    """A person's bookmark of a thread or of a post (exactly one of the two), listed on /bookmarks."""

    __tablename__ = "bookmarks"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    thread: Mapped[Thread | None] = relationship(Thread)
    post: Mapped[Post | None] = relationship(Post)

    __table_args__ = (
        UniqueConstraint("user_id", "thread_id", name="uq_bookmarks_user_thread"),
        UniqueConstraint("user_id", "post_id", name="uq_bookmarks_user_post"),
        Index("ix_bookmarks_user_created", "user_id", "created_at"),
        CheckConstraint("(thread_id IS NULL) <> (post_id IS NULL)", name="one_target"),
    )


class ThreadRead(db.Model):
    """How far a signed-in person has read a thread: the highest post number on any page of it they opened.

    Lists link such a reader to the first post after it that everyone can see ("3 new posts"); a page view only
    ever moves the mark forward, and only writes when it does.
    """

    __tablename__ = "thread_reads"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True,
                                           index=True)
    last_read_post_number: Mapped[int] = mapped_column(Integer)
    read_at: Mapped[datetime] = mapped_column(default=utcnow)
