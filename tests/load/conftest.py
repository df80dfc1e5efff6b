"""One site per database for the load tests: a fresh database with the world in it (``world.py``), gunicorn
serving it with the real configuration (4 workers of 4 threads each, CSRF on, rate limits on, a real secret
key), and 200 people
signed in through the real sign-in form, all at once. Shared by the tests of one database, then stopped.

Under CI=true a missing PostgreSQL fails (as everywhere in the suite); without CI it skips.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import IN_CI, fresh_postgres_database
from tests.load import world
from tests.load.clients import Client, address_for, all_at_once, problems
from tests.load.servers import Gunicorn, RedisServer

BACKENDS = ["sqlite", "postgresql"]


@dataclass
class Site:
    backend: str
    database_url: str
    server: Gunicorn
    world: world.World
    people: list[Client]  # signed in, person n is people[n]
    reader: Flask  # an app on the same database, for recounting after the load
    folder: Path
    rate_limit_storage: str

    @contextmanager
    def rows(self) -> Iterator[None]:
        """An app context for reading what the load left in the database (then the connections are closed)."""
        from forum.extensions import db

        with self.reader.app_context():
            try:
                yield
            finally:
                db.session.rollback()
                db.engine.dispose()


@contextmanager
def fresh_database(backend: str, folder) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'load.sqlite'}"
        return
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        if IN_CI:
            pytest.fail("TEST_DATABASE_URL is not set: under CI=true the PostgreSQL load tests must run")
        pytest.skip("TEST_DATABASE_URL not set")
    url, drop = fresh_postgres_database(server, "forum_load")
    try:
        yield url
    finally:
        drop()


def sign_in_everyone(base_url: str, emails: list[str]) -> list[Client]:
    """Everyone signs in at once through the form, each from their own neighbourhood's address."""
    people = [Client(base_url, address_for(n)) for n in range(len(emails))]
    jobs: list[Callable] = [lambda c=c, e=e: c.sign_in(e, world.PASSWORD) for c, e in zip(people, emails, strict=True)]
    answers = all_at_once(jobs)
    assert not problems(answers), problems(answers)
    refused = [(n, a.status, a.body[:300]) for n, a in enumerate(answers) if a.status != 302]
    assert not refused, refused
    return people


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer | None]:
    """A redis-server for the sites' rate limits (None without one, outside CI)."""
    if not RedisServer.installed():
        if IN_CI:
            pytest.fail("redis-server is not installed: under CI=true the load tests must run with it")
        yield None
        return
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture(scope="session", params=BACKENDS)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
         redis_server: RedisServer | None) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp(f"load-{request.param}")
    # Each site its own redis database, so one site's sign-ins do not count against the other's.
    limits = redis_server.url(BACKENDS.index(request.param)) if redis_server else "memory://"
    with fresh_database(request.param, folder) as url:
        app = world.seeding_app(url, folder)
        world.create_schema(app)
        server = Gunicorn(url, folder, workers=4, threads=1, rate_limit_storage=limits)
        try:
            made = world.build(app)
            server.wait_ready()
            people = sign_in_everyone(server.url, made.emails)
            yield Site(request.param, url, server, made, people, app, folder, limits)
        finally:
            server.stop()
        log = server.log()
        assert "database is locked" not in log.lower(), log
        assert "Traceback" not in log, log
