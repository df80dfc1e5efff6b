"""`flask --app forum seed-demo`."""

import click


@click.command("seed-demo")
def seed_demo() -> None:
    """Fill the database with demo content (placeholder)."""
    click.echo("not yet")
