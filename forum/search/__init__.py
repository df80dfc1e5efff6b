"""Site search (issue 11): threads, posts, comments and budget proposals in one index, ``/search?q=``.

SQLite FTS5 on the embedded default, PostgreSQL full-text search in production, behind one interface
(``backends``). The index is kept by ``routes.init_app`` (signals from threads and budgeting) in the writing
transaction; ``flask --app forum search reindex`` rebuilds it whole. See docs/search.md.
"""
