"""Search's background job: the full re-index, for when it should not hold a terminal (``search reindex
--queue``). Per-item upkeep is not a job: it is one row, written in the transaction that changed the item."""

from __future__ import annotations

from forum.jobs import task
from forum.search import services


@task()
def reindex() -> None:
    """Rebuild the whole index (one unit of work, as every job)."""
    services.reindex_all()
