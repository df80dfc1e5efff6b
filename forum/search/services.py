"""Keeping the index and searching it.

Upkeep is per item, inside the transaction that changed it (``index_post``, ``index_comment``,
``index_proposal``): a one-row upsert or delete is cheap, and the index is then never stale, nor ever shows
something hidden a moment ago. ``reindex_all`` rebuilds everything (the CLI command; a job can call it too).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import and_, delete, func, insert, or_, select
from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.budgeting.models import Budget, Pot, Proposal, ProposalStatus, proposal_tags
from forum.common.pagination import Page
from forum.extensions import db
from forum.groups.models import Group
from forum.groups.permissions import readable_groups_clause
from forum.search import backends
from forum.search.models import Kind, SearchDocument
from forum.tags.models import Tag
from forum.tags.services import normalise as normalise_tag
from forum.threads.models import Comment, Post, Thread, Visibility, thread_tags

PER_PAGE = 20
SNIPPET_WORDS = 40
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def text_of_html(body_html: str) -> str:
    """The plain text of stored, already sanitised HTML (the same words ``markup.plain_text`` gives, without
    rendering the Markdown again: a full re-index reads every post)."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", body_html))).strip()


# --- upkeep ----------------------------------------------------------------------------------------------------


def _post_shown(post: Post, thread: Thread) -> bool:
    return post.is_shown and thread.state == Visibility.VISIBLE


def _post_row(post: Post, thread: Thread) -> dict[str, Any]:
    return {"kind": Kind.POST, "object_id": post.id, "group_id": thread.group_id, "thread_id": thread.id,
            "post_number": post.number, "pot_id": None, "author_id": post.author_id,
            "title": thread.title if post.number == 1 else "", "body": text_of_html(post.body_html),
            "created_at": post.created_at}


def _comment_row(comment: Comment, post: Post, thread: Thread) -> dict[str, Any]:
    return {"kind": Kind.COMMENT, "object_id": comment.id, "group_id": thread.group_id, "thread_id": thread.id,
            "post_number": post.number, "pot_id": None, "author_id": comment.author_id, "title": "",
            "body": text_of_html(comment.body_html), "created_at": comment.created_at}


def _proposal_row(proposal: Proposal) -> dict[str, Any]:
    body = text_of_html(proposal.description_html)
    if proposal.location:
        body = f"{body} {proposal.location}".strip()
    return {"kind": Kind.PROPOSAL, "object_id": proposal.id, "group_id": None, "thread_id": None,
            "post_number": None, "pot_id": proposal.pot_id, "author_id": proposal.author_id,
            "title": proposal.title, "body": body, "created_at": proposal.created_at}


def _put(kind: Kind, object_id: int, row: dict[str, Any] | None) -> None:
    """Upsert the document, or delete it when ``row`` is None (the item is not shown to everyone)."""
    existing = db.session.scalar(
        select(SearchDocument).where(SearchDocument.kind == kind, SearchDocument.object_id == object_id)
    )
    if row is None:
        if existing is not None:
            db.session.delete(existing)
    elif existing is None:
        db.session.add(SearchDocument(**row))
    else:
        for key, value in row.items():
            setattr(existing, key, value)


def index_comment(comment: Comment) -> None:
    """Index the comment if it is shown under a shown post, else take it out."""
    post = comment.post
    shown = comment.is_shown and _post_shown(post, post.thread)
    _put(Kind.COMMENT, comment.id, _comment_row(comment, post, post.thread) if shown else None)
    db.session.flush()


def _index_post_only(post: Post, thread: Thread) -> None:
    _put(Kind.POST, post.id, _post_row(post, thread) if _post_shown(post, thread) else None)
    for comment in db.session.scalars(select(Comment).where(Comment.post_id == post.id)):
        shown = comment.is_shown and _post_shown(post, thread)
        _put(Kind.COMMENT, comment.id, _comment_row(comment, post, thread) if shown else None)


def index_post(post: Post) -> None:
    """Index the post and its comments. The opening post carries the thread's title and state, so a change to
    it re-indexes the whole thread (hiding an opening post hides every reply)."""
    thread = post.thread
    if post.number == 1:
        for each in db.session.scalars(select(Post).where(Post.thread_id == thread.id)):
            _index_post_only(each, thread)
    else:
        _index_post_only(post, thread)
    db.session.flush()


def index_proposal(proposal: Proposal) -> None:
    """Index a proposal (every proposal is public); a withdrawn one is taken out."""
    shown = proposal.status != ProposalStatus.WITHDRAWN
    _put(Kind.PROPOSAL, proposal.id, _proposal_row(proposal) if shown else None)
    db.session.flush()


def index_content(item: Post | Comment) -> None:
    """The ``content_changed`` signal's receiver: re-index one post or comment."""
    if isinstance(item, Post):
        index_post(item)
    elif isinstance(item, Comment):
        index_comment(item)


# --- the full re-index -----------------------------------------------------------------------------------------

BATCH = 500


def _shown_posts() -> Any:
    return (select(Post, Thread).join(Thread, Thread.id == Post.thread_id)
            .where(Post.state == Visibility.VISIBLE, Post.withdrawn_at.is_(None), Thread.state == Visibility.VISIBLE)
            .order_by(Post.id))


def _shown_comments() -> Any:
    return (select(Comment, Post, Thread).join(Post, Post.id == Comment.post_id)
            .join(Thread, Thread.id == Post.thread_id)
            .where(Comment.state == Visibility.VISIBLE, Comment.withdrawn_at.is_(None),
                   Post.state == Visibility.VISIBLE, Post.withdrawn_at.is_(None), Thread.state == Visibility.VISIBLE)
            .order_by(Comment.id))


def _shown_proposals() -> Any:
    return select(Proposal).where(Proposal.status != ProposalStatus.WITHDRAWN).order_by(Proposal.id)


def count_indexable() -> int:
    """How many items a full re-index writes (for the progress bar)."""
    return sum(db.session.scalar(select(func.count()).select_from(q.subquery())) or 0
               for q in (_shown_posts(), _shown_comments(), _shown_proposals()))


def _rows() -> Iterator[dict[str, Any]]:
    for post, thread in db.session.execute(_shown_posts().execution_options(yield_per=BATCH)):
        yield _post_row(post, thread)
    for comment, post, thread in db.session.execute(_shown_comments().execution_options(yield_per=BATCH)):
        yield _comment_row(comment, post, thread)
    for proposal in db.session.scalars(_shown_proposals().execution_options(yield_per=BATCH)):
        yield _proposal_row(proposal)


def _batches(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def reindex_all(progress: Callable[[int], None] | None = None) -> int:
    """Empty the index and write every shown item again; ``progress(n)`` after each batch of n. Returns the count."""
    db.session.execute(delete(SearchDocument))
    # Read everything first (a server-side cursor must not be open while writing on the same connection).
    rows = list(_rows())
    written = 0
    for batch in _batches(rows):
        db.session.execute(insert(SearchDocument), batch)
        written += len(batch)
        if progress is not None:
            progress(len(batch))
    db.session.flush()
    return written


# --- searching -------------------------------------------------------------------------------------------------


@dataclass
class Filters:
    group: str = ""
    tag: str = ""
    author: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @property
    def any(self) -> bool:
        return bool(self.group or self.tag or self.author or self.date_from or self.date_to)


@dataclass
class Hit:
    kind: str
    title: Markup
    snippet: Markup
    url: str
    place: str  # the group, or the budget and pot
    author: User | None
    created_at: datetime
    thread_title: str = ""


@dataclass
class Results:
    terms: list[str]
    page: Page
    hits: list[Hit] = field(default_factory=list)


def readable_groups(user: Any) -> list[Group]:
    """The groups the person may read, for the group filter."""
    return list(db.session.scalars(select(Group).where(readable_groups_clause(user)).order_by(Group.name)))


def _conditions(filters: Filters, user: Any) -> list[Any]:
    readable = select(Group.id).where(readable_groups_clause(user))
    conditions: list[Any] = [or_(SearchDocument.group_id.is_(None), SearchDocument.group_id.in_(readable))]
    if filters.group:
        conditions.append(SearchDocument.group_id.in_(select(Group.id).where(Group.slug == filters.group)))
    if filters.tag:
        tag_id = select(Tag.id).where(Tag.name == normalise_tag(filters.tag)).scalar_subquery()
        conditions.append(or_(
            and_(SearchDocument.thread_id.is_not(None),
                 SearchDocument.thread_id.in_(select(thread_tags.c.thread_id).where(thread_tags.c.tag_id == tag_id))),
            and_(SearchDocument.kind == Kind.PROPOSAL,
                 SearchDocument.object_id.in_(select(proposal_tags.c.proposal_id)
                                              .where(proposal_tags.c.tag_id == tag_id))),
        ))
    if filters.author:
        handle = filters.author.strip().lstrip("@").lower()
        conditions.append(SearchDocument.author_id.in_(
            select(User.id).where(or_(User.handle == handle, func.lower(User.display_name) == handle))
        ))
    if filters.date_from:
        conditions.append(SearchDocument.created_at >= datetime.combine(filters.date_from, time.min))
    if filters.date_to:
        conditions.append(SearchDocument.created_at < datetime.combine(filters.date_to + timedelta(days=1), time.min))
    return conditions


def search(query: str, filters: Filters, user: Any, page_number: int = 1, per_page: int = PER_PAGE) -> Results:
    """One page of what ``user`` may see that holds every word of ``query``, best first."""
    terms = backends.words(query)
    if not terms:
        return Results(terms, Page([], page_number, per_page, 0))
    matches = backends.for_dialect(db.engine.dialect.name).matches(terms)
    where = _conditions(filters, user)
    base = select(SearchDocument.id).join(matches, matches.c.id == SearchDocument.id).where(*where)
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = db.session.execute(
        select(SearchDocument, matches.c.rank).join(matches, matches.c.id == SearchDocument.id).where(*where)
        .order_by(matches.c.rank.desc(), SearchDocument.created_at.desc(), SearchDocument.id.desc())
        .limit(per_page).offset((page_number - 1) * per_page)
    ).all()
    documents = [row[0] for row in rows]
    return Results(terms, Page(documents, page_number, per_page, total), _hits(documents, terms))


def _by_id(model: Any, ids: set[int], *options: Any) -> dict[int, Any]:
    if not ids:
        return {}
    return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)).options(*options))}


def _hits(documents: list[SearchDocument], terms: list[str]) -> list[Hit]:
    from flask import current_app, url_for

    threads = _by_id(Thread, {d.thread_id for d in documents if d.thread_id}, joinedload(Thread.group))
    users = _by_id(User, {d.author_id for d in documents if d.author_id})
    pots = _by_id(Pot, {d.pot_id for d in documents if d.pot_id}, joinedload(Pot.budget).load_only(Budget.title))
    per_page = current_app.config["POSTS_PER_PAGE"]
    hits = []
    for doc in documents:
        author = users.get(doc.author_id) if doc.author_id else None
        if doc.kind == Kind.PROPOSAL:
            pot = pots.get(doc.pot_id)
            hits.append(Hit(doc.kind, highlight(doc.title, terms), snippet(doc.body, terms),
                            url_for("budgeting.proposal", proposal_id=doc.object_id),
                            f"{pot.budget.title}: {pot.title}" if pot else "", author, doc.created_at))
            continue
        thread = threads[doc.thread_id]
        number = doc.post_number or 1
        page = max(1, -(-number // per_page))
        anchor = f"comment-{doc.object_id}" if doc.kind == Kind.COMMENT else f"post-{number}"
        url = url_for("threads.show", thread_id=thread.id, slug=thread.slug, page=page if page > 1 else None,
                      _anchor=anchor)
        title = highlight(thread.title, terms)
        hits.append(Hit(doc.kind, title, snippet(doc.body, terms), url, thread.group.name, author, doc.created_at,
                        thread_title=thread.title))
    return hits


# --- highlighting ----------------------------------------------------------------------------------------------

_SUFFIXES = ("ing", "es", "ed", "s")


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _matches(word: str, stems: list[str]) -> bool:
    lowered = word.lower()
    return any(lowered.startswith(stem) for stem in stems)


_WORDS_AND_GAPS = re.compile(r"(\w+)", re.UNICODE)


def highlight(text: str, terms: list[str]) -> Markup:
    """The text, escaped, with the words searched for (and their plurals and -ing forms) in ``<mark>``."""
    stems = [_stem(term) for term in terms]
    parts = _WORDS_AND_GAPS.split(text)
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 1 and _matches(part, stems):
            out.append(Markup("<mark>%s</mark>") % part)
        else:
            out.append(escape(part))
    return Markup("").join(out)


def snippet(body: str, terms: list[str], size: int = SNIPPET_WORDS) -> Markup:
    """About ``size`` words of the body around the first word searched for, highlighted."""
    body_words = body.split(" ")
    stems = [_stem(term) for term in terms]
    first = next((i for i, w in enumerate(body_words) if any(_matches(m, stems) for m in _WORDS_AND_GAPS.findall(w))),
                 0)
    start = max(0, first - size // 4)
    end = min(len(body_words), start + size)
    text = " ".join(body_words[start:end])
    return (Markup("… ") if start > 0 else Markup("")) + highlight(text, terms) + (
        Markup(" …") if end < len(body_words) else Markup(""))
