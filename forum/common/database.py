"""What the forum asks of the database beyond plain SQLAlchemy, written once for PostgreSQL and SQLite."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite

from forum.extensions import db

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def insert(model: Any) -> Any:
    """``INSERT`` in this database's own dialect, so it offers ``on_conflict_do_nothing``/``_do_update``: the
    forum's races (a second click, two people at once) end in one row instead of an IntegrityError."""
    return _INSERTS[db.session.get_bind().dialect.name](model)
