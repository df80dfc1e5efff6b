"""A pot's results page, its election as a pabulib download, and a count asked for by staff.

The page reads only the stored result and the count's state (services/result_pages.py); the ballots are read
when the pot is counted, by the count job (moving the budget to results, this page's count buttons) or
``flask budgets count POT``, and by the download. While a count is queued or running the page says "Counting
the votes" with its progress, which a script follows through ``results/count.json``.
"""

from __future__ import annotations

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from forum.budgeting.services import counting, result_pages
from forum.budgeting.services.exchange import export_pabulib
from forum.budgeting.views.common import pot_or_404, staff_required
from forum.common.confirm import Confirmation, confirm_page
from forum.common.errors import ValidationFailed


def proposal_href(proposal_id: int) -> str:
    return url_for("budgeting.proposal", proposal_id=proposal_id)


def _is_staff() -> bool:
    return bool(current_user.is_authenticated and current_user.runs_budgets)


def results(pot_id: int):
    """Funded and unfunded proposals, the rule in plain English, the other rule side by side, fairness; or the
    count's progress while the votes are being counted."""
    pot = pot_or_404(pot_id)
    result, count = result_pages.result_and_count(pot)
    progress = counting.progress_of(count, pot.budget.results_rule) if count is not None else None
    context = {"pot": pot, "budget": pot.budget, "proposal_href": proposal_href, "percent": result_pages.percent,
               "progress": progress, "staff": _is_staff()}
    if progress is not None and not progress.finished and result_pages.is_published(pot):
        return render_template("budgeting/results/counting.html", **context)
    page = result_pages.results_page(pot, result) if result is not None else None
    if page is None:
        return render_template("budgeting/results/waiting.html", **context)
    return render_template("budgeting/results/show.html", page=page, **context)


def count_status(pot_id: int):
    """Where the pot's count stands, as JSON, for the counting page's script (static/js/count-progress.js)."""
    pot = pot_or_404(pot_id)
    count = counting.count_of(pot) if result_pages.is_published(pot) else None
    if count is None:
        body = {"state": None, "finished": True, "message": "", "step": 0, "steps": 0, "elapsed": "", "error": None}
    else:
        body = counting.progress_of(count, pot.budget.results_rule).as_json(staff=_is_staff())
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


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
    """Queue a count of a pot's votes (staff), while its budget is in the results phase. Counting again replaces
    the published result, so it is asked first (GET); a first count (or trying a failed first count again),
    with nothing published, is one button."""
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
        counting.request_count(pot, current_user)
    except ValidationFailed as refusal:
        # A button with no form: the refusal (not the results phase, or a count already running) is said on
        # the results page it came from. Nothing was queued.
        flash(refusal.message, "error")
    else:
        flash("The votes are being counted: the result is shown on this page as soon as it is stored.", "success")
    return redirect(url_for("budgeting.results", pot_id=pot_id))
