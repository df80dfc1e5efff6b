"""`flask --app forum budgets ...` commands: import a pabulib file as a counted budget, export a pot's election,
count a pot again. Each command is one unit of work (``TransactionalGroup``): an import or a count is kept whole,
or not at all."""

from __future__ import annotations

import time
from pathlib import Path

import click

from forum.budgeting.models import Pot, ResultsRule
from forum.budgeting.services import result_pages
from forum.budgeting.services.exchange import export_pabulib, import_pabulib
from forum.common.errors import DomainError
from forum.common.money import format_pence
from forum.common.transaction import TransactionalGroup
from forum.extensions import db

budgets_cli = TransactionalGroup("budgets", help="Participatory budgets: import and export pabulib files, count a pot.")


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


@budgets_cli.command("count")
@click.argument("pot_id", type=int)
@click.option("--rule", type=click.Choice(ResultsRule.ALL), default=None,
              help="How to count: greedy by votes, or equal shares with completion (mes). "
                   "By default, the budget's rule.")
def count_command(pot_id: int, rule: str | None) -> None:
    """Count pot POT_ID's votes again (its budget must be in the results phase) and print the result."""
    pot = db.session.get(Pot, pot_id)
    if pot is None:
        raise click.ClickException(f"There is no pot {pot_id}.")
    ballots, proposals = result_pages.pot_size(pot)
    chosen = rule or pot.budget.results_rule
    click.echo(f"Counting pot {pot.id} ({pot.budget.title}: {pot.title}) by {chosen}: "
               f"{ballots:,} ballots, {proposals:,} proposals...")
    started = time.perf_counter()
    try:
        result_pages.recount(pot, None, rule)
    except DomainError as error:
        raise click.ClickException(f"{error.message}. Nothing was counted.") from None
    click.echo(f"Counted in {time.perf_counter() - started:.2f} s.")
    _print_result(pot)


def _print_result(pot: Pot) -> None:
    page = result_pages.results_page(pot)
    if page is None:  # pragma: no cover - recount only counts a pot whose results are published
        return
    result = page.result
    click.echo(f"Funded {len(page.funded)} of {len(page.lines)} proposals: "
               f"{format_pence(result.total_spent_pence)} of {format_pence(pot.amount_pence)} spent, by {result.rule}.")
    click.echo(f"Voters: {result.voters:,} ({result.online_voters:,} online, {result.paper_voters:,} on paper, "
               f"{result.imported_voters:,} imported); {result.voters_with_funded:,} with a funded project "
               f"({result_pages.percent(page.fairness.share_with_funded)}).")
    for line in page.funded:
        click.echo(f"  {line.rank}. {line.title}: {format_pence(line.cost_pence)}, {line.votes:,} votes")
    if result.other_spent_pence is not None:
        others = sum(1 for line in page.lines if line.funded_by_other)
        click.echo(f"By {page.other_rule}: {others} funded, {format_pence(result.other_spent_pence)} spent.")
