"""Export and deletion of one person's data. Services change and ``flush()``; the edge commits."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from forum.accounts import services as accounts
from forum.accounts.models import User
from forum.audit import services as audit
from forum.budgeting.models import Ballot, BallotChoice, Budget, Phase, Pot, Proposal
from forum.common.errors import PermissionDenied, ValidationFailed
from forum.extensions import db
from forum.groups import services as groups
from forum.groups.models import Membership
from forum.mail.models import MailStatus, OutboxMessage
from forum.moderation.models import Flag
from forum.notifications import services as notifications
from forum.notifications.models import Notification, Preference, Watch
from forum.threads.models import Bookmark, Comment, Post, PostReaction, PostRevision, Thread, ThreadRead

#: The audit log's action for a deleted account (its label: ``LABEL``).
DELETE_ACCOUNT = "delete_account"
LABEL = "Deleted their account"
EXPORT_FORMAT = 1


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


# Export ----------------------------------------------------------------------------------------------------------


def export_filename(user: User) -> str:
    return f"forum-data-{user.handle}.json"


def export_for(user: User) -> dict[str, Any]:
    """Everything ``user`` wrote and their settings, as plain JSON values (one query per kind of row)."""
    return {
        "format": EXPORT_FORMAT,
        "profile": {
            "id": user.id, "display_name": user.display_name, "handle": user.handle, "email": user.email,
            "bio": user.bio_source, "created": _when(user.created_at),
        },
        "settings": {
            "role": str(user.role), "organisation": user.organisation, "bio": user.bio_source,
            "created": _when(user.created_at), "suspended_until": _when(user.suspended_until),
        },
        "threads": _threads(user),
        "posts": _posts(user),
        "comments": _comments(user),
        "memberships": _memberships(user),
        "flags": _flags(user),
        "ballots": _ballots(user),
        "proposals": _proposals(user),
        "reactions": [{"post_id": r.post_id, "created": _when(r.created_at)}
                      for r in db.session.scalars(select(PostReaction).where(PostReaction.user_id == user.id)
                                                  .order_by(PostReaction.id))],
        "bookmarks": [{"thread_id": b.thread_id, "post_id": b.post_id, "created": _when(b.created_at)}
                      for b in db.session.scalars(select(Bookmark).where(Bookmark.user_id == user.id)
                                                  .order_by(Bookmark.id))],
        "notification_settings": {
            "email": notifications.preferences_of(user),
            "watching": [{"thread_id": w.thread_id, "group_id": w.group_id, "level": str(w.level)}
                         for w in db.session.scalars(select(Watch).where(Watch.user_id == user.id).order_by(Watch.id))],
        },
        "notifications": [{"kind": n.kind, "text": n.text, "created": _when(n.created_at), "read": _when(n.read_at)}
                          for n in db.session.scalars(select(Notification).where(Notification.recipient_id == user.id)
                                                      .order_by(Notification.id))],
    }


def _threads(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(select(Thread).where(Thread.author_id == user.id).options(joinedload(Thread.group))
                              .order_by(Thread.id))
    return [{"id": t.id, "title": t.title, "group": t.group.name, "created": _when(t.created_at), "state": t.state}
            for t in rows]


def _posts(user: User) -> list[dict[str, Any]]:
    posts = list(db.session.scalars(select(Post).where(Post.author_id == user.id)
                                    .options(joinedload(Post.thread)).order_by(Post.id)))
    revisions: dict[int, list[dict[str, Any]]] = {}
    if posts:
        query = (select(PostRevision).where(PostRevision.post_id.in_([p.id for p in posts]))
                 .order_by(PostRevision.post_id, PostRevision.number))
        for revision in db.session.scalars(query):
            revisions.setdefault(revision.post_id, []).append({
                "number": revision.number, "title": revision.title, "text": revision.body_source,
                "created": _when(revision.created_at),
            })
    return [{
        "id": p.id, "thread_id": p.thread_id, "thread_title": p.thread.title, "number": p.number,
        "text": p.body_source, "created": _when(p.created_at), "edited": _when(p.edited_at),
        "withdrawn": _when(p.withdrawn_at), "state": p.state, "revisions": revisions.get(p.id, []),
    } for p in posts]


def _comments(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(select(Comment).where(Comment.author_id == user.id).order_by(Comment.id))
    return [{"id": c.id, "post_id": c.post_id, "text": c.body_source, "created": _when(c.created_at),
             "withdrawn": _when(c.withdrawn_at), "state": c.state} for c in rows]


def _memberships(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(select(Membership).where(Membership.user_id == user.id)
                              .options(joinedload(Membership.group)).order_by(Membership.id))
    return [{"group": m.group.name, "group_slug": m.group.slug, "role": str(m.role), "status": str(m.status),
             "joined": _when(m.created_at)} for m in rows]


def _flags(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(select(Flag).where(Flag.flagger_id == user.id).order_by(Flag.id))
    return [{"item_type": f.item_type, "item_id": f.item_id, "reason": f.reason, "note": f.note,
             "created": _when(f.created_at), "outcome": f.outcome, "resolved": _when(f.resolved_at)} for f in rows]


def _ballots(user: User) -> list[dict[str, Any]]:
    ballots = list(db.session.scalars(
        select(Ballot).where(Ballot.voter_id == user.id)
        .options(joinedload(Ballot.pot).joinedload(Pot.budget)).order_by(Ballot.id)
    ))
    choices: dict[int, list[dict[str, Any]]] = {}
    if ballots:
        query = (select(BallotChoice.ballot_id, BallotChoice.points, BallotChoice.rank, Proposal.id, Proposal.title)
                 .join(Proposal, Proposal.id == BallotChoice.proposal_id)
                 .where(BallotChoice.ballot_id.in_([b.id for b in ballots]))
                 .order_by(BallotChoice.ballot_id, BallotChoice.rank, Proposal.id))
        for ballot_id, points, rank, proposal_id, title in db.session.execute(query):  # rank: ranked ballots only
            choices.setdefault(ballot_id, []).append({"proposal_id": proposal_id, "proposal": title, "points": points,
                                                      "rank": rank})
    return [{"budget": b.pot.budget.title, "pot": b.pot.title, "channel": b.channel, "cast": _when(b.created_at),
             "changed": _when(b.updated_at), "choices": choices.get(b.id, [])} for b in ballots]


def _proposals(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(select(Proposal).where(Proposal.author_id == user.id)
                              .options(joinedload(Proposal.pot).joinedload(Pot.budget)).order_by(Proposal.id))
    return [{"id": p.id, "budget": p.pot.budget.title, "pot": p.pot.title, "title": p.title,
             "description": p.description_source, "cost_pence": p.cost_pence, "location": p.location,
             "status": p.status, "created": _when(p.created_at)} for p in rows]


# Deletion --------------------------------------------------------------------------------------------------------


def check_may_delete(user: User) -> None:
    """Refuse to delete the last administrator's account (nobody could then grant roles)."""
    if accounts.is_last_admin(user):
        raise PermissionDenied("You are the only administrator. Make someone else an administrator before you "
                               "delete your account.")


def delete_account(user: User, password: str) -> None:
    """Delete ``user``'s account after checking their password.

    Their posts, comments, threads and proposals stay where they are, credited to "A former member"; ballots in
    budgets still voting are withdrawn (those already counted stay, anonymous); memberships, reactions,
    bookmarks, notifications, watches, email settings and unsent email go; flags stay with the moderators'
    decisions. The account keeps no personal detail and cannot sign in again (every session ends with it). The
    audit log records that an account was deleted, no more.
    """
    if user.deleted_at is not None:
        raise ValidationFailed("This account has already been deleted", field="password")
    accounts.check_current_password(user, password, field="password")
    check_may_delete(user)
    withdraw_open_ballots(user)
    for membership in list(db.session.scalars(select(Membership).where(Membership.user_id == user.id)
                                              .options(joinedload(Membership.group)))):
        groups.leave(membership.group.slug, user)
    db.session.execute(delete(PostReaction).where(PostReaction.user_id == user.id))
    db.session.execute(delete(Bookmark).where(Bookmark.user_id == user.id))
    db.session.execute(delete(ThreadRead).where(ThreadRead.user_id == user.id))  # what they read, and when
    for model, column in ((Notification, Notification.recipient_id), (Watch, Watch.user_id),
                          (Preference, Preference.user_id)):
        db.session.execute(delete(model).where(column == user.id))
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.user_id == user.id,
                                                   OutboxMessage.status == MailStatus.PENDING))
    accounts.anonymise(user)
    audit.record(user, DELETE_ACCOUNT, item_type="user", item_id=user.id, subject_id=user.id,
                 summary="Account deleted by its owner")


def withdraw_open_ballots(user: User) -> int:
    """Remove ``user``'s ballots in budgets whose voting is open; returns how many."""
    open_ballots = list(db.session.scalars(
        select(Ballot.id).join(Pot, Pot.id == Ballot.pot_id).join(Budget, Budget.id == Pot.budget_id)
        .where(Ballot.voter_id == user.id, Budget.phase == Phase.VOTING)
    ))
    if open_ballots:
        db.session.execute(delete(BallotChoice).where(BallotChoice.ballot_id.in_(open_ballots)))
        db.session.execute(delete(Ballot).where(Ballot.id.in_(open_ballots)))
    return len(open_ballots)
