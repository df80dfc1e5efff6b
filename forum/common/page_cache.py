"""Pages for people who are not signed in: cached until what they show changes, and 304 on a repeat visit.

Every page a reader sees is built from the database, so one number stands for "what the pages show": the
content version, a single row (``content_versions``) that every transaction changing a visible table adds one
to, inside that transaction, as it commits. Its rows are what readers see (posts, threads, budgets, ballots,
search documents...); writes only one person sees (sign-ins, reading places, notifications, bookmarks, the mail
outbox, the audit log) leave it alone. So:

- a page is cached under its URL and the version: once anything visible changes, the next reader misses and gets
  a fresh page, on every process and host at once, with no message to send; old entries age out;
- the ETag is the version and the URL: a browser's ``If-None-Match`` gets a 304 after one small query;
- a page is served from, or put in, the store only for a reader whose session holds nothing that could show
  (no message waiting, no seed for the order of proposals), and stored only if building it set no cookie and
  wrote nothing to the session (a form's CSRF token lives there, so a page with a form is never shared).

Signed-in readers' pages carry their name, unread marks and counts: each person gets their own copy, kept under
a second number of theirs as well (``forum.common.own_pages``). The store is this process's memory by default, or
Redis (``PAGE_CACHE_URL``, else ``REDIS_URL``), shared by every host.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from cachelib import BaseCache, NullCache, RedisCache, SimpleCache
from flask import Flask, Response, current_app, g, request, session
from flask_login import current_user
from sqlalchemy import BigInteger, Engine, create_engine, event, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column
from werkzeug.http import parse_etags
from werkzeug.wsgi import get_current_url

from forum.common import security
from forum.common.timefmt import utcnow
from forum.config import DEVELOPMENT_SECRET_KEY
from forum.extensions import db

# The GET pages a reader can see without signing in, by endpoint.
CACHED_ENDPOINTS = frozenset({
    "home.index", "groups.list", "threads.group", "threads.show", "threads.profile", "posts.history",
    "tags.list", "tags.show", "search.search", "budgeting.index", "budgeting.areas", "budgeting.show",
    "budgeting.proposals", "budgeting.proposal", "budgeting.results", "places.index", "places.area",
})
# Tables whose rows no anonymous page shows: writing them leaves the cached pages as they are.
PRIVATE_TABLES = frozenset({
    "content_versions", "viewer_versions", "sign_ins", "thread_reads", "notifications", "notification_preferences",
    "watches", "bookmarks", "outbox_messages", "audit_entries", "budget_verification_codes",
})
# What a reader's session may hold and still be given the shared page: a form token (which no cached page
# contains), Flask's own flag and Flask-Login's "not fresh" mark (its session protection writes it into any
# session without a sign-in). Anything else (a message waiting, the seed of their proposal order) may show.
NEUTRAL_SESSION_KEYS = frozenset({"csrf_token", "_permanent", "_fresh"})
EXTENSION = "forum.page_cache"
FRONT = "forum.page_cache.front"
CHANGED = "forum.content_changed"


class ContentVersion(db.Model):
    """One row: how many times what the pages show has changed, and when it last did."""

    __tablename__ = "content_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(BigInteger, default=0)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


# Noticing writes ------------------------------------------------------------------------------------------------


def _touches_pages(session: Session) -> bool:
    for obj in (*session.new, *session.deleted):
        if getattr(obj, "__tablename__", None) not in PRIVATE_TABLES:
            return True
    return any(getattr(obj, "__tablename__", None) not in PRIVATE_TABLES
               and session.is_modified(obj, include_collections=False) for obj in session.dirty)


@event.listens_for(Session, "before_flush")
def _note_flush(session: Session, _context: Any, _instances: Any) -> None:
    if not session.info.get(CHANGED) and _touches_pages(session):
        session.info[CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state: Any) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and not state.session.info.get(CHANGED):
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) not in PRIVATE_TABLES:
            state.session.info[CHANGED] = True


@event.listens_for(Session, "before_commit")
def _bump_on_commit(session: Session) -> None:
    """Inside the committing transaction: the new version is visible exactly when the change is."""
    session.flush()
    if not session.info.pop(CHANGED, False):
        return
    bumped = session.execute(update(ContentVersion).where(ContentVersion.id == 1)
                             .values(number=ContentVersion.number + 1, changed_at=utcnow()))
    if not bumped.rowcount:
        session.execute(insert(ContentVersion).values(id=1, number=1, changed_at=utcnow()))


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: Any) -> None:
    """A whole transaction rolled back changes nothing (a savepoint's end keeps the note: at worst a miss)."""
    if transaction.parent is None:
        session.info.pop(CHANGED, None)


VERSION_SQL = "SELECT number FROM content_versions WHERE id = 1"


def current_version() -> int:
    return db.session.scalar(select(ContentVersion.number).where(ContentVersion.id == 1)) or 0


# Serving --------------------------------------------------------------------------------------------------------


def store(app: Flask) -> BaseCache:
    """Where pages are kept (own_pages keeps signed-in people's pages there too)."""
    return app.extensions[EXTENSION]


def _make_store(app: Flask) -> BaseCache:
    if not app.config.get("PAGE_CACHE_ENABLED", True):
        return NullCache()
    url = app.config.get("PAGE_CACHE_URL") or app.config.get("REDIS_URL")
    timeout = app.config.get("PAGE_CACHE_SECONDS", 600)
    if url:
        import redis

        return RedisCache(host=redis.Redis.from_url(url), key_prefix="forum-page:", default_timeout=timeout)
    return SimpleCache(threshold=app.config.get("PAGE_CACHE_ENTRIES", 2000), default_timeout=timeout)


def close(app: Flask) -> None:
    """Close the front's database connections (tests do it with the app's own engines)."""
    front = app.extensions.get(FRONT)
    if front is not None:
        front.dispose()


def clear(app: Flask) -> None:
    """Drop every stored page (tests do it when they empty the database, which resets the version)."""
    store(app).clear()


def _applies() -> bool:
    return (request.method in ("GET", "HEAD") and request.endpoint in CACHED_ENDPOINTS
            and not current_user.is_authenticated and not (session.keys() - NEUTRAL_SESSION_KEYS))


def _etag_for(version: int, url: str) -> str:
    return hashlib.blake2b(f"{version} {url}".encode(), digest_size=12).hexdigest()


def _etag(version: int) -> str:
    return _etag_for(version, get_current_url(request.environ))


def _serve_known_page() -> Response | None:
    """Before the view: a 304 for a page the browser already has, or the stored page; None to build it."""
    if not _applies():
        return None
    version = current_version()
    g.page_version = version
    etag = _etag(version)
    if request.if_none_match.contains_weak(etag):  # a proxy compressing it weakens the tag
        response = Response(status=304)
    else:
        stored = store(current_app).get(etag)
        if stored is None:
            return None
        body, mimetype = stored
        response = Response(body, mimetype=mimetype)
        response.headers["X-Page-Cache"] = "hit"
    return _label(response, etag)


def _label(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"  # any cache may keep it, but must ask again each time
    response.vary.add("Cookie")
    return response


def _keep_new_page(response: Response) -> Response:
    """After the view: store a page anyone could have been given, and label it for conditional GETs."""
    version = g.get("page_version")
    if version is None or response.headers.get("X-Page-Cache") or response.status_code == 304:
        return response
    if response.status_code != 200 or response.direct_passthrough or not _applies():
        return response
    if session.modified or "csrf_token" in g or response.headers.get("Set-Cookie"):
        return response  # built with something personal in it
    etag = _etag(version)
    store(current_app).set(etag, (response.get_data(), response.mimetype))
    response.headers["X-Page-Cache"] = "miss"
    return _label(response, etag)


class ServeStoredPages:
    """WSGI, in front of Flask: a request with no cookie of ours (so: not signed in, no session, no message
    waiting) for a page stored at the current version gets it, or a 304, with the same headers Flask would send,
    without the rest of the app's request machinery. Anything else, and every miss, goes on to Flask, which
    builds the page and stores it. Off with the public development key: then Flask must see every request
    (``security.refuse_others_with_the_development_key``)."""

    def __init__(self, app: Flask, wsgi_app: Any) -> None:
        self.app, self.wsgi_app = app, wsgi_app
        self.cookie_names = (app.config["SESSION_COOKIE_NAME"], app.config.get("REMEMBER_COOKIE_NAME",
                                                                               "remember_token"))
        self.engine: Engine | None = None

    def _ours(self, environ: dict) -> bool:
        cookie = environ.get("HTTP_COOKIE", "")
        return any(f"{name}=" in cookie for name in self.cookie_names)

    def _engine(self) -> Engine:
        """An engine of the front's own on the app's database: autocommit (each read sees the latest commit, no
        transaction stays open) and no ping before each use (the app's pool pings: a second round trip), so a
        stored page costs one round trip. A connection that fails is dropped by SQLAlchemy; Flask then answers."""
        if self.engine is None:
            with self.app.app_context():
                url = db.engine.url
            self.engine = create_engine(url, pool_pre_ping=False, isolation_level="AUTOCOMMIT")
        return self.engine

    def dispose(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None

    def _version(self) -> int | None:
        """The content version, or None when the database cannot be asked (then Flask answers, and says why)."""
        try:
            with self._engine().connect() as connection:
                return connection.exec_driver_sql(VERSION_SQL).scalar() or 0
        except Exception:  # noqa: BLE001 - the app's own request will meet the same trouble and show it
            return None

    def __call__(self, environ: dict, start_response: Any) -> Any:
        if (environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or self._ours(environ)
                or self.app.config.get("SECRET_KEY") == DEVELOPMENT_SECRET_KEY):
            return self.wsgi_app(environ, start_response)
        store = self.app.extensions[EXTENSION]
        version = self._version()
        if version is None:
            return self.wsgi_app(environ, start_response)
        etag = _etag_for(version, get_current_url(environ))
        if parse_etags(environ.get("HTTP_IF_NONE_MATCH")).contains_weak(etag):
            response = Response(status=304)
        else:
            stored = store.get(etag)
            if stored is None:
                return self.wsgi_app(environ, start_response)
            response = Response(stored[0], mimetype=stored[1])
            response.headers["X-Page-Cache"] = "hit"
        for name, value in security.HEADERS.items():
            response.headers[name] = value
        response.set_etag(etag)
        response.headers["Cache-Control"] = "no-cache"
        response.vary.add("Cookie")
        return response(environ, start_response)


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = _make_store(app)
    app.before_request(_serve_known_page)
    app.after_request(_keep_new_page)
    app.wsgi_app = app.extensions[FRONT] = ServeStoredPages(app, app.wsgi_app)
