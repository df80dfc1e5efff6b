"""`flask --app forum seed-demo`: a living forum for a newcomer, with progress and the demo passwords."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from forum.common.transaction import unit_of_work
from forum.demo import content, seed, timeline
from forum.jobs import huey_of


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Fill an empty database with demo groups, people, threads and comments (skips if already seeded).

    Every step is one unit of work: the demo is committed whole at the end, or not at all."""
    if seed.already_seeded():
        click.echo("Demo content is already there; nothing to do.")
    else:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        todo = list(seed.steps(method))
        # Run the notification fan-out and the indexing jobs at the commit, so the demo is whole when this ends.
        huey_of(current_app._get_current_object()).immediate = True
        with unit_of_work(), click.progressbar(todo, label="Seeding the demo forum",
                                               item_show_func=lambda s: s and s[0]) as bar:
            for _label, step in bar:
                step()
        with unit_of_work():
            timeline.date_after_commit()
        click.echo("Demo content created.")
    click.echo("\nSign in with any of these demo accounts (email / password):")
    for name, role, organisation, password, _bio in content.PEOPLE:
        label = role.replace("_", " ") + (f", {organisation}" if organisation else "")
        click.echo(f"  {name:<16} {seed.demo_email(name):<30} {password:<30} ({label})")
        if name in content.TRY:
            click.echo(f"  {'':<16} {content.TRY[name]}")
