"""The schema is built by migrations on both databases, and the migrations match the models."""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from forum import create_app
from forum.extensions import db
from forum.search.models import include_object  # the full-text parts the models do not describe
from tests.conftest import IN_CI, base_config


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path, postgres_url):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.sqlite'}"
        return
    if not postgres_url:
        if IN_CI:
            pytest.fail("TEST_DATABASE_URL is not set: under CI=true PostgreSQL tests must run")
        pytest.skip("TEST_DATABASE_URL not set")
    url = make_url(postgres_url)
    name = f"forum_migrate_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_migrations_build_the_schema_the_models_describe(empty_database):
    app = create_app(base_config(empty_database))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include_object})
            diff = compare_metadata(context, db.metadata)
            tables = set(inspect(conn).get_table_names())
        db.engine.dispose()
    assert diff == [], f"models and migrations differ: {diff}"
    assert {"users", "groups", "threads", "posts", "comments", "tags"} <= tables
