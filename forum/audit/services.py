"""Writing the audit log. ``record`` adds the entry to the caller's transaction; it never commits."""

from __future__ import annotations

from typing import Any

from forum.audit.models import AuditEntry
from forum.extensions import db


def record(
    actor: Any,
    action: str,
    *,
    item_type: str | None = None,
    item_id: int | None = None,
    group_id: int | None = None,
    subject_id: int | None = None,
    reason: str = "",
    summary: str = "",
) -> AuditEntry:
    """Add an audit entry for ``action`` by ``actor`` (None: the forum itself) to the current transaction."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        item_type=item_type,
        item_id=item_id,
        group_id=group_id,
        subject_id=subject_id,
        reason=reason or "",
        summary=(summary or "")[:300],
    )
    db.session.add(entry)
    return entry
