"""Shared fixtures: every app-level test runs once on SQLite and once on PostgreSQL.

PostgreSQL comes from TEST_DATABASE_URL (the test command starts a throwaway server and sets it). Each pytest
run creates its own database on that server, so runs side by side never share tables. Under CI=true a missing
PostgreSQL is a failure, never a skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from forum import create_app
from forum.extensions import db

TEST_PASSWORD = "correct horse battery staple"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


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
    }


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """A fresh PostgreSQL database for this run, dropped at the end; None when no server is configured."""
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        yield None
        return
    url = make_url(server)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    name = f"forum_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


_schema_ready: set[str] = set()


def _reset_database(app: Flask, uri: str) -> None:
    """Create the schema once per database, then empty every table before each test."""
    with app.app_context():
        if uri not in _schema_ready:
            db.drop_all()
            db.create_all()
            _schema_ready.add(uri)
            return
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as conn:
            if db.engine.dialect.name == "postgresql":
                conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(text(f'DELETE FROM "{table}"'))


def database_uri(backend: str, postgres_url: str | None, tmp_path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'forum.sqlite'}"
    if not postgres_url:
        if IN_CI:
            pytest.fail("TEST_DATABASE_URL is not set: under CI=true PostgreSQL tests must run")
        pytest.skip("TEST_DATABASE_URL not set")
    return postgres_url


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    return request.param


@pytest.fixture
def app_config() -> dict:
    """Override in a module (or parametrize indirectly) to change settings for its tests."""
    return {}


@pytest.fixture
def app(backend: str, postgres_url: str | None, tmp_path, app_config: dict) -> Iterator[Flask]:
    uri = database_uri(backend, postgres_url, tmp_path)
    app = create_app({**base_config(uri), **app_config})
    _reset_database(app, uri)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


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
