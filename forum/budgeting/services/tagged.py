"""Proposals by tag, for the one set of tag pages (``forum.tag_pages``): which proposals carrying a tag a viewer
may see, how many there are per tag, and one page of them.

Every budget and its proposals are public, so what a viewer may see does not depend on who they are today;
``viewer`` is taken anyway so that the tag pages ask here, and only here, if that ever changes. Withdrawn
proposals stay out: their authors took them back, so no list offers them (their own pages stay reachable).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.orm import contains_eager

from forum.budgeting.models import Budget, Pot, Proposal, ProposalStatus, proposal_tags
from forum.common.errors import NotFound
from forum.common.pagination import Page
from forum.extensions import db


def shown_to(viewer: Any) -> ColumnElement[bool]:
    """A WHERE clause on ``Proposal``: the proposals ``viewer`` may see in a list."""
    return Proposal.status != ProposalStatus.WITHDRAWN


def tag_rows(viewer: Any) -> Select:
    """(tag_id, proposal_id) for every tag on a proposal ``viewer`` may see: to count or union with threads."""
    return (select(proposal_tags.c.tag_id.label("tag_id"), proposal_tags.c.proposal_id.label("item_id"))
            .join(Proposal, Proposal.id == proposal_tags.c.proposal_id).where(shown_to(viewer)))


def tagged_page(tag_id: int, viewer: Any, number: int, per_page: int) -> Page:
    """The proposals carrying the tag that ``viewer`` may see, newest first, each with its pot and budget loaded
    (two queries). A page past the last is NotFound; page 1 always exists, empty or not."""
    tagged = select(proposal_tags.c.proposal_id).where(proposal_tags.c.tag_id == tag_id)
    stmt = select(Proposal).where(Proposal.id.in_(tagged), shown_to(viewer))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = Page(items=[], number=number, per_page=per_page, total=total)
    if number > page.pages:
        raise NotFound("There is no such page.")
    page.items = list(db.session.scalars(
        stmt.join(Pot, Pot.id == Proposal.pot_id).join(Budget, Budget.id == Pot.budget_id)
        .options(contains_eager(Proposal.pot).contains_eager(Pot.budget))
        .order_by(Proposal.created_at.desc(), Proposal.id.desc())
        .limit(per_page).offset((number - 1) * per_page)
    ))
    return page


def on_any_proposal(tag_id: int) -> ColumnElement[bool]:
    """Whether any proposal carries the tag, withdrawn ones included (their pages are public and show it)."""
    return exists(select(proposal_tags.c.proposal_id).where(proposal_tags.c.tag_id == tag_id))
