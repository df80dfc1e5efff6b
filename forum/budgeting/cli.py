"""`flask --app forum budgets ...` commands: import a pabulib file as a counted budget, export a pot's election."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from forum.budgeting.models import Pot, ResultsRule
from forum.budgeting.services.exchange import export_pabulib, import_pabulib
from forum.common.errors import DomainError
from forum.extensions import db

budgets_cli = AppGroup("budgets", help="Participatory budgets: import and export pabulib files.")


@budgets_cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--rule", type=click.Choice(ResultsRule.ALL), default=None,
              help="How to count: greedy by votes, or equal shares with completion (mes). "
                   "By default, the rule the file names.")
def import_command(file: Path, rule: str | None) -> None:
    """Import FILE.pb as a budget with one pot, count it, and print the pot's id."""
    with click.progressbar(length=1, label="Importing ballots") as bar:
        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        try:
            pot = import_pabulib(file, rule, progress)
        except DomainError as error:
            raise click.ClickException(f"{file}: {error.message}. Nothing was imported.") from None
    click.echo(f"Imported {file.name} as pot {pot.id} ({pot.budget.title}), counted by {pot.budget.results_rule}.")
    click.echo(pot.id)


@budgets_cli.command("export")
@click.argument("pot_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The file to write (standard output when not given).")
def export_command(pot_id: int, output: Path | None) -> None:
    """Write pot POT_ID's election as a pabulib file, with our winners in its `selected` column."""
    pot = db.session.get(Pot, pot_id)
    if pot is None:
        raise click.ClickException(f"There is no pot {pot_id}.")
    text = export_pabulib(pot)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote pot {pot_id} to {output}.", err=True)
