"""Atom 1.0 documents (RFC 4287) of what anyone may read, built with ElementTree (which escapes everything).

Feeds are read by programs without a session, so each is built for an anonymous reader whoever asks:
only public groups (``permissions.readable_groups_clause(None)``), only visible threads, and only posts that
are visible and not withdrawn. A private group's feed, or a thread's in one, is a 404 like the page would be for
an outsider; so is a held or hidden thread's. Each feed costs a fixed number of queries (entries with their
authors joined, tags in one ``selectin`` query) and holds at most ``FEED_ENTRIES`` entries. Entry ids are
``tag:`` URIs (RFC 4151), which stay the same when a post moves to another page of its thread.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, request, url_for
from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from forum.common.errors import NotFound
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.groups import permissions
from forum.groups.models import Group
from forum.tags.models import Tag
from forum.threads import listings
from forum.threads.models import Post, Thread, Visibility, thread_tags
from forum.threads.queries import page_of_post

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_ENTRIES_DEFAULT = 30
TAG_DATE_DEFAULT = "2026"
ET.register_namespace("", ATOM_NS)

# Characters XML 1.0 cannot carry at all (control characters other than tab, newline and carriage return).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class Entry:
    id: str
    title: str
    updated: datetime
    published: datetime
    author: str
    link: str
    content_html: str
    categories: list[str] = field(default_factory=list)


@dataclass
class Feed:
    id: str
    title: str
    subtitle: str
    self_url: str
    page_url: str
    entries: list[Entry]


def _limit() -> int:
    return int(current_app.config.get("FEED_ENTRIES", FEED_ENTRIES_DEFAULT))


def tag_uri(kind: str, item_id: int) -> str:
    """A permanent id: ``tag:forum.example.org,2026:post/42`` (the authority is the host without its port)."""
    authority = current_app.config.get("FEED_TAG_AUTHORITY") or request.host.split(":")[0]
    date = current_app.config.get("FEED_TAG_DATE", TAG_DATE_DEFAULT)
    return f"tag:{authority},{date}:{kind}/{item_id}"


def _stamp(moment: datetime) -> str:
    """RFC 3339 in UTC (stored datetimes are naive UTC)."""
    return moment.replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
    element.text = _NOT_XML.sub("", text)
    return element


def render(feed: Feed) -> bytes:
    """The feed as an Atom 1.0 document in UTF-8."""
    root = ET.Element(f"{{{ATOM_NS}}}feed", {"xml:base": url_for("home.index", _external=True)})
    _text(root, "id", feed.id)
    _text(root, "title", feed.title)
    _text(root, "subtitle", feed.subtitle)
    updated = max((entry.updated for entry in feed.entries), default=None) or utcnow()
    _text(root, "updated", _stamp(updated))
    ET.SubElement(root, f"{{{ATOM_NS}}}link", {"rel": "self", "type": "application/atom+xml", "href": feed.self_url})
    ET.SubElement(root, f"{{{ATOM_NS}}}link", {"rel": "alternate", "type": "text/html", "href": feed.page_url})
    _text(root, "generator", current_app.config.get("SITE_NAME", "Forum"))
    for entry in feed.entries:
        element = ET.SubElement(root, f"{{{ATOM_NS}}}entry")
        _text(element, "id", entry.id)
        _text(element, "title", entry.title)
        _text(element, "updated", _stamp(entry.updated))
        _text(element, "published", _stamp(entry.published))
        author = ET.SubElement(element, f"{{{ATOM_NS}}}author")
        _text(author, "name", entry.author)
        ET.SubElement(element, f"{{{ATOM_NS}}}link", {"rel": "alternate", "type": "text/html", "href": entry.link})
        for name in entry.categories:
            ET.SubElement(element, f"{{{ATOM_NS}}}category", {"term": _NOT_XML.sub("", name)})
        _text(element, "content", entry.content_html, type="html")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


# Threads: the site, a group, a tag


def _public_threads() -> Select:
    """Shown threads in public groups with their opening post, if that post is shown too (not withdrawn)."""
    stmt = select(Thread, Post).join(Post, (Post.thread_id == Thread.id) & (Post.number == 1))
    return (
        listings.shown_in_readable_groups(stmt, None)
        .where(Post.state == Visibility.VISIBLE, Post.withdrawn_at.is_(None))
        .options(contains_eager(Thread.group), joinedload(Thread.author), selectinload(Thread.tags))
        .order_by(Thread.id.desc())
        .limit(_limit())
    )


def _thread_entries(stmt: Select) -> list[Entry]:
    entries = []
    for thread, opening in db.session.execute(stmt):
        entries.append(Entry(
            id=tag_uri("thread", thread.id),
            title=thread.title,
            updated=opening.edited_at or thread.created_at,
            published=thread.created_at,
            author=thread.author.display_name,
            link=url_for("threads.show", thread_id=thread.id, slug=thread.slug, _external=True),
            content_html=opening.body_html,
            categories=[tag.name for tag in thread.tags],
        ))
    return entries


def site_feed() -> bytes:
    site = current_app.config.get("SITE_NAME", "Forum")
    return render(Feed(
        id=url_for("feeds.site", _external=True),
        title=f"{site}: latest threads",
        subtitle="New threads in the forum's public groups.",
        self_url=url_for("feeds.site", _external=True),
        page_url=url_for("home.index", _external=True),
        entries=_thread_entries(_public_threads()),
    ))


def group_feed(slug: str) -> bytes:
    group = db.session.scalar(select(Group).where(Group.slug == slug))
    if group is None or not permissions.can_read(group, None):
        raise NotFound("No such group.")
    self_url = url_for("feeds.group", slug=group.slug, _external=True)
    return render(Feed(
        id=self_url,
        title=f"{group.name}: latest threads",
        subtitle=f"New threads in the group {group.name}.",
        self_url=self_url,
        page_url=url_for("threads.group", slug=group.slug, _external=True),
        entries=_thread_entries(_public_threads().where(Thread.group_id == group.id)),
    ))


def tag_feed(name: str) -> bytes:
    """A tag seen on no public thread has no feed (a tag used only in private groups is their content)."""
    tag = db.session.scalar(select(Tag).where(Tag.name == name)) if name else None
    if tag is None:
        raise NotFound("No such tag.")
    tagged = select(thread_tags.c.thread_id).where(thread_tags.c.tag_id == tag.id)
    entries = _thread_entries(_public_threads().where(Thread.id.in_(tagged)))
    if not entries:
        raise NotFound("No such tag.")
    self_url = url_for("feeds.tag", name=tag.name, _external=True)
    return render(Feed(
        id=self_url,
        title=f"Threads tagged {tag.name}",
        subtitle=f"New threads tagged {tag.name} in the forum's public groups.",
        self_url=self_url,
        page_url=url_for("tags.show", name=tag.name, _external=True),
        entries=entries,
    ))


# A thread's posts


def thread_feed(thread_id: int) -> bytes:
    """The thread's latest shown posts, newest first; a thread anonymous readers cannot see has no feed."""
    thread = db.session.scalar(
        select(Thread).options(contains_eager(Thread.group)).join(Group, Group.id == Thread.group_id)
        .where(Thread.id == thread_id, Thread.state == Visibility.VISIBLE, permissions.readable_groups_clause(None))
    )
    if thread is None:
        raise NotFound("No such thread.")
    posts = db.session.scalars(
        select(Post).options(joinedload(Post.author))
        .where(Post.thread_id == thread.id, Post.state == Visibility.VISIBLE, Post.withdrawn_at.is_(None))
        .order_by(Post.number.desc())
        .limit(_limit())
    )
    per_page = current_app.config["POSTS_PER_PAGE"]
    entries = []
    for post in posts:
        page = page_of_post(post.number, per_page)
        entries.append(Entry(
            id=tag_uri("post", post.id),
            title=thread.title if post.number == 1 else f"Re: {thread.title} (post {post.number})",
            updated=post.edited_at or post.created_at,
            published=post.created_at,
            author=post.author.display_name,
            link=url_for("threads.show", thread_id=thread.id, slug=thread.slug, page=page if page > 1 else None,
                         _anchor=f"post-{post.number}", _external=True),
            content_html=post.body_html,
        ))
    self_url = url_for("feeds.thread", thread_id=thread.id, _external=True)
    return render(Feed(
        id=self_url,
        title=f"{thread.title}: latest posts",
        subtitle=f"The latest posts in the thread {thread.title}, in the group {thread.group.name}.",
        self_url=self_url,
        page_url=url_for("threads.show", thread_id=thread.id, slug=thread.slug, _external=True),
        entries=entries,
    ))
