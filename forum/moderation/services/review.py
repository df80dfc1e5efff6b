"""The queue's rows: one per item, opened when an item is flagged or held, closed by a moderator's decision.

Held items arrive through ``threads.signals.content_held`` (sent inside the posting transaction), so the
threads domain never imports moderation: ``connect_signals`` subscribes, called once by the app factory
(``forum.moderation.routes.init_app``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from forum.common import database
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.moderation.models import Flag, ItemType, ReviewItem, ReviewStatus
from forum.moderation.services import notices
from forum.threads import signals
from forum.threads.models import Comment


def open_review(item_type: str, item_id: int, group_id: int, thread_id: int, author_id: int,
                held: bool = False) -> ReviewItem:
    """The item's queue row, created or reopened, and locked for the rest of the transaction.

    ``INSERT ... ON CONFLICT DO NOTHING`` then ``SELECT ... FOR UPDATE``: two people flagging at once share one
    row instead of one of them failing on the unique constraint.
    """
    now = utcnow()
    db.session.execute(
        database.insert(ReviewItem)
        .values(
            item_type=item_type, item_id=item_id, group_id=group_id, thread_id=thread_id, author_id=author_id,
            status=ReviewStatus.PENDING, held=held, open_flags=0, created_at=now, updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["item_type", "item_id"])
    )
    review = db.session.scalars(
        select(ReviewItem)
        .where(ReviewItem.item_type == item_type, ReviewItem.item_id == item_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if review.status != ReviewStatus.PENDING:
        review.status, review.outcome = ReviewStatus.PENDING, None
        review.resolved_at, review.resolved_by_id = None, None
        review.held = False
        review.open_flags = 0
    review.held = review.held or held
    review.updated_at = now
    return review


def pending_review(item_type: str, item_id: int) -> ReviewItem | None:
    return db.session.scalar(
        select(ReviewItem).where(
            ReviewItem.item_type == item_type, ReviewItem.item_id == item_id, ReviewItem.status == ReviewStatus.PENDING
        )
    )


def close_review(item_type: str, item_id: int, actor: Any, outcome: str, flag_outcome: str) -> int:
    """Close the item's queue row with ``outcome`` and give its open flags ``flag_outcome``; returns the
    number of flags decided (their flaggers see the outcome on their flags page)."""
    now = utcnow()
    notices.flags_decided(item_type, item_id, actor, flag_outcome)  # notifications (issue 11), before they close
    db.session.execute(
        update(ReviewItem)
        .where(ReviewItem.item_type == item_type, ReviewItem.item_id == item_id,
               ReviewItem.status == ReviewStatus.PENDING)
        .values(status=ReviewStatus.RESOLVED, outcome=outcome, resolved_at=now,
                resolved_by_id=getattr(actor, "id", None), held=False, open_flags=0)
    )
    result = db.session.execute(
        update(Flag)
        .where(Flag.item_type == item_type, Flag.item_id == item_id, Flag.outcome.is_(None))
        .values(outcome=flag_outcome, resolved_at=now)
    )
    return result.rowcount or 0


def _queue_held(sender: Any, group_id: int, thread_id: int, resubmitted: bool = False, **_: Any) -> None:
    kind = ItemType.COMMENT if isinstance(sender, Comment) else ItemType.POST
    open_review(kind, sender.id, group_id, thread_id, sender.author_id, held=True)


def connect_signals() -> None:
    """Queue what threads hold for review. Connecting again (each app the tests build calls it) changes nothing:
    blinker keeps one connection per receiver function."""
    signals.content_held.connect(_queue_held)
