"""A budget's proposal list: filtered by pot, status and tag, in an order that depends on the phase, a page at a
time, in a fixed number of queries whatever the number of proposals.

The order. While the budget collects proposals, newest first. In review and voting, a random order fixed per
visitor, as Decidim does, so that no proposal gains from being listed first: each visitor holds a seed (kept in
their session by the view), and the database orders by a pseudo-random key computed from the seed and the
proposal's id, so every page of the list comes from the same order. The key is

    k1 = (id * a + b) mod P,   key = (k1 * k1 + c) mod P,   P = 2**31 - 1 (a prime)

with ``a``, ``b``, ``c`` drawn from the seed. Every intermediate value stays below 2**63, so the arithmetic is
exact in SQLite's and PostgreSQL's 64-bit integers and both give the same order; squaring breaks up the even
spacing an affine map alone leaves. Ties (rare) fall back to the id. With results, funded projects first, then
by votes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from sqlalchemy import BigInteger, case, cast, func, literal, null, select
from sqlalchemy.orm import contains_eager
from sqlalchemy.sql.elements import ColumnElement

from forum.budgeting.models import (
    Budget,
    Phase,
    Pot,
    Proposal,
    ProposalStatus,
    Result,
    ResultLine,
    proposal_tags,
)
from forum.common.errors import NotFound
from forum.common.pagination import Page
from forum.extensions import db
from forum.tags import services as tag_services
from forum.tags.models import Tag

PER_PAGE = 20
PRIME = 2**31 - 1
#: Shown when no status is chosen: everything but withdrawn proposals (which stay one tick away).
DEFAULT_STATUSES = tuple(s for s in ProposalStatus.ALL if s != ProposalStatus.WITHDRAWN)


class Order:
    NEWEST = "newest"
    RANDOM = "random"
    RESULT = "result"


def order_for(budget: Budget) -> str:
    if budget.phase in (Phase.REVIEW, Phase.VOTING):
        return Order.RANDOM
    if budget.phase in (Phase.RESULTS, Phase.DELIVERY):
        return Order.RESULT
    return Order.NEWEST


def new_seed() -> int:
    """A visitor's seed for the random order, to keep in their session."""
    return random.SystemRandom().randrange(1, PRIME)


def seed_parameters(seed: int) -> tuple[int, int, int]:
    """The multiplier (never 0) and two offsets a seed stands for."""
    rng = random.Random(seed)
    return rng.randrange(1, PRIME), rng.randrange(PRIME), rng.randrange(PRIME)


def random_key(proposal_id: int, seed: int) -> int:
    """The order key of a proposal for a seed, as the database computes it (for tests and documentation)."""
    a, b, c = seed_parameters(seed)
    k1 = (proposal_id * a + b) % PRIME
    return (k1 * k1 + c) % PRIME


def _random_key_sql(seed: int) -> ColumnElement[int]:
    a, b, c = (literal(n, BigInteger) for n in seed_parameters(seed))
    k1 = (cast(Proposal.id, BigInteger) * a + b) % PRIME
    return (k1 * k1 + c) % PRIME


@dataclass
class Filters:
    """What the visitor chose: pots (none is all), statuses (none is all but withdrawn) and one tag."""

    pot_ids: list[int] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    tag: str = ""

    @property
    def active(self) -> bool:
        return bool(self.pot_ids or self.statuses or self.tag)


@dataclass
class Listing:
    page: Page  # of Proposal, each with its pot and area loaded
    order: str
    tags: dict[int, list[Tag]]  # proposal id -> its tags, by name
    votes: dict[int, int]  # proposal id -> votes in the stored result (results and delivery only)


def clean_filters(budget: Budget, pot_ids: list[str], statuses: list[str], tag: str) -> Filters:
    """Filters from a query string: unknown pots and statuses are dropped, the tag normalised."""
    known_pots = {pot.id for pot in budget.pots}
    pots = sorted({int(p) for p in pot_ids if p.isascii() and p.isdigit() and int(p) in known_pots})
    chosen = [s for s in ProposalStatus.ALL if s in set(statuses)]
    return Filters(pots, chosen, tag_services.normalise(tag or "")[: tag_services.MAX_TAG_LENGTH])


def _filtered(budget: Budget, filters: Filters):
    query = (select(Proposal).join(Proposal.pot).join(Pot.area)
             .where(Pot.budget_id == budget.id, Proposal.status.in_(filters.statuses or DEFAULT_STATUSES)))
    if filters.pot_ids:
        query = query.where(Proposal.pot_id.in_(filters.pot_ids))
    if filters.tag:
        tagged = select(proposal_tags.c.proposal_id).join(Tag, Tag.id == proposal_tags.c.tag_id).where(
            Tag.name == filters.tag)
        query = query.where(Proposal.id.in_(tagged))
    return query


def list_proposals(budget: Budget, filters: Filters, number: int, seed: int, per_page: int = PER_PAGE) -> Listing:
    """One page of the budget's proposals (NotFound past the last page): three queries whatever the content."""
    query = _filtered(budget, filters)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    page = Page([], number, per_page, total)
    if number > page.pages:
        raise NotFound("No such page")
    order = order_for(budget)
    votes_column: ColumnElement = null()
    if order == Order.RESULT:
        query = (query.outerjoin(Result, Result.pot_id == Proposal.pot_id)
                 .outerjoin(ResultLine, (ResultLine.result_id == Result.id) & (ResultLine.proposal_id == Proposal.id)))
        funded_first = case((Proposal.status == ProposalStatus.SELECTED, 0),
                            (Proposal.status == ProposalStatus.NOT_SELECTED, 1), else_=2)
        query = query.order_by(funded_first, func.coalesce(ResultLine.votes, -1).desc(), Proposal.id)
        votes_column = ResultLine.votes
    elif order == Order.RANDOM:
        query = query.order_by(_random_key_sql(seed), Proposal.id)
    else:
        query = query.order_by(Proposal.created_at.desc(), Proposal.id.desc())
    query = (query.add_columns(votes_column).options(contains_eager(Proposal.pot).contains_eager(Pot.area))
             .offset((number - 1) * per_page).limit(per_page))
    rows = db.session.execute(query).all()
    page.items = [row[0] for row in rows]
    votes = {row[0].id: row[1] for row in rows if row[1] is not None}
    return Listing(page, order, tags_of([p.id for p in page.items]), votes)


def tags_of(proposal_ids: list[int]) -> dict[int, list[Tag]]:
    """The tags of many proposals in one query, each proposal's by name."""
    if not proposal_ids:
        return {}
    rows = db.session.execute(
        select(proposal_tags.c.proposal_id, Tag).join(Tag, Tag.id == proposal_tags.c.tag_id)
        .where(proposal_tags.c.proposal_id.in_(proposal_ids)).order_by(Tag.name)
    ).all()
    found: dict[int, list[Tag]] = {}
    for proposal_id, tag in rows:
        found.setdefault(proposal_id, []).append(tag)
    return found


def tag_names(budget: Budget) -> list[str]:
    """The tags the budget's proposals carry (withdrawn ones aside), for the tag filter: one query."""
    query = (select(Tag.name).distinct().join(proposal_tags, proposal_tags.c.tag_id == Tag.id)
             .join(Proposal, Proposal.id == proposal_tags.c.proposal_id).join(Pot, Pot.id == Proposal.pot_id)
             .where(Pot.budget_id == budget.id, Proposal.status != ProposalStatus.WITHDRAWN).order_by(Tag.name))
    return list(db.session.scalars(query))


def pots_with_areas(budget: Budget) -> list[Pot]:
    """The budget's pots with their areas loaded (one query), for the pot filter and the proposal form."""
    query = select(Pot).join(Pot.area).where(Pot.budget_id == budget.id).options(
        contains_eager(Pot.area)).order_by(Pot.id)
    return list(db.session.scalars(query))



def votes_for(proposal: Proposal) -> int | None:
    """The proposal's votes (points) in its pot's stored result, or None before there is one."""
    query = (select(ResultLine.votes).join(Result, Result.id == ResultLine.result_id)
             .where(Result.pot_id == proposal.pot_id, ResultLine.proposal_id == proposal.id))
    return db.session.scalar(query)
