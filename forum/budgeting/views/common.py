"""What every budgeting page needs: loading a budget, pot or proposal (or a 404), the staff check, and the
visitor's random order of proposals."""

from __future__ import annotations

from flask import abort, session
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.accounts.models import Role
from forum.budgeting.models import Budget, Pot, Proposal
from forum.budgeting.services import proposal_listing
from forum.common.decorators import role_required
from forum.extensions import db

#: Civil servants and administrators run budgets: create them, review proposals, move phases, enter paper
#: ballots, verify residents and post delivery updates.
staff_required = role_required(*Role.BUDGET_STAFF)


def budget_or_404(slug: str) -> Budget:
    budget = db.session.scalar(select(Budget).where(Budget.slug == slug).options(joinedload(Budget.pots)))
    if budget is None:
        abort(404)
    return budget


def pot_or_404(pot_id: int) -> Pot:
    pot = db.session.scalar(
        select(Pot).where(Pot.id == pot_id).options(joinedload(Pot.budget), joinedload(Pot.area))
    )
    if pot is None:
        abort(404)
    return pot


def proposal_or_404(proposal_id: int) -> Proposal:
    query = select(Proposal).where(Proposal.id == proposal_id).options(
        joinedload(Proposal.pot).joinedload(Pot.budget), joinedload(Proposal.pot).joinedload(Pot.area),
        joinedload(Proposal.author),
    )
    proposal = db.session.scalar(query)
    if proposal is None:
        abort(404)
    return proposal



#: The session key of the visitor's seed for the random order of proposals (the list and the ballot share it).
ORDER_SEED = "budgeting_proposal_seed"


def visitor_seed() -> int:
    """The visitor's seed for the random order, set on their first visit and kept in their session, so the
    proposal list and the ballot show one order (no advantage for being listed first)."""
    seed = session.get(ORDER_SEED)
    if not isinstance(seed, int) or not 1 <= seed < proposal_listing.PRIME:
        seed = session[ORDER_SEED] = proposal_listing.new_seed()
    return seed
