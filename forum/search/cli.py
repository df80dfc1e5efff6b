"""``flask --app forum search reindex``: rebuild the whole index, as one unit of work (``TransactionalGroup``)."""

from __future__ import annotations

import click

from forum.common.transaction import TransactionalGroup
from forum.jobs import after_commit
from forum.search import jobs, services

search_cli = TransactionalGroup("search", help="Site search: rebuild the index.")


@search_cli.command("reindex")
@click.option("--queue", is_flag=True, help="Leave the work to a job worker instead of doing it here.")
def reindex_command(queue: bool) -> None:
    """Empty the search index and index every shown post, comment and proposal again."""
    if queue:
        after_commit(jobs.reindex)
        click.echo("Queued a re-index for the job worker.")
        return
    total = services.count_indexable()
    with click.progressbar(length=total, label="Indexing") as bar:
        written = services.reindex_all(bar.update)
    click.echo(f"Indexed {written} items.")
