"""Demo times that fit the story: threads spread over weeks, and each budget's events inside its phases.

The services stamp everything "now", which would show a proposal "proposed today" in a budget whose collecting
ended a month ago. After a budget is built, ``date_budget`` moves each event into the phase it belongs to:
proposals into collecting, reviews into review, ballots into voting, the count to when results opened and each
delivery update to its day. Times are spread with a fixed seed, so every seed gives the same demo.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, time, timedelta

from sqlalchemy import func, select, update

from forum.audit.models import Action, AuditEntry
from forum.budgeting.models import Ballot, Budget, DeliveryUpdate, Proposal, ProposalThread, Result
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.groups.models import Group
from forum.threads.models import Comment, Post, Thread


def spread(start: datetime, end: datetime, count: int, seed: int) -> list[datetime]:
    """``count`` moments between ``start`` and ``end``, in order, the same for the same seed."""
    chance = random.Random(seed)
    span = max((end - start).total_seconds(), 1)
    return sorted(start + timedelta(seconds=chance.uniform(0, span)) for _ in range(count))


def date_thread(thread: Thread, start: datetime, gap: timedelta = timedelta(hours=5)) -> None:
    """Date a thread's posts from ``start``, one every ``gap`` (comments with their post), and its counters."""
    posts = db.session.scalars(select(Post).where(Post.thread_id == thread.id).order_by(Post.number)).all()
    moment = start
    for post in posts:
        post.created_at = moment
        db.session.execute(update(Comment).where(Comment.post_id == post.id)
                           .values(created_at=moment + timedelta(minutes=40)))
        moment += gap
    thread.created_at = start
    thread.last_activity_at = moment - gap
    group = db.session.get(Group, thread.group_id)
    latest = db.session.scalar(select(func.max(Thread.last_activity_at)).where(Thread.group_id == group.id))
    group.last_activity_at = max(latest, thread.last_activity_at)


def _audit(action: str, item_type: str, ids: Sequence[int]) -> list[AuditEntry]:
    if not ids:
        return []
    return list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == action, AuditEntry.item_type == item_type,
                                 AuditEntry.item_id.in_(ids)).order_by(AuditEntry.id)))


def date_budget(budget: Budget, moves: Sequence[datetime], seed: int) -> None:
    """Put each of ``budget``'s events inside its phase; ``moves`` are the times of its phase moves, in order."""
    now = utcnow()
    collecting = budget.collecting_from or now - timedelta(days=60)
    review = budget.review_from or budget.voting_from or now
    voting_ends = min(budget.results_from or now, now) - timedelta(hours=2)
    budget.created_at = collecting - timedelta(days=10)
    for entry in _audit(Action.CREATE_BUDGET, "budget", [budget.id]):
        entry.created_at = budget.created_at
    for entry, moment in zip(_audit(Action.MOVE_PHASE, "budget", [budget.id]), moves, strict=False):
        entry.created_at = moment

    pot_ids = [pot.id for pot in budget.pots]
    proposals = db.session.scalars(select(Proposal).where(Proposal.pot_id.in_(pot_ids))
                                   .order_by(Proposal.id)).all()
    for proposal, moment in zip(proposals, spread(collecting + timedelta(days=1), review - timedelta(days=1),
                                                  len(proposals), seed), strict=True):
        proposal.created_at = moment
    reviewed = spread(review + timedelta(days=1), (budget.voting_from or review + timedelta(days=14))
                      - timedelta(days=1), len(proposals), seed + 1)
    by_proposal = dict(zip((p.id for p in proposals), reviewed, strict=True))
    for entry in _audit(Action.REVIEW_PROPOSAL, "proposal", list(by_proposal)):
        entry.created_at = by_proposal[entry.item_id]
    for proposal in proposals:
        if proposal.cost_revised_at is not None:
            proposal.cost_revised_at = by_proposal[proposal.id]
    db.session.execute(update(ProposalThread).where(ProposalThread.proposal_id.in_(by_proposal))
                       .values(created_at=review))

    if budget.voting_from is not None:
        ballots = db.session.scalars(select(Ballot).where(Ballot.pot_id.in_(pot_ids)).order_by(Ballot.id)).all()
        for ballot, moment in zip(ballots, spread(budget.voting_from + timedelta(hours=1), voting_ends,
                                                  len(ballots), seed + 2), strict=True):
            ballot.created_at = ballot.updated_at = moment
    if budget.results_from is not None and budget.results_from < now:
        db.session.execute(update(Result).where(Result.pot_id.in_(pot_ids)).values(computed_at=budget.results_from))
    updates = db.session.scalars(select(DeliveryUpdate).where(DeliveryUpdate.proposal_id.in_(by_proposal)))
    for delivery in updates:
        delivery.created_at = datetime.combine(delivery.happened_on, time(11, 0))


def date_after_commit() -> None:
    """Date what the jobs wrote at the seed's commit: the counts of published budgets (counted when their
    results opened) and each notification (at the time of what it tells of).

    A reply's notification takes the reply's time, a review's the review's, a phase move's the phase's start."""
    from forum.budgeting.count_models import PotCount
    from forum.notifications.models import Notification

    for budget in db.session.scalars(select(Budget).where(Budget.results_from < utcnow())):
        pot_ids = [pot.id for pot in budget.pots]
        db.session.execute(update(Result).where(Result.pot_id.in_(pot_ids)).values(computed_at=budget.results_from))
        db.session.execute(update(PotCount).where(PotCount.pot_id.in_(pot_ids)).values(
            queued_at=budget.results_from, started_at=budget.results_from, progress_at=budget.results_from,
            finished_at=budget.results_from))

    posted = dict(db.session.execute(select(Post.id, Post.created_at)).all())
    commented = dict(db.session.execute(select(Comment.id, Comment.created_at)).all())
    reviewed = dict(db.session.execute(
        select(AuditEntry.item_id, AuditEntry.created_at)
        .where(AuditEntry.action == Action.REVIEW_PROPOSAL, AuditEntry.item_type == "proposal")).all())
    budgets = {budget.id: budget for budget in db.session.scalars(select(Budget))}
    now = utcnow()
    for note in db.session.scalars(select(Notification)):
        when = None
        if note.comment_id is not None:
            when = commented.get(note.comment_id)
        elif note.post_id is not None:
            when = posted.get(note.post_id)
        elif note.budget_id in budgets:
            budget = budgets[note.budget_id]
            if note.proposal_id in reviewed and "funded" not in note.text:
                when = reviewed[note.proposal_id]
            else:
                phase = note.text.rsplit(" ", 1)[-1] if "now " in note.text else "results"
                when = getattr(budget, f"{phase}_from", None)
        if when is not None:
            note.created_at = min(when + timedelta(minutes=2), now)
