"""`flask --app forum budgets ...` commands: import a pabulib file as a counted budget, export a pot's election,
count a pot again. Each command is one unit of work (``TransactionalGroup``): an import or a count is kept whole,
or not at all."""

from __future__ import annotations

import time
from pathlib import Path

import click

from forum.budgeting.models import Pot, ResultsRule
from forum.budgeting.services import counting, result_pages
from forum.budgeting.services.exchange import PUBLISHED, export_pabulib, import_election
from forum.common.errors import DomainError
from forum.common.money import format_pence
from forum.common.transaction import TransactionalGroup
from forum.extensions import db

budgets_cli = TransactionalGroup("budgets", help="Participatory budgets: import and export pabulib files, count a pot.")


@budgets_cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--rule", type=click.Choice((*ResultsRule.ALL, PUBLISHED)), default=None,
              help="How to count: greedy (skip what does not fit), greedy_no_skip, greedy_threshold, mes (equal "
                   "shares with completion), or published: the file's own rule, refused if we do not have it. "
                   "By default, the file's own rule where we have it, else greedy.")
def import_command(file: Path, rule: str | None) -> None:
    """Import FILE.pb as a budget with one pot, count it, say whether it reproduces the file's `selected`
    projects, and print the pot's id."""
    started = time.perf_counter()
    with click.progressbar(length=1, label="Importing ballots") as bar:
        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        try:
            imported = import_election(file, rule, progress)
        except DomainError as error:
            raise click.ClickException(f"{file}: {error.message}. Nothing was imported.") from None
    pot = imported.pot
    click.echo(f"Imported {file.name} as pot {pot.id} ({pot.budget.title}), counted by {imported.rule} "
               f"in {time.perf_counter() - started:.2f} s.")
    if imported.official is None:
        click.echo("The file marks no selected projects: nothing to compare with.")
    elif imported.reproduces:
        click.echo(f"Reproduces the official result: the same {len(imported.official)} projects funded.")
    else:
        missing = ", ".join(sorted(imported.official - imported.ours)) or "none"
        extra = ", ".join(sorted(imported.ours - imported.official)) or "none"
        click.echo(f"Does not reproduce the official result: officially funded but not by us: {missing}; "
                   f"funded by us but not officially: {extra}.")
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
@click.option("--queue", is_flag=True,
              help="Hand the count to the job worker (`flask jobs worker`) instead of counting here.")
def count_command(pot_id: int, rule: str | None, queue: bool) -> None:
    """Count pot POT_ID's votes (its budget must be in the results phase) with a progress bar, under the same
    lock as the count job, and print the result."""
    pot = db.session.get(Pot, pot_id)
    if pot is None:
        raise click.ClickException(f"There is no pot {pot_id}.")
    if queue:
        try:
            counting.request_count(pot, None, rule)
        except DomainError as error:
            raise click.ClickException(f"{error.message}. Nothing was queued.") from None
        click.echo(f"Queued the count of pot {pot.id}: the job worker counts it, and its results page shows "
                   "the progress.")
        return
    ballots, proposals = result_pages.pot_size(pot)
    chosen = rule or pot.budget.results_rule
    click.echo(f"Counting pot {pot.id} ({pot.budget.title}: {pot.title}) by {chosen}: "
               f"{ballots:,} ballots, {proposals:,} proposals...")
    started = time.perf_counter()
    with click.progressbar(length=counting.STEPS, label="Counting", item_show_func=lambda text: text) as bar:
        def progress(step: counting.Step) -> None:
            bar.update(step.number - 1 - bar.pos, step.text)

        try:
            counting.count_now(pot, rule, progress)
        except DomainError as error:
            raise click.ClickException(f"{error.message}. Nothing was counted.") from None
        bar.update(counting.STEPS - bar.pos, "Stored")
    click.echo(f"Counted in {time.perf_counter() - started:.2f} s.")
    _print_result(pot)


def _print_result(pot: Pot) -> None:
    page = result_pages.results_page(pot)
    if page is None:  # pragma: no cover - a pot is counted only when its results are published
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
