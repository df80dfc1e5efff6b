"""One row per moderation or admin action."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.common.timefmt import utcnow
from forum.extensions import db


class Action:
    """What was done. Labels are what the audit log shows and filters by."""

    APPROVE = "approve"
    HIDE = "hide"
    AUTO_HIDE = "auto_hide"
    RESTORE = "restore"
    DISMISS_FLAGS = "dismiss_flags"
    LOCK = "lock"
    UNLOCK = "unlock"
    PIN = "pin"
    UNPIN = "unpin"
    MOVE = "move"
    RETAG = "retag"
    WARN = "warn"
    SUSPEND = "suspend"
    LIFT_SUSPENSION = "lift_suspension"
    SET_ROLE = "set_role"
    APPOINT = "appoint"
    CREATE_GROUP = "create_group"
    EDIT_GROUP = "edit_group"
    APPROVE_MEMBER = "approve_member"
    REJECT_MEMBER = "reject_member"
    ADD_MEMBER = "add_member"
    CREATE_BUDGET = "create_budget"
    MOVE_PHASE = "move_phase"
    REVIEW_PROPOSAL = "review_proposal"
    VERIFY_RESIDENT = "verify_resident"
    REVOKE_VERIFICATION = "revoke_verification"
    MAKE_CODES = "make_codes"

    LABELS = {
        APPROVE: "Approved",
        HIDE: "Hid",
        AUTO_HIDE: "Hidden automatically by flags",
        RESTORE: "Restored",
        DISMISS_FLAGS: "Dismissed flags",
        LOCK: "Locked thread",
        UNLOCK: "Unlocked thread",
        PIN: "Pinned thread",
        UNPIN: "Unpinned thread",
        MOVE: "Moved thread",
        RETAG: "Changed tags",
        WARN: "Warned",
        SUSPEND: "Suspended",
        LIFT_SUSPENSION: "Lifted suspension",
        SET_ROLE: "Changed site role",
        APPOINT: "Changed group role",
        CREATE_GROUP: "Created group",
        EDIT_GROUP: "Edited group",
        APPROVE_MEMBER: "Approved request to join",
        REJECT_MEMBER: "Rejected request to join",
        ADD_MEMBER: "Added member",
        CREATE_BUDGET: "Created budget",
        MOVE_PHASE: "Moved budget to another phase",
        REVIEW_PROPOSAL: "Reviewed proposal",
        VERIFY_RESIDENT: "Verified resident",
        REVOKE_VERIFICATION: "Revoked resident verification",
        MAKE_CODES: "Made verification codes",
    }


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # None when the forum acted by itself (an item hidden because enough people flagged it).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(30))
    # The item acted on: "thread", "post", "comment", "user", "group", "budget", "proposal" or "area", and its id.
    item_type: Mapped[str | None] = mapped_column(String(20))
    item_id: Mapped[int | None] = mapped_column(Integer)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    # The person the action concerned (an item's author, the person warned or suspended).
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    # What changed, in words ("Moved from Housing to Transport", "Role: resident -> moderator").
    summary: Mapped[str] = mapped_column(String(300), default="")

    actor = relationship("User", foreign_keys=[actor_id])
    subject = relationship("User", foreign_keys=[subject_id])
    group = relationship("Group")

    __table_args__ = (
        Index("ix_audit_created", "created_at"),
        Index("ix_audit_actor_created", "actor_id", "created_at"),
        Index("ix_audit_subject_created", "subject_id", "created_at"),
        Index("ix_audit_group_created", "group_id", "created_at"),
        Index("ix_audit_action_created", "action", "created_at"),
        Index("ix_audit_item", "item_type", "item_id"),
    )

    @property
    def action_label(self) -> str:
        return Action.LABELS.get(self.action, self.action)
