"""Pages for signed-in people: each person's own copy, kept until what it shows changes, and 304 on a repeat visit.

A signed-in reader's page is the shared content (the content version, ``forum.common.page_cache``) plus what only
they see: their name, notifications, reading places, bookmarks, watches. Those rows live in tables that leave the
content version alone, so each person has a second number, the **viewer version** (``viewer_versions``), that
every transaction writing their rows in those tables adds one to, inside the transaction, as it commits. A page is
stored under (URL, person, content version, viewer version): once anything it shows changes, for everyone or
for them alone, the next visit misses and gets a fresh page, on every process and host. One query asks for both
numbers.

Whose rows a write touches: an object names its person (``OWNER_COLUMNS``); a statement (an upsert, a bulk
update or delete) names them in its values or its ``WHERE person = ...``. A statement that names nobody, or more
than one way, bumps the content version instead, which every stored page follows: never stale, at worst a miss.

Never stored: a page whose own request wrote anything (the first view of a thread moves the reading place, so
the second view is the one kept), a page that showed a message, a session holding anything that may show (as
for anonymous readers). The form token in a stored page is swapped for a placeholder and filled in with the
session's own on the way out. The two versions come with the person from the sign-in loader's own query.
``PAGE_CACHE_SIGNED_IN = False`` turns it off (the benchmark's fresh-page rows).
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Flask, Response, current_app, g, has_app_context, request, session
from flask.globals import request_ctx
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import BigInteger, BindParameter, event, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql import operators, visitors
from sqlalchemy.sql.elements import BinaryExpression
from werkzeug.wsgi import get_current_url

from forum.common import page_cache
from forum.common.database import insert
from forum.extensions import db

# Private tables whose rows show on one person's pages, and the column naming that person.
OWNER_COLUMNS = {
    "notifications": "recipient_id", "thread_reads": "user_id", "bookmarks": "user_id", "watches": "user_id",
    "notification_preferences": "user_id",
}
# What a signed-in session holds besides page_cache.NEUTRAL_SESSION_KEYS: Flask-Login's own keys.
SIGNED_IN_SESSION_KEYS = page_cache.NEUTRAL_SESSION_KEYS | {"_user_id", "_id", "_remember", "_remember_seconds"}
PLACEHOLDER = b"\x00forum-csrf-token\x00"
VIEWERS = "forum.viewers_changed"
WROTE = "page_request_wrote"
VERSIONS_SQL = text("SELECT (SELECT number FROM content_versions WHERE id = 1),"
                    " (SELECT number FROM viewer_versions WHERE user_id = :user_id)")


class ViewerVersion(db.Model):
    """How many times what one person alone sees has changed."""

    __tablename__ = "viewer_versions"

    user_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    number: Mapped[int] = mapped_column(BigInteger, default=0)


# Noticing writes ------------------------------------------------------------------------------------------------


def _note(session: Session, owners: set[int] | None) -> None:
    if owners:
        session.info.setdefault(VIEWERS, set()).update(owners)
    else:
        session.info[page_cache.CHANGED] = True


def _note_request_wrote() -> None:
    if has_app_context():
        setattr(g, WROTE, True)


@event.listens_for(Session, "before_flush")
def _note_own_rows(session: Session, _context: Any, _instances: Any) -> None:
    if session.new or session.deleted or session.dirty:
        _note_request_wrote()
    changed = [*session.new, *session.deleted,
               *(obj for obj in session.dirty if session.is_modified(obj, include_collections=False))]
    for obj in changed:
        column = OWNER_COLUMNS.get(getattr(obj, "__tablename__", ""))
        if column:
            owner = getattr(obj, column, None)
            _note(session, {owner} if isinstance(owner, int) else None)


def _owners_named(state: Any, column: str) -> set[int] | None:
    """The people a statement on a private table writes for: its inserted value, or its ``WHERE column = x``."""
    statement = state.statement
    if state.is_insert:
        try:
            value = statement.compile(dialect=state.session.get_bind().dialect).params.get(column)
        except Exception:  # noqa: BLE001 - a multi-row insert: nobody in particular, so everyone's pages go
            return None
        return {value} if isinstance(value, int) else None
    if statement.whereclause is None:
        return None
    owners: set[int] = set()
    for element in visitors.iterate(statement.whereclause):
        if isinstance(element, BinaryExpression) and getattr(element.left, "name", None) == column:
            if element.operator is not operators.eq or not isinstance(element.right, BindParameter):
                return None
            owners.add(element.right.effective_value)
    return owners or None


@event.listens_for(Session, "do_orm_execute")
def _note_own_statement(state: Any) -> Any:
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    column = OWNER_COLUMNS.get(getattr(getattr(state.statement, "table", None), "name", ""))
    if column is None:
        _note_request_wrote()
        return None
    result = state.invoke_statement()
    if getattr(result, "rowcount", -1) != 0:  # an upsert that changed nothing (a reading place kept) is no write
        _note_request_wrote()
        _note(state.session, _owners_named(state, column))
    return result


@event.listens_for(Session, "before_commit")
def _bump_viewers(session: Session) -> None:
    """Inside the committing transaction, after page_cache's own flush: one more for each person written for."""
    session.flush()
    owners = session.info.pop(VIEWERS, None)
    if not owners:
        return
    statement = insert(ViewerVersion).values([{"user_id": owner, "number": 1} for owner in sorted(owners)])
    session.execute(statement.on_conflict_do_update(index_elements=["user_id"],
                                                    set_={"number": ViewerVersion.number + 1}))


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(VIEWERS, None)


# Serving --------------------------------------------------------------------------------------------------------


def version_columns(user_id: Any) -> tuple[Any, Any]:
    """The content version and the viewer version of ``user_id`` (a column or a value) as columns: the sign-in
    loader selects them with the person (``forum.accounts.sign_ins.load``), saving a stored page a round trip."""
    content = page_cache.ContentVersion
    return (select(content.number).where(content.id == 1).scalar_subquery(),
            select(ViewerVersion.number).where(ViewerVersion.user_id == user_id).scalar_subquery())


def _versions() -> tuple[int, int]:
    known = getattr(current_user, "page_versions", None)
    if known is None:
        known = tuple(db.session.execute(VERSIONS_SQL, {"user_id": current_user.id}).one())
    content, viewer = known
    return content or 0, viewer or 0


def _applies() -> bool:
    return (request.method in ("GET", "HEAD") and request.endpoint in page_cache.CACHED_ENDPOINTS
            and current_app.config.get("PAGE_CACHE_SIGNED_IN", True) and current_user.is_authenticated
            and not (session.keys() - SIGNED_IN_SESSION_KEYS))


def _serve_own_page() -> Response | None:
    """Before the view: a 304 for a page the browser already has, or the person's stored page; None to build it."""
    if not _applies():
        return None
    content, viewer = _versions()
    url = get_current_url(request.environ)
    etag = hashlib.blake2b(f"{content} {viewer} {current_user.id} {url}".encode(),
                           digest_size=12).hexdigest()
    g.own_page_etag = etag
    if request.if_none_match.contains_weak(etag):
        return _label(Response(status=304), etag)
    stored = page_cache.store(current_app).get("own:" + etag)
    if stored is None:
        return None
    body, mimetype = stored
    if PLACEHOLDER in body:
        body = body.replace(PLACEHOLDER, generate_csrf().encode())
    response = Response(body, mimetype=mimetype)
    response.headers["X-Page-Cache"] = "hit"
    return _label(response, etag)


def _label(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"  # the browser may keep it; no shared cache may
    response.vary.add("Cookie")
    return response


def _keep_own_page(response: Response) -> Response:
    """After the view: store the page, unless building it wrote anything or showed a message."""
    etag = g.pop("own_page_etag", None)
    if etag is None or response.headers.get("X-Page-Cache") or response.status_code != 200:
        return response
    if response.direct_passthrough or request_ctx.flashes or session.keys() - SIGNED_IN_SESSION_KEYS:
        return response  # a message shown, or something put in the session that may show (a proposal order)
    db.session.flush()  # the view's pending changes, if any, so that WROTE knows of them
    if g.get(WROTE):
        return response
    body = response.get_data()
    token = g.get("csrf_token")
    if token:
        body = body.replace(token.encode(), PLACEHOLDER)
    page_cache.store(current_app).set("own:" + etag, (body, response.mimetype))
    response.headers["X-Page-Cache"] = "miss"
    return _label(response, etag)


def init_app(app: Flask) -> None:
    app.before_request(_serve_own_page)
    app.after_request(_keep_own_page)
