"""The moderation queue: what waits in the groups a person moderates, each item with its context.

The order is by harm, then age: each pending row ranks by the most harmful reason among its open flags, or by
``FlagReason.HELD_HARM`` when it is held, whichever is higher (``harm_rank``, worked out by the database in the
same query as the rows), then oldest first (``updated_at``, then id, so the order is total and pages never
overlap or skip).

A page of the queue costs the same number of queries however many items it shows: the rows with their groups
and authors, the posts, the comments, the open flags with their flaggers, each author's history (hidden items
and warnings) and earlier actions on the items, each one query.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select
from sqlalchemy.orm import joinedload

from forum.audit.models import AuditEntry
from forum.common.errors import NotFound, PermissionDenied
from forum.common.pagination import Page
from forum.extensions import db
from forum.groups.models import MemberRole, Membership, MemberStatus
from forum.moderation.models import Flag, FlagReason, ItemType, ModeratorWarning, ReviewItem, ReviewStatus
from forum.moderation.services import scope
from forum.moderation.services.items import Item, load_items
from forum.threads.models import Comment, Post, Visibility

EARLIER_ACTIONS = 5

#: What the queue can be narrowed to (its ``kind`` filter): items with open flags, or items held for approval.
FLAGGED, HELD = "flagged", "held"
KINDS = {FLAGGED: "Flagged", HELD: "Held for approval"}


@dataclass
class AuthorHistory:
    hidden: int = 0
    warnings: int = 0


@dataclass
class QueueEntry:
    review: ReviewItem
    item: Item
    flags: list[Flag] = field(default_factory=list)
    history: AuthorHistory = field(default_factory=AuthorHistory)
    earlier: list[AuditEntry] = field(default_factory=list)

    @property
    def key(self) -> str:
        """How bulk forms name the item: "post-12", "comment-3"."""
        return f"{self.review.item_type}-{self.review.item_id}"

    @property
    def reasons(self) -> Counter:
        return Counter(flag.reason_label for flag in self.flags)


def _scoped(stmt: Any, user: Any, group_id: int | None) -> Any:
    groups = scope.moderated_group_ids(user)
    if groups is not None and not groups:
        raise PermissionDenied("Only moderators can see the moderation queue.")
    if groups is not None:
        stmt = stmt.where(ReviewItem.group_id.in_(groups))
    if group_id is not None:
        stmt = stmt.where(ReviewItem.group_id == group_id)
    return stmt


def pending_count(user: Any) -> int:
    """How many items wait for this moderator (0 for anyone who moderates nothing)."""
    if not scope.moderates_anything(user):
        return 0
    stmt = select(func.count(ReviewItem.id)).where(ReviewItem.status == ReviewStatus.PENDING)
    return db.session.scalar(_scoped(stmt, user, None)) or 0


def nav_count(user: Any) -> int | None:
    """For the header: None for someone who moderates nothing, else how many items wait for them, in one query
    (a group moderator's groups and their count together); none at all for anonymous visitors."""
    if not getattr(user, "is_authenticated", False):
        return None
    pending = select(func.count(ReviewItem.id)).where(ReviewItem.status == ReviewStatus.PENDING)
    if user.is_site_moderator:
        return db.session.scalar(pending) or 0
    mine = select(Membership.group_id).where(
        Membership.user_id == user.id, Membership.role == MemberRole.MODERATOR,
        Membership.status == MemberStatus.ACTIVE,
    )
    row = db.session.execute(select(
        select(func.count()).select_from(mine.subquery()).scalar_subquery(),
        pending.where(ReviewItem.group_id.in_(mine)).scalar_subquery(),
    )).one()
    return None if not row[0] else int(row[1] or 0)


def harm_rank() -> ColumnElement[int]:
    """A pending row's harm (see ``FlagReason.HARM``): the worst reason among its open flags, or
    ``FlagReason.HELD_HARM`` if it is held and that is worse; -1 for neither. A correlated subquery that the
    flags' unique (item_type, item_id, flagger_id) index answers."""
    flag_harm = case(FlagReason.HARM, value=Flag.reason, else_=FlagReason.HARM[FlagReason.OTHER])
    worst_flag = func.coalesce(
        select(func.max(flag_harm))
        .where(Flag.item_type == ReviewItem.item_type, Flag.item_id == ReviewItem.item_id, Flag.outcome.is_(None))
        .correlate(ReviewItem).scalar_subquery(),
        -1,
    )
    held = case((ReviewItem.held.is_(True), literal(FlagReason.HELD_HARM)), else_=literal(-1))
    return case((worst_flag >= held, worst_flag), else_=held)


def _queue_order(harm: Any) -> tuple[Any, ...]:
    return harm.desc(), ReviewItem.updated_at, ReviewItem.id


def _pending(user: Any, group_id: int | None = None, kind: str | None = None) -> Any:
    stmt = _scoped(select(ReviewItem).where(ReviewItem.status == ReviewStatus.PENDING), user, group_id)
    if kind == FLAGGED:
        stmt = stmt.where(ReviewItem.open_flags > 0)
    elif kind == HELD:
        stmt = stmt.where(ReviewItem.held.is_(True))
    return stmt


def queue_page(user: Any, number: int, per_page: int, group_id: int | None = None,
               kind: str | None = None) -> Page:
    """Pending items, most harmful first and then oldest first (``kind``, one of ``KINDS``, narrows it), with
    everything the queue shows."""
    stmt = _pending(user, group_id, kind)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = Page(items=[], number=number, per_page=per_page, total=total)
    if number > page.pages:
        raise NotFound("There is no such page of the queue.")
    rows = list(
        db.session.scalars(
            stmt.options(joinedload(ReviewItem.group), joinedload(ReviewItem.author))
            .order_by(*_queue_order(harm_rank()))
            .limit(per_page)
            .offset((number - 1) * per_page)
        )
    )
    page.items = entries_for(rows)
    return page


@dataclass(frozen=True)
class Place:
    """Where a pending item stands in the queue's order: its harm, then its age."""

    harm: int
    updated_at: Any
    id: int


def place_of(item: Item) -> Place | None:
    """The item's place in the queue (read before a decision changes it), or None if nothing waits on it."""
    harm = harm_rank()
    row = db.session.execute(
        select(harm, ReviewItem.updated_at, ReviewItem.id)
        .where(ReviewItem.item_type == item.kind, ReviewItem.item_id == item.id,
               ReviewItem.status == ReviewStatus.PENDING)
    ).first()
    return Place(int(row[0]), row[1], row[2]) if row is not None else None


def next_after(user: Any, place: Place | None) -> tuple[str, int] | None:
    """The item a moderator goes on to after deciding on the one at ``place``: the first pending item after it
    in the queue's order, else the first one left (an item skipped earlier), else None. One query."""
    if not scope.moderates_anything(user):
        return None
    harm = harm_rank()
    stmt = _pending(user).with_only_columns(ReviewItem.item_type, ReviewItem.item_id)
    if place is not None:
        later = or_(
            harm < place.harm,
            and_(harm == place.harm, or_(ReviewItem.updated_at > place.updated_at,
                                         and_(ReviewItem.updated_at == place.updated_at, ReviewItem.id > place.id))),
        )
        # Later items first, then the rest from the top: one ordered query instead of two.
        stmt = stmt.where(ReviewItem.id != place.id).order_by(case((later, 0), else_=1), *_queue_order(harm))
    else:
        stmt = stmt.order_by(*_queue_order(harm))
    row = db.session.execute(stmt.limit(1)).first()
    return (row[0], row[1]) if row is not None else None


def entries_for(rows: list[ReviewItem]) -> list[QueueEntry]:
    """Queue entries for these rows, their context loaded in a fixed number of queries."""
    keys = [(r.item_type, r.item_id) for r in rows]
    items = load_items(keys)
    entries = [QueueEntry(review=r, item=items[(r.item_type, r.item_id)]) for r in rows
               if (r.item_type, r.item_id) in items]
    if not entries:
        return []
    by_key = {(e.review.item_type, e.review.item_id): e for e in entries}
    for flag in db.session.scalars(
        select(Flag).options(joinedload(Flag.flagger)).where(Flag.outcome.is_(None), _items_clause(Flag, keys))
        .order_by(Flag.created_at)
    ):
        by_key[(flag.item_type, flag.item_id)].flags.append(flag)
    for entry in db.session.scalars(
        select(AuditEntry).options(joinedload(AuditEntry.actor)).where(_items_clause(AuditEntry, keys))
        .order_by(AuditEntry.created_at.desc())
    ):
        earlier = by_key[(entry.item_type, entry.item_id)].earlier
        if len(earlier) < EARLIER_ACTIONS:
            earlier.append(entry)
    histories = author_histories({e.review.author_id for e in entries})
    for entry in entries:
        entry.history = histories.get(entry.review.author_id, AuthorHistory())
    return entries


def _items_clause(model: Any, keys: list[tuple[str, int]]) -> Any:
    posts = [i for k, i in keys if k == ItemType.POST] or [-1]
    comments = [i for k, i in keys if k == ItemType.COMMENT] or [-1]
    return or_(
        (model.item_type == ItemType.POST) & model.item_id.in_(posts),
        (model.item_type == ItemType.COMMENT) & model.item_id.in_(comments),
    )


def author_histories(author_ids: set[int]) -> dict[int, AuthorHistory]:
    """For each author: how many of their posts and comments are hidden, and how many warnings they have had."""
    ids = sorted(author_ids) or [-1]
    found: dict[int, AuthorHistory] = {}
    hidden_posts = (
        select(Post.author_id.label("author_id"), func.count(Post.id).label("n"))
        .where(Post.author_id.in_(ids), Post.state == Visibility.HIDDEN).group_by(Post.author_id)
    )
    hidden_comments = (
        select(Comment.author_id.label("author_id"), func.count(Comment.id).label("n"))
        .where(Comment.author_id.in_(ids), Comment.state == Visibility.HIDDEN).group_by(Comment.author_id)
    )
    union = hidden_posts.union_all(hidden_comments).subquery()
    for row in db.session.execute(select(union.c.author_id, func.sum(union.c.n)).group_by(union.c.author_id)):
        found.setdefault(row[0], AuthorHistory()).hidden = int(row[1])
    for row in db.session.execute(
        select(ModeratorWarning.user_id, func.count(ModeratorWarning.id))
        .where(ModeratorWarning.user_id.in_(ids)).group_by(ModeratorWarning.user_id)
    ):
        found.setdefault(row[0], AuthorHistory()).warnings = int(row[1])
    return found


def entry_for(item: Item) -> QueueEntry | None:
    """The pending queue entry for one item (for the item's review page), or None."""
    row = db.session.scalar(
        select(ReviewItem).options(joinedload(ReviewItem.group), joinedload(ReviewItem.author))
        .where(ReviewItem.item_type == item.kind, ReviewItem.item_id == item.id,
               ReviewItem.status == ReviewStatus.PENDING)
    )
    entries = entries_for([row]) if row is not None else []
    return entries[0] if entries else None


@dataclass
class ItemContext:
    """Everything the item's review page shows: its pending queue row if any, every flag it has had (open
    ones first), its author's history and the earlier actions on it."""

    item: Item
    review: ReviewItem | None
    flags: list[Flag]
    history: AuthorHistory
    earlier: list[AuditEntry]

    @property
    def open_flags(self) -> list[Flag]:
        return [f for f in self.flags if f.outcome is None]


ITEM_HISTORY = 20


def item_context(item: Item) -> ItemContext:
    """The review page's context for one item (five queries)."""
    keys = [(item.kind, item.id)]
    review = db.session.scalar(
        select(ReviewItem).where(ReviewItem.item_type == item.kind, ReviewItem.item_id == item.id,
                                 ReviewItem.status == ReviewStatus.PENDING)
    )
    flags = list(db.session.scalars(
        select(Flag).options(joinedload(Flag.flagger)).where(_items_clause(Flag, keys))
        .order_by(Flag.outcome.is_not(None), Flag.created_at.desc(), Flag.id.desc())
    ))
    earlier = list(db.session.scalars(
        select(AuditEntry).options(joinedload(AuditEntry.actor)).where(_items_clause(AuditEntry, keys))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(ITEM_HISTORY)
    ))
    history = author_histories({item.author_id}).get(item.author_id, AuthorHistory())
    return ItemContext(item=item, review=review, flags=flags, history=history, earlier=earlier)
