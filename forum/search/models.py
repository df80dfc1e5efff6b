"""One row per searchable item (a post, a comment, a budget proposal) that everyone who can read its place sees.

Only shown items have a row: held, hidden and withdrawn items (and everything in a hidden thread) are deleted
from the index, so no query can find them. Which group a row belongs to is kept, and who may read that group is
decided when searching (``groups.permissions.readable_groups_clause``), so a membership change needs no re-index.

The full-text part is not a model column: SQLite keeps an FTS5 external-content table ``search_fts`` in step by
triggers, PostgreSQL a generated ``tsv`` column with a GIN index. Both are created by DDL events here (tests
build the schema with ``metadata.create_all``) and by the migration; ``include_object`` keeps them out of
Alembic's comparison.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import DDL, ForeignKey, Index, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from forum.common.timefmt import utcnow
from forum.extensions import db


class Kind(enum.StrEnum):
    POST = "post"
    COMMENT = "comment"
    PROPOSAL = "proposal"


class SearchDocument(db.Model):
    __tablename__ = "search_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int] = mapped_column(Integer)
    # Where it is and who may read it: posts and comments are in a group's thread; proposals in a budget's pot.
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    post_number: Mapped[int | None] = mapped_column(Integer)
    pot_id: Mapped[int | None] = mapped_column(ForeignKey("budget_pots.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # The thread's title on its opening post, a proposal's title; empty for replies and comments.
    title: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")  # plain text, markup removed
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("kind", "object_id", name="uq_search_documents_kind_object"),
        Index("ix_search_documents_created", "created_at"),
    )


# --- the full-text part, by dialect -----------------------------------------------------------------------------

SQLITE_DDL = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_documents', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_fts"]

POSTGRESQL_DDL = [
    "ALTER TABLE search_documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(body, '')), 'B')) STORED",
    "CREATE INDEX ix_search_documents_tsv ON search_documents USING gin (tsv)",
]

_table = SearchDocument.__table__
for _statement in SQLITE_DDL:
    event.listen(_table, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in SQLITE_DROP:
    event.listen(_table, "before_drop", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRESQL_DDL:
    event.listen(_table, "after_create", DDL(_statement).execute_if(dialect="postgresql"))

#: What the database has that the models do not describe (the full-text parts above).
NOT_IN_MODELS_TABLES = ("search_fts",)
NOT_IN_MODELS_COLUMNS = {("search_documents", "tsv")}
NOT_IN_MODELS_INDEXES = {"ix_search_documents_tsv"}


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic's ``include_object``: leave out the full-text parts the DDL events and the migration create."""
    if type_ == "table" and name and name.startswith(NOT_IN_MODELS_TABLES):
        return False
    if type_ == "column" and (getattr(obj.table, "name", None), name) in NOT_IN_MODELS_COLUMNS:
        return False
    return not (type_ == "index" and name in NOT_IN_MODELS_INDEXES)
