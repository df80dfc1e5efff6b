"""The one interface over two full-text engines: given the words searched for, which documents match and how
well (higher is better). Everything else (permissions, filters, pages, snippets) is the same SQL on both.

- SQLite: the FTS5 table ``search_fts``; ``bm25`` with the title weighted 10 to the body's 1 (bm25 is lower
  for a better match, so it is negated).
- PostgreSQL: the generated ``tsv`` column (title weight A, body weight B) and its GIN index; ``ts_rank``.

The words are the searcher's text split into plain words by :func:`words` (letters and digits only), so no
search syntax of either engine (quotes, ``*``, ``NEAR``, ``-``, brackets, ``AND``/``OR``) ever reaches it.
"""

from __future__ import annotations

import re
from typing import Protocol

from sqlalchemy import Subquery, func, literal_column, select, table, text

from forum.search.models import SearchDocument

MAX_WORDS = 12
_WORD = re.compile(r"\w+", re.UNICODE)


def words(query: str) -> list[str]:
    """The plain words of what was typed, lower case, without repeats, at most ``MAX_WORDS``."""
    seen: list[str] = []
    for word in _WORD.findall(query.lower().replace("_", " ")):
        if word not in seen:
            seen.append(word)
    return seen[:MAX_WORDS]


class Backend(Protocol):
    def matches(self, terms: list[str]) -> Subquery:
        """A subquery of ``(id, rank)``: the documents holding every word, with a rank (higher is better)."""
        ...


class SqliteBackend:
    TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0

    def matches(self, terms: list[str]) -> Subquery:
        # Every word quoted: FTS5 reads "word" as a plain string, whatever it is (NEAR, AND, OR included).
        fts_query = " ".join(f'"{term}"' for term in terms)
        fts = table("search_fts")
        return (
            select(
                literal_column("search_fts.rowid").label("id"),
                (-func.bm25(literal_column("search_fts"), self.TITLE_WEIGHT, self.BODY_WEIGHT)).label("rank"),
            )
            .select_from(fts)
            .where(text("search_fts MATCH :fts_query").bindparams(fts_query=fts_query))
            .subquery("matches")
        )


class PostgresBackend:
    def matches(self, terms: list[str]) -> Subquery:
        # plainto_tsquery takes text as words joined by AND; the terms hold only letters and digits anyway.
        tsquery = func.plainto_tsquery(literal_column("'english'"), " ".join(terms))
        tsv = literal_column("search_documents.tsv")
        return (
            select(SearchDocument.id.label("id"), func.ts_rank(tsv, tsquery).label("rank"))
            .where(tsv.op("@@")(tsquery))
            .subquery("matches")
        )


def for_dialect(name: str) -> Backend:
    """The backend for the database in use (``db.engine.dialect.name``)."""
    if name == "postgresql":
        return PostgresBackend()
    if name == "sqlite":
        return SqliteBackend()
    raise RuntimeError(f"Search supports SQLite and PostgreSQL, not {name}")
