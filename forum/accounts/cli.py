"""`flask --app forum users ...` commands."""

import click
from flask.cli import AppGroup

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create-admin")
def create_admin() -> None:
    """Create the first administrator (placeholder)."""
    click.echo("not yet")
