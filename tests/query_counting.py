"""Count the SQL statements the app sends, for the tests that prove a page's query count does not grow."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event

from forum.common import page_cache
from forum.extensions import db


@contextmanager
def counting_queries(app: Flask) -> Iterator[list[str]]:
    """Collect every statement sent to the database while the block runs (the client's requests included).
    The stored pages are dropped first: what is counted is the page built afresh, whose queries must not grow
    with its content (a stored page costs one query; tests/common/test_page_cache.py and test_own_pages.py)."""
    statements: list[str] = []
    page_cache.clear(app)

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)
