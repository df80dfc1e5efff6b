"""`flask --app forum users ...` commands: make the first administrator, grant roles.

Each command is one unit of work (``TransactionalGroup``): committed when it succeeds, dropped when it fails.
"""

from __future__ import annotations

import click

from forum.accounts import services
from forum.accounts.models import Role
from forum.common.errors import DomainError
from forum.common.transaction import TransactionalGroup

users_cli = TransactionalGroup("users", help="Manage user accounts.")


def _refused(error: DomainError) -> click.ClickException:
    problems = getattr(error, "errors", [error])
    return click.ClickException("; ".join(problem.message for problem in problems))


@users_cli.command("create-admin")
@click.option("--display-name", prompt="Display name", help="The name shown beside what they write.")
@click.option("--email", prompt="Email address", help="The address they sign in with.")
@click.option(
    "--password", prompt="Password", hide_input=True, confirmation_prompt=True,
    help="At least 10 characters; prompted for (hidden) when not given.",
)
def create_admin(display_name: str, email: str, password: str) -> None:
    """Create an administrator account (the first one, typically)."""
    try:
        user = services.create_user(display_name, email, password, role=Role.ADMIN)
    except DomainError as error:
        raise _refused(error) from None
    click.echo(f"Created administrator {user.display_name} <{user.email}> (user id {user.id}).")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(Role.ALL))
@click.option("--organisation", default=None, help="The organisation a civil servant works for (their badge).")
def set_role(email: str, role: str, organisation: str | None) -> None:
    """Give the account using EMAIL the role ROLE."""
    try:
        user = services.find_by_email(email)
        services.set_role(user, role, organisation if organisation is not None else user.organisation)
    except DomainError as error:
        raise _refused(error) from None
    badge = f" ({user.organisation})" if user.organisation else ""
    click.echo(f"{user.display_name} <{user.email}> is now: {user.role_label}{badge}.")
