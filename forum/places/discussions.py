"""Deliberation tied to money: threads that discuss a line of the count. "Discuss this" starts a thread already
linked to the line; a thread's author (or budget staff) links an existing one. The area page lists each line's
discussions the reader may see; the thread page shows the line's figures (a ``forum.threads.links`` provider).

Starting and linking reuse the proposal discussions' rules (``forum.budgeting.services.discussions``): the groups
a person may post in, a thread found by address or number, who may link it. Hidden, held and private threads
never show, as in every list.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from forum.budgeting.models import Area
from forum.budgeting.services import discussions as proposal_discussions
from forum.common.errors import PermissionDenied, ValidationFailed
from forum.extensions import db
from forum.groups import permissions
from forum.groups.models import Group
from forum.places import purposes
from forum.places.models import LineThread, SpendingLine, financial_year
from forum.threads import services as thread_services
from forum.threads.models import Thread, Visibility
from forum.threads.services import TITLE_MAX

THREADS_PER_LINE = 5


def line_or_none(line_id: int) -> SpendingLine | None:
    return db.session.scalar(select(SpendingLine).where(SpendingLine.id == line_id)
                             .join(Area).options(contains_eager(SpendingLine.area)))


def discussion_title(line: SpendingLine) -> str:
    """ "About: Hospital care for residents in Northfield, 2025-26" (cut to a thread title's length)."""
    return f"About: {line.description} in {line.area.name}, {financial_year(line.year)}"[:TITLE_MAX]


def start_discussion(line: SpendingLine, user: Any, group_id: int | None, title: str, body: str,
                     tags: str = "") -> Thread:
    """Start a thread in a group ``user`` may post in, already linked to ``line`` (one unit of work)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Sign in to start a discussion")
    group = db.session.get(Group, group_id) if group_id else None
    if group is None or not permissions.can_post(group, user):
        raise ValidationFailed(proposal_discussions.CHOOSE_A_GROUP, field="group")
    thread = thread_services.start_thread(group, user, title, body, tags)
    db.session.add(LineThread(line_id=line.id, thread_id=thread.id, linked_by_id=user.id))
    db.session.flush()
    return thread


def link_thread(line: SpendingLine, user: Any, reference: str) -> Thread:
    """Link an existing thread (by address or number) to ``line``: its author, or budget staff."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Sign in to link a thread")
    thread = proposal_discussions.thread_from_reference(reference, user)
    if not proposal_discussions.can_link(thread, user):
        raise ValidationFailed("You can link only threads you started (staff can link any thread)", field="thread")
    if db.session.get(LineThread, (line.id, thread.id)) is not None:
        raise ValidationFailed("That thread is already linked to this line", field="thread")
    db.session.add(LineThread(line_id=line.id, thread_id=thread.id, linked_by_id=user.id))
    db.session.flush()
    return thread


def threads_for_lines(line_ids: list[int], user: Any) -> dict[int, list[Thread]]:
    """The shown threads discussing each of ``line_ids`` that ``user`` may read, latest activity first, at most
    ``THREADS_PER_LINE`` a line: one query for a page of lines."""
    if not line_ids:
        return {}
    query = (
        select(LineThread.line_id, Thread)
        .join(Thread, Thread.id == LineThread.thread_id)
        .join(Group, Thread.group_id == Group.id)
        .where(LineThread.line_id.in_(line_ids), Thread.state == Visibility.VISIBLE,
               permissions.readable_groups_clause(user))
        .options(contains_eager(Thread.group))
        .order_by(LineThread.line_id, Thread.last_activity_at.desc(), Thread.id.desc())
    )
    found: dict[int, list[Thread]] = defaultdict(list)
    for line_id, thread in db.session.execute(query):
        if len(found[line_id]) < THREADS_PER_LINE:
            found[line_id].append(thread)
    return dict(found)


def lines_for_threads(thread_ids: list[int]) -> list[tuple[int, SpendingLine, int]]:
    """(thread id, line, the line's area's total that year in pence) for every link of ``thread_ids``: two
    queries, whatever the number of threads or links."""
    if not thread_ids:
        return []
    rows = db.session.execute(
        select(LineThread.thread_id, SpendingLine).join(SpendingLine, SpendingLine.id == LineThread.line_id)
        .join(Area, Area.id == SpendingLine.area_id).options(contains_eager(SpendingLine.area))
        .where(LineThread.thread_id.in_(thread_ids)).order_by(LineThread.thread_id, LineThread.created_at)
    ).all()
    pairs = {(line.area_id, line.year) for _thread_id, line in rows}
    totals: dict[tuple[int, int], int] = {}
    if pairs:
        totals = {(area_id, year): int(total or 0) for area_id, year, total in db.session.execute(
            select(SpendingLine.area_id, SpendingLine.year, func.sum(SpendingLine.amount_pence))
            .where(SpendingLine.area_id.in_({a for a, _ in pairs}), SpendingLine.year.in_({y for _, y in pairs}))
            .group_by(SpendingLine.area_id, SpendingLine.year))}
    return [(thread_id, line, totals.get((line.area_id, line.year), 0)) for thread_id, line in rows]


def purpose_name(line: SpendingLine) -> str:
    return purposes.PURPOSES[line.purpose].name
