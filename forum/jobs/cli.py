"""``flask --app forum jobs worker``: run the queued and periodic jobs (production runs one or more of these)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from forum.jobs.engine import huey_of

jobs_cli = AppGroup("jobs", help="Background jobs.")


@jobs_cli.command("worker")
@click.option("--workers", "-w", default=2, show_default=True, help="Threads running jobs at once.")
def worker(workers: int) -> None:
    """Run jobs until stopped (Ctrl+C or SIGTERM finishes the running ones first)."""
    huey = huey_of(current_app._get_current_object())
    click.echo(f"Job worker on {type(huey.storage).__name__} with {workers} thread(s).")
    huey.create_consumer(workers=workers, worker_type="thread", periodic=True, check_worker_health=True).run()
