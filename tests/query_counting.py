"""Count the SQL statements the app sends, for the tests that prove a page's query count does not grow."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event

from forum.extensions import db


@contextmanager
def counting_queries(app: Flask) -> Iterator[list[str]]:
    """Collect every statement sent to the database while the block runs (the client's requests included)."""
    statements: list[str] = []

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)
