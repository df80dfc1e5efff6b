"""What the tag pages show: tags with their counts, and a tag's threads and proposals, for one viewer.

What a viewer may see is decided where it always is: threads through ``threads.listings.shown_in_readable_groups``
(shown threads in groups the viewer may read: nothing held, hidden or private to others), proposals through
``budgeting.services.tagged`` (nothing withdrawn). The index is one query for its rows (threads and proposals as
one UNION ALL, counted per tag) and one for its total; a tag's page a fixed number whatever it lists.

No link leads to a 404. A tag is linked from pages a viewer can open: a shown thread (listed on the tag page), a
held or hidden thread its author or a moderator opens, and a proposal's page, withdrawn ones included. So a tag
with nothing listed for the viewer still has a page (200, saying why it is empty) when the viewer may open
something carrying it; for anyone else it is a 404, as a tag used only in a private group or only on someone
else's held thread is that content's, and its name is not told.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, exists, false, func, literal, or_, select, true, union_all
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from forum.budgeting.services import tagged as tagged_proposals
from forum.common.errors import NotFound
from forum.common.pagination import Page
from forum.extensions import db
from forum.groups import permissions
from forum.groups.models import Group
from forum.moderation.services import scope
from forum.tags.models import Tag
from forum.threads.listings import shown_in_readable_groups
from forum.threads.models import Thread, Visibility, thread_tags


@dataclass
class TagCount:
    """A tag and how many threads and proposals carrying it the viewer may see."""

    name: str
    threads: int
    proposals: int

    @property
    def count(self) -> int:
        return self.threads + self.proposals


@dataclass
class TagPage:
    tag: Tag
    threads: Page  # of Thread, with authors, last posters, groups and tags loaded
    proposals: Page  # of Proposal, with pot and budget loaded
    has_feed: bool  # the tag's Atom feed exists (a public thread carries it)

    @property
    def empty(self) -> bool:
        return not self.threads.total and not self.proposals.total


def _paginate(stmt: Any, number: int, per_page: int) -> Page:
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    page = Page(items=[], number=number, per_page=per_page, total=total)
    if number > page.pages:
        raise NotFound("There is no such page.")
    page.items = list(db.session.execute(stmt.limit(per_page).offset((number - 1) * per_page)))
    return page


def tag_index(viewer: Any, number: int, per_page: int) -> Page:
    """Every tag on something the viewer may see, most used first (then by name), unused tags left out."""
    threads = shown_in_readable_groups(
        select(thread_tags.c.tag_id.label("tag_id"), literal(1).label("thread"), literal(0).label("proposal"))
        .join(Thread, Thread.id == thread_tags.c.thread_id),
        viewer,
    )
    proposals = tagged_proposals.tag_rows(viewer).subquery()
    proposal_rows = select(proposals.c.tag_id, literal(0).label("thread"), literal(1).label("proposal"))
    rows = union_all(threads, proposal_rows).subquery()
    n_threads, n_proposals = func.sum(rows.c.thread), func.sum(rows.c.proposal)
    stmt = (
        select(Tag.name, n_threads, n_proposals)
        .join(rows, rows.c.tag_id == Tag.id)
        .group_by(Tag.id, Tag.name)
        .order_by((n_threads + n_proposals).desc(), Tag.name)
    )
    page = _paginate(stmt, number, per_page)
    page.items = [TagCount(name=name, threads=int(t), proposals=int(p)) for name, t, p in page.items]
    return page


def _tagged(tag: Tag) -> ColumnElement[bool]:
    return Thread.id.in_(select(thread_tags.c.thread_id).where(thread_tags.c.tag_id == tag.id))


def _thread_page(tag: Tag, viewer: Any, number: int, per_page: int) -> Page:
    stmt = (
        shown_in_readable_groups(select(Thread), viewer)
        .where(_tagged(tag))
        .options(joinedload(Thread.author), joinedload(Thread.last_post_author), selectinload(Thread.tags),
                 contains_eager(Thread.group))
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
    )
    page = _paginate(stmt, number, per_page)
    page.items = [row[0] for row in page.items]
    return page


def _opened_by(viewer: Any) -> ColumnElement[bool]:
    """A WHERE clause on ``Thread`` (joined with ``Group``): the threads whose page ``viewer`` may open, held and
    hidden ones included for their author and the group's moderators (as ``threads.queries.readable_thread``)."""
    moderated = scope.moderated_group_ids(viewer)
    if moderated is None:
        return true()
    author = Thread.author_id == viewer.id if getattr(viewer, "is_authenticated", False) else false()
    return permissions.readable_groups_clause(viewer) & or_(
        Thread.state == Visibility.VISIBLE, author, Thread.group_id.in_(moderated or [-1]))


def _known_to(tag: Tag, viewer: Any) -> bool:
    """Whether the viewer may open a page that shows the tag: a thread they may open, or any proposal."""
    on_thread = exists(select(Thread.id).join(Group, Group.id == Thread.group_id)
                       .where(_tagged(tag), _opened_by(viewer)))
    return bool(db.session.scalar(select(or_(on_thread, tagged_proposals.on_any_proposal(tag.id)))))


def _has_public_thread(tag: Tag) -> ColumnElement[bool]:
    return exists(shown_in_readable_groups(select(Thread.id), None).where(_tagged(tag)))


def tag_page(name: str, viewer: Any, thread_number: int, proposal_number: int, per_page: int) -> TagPage:
    """The tag's threads and proposals the viewer may see, each list paged on its own. NotFound for a tag that
    does not exist, and for one the viewer could not have seen anywhere (see the module docstring)."""
    tag = db.session.scalar(select(Tag).where(Tag.name == name)) if name else None
    if tag is None:
        raise NotFound("No such tag.")
    threads = _thread_page(tag, viewer, thread_number, per_page)
    proposals = tagged_proposals.tagged_page(tag.id, viewer, proposal_number, per_page)
    found = TagPage(tag=tag, threads=threads, proposals=proposals, has_feed=False)
    if found.empty and not _known_to(tag, viewer):
        raise NotFound("No such tag.")
    anonymous = not getattr(viewer, "is_authenticated", False)
    found.has_feed = bool(threads.total) if anonymous else bool(db.session.scalar(select(_has_public_thread(tag))))
    return found
