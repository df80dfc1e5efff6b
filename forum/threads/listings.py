"""Read-only queries behind the list pages: a group's threads, tags, the home page and profiles.

Every list is filtered by ``permissions.readable_groups_clause``, so private-group content never reaches a
page for someone who cannot read the group, and by ``Thread.state`` (and ``Post.state``), so content held or
hidden by moderation reaches no list, not even its author's or a moderator's (they find it in the queue).
Each query loads what its page shows in a fixed number of
statements (authors and last posters joined, tags in one ``selectin`` query), so a page with a hundred threads
costs the same number of queries as a page with five.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from forum.accounts.models import User
from forum.common.errors import NotFound
from forum.common.pagination import Page
from forum.common.text import slugify
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.groups import permissions
from forum.groups.models import Group, Membership, MemberStatus
from forum.tags import services as tag_services
from forum.tags.models import Tag
from forum.threads.models import Post, Thread, Visibility, thread_tags

HOME_LATEST = 10
PROFILE_RECENT_POSTS = 10
GROUP_TAGS = 30


@dataclass
class TagCount:
    """A tag and how many threads carrying it the viewer may see."""

    name: str
    count: int


def _paginate(stmt: Select, number: int, per_page: int, scalars: bool = True) -> Page:
    """One page of ``stmt``: a COUNT, then the rows. A page past the end is a 404 (page 1 always exists)."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    page = Page(items=[], number=number, per_page=per_page, total=total)
    if number > page.pages:
        raise NotFound("There is no such page.")
    paged = stmt.limit(per_page).offset((number - 1) * per_page)
    page.items = list(db.session.scalars(paged)) if scalars else list(db.session.execute(paged))
    return page


def _thread_list_options(with_group: bool = False) -> list[Any]:
    """Load everything a thread-list item shows without a query per thread."""
    options: list[Any] = [
        joinedload(Thread.author),
        joinedload(Thread.last_post_author),
        selectinload(Thread.tags),
    ]
    if with_group:
        options.append(contains_eager(Thread.group))
    return options


_SHOWN = Thread.state == Visibility.VISIBLE


def shown_in_readable_groups(stmt: Select, user: Any) -> Select:
    """``stmt`` (which selects or joins ``Thread``) narrowed to shown threads in groups ``user`` may read; it
    joins ``Group`` for the readability clause. Every list of threads or posts goes through here."""
    return stmt.join(Group, Group.id == Thread.group_id).where(permissions.readable_groups_clause(user), _SHOWN)


def _visible_threads(user: Any) -> Select:
    """Threads a thread list may show the viewer, with what the list prints loaded."""
    return shown_in_readable_groups(select(Thread), user).options(*_thread_list_options(with_group=True))


def _threads_tagged(name: str):
    return Thread.id.in_(
        select(thread_tags.c.thread_id).join(Tag, Tag.id == thread_tags.c.tag_id).where(Tag.name == name)
    )


# The group page


def group_threads(group: Group, number: int, per_page: int, tag: str | None = None) -> Page:
    """The group's threads: pinned first, then by latest activity, optionally only those with ``tag``."""
    stmt = (
        select(Thread)
        .where(Thread.group_id == group.id, _SHOWN)
        .options(*_thread_list_options())
        .order_by(Thread.pinned.desc(), Thread.last_activity_at.desc(), Thread.id.desc())
    )
    if tag:
        stmt = stmt.where(_threads_tagged(tag))
    return _paginate(stmt, number, per_page)


def group_tags(group: Group, limit: int = GROUP_TAGS) -> list[TagCount]:
    """The tags most used in the group, to filter its threads by (the group is readable: callers checked)."""
    count = func.count(Thread.id)
    stmt = (
        select(Tag.name, count.label("count"))
        .join(thread_tags, thread_tags.c.tag_id == Tag.id)
        .join(Thread, Thread.id == thread_tags.c.thread_id)
        .where(Thread.group_id == group.id, _SHOWN)
        .group_by(Tag.id, Tag.name)
        .order_by(count.desc(), Tag.name)
        .limit(limit)
    )
    return [TagCount(name=row.name, count=row.count) for row in db.session.execute(stmt)]


# Tags


def tag_counts(user: Any, number: int, per_page: int) -> Page:
    """Every tag with the number of threads the viewer may see, most used first; unused tags left out."""
    count = func.count(Thread.id)
    tagged = (
        select(Tag.name, count.label("count"))
        .join(thread_tags, thread_tags.c.tag_id == Tag.id)
        .join(Thread, Thread.id == thread_tags.c.thread_id)
    )
    stmt = shown_in_readable_groups(tagged, user).group_by(Tag.id, Tag.name).order_by(count.desc(), Tag.name)
    page = _paginate(stmt, number, per_page, scalars=False)
    page.items = [TagCount(name=row.name, count=row.count) for row in page.items]
    return page


def canonical_tag_name(name: str) -> str:
    """The normalised form of a tag name as written in a URL ("Civil%20Service" -> "civil service")."""
    return tag_services.normalise(name)


def get_tag(name: str) -> Tag:
    tag = db.session.scalar(select(Tag).where(Tag.name == name)) if name else None
    if tag is None:
        raise NotFound("No such tag.")
    return tag


def tag_threads(tag: Tag, user: Any, number: int, per_page: int) -> Page:
    """Threads carrying ``tag`` that the viewer may see, by latest activity.

    A tag the viewer sees on no thread is NotFound: a tag used only in a private group is that group's content.
    """
    stmt = (
        _visible_threads(user)
        .where(_threads_tagged(tag.name))
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
    )
    page = _paginate(stmt, number, per_page)
    if page.total == 0:
        raise NotFound("No such tag.")
    return page


# The home page


def home_groups(user: Any) -> list[Group]:
    """The groups the visitor may see, by position then name ("Make a bigger difference" has position 0)."""
    stmt = select(Group).where(permissions.readable_groups_clause(user)).order_by(Group.position, Group.name)
    return list(db.session.scalars(stmt))


def latest_threads(user: Any, limit: int = HOME_LATEST) -> list[Thread]:
    """The most recently active threads the visitor may see, with their groups and last posters."""
    stmt = _visible_threads(user).order_by(Thread.last_activity_at.desc(), Thread.id.desc()).limit(limit)
    return list(db.session.scalars(stmt))


# Profiles


def user_by_handle(handle: str) -> User:
    """The person with this handle, NotFound otherwise."""
    user = db.session.scalar(select(User).where(User.handle == handle))
    if user is None:
        raise NotFound("No such person.")
    return user


def canonical_handle(handle: str) -> str | None:
    """The handle a differently written address means ("Ann Smith" -> "ann-smith"), if someone has it."""
    folded = slugify(handle)
    if folded == handle:
        return None
    return db.session.scalar(select(User.handle).where(User.handle == folded))


def profile_groups(person: User, viewer: Any) -> list[Group]:
    """The groups the person actively belongs to that the viewer may see."""
    stmt = (
        select(Group)
        .join(Membership, Membership.group_id == Group.id)
        .where(
            Membership.user_id == person.id,
            Membership.status == MemberStatus.ACTIVE,
            permissions.readable_groups_clause(viewer),
        )
        .order_by(Group.position, Group.name)
    )
    return list(db.session.scalars(stmt))


def recent_posts(person: User, viewer: Any, limit: int = PROFILE_RECENT_POSTS) -> list[Post]:
    """The person's latest shown posts (not withdrawn, held or hidden) in shown threads the viewer may read."""
    stmt = (
        shown_in_readable_groups(select(Post).join(Thread, Thread.id == Post.thread_id), viewer)
        .where(Post.author_id == person.id, Post.withdrawn_at.is_(None), Post.state == Visibility.VISIBLE)
        .options(contains_eager(Post.thread).contains_eager(Thread.group))
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class GroupActivity:
    group: Group
    active_threads: int  # threads anyone can see that had a post or comment within the window


def my_groups_activity(user: Any, days: int = 7, limit: int = 8) -> list[GroupActivity]:
    """The groups ``user`` belongs to, most recently active first, each with its threads active lately (the home
    page for a signed-in person; two queries whatever the number of groups)."""
    since = utcnow() - timedelta(days=days)
    groups = list(db.session.scalars(
        select(Group).join(Membership, Membership.group_id == Group.id)
        .where(Membership.user_id == user.id, Membership.status == MemberStatus.ACTIVE)
        .order_by(Group.last_activity_at.desc().nulls_last(), Group.name).limit(limit)
    ))
    if not groups:
        return []
    counts = dict(db.session.execute(
        select(Thread.group_id, func.count()).where(
            Thread.group_id.in_([g.id for g in groups]), Thread.state == Visibility.VISIBLE,
            Thread.last_activity_at >= since,
        ).group_by(Thread.group_id)
    ).all())
    return [GroupActivity(group, counts.get(group.id, 0)) for group in groups]
