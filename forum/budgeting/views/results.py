"""A pot's results page, its election as a pabulib download, and a recount by staff.

The page reads only the stored result (services/result_pages.py); the ballots are read when the pot is counted
(moving the budget to results, this page's recount button, or ``flask budgets count POT``) and by the download.
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from forum.budgeting.services import result_pages
from forum.budgeting.services.exchange import export_pabulib
from forum.budgeting.views.common import pot_or_404, staff_required
from forum.common.confirm import Confirmation, confirm_page
from forum.common.errors import ValidationFailed
from forum.common.money import format_pence


def proposal_href(proposal_id: int) -> str:
    return url_for("budgeting.proposal", proposal_id=proposal_id)


def results(pot_id: int):
    """Funded and unfunded proposals, the rule in plain English, the other rule side by side, fairness."""
    pot = pot_or_404(pot_id)
    page = result_pages.results_page(pot)
    context = {"pot": pot, "budget": pot.budget, "proposal_href": proposal_href, "percent": result_pages.percent}
    if page is None:
        return render_template("budgeting/results/waiting.html", **context)
    return render_template("budgeting/results/show.html", page=page, **context)


def results_export(pot_id: int):
    """The pot's election as a pabulib file: anonymous voter ids, our winners in the ``selected`` column."""
    pot = pot_or_404(pot_id)
    if not result_pages.is_published(pot) or result_pages.stored_result(pot) is None:
        abort(404)
    filename = result_pages.export_filename(pot)
    return Response(export_pabulib(pot), content_type="text/plain; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@staff_required
def count_pot(pot_id: int):
    """Count a pot's votes (staff), while its budget is in the results phase. Counting again replaces the
    published result, so it is asked first (GET); a first count, with nothing published, is one button."""
    pot = pot_or_404(pot_id)
    back = url_for("budgeting.results", pot_id=pot_id)
    if request.method == "GET":
        if result_pages.stored_result(pot) is None:
            return redirect(back)
        return confirm_page(Confirmation(
            heading="Count the votes again?", subject=f"Results: {pot.title}",
            action=url_for("budgeting.count_pot", pot_id=pot_id), button="Count the votes again", cancel=back,
            consequences=[
                "Every ballot in this pot is read again and counted by the budget's rule.",
                "The result shown on the results page is replaced by the new count: if ballots were entered or "
                "changed since, the funded proposals may change.",
            ],
            warning="The result now published will no longer be shown.",
            breadcrumbs=[{"text": "Budgets", "href": url_for("budgeting.index")},
                         {"text": pot.budget.title, "href": url_for("budgeting.show", slug=pot.budget.slug)},
                         {"text": f"Results: {pot.title}", "href": back}],
        ))
    try:
        result = result_pages.recount(pot, current_user)
    except ValidationFailed as refusal:
        # A button with no form: the refusal (the budget is not in its results phase) is said on the results
        # page it came from. The recount checks before it counts, so nothing was changed.
        flash(refusal.message, "error")
    else:
        funded = sum(1 for line in result.lines if line.funded)
        flash(f"The votes were counted again: {result.voters:,} ballots, {funded} proposals funded, "
              f"{format_pence(result.total_spent_pence)} spent.", "success")
    return redirect(url_for("budgeting.results", pot_id=pot_id))
