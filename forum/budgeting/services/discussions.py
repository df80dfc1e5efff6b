"""Threads that discuss proposals: reading them for a proposal's page (only those the viewer may read), the
proposals behind a list of threads (for the thread page and thread lists), starting a discussion already
linked to a proposal, and linking or unlinking existing threads."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from forum.budgeting.models import Area, Budget, Pot, Proposal, ProposalThread
from forum.common.converters import parse_id
from forum.common.errors import NotFound, PermissionDenied, ValidationFailed
from forum.extensions import db
from forum.groups import permissions
from forum.groups.models import Group, Membership, MemberStatus
from forum.threads import services as thread_services
from forum.threads.models import Thread, Visibility
from forum.threads.services import TITLE_MAX

THREADS_ON_PROPOSAL_PAGE = 50
CHOOSE_A_GROUP = "Choose a group you can post in"


def readable_threads(proposal: Proposal, user: Any, limit: int = THREADS_ON_PROPOSAL_PAGE) -> list[Thread]:
    """The shown threads linked to ``proposal`` in groups ``user`` may read, latest activity first (one query).

    A thread held or hidden by moderation is left out, for everyone: the proposal page is a list like any other.
    """
    query = (
        select(Thread)
        .join(ProposalThread, ProposalThread.thread_id == Thread.id)
        .join(Group, Thread.group_id == Group.id)
        .where(
            ProposalThread.proposal_id == proposal.id,
            Thread.state == Visibility.VISIBLE,
            permissions.readable_groups_clause(user),
        )
        .options(contains_eager(Thread.group), joinedload(Thread.author))
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


# What a thread page and thread lists show about the proposals a thread discusses


def proposals_for_threads(thread_ids: list[int]) -> list[tuple[int, Proposal]]:
    """(thread id, proposal) for every link of ``thread_ids``, each proposal with its pot, area and budget
    loaded: one query, whatever the number of threads or links."""
    if not thread_ids:
        return []
    query = (
        select(ProposalThread.thread_id, Proposal)
        .join(Proposal, Proposal.id == ProposalThread.proposal_id)
        .join(Pot, Pot.id == Proposal.pot_id)
        .join(Area, Area.id == Pot.area_id)
        .join(Budget, Budget.id == Pot.budget_id)
        .where(ProposalThread.thread_id.in_(thread_ids))
        .options(contains_eager(Proposal.pot).contains_eager(Pot.area),
                 contains_eager(Proposal.pot).contains_eager(Pot.budget))
        .order_by(ProposalThread.thread_id, ProposalThread.created_at, Proposal.id)
    )
    return [(thread_id, proposal) for thread_id, proposal in db.session.execute(query)]


# Starting a discussion and linking threads


def postable_groups(user: Any) -> list[Group]:
    """The groups ``user`` may start a thread in, in the order of the groups list (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    query = select(Group).order_by(Group.position, Group.name)
    if not user.is_site_moderator:
        query = query.join(Membership, Membership.group_id == Group.id).where(
            Membership.user_id == user.id, Membership.status == MemberStatus.ACTIVE)
    return list(db.session.scalars(query))


def discussion_title(proposal: Proposal) -> str:
    """The title a new discussion starts with: "About: <proposal title>" (cut to a thread title's length)."""
    return f"About: {proposal.title}"[:TITLE_MAX]


def start_discussion(proposal: Proposal, user: Any, group_id: int | None, title: str, body: str,
                     tags: str = "") -> Thread:
    """Start a thread in a group ``user`` may post in, already linked to ``proposal``.

    The thread is started by the threads service (its checks and counters), then linked, in one unit of work;
    the group is checked first, so a refused group starts nothing.
    """
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Sign in to start a discussion")
    group = db.session.get(Group, group_id) if group_id else None
    if group is None or not permissions.can_post(group, user):
        raise ValidationFailed(CHOOSE_A_GROUP, field="group")
    thread = thread_services.start_thread(group, user, title, body, tags)
    db.session.add(ProposalThread(proposal_id=proposal.id, thread_id=thread.id, linked_by_id=user.id))
    db.session.flush()
    return thread


_THREAD_URL = re.compile(r"/threads/(\d{1,10})(?:/|$)")


def thread_from_reference(reference: str, user: Any) -> Thread:
    """A thread from its address (".../threads/42/title") or its number, if ``user`` may read it."""
    text = (reference or "").strip()
    if not text:
        raise ValidationFailed("Enter the thread's address or number", field="thread")
    match = _THREAD_URL.search(text)
    thread_id = parse_id(match.group(1) if match else text.lstrip("#"))
    thread = None
    if thread_id is not None:
        thread = db.session.scalar(select(Thread).where(Thread.id == thread_id)
                                   .options(joinedload(Thread.group)))
    if thread is None or not thread.is_visible or not permissions.can_read(thread.group, user):
        raise ValidationFailed("There is no thread at that address or number", field="thread")
    return thread


def can_link(thread: Thread, user: Any) -> bool:
    """Budget staff link any thread they can read to a proposal; a thread's author links their own thread."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.runs_budgets or thread.author_id == user.id)


def link_thread(proposal: Proposal, user: Any, reference: str) -> Thread:
    """Link an existing thread (by address or number) to ``proposal``."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Sign in to link a thread")
    thread = thread_from_reference(reference, user)
    if not can_link(thread, user):
        raise ValidationFailed("You can link only threads you started (staff can link any thread)", field="thread")
    linked = db.session.scalar(select(ProposalThread).where(ProposalThread.proposal_id == proposal.id,
                                                            ProposalThread.thread_id == thread.id))
    if linked is not None:
        raise ValidationFailed("That thread is already linked to this proposal", field="thread")
    db.session.add(ProposalThread(proposal_id=proposal.id, thread_id=thread.id, linked_by_id=user.id))
    db.session.flush()
    return thread


def unlink_thread(proposal: Proposal, user: Any, thread_id: int) -> None:
    """Remove a thread's link to ``proposal`` (budget staff only); the thread itself stays."""
    if not getattr(user, "runs_budgets", False):
        raise PermissionDenied("Only civil servants and administrators can unlink a thread")
    link = db.session.scalar(select(ProposalThread).where(ProposalThread.proposal_id == proposal.id,
                                                          ProposalThread.thread_id == thread_id))
    if link is None:
        raise NotFound("That thread is not linked to this proposal")
    db.session.delete(link)
    db.session.flush()
