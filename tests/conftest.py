"""Shared fixtures: every app-level test runs once on SQLite and once on PostgreSQL.

PostgreSQL comes from TEST_DATABASE_URL (the test command starts a throwaway server and sets it). Each pytest
process (each pytest-xdist worker) creates its own database on that server, and its own SQLite file under its
own temporary folder, so workers and runs side by side never share tables. Under CI=true a missing PostgreSQL
is a failure, never a skip.

What makes ~2,000 app tests quick, and what keeps them independent:

- One app per database and settings (``app_config``) per process, built by ``create_app`` the first time a test
  asks for it and handed to every later test with the same settings: its Jinja environment keeps the compiled
  templates, and one shared bytecode cache serves every app's first compile.
- Before each test: every table is emptied (the schema is built once per database per process), the
  rate limiter is bound to the app again (fresh in-memory counts, on or off as the app's settings say) and the
  engine of the app used before is closed, so only one app holds connections at a time.
- After each test: ``app.config`` goes back to what ``create_app`` made (tests change settings freely), and
  what the app kept in ``app.extensions`` since (the mail outbox) is dropped. A test that adds a route or a
  hook gets the app for itself: it is dropped from the cache afterwards.

Units of work: services never commit (``forum.common.transaction``); the edge does. A request through the test
client or the live server commits at its own edge. In a test each ``with app.app_context():`` block is a unit
of work: the ``app`` hook below commits when the block ends cleanly and rolls back when an exception leaves it
(or when the session already failed, e.g. after ``pytest.raises(IntegrityError)``).
"""

from __future__ import annotations

import copy
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url

from forum import create_app
from forum.common import page_cache, transaction
from forum.extensions import db, limiter

TEST_PASSWORD = "correct horse battery staple"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_collection_modifyitems(items) -> None:
    """The suites that start real servers carry the ``load`` marker (``-m "not load"`` leaves them out locally)."""
    for item in items:
        if item.nodeid.startswith(("tests/load/", "tests/scaleout/")):
            item.add_marker(pytest.mark.load)


def pytest_xdist_make_scheduler(config, log):
    """Every test in tests/load on one xdist worker, so each database's gunicorn site is built once; the rest
    spread as ``--dist load`` would (xdist 3.8's loadgroup renames test ids, which pytest 9 ignores)."""
    from xdist.scheduler import LoadScopeScheduling

    class LoadTestsTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            for folder in ("tests/load/", "tests/scaleout/"):
                if nodeid.startswith(folder):
                    return folder
            return nodeid

    return LoadTestsTogether(config, log)


def base_config(uri: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": uri,
        "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "SERVER_NAME": None,
        # Factories post the same text many times; tests/threads/test_spam.py switches the check on.
        "DUPLICATE_POST_WINDOW_SECONDS": 0,
        # Factories make fresh accounts that post at once; tests/moderation switches pre-moderation on.
        "PREMODERATE_FIRST_POSTS": 0,
        # Jobs run right after the commit that queues them (tests/jobs runs a real worker against Redis).
        "JOBS_IMMEDIATE": True,
    }


@event.listens_for(Engine, "connect")
def _sqlite_without_fsync(dbapi_connection, connection_record) -> None:
    """Test databases are thrown away: SQLite need not wait for the disk on every commit."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()


def fresh_postgres_database(server_url: str, prefix: str) -> tuple[str, Callable[[], None]]:
    """Create an empty database on the server; returns its URL and a function that drops it."""
    url = make_url(server_url)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """A fresh PostgreSQL database for this process, dropped at the end; None when no server is configured."""
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        yield None
        return
    url, drop = fresh_postgres_database(server, "forum_test")
    yield url
    drop()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """This process's SQLite file (each pytest-xdist worker has its own temporary folder)."""
    path: Path = tmp_path_factory.mktemp("sqlite") / "forum.sqlite"
    return f"sqlite:///{path}"


def database_uri(backend: str, postgres_url: str | None, sqlite_url: str) -> str:
    if backend == "sqlite":
        return sqlite_url
    if not postgres_url:
        if IN_CI:
            pytest.fail("TEST_DATABASE_URL is not set: under CI=true PostgreSQL tests must run")
        pytest.skip("TEST_DATABASE_URL not set")
    return postgres_url


# --- the database: one schema per database per process, emptied before each test -----------------------------

_emptying: dict[str, list[str]] = {}  # database URI -> the statements that empty it (the schema is built)


def _emptying_statements(conn) -> list[str]:
    """DELETE every table, children first, then (PostgreSQL) restart every sequence, so ids count from 1 again
    as after a fresh schema (SQLite reuses ids by itself). On PostgreSQL this is ~2 ms; TRUNCATE took ~100."""
    deletes = [f'DELETE FROM "{t.name}"' for t in reversed(db.metadata.sorted_tables)]
    if conn.dialect.name != "postgresql":
        return deletes
    sequences = conn.execute(text(
        "SELECT c.oid::regclass::text FROM pg_class c "
        "WHERE c.relkind = 'S' AND c.relnamespace = current_schema()::regnamespace"
    )).scalars().all()
    restart = "SELECT " + ", ".join(f"setval('{s}', 1, false)" for s in sequences) if sequences else None
    return ["; ".join(deletes)] + ([restart] if restart else [])


def _reset_database(app: Flask) -> None:
    """Create the schema the first time this process meets the database, else empty every table."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context(), db.engine.begin() as conn:
        if uri not in _emptying:
            db.metadata.drop_all(conn)
            db.metadata.create_all(conn)
            _emptying[uri] = _emptying_statements(conn)
            return
        for statement in _emptying[uri]:
            conn.execute(text(statement))
    page_cache.clear(app)  # the emptied database starts its content version again


# --- the apps: one per database and settings per process --------------------------------------------------------


class SharedBytecodeCache(BytecodeCache):
    """Compiled templates kept for the whole run, so each new app (another database or other settings) loads
    GOV.UK's macros and our templates without compiling them again."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = SharedBytecodeCache()
_apps: dict[tuple[str, str], Flask] = {}
_active: list[Flask] = []  # the app whose engine may hold connections now


def end_unit_of_work(error: BaseException | None) -> None:
    """The end of a ``with app.app_context():`` block (or of a request): commit if it ended cleanly, else roll
    back. A session that already failed (a caught IntegrityError) is rolled back too: it cannot commit.

    The commit leaves the rows a test holds loaded (no expiry): the session closes right after, and a test may
    still read ``setup.pot.id`` once its block has ended, as it could when the services committed."""
    if not db.session.registry.has():
        return
    session = db.session()
    pending = session.get_transaction()
    if error is not None or (pending is not None and not pending.is_active):
        transaction.discard()
        return
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        transaction.commit()
    except BaseException:
        transaction.discard()
        raise
    finally:
        session.expire_on_commit = expire


def _setup_of(app: Flask) -> tuple:
    """What a test could add to an app (routes, hooks, error handlers): compared before and after each test."""
    hooks = (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs,
             app.teardown_appcontext_funcs, app.url_value_preprocessors, app.template_context_processors)
    return (
        len(list(app.url_map.iter_rules())), len(app.view_functions),
        tuple(sum(len(v) for v in hook.values()) if isinstance(hook, dict) else len(hook) for hook in hooks),
        sum(len(handlers) for scope in app.error_handler_spec.values() for handlers in scope.values()),
    )


def _new_app(uri: str, settings: dict) -> Flask:
    app = create_app({**base_config(uri), **settings})
    app.jinja_env.bytecode_cache = TEMPLATE_CACHE
    app.teardown_appcontext(end_unit_of_work)
    app.extensions["tests.pristine_config"] = copy.deepcopy(dict(app.config))
    app.extensions["tests.setup"] = _setup_of(app)
    app.extensions["tests.extensions"] = set(app.extensions) | {"tests.extensions"}
    return app


def _close_engines(app: Flask) -> None:
    page_cache.close(app)
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()


def shared_app(uri: str, settings: dict) -> Flask:
    """The app for this database and these settings, ready for a test: emptied tables, fresh rate limits."""
    key = (uri, repr(sorted(settings.items())))
    app = _apps.get(key)
    if app is None:
        app = _apps[key] = _new_app(uri, settings)
    if _active and _active[0] is not app:
        _close_engines(_active.pop())
    if not _active:
        _active.append(app)
    # A reused app has served requests; let a test add a route or a hook as it could on a new app (release()
    # drops an app whose setup a test changed).
    app._got_first_request = False
    limiter.init_app(app)  # what create_app did: on or off per the settings, counts in a new memory storage
    _reset_database(app)
    return app


def release(app: Flask) -> None:
    """After a test: put the settings back, drop what the app kept since (the mail outbox is
    ``app.extensions[...]``); forget an app the test added routes or hooks to."""
    app.config.clear()
    app.config.update(copy.deepcopy(app.extensions["tests.pristine_config"]))
    for key in set(app.extensions) - app.extensions["tests.extensions"]:
        del app.extensions[key]
    if _setup_of(app) != app.extensions["tests.setup"]:
        for key, cached in list(_apps.items()):
            if cached is app:
                del _apps[key]
        if _active and _active[0] is app:
            _active.pop()
        _close_engines(app)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    return request.param


@pytest.fixture
def app_config() -> dict:
    """Override in a module (or parametrize indirectly) to change settings for its tests."""
    return {}


@pytest.fixture
def app(backend: str, postgres_url: str | None, sqlite_url: str, app_config: dict) -> Iterator[Flask]:
    app = shared_app(database_uri(backend, postgres_url, sqlite_url), app_config)
    yield app
    release(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


class AuthActions:
    """Sign in and out through the real forms (flaskr's pattern)."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, email: str, password: str = TEST_PASSWORD):
        return self._client.post("/login", data={"email": email, "password": password})

    def login_as(self, user) -> None:
        response = self.login(user.email)
        assert response.status_code in (302, 303), "signing in failed"

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)
