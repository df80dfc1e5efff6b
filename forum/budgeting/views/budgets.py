"""The budgets list and a budget's page; staff create budgets and pots and move budgets between phases.

Moving a budget is asked first on the one confirmation page (forum.common.confirm), which says what the move
does: the budget page links to it, one link per phase the budget may move to.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from forum.budgeting.forms.budgets import BudgetSettingsForm, NewBudgetForm, PotForm
from forum.budgeting.models import PHASE_LABELS, BallotKind, Budget, Phase
from forum.budgeting.services import budgets as budget_services
from forum.budgeting.services import overview, phases
from forum.budgeting.views.common import budget_or_404, staff_required
from forum.common.confirm import Confirmation, confirm_page
from forum.common.decorators import form_checks_csrf
from forum.common.errors import ValidationFailed

#: For each phase a budget may move to: the confirmation's question and its button (the budget page's link
#: says the button's words).
MOVES = {
    Phase.COLLECTING: ("Reopen proposing?", "Reopen proposing"),
    Phase.REVIEW: ("Close proposing and start the review?", "Start the review"),
    Phase.VOTING: ("Open voting?", "Open voting"),
    Phase.RESULTS: ("Close voting and publish the results?", "Close voting and count the votes"),
    Phase.DELIVERY: ("Start delivery?", "Start delivery"),
}


def index():
    """Every budget, those people can take part in now first."""
    return render_template("budgeting/budgets/index.html", budgets=overview.budgets_in_order())


def show(slug: str):
    """A budget: its phases, what people can do now, and its pots; staff see how to run it."""
    budget = budget_or_404(slug)
    return render_template("budgeting/budgets/show.html", budget=budget, pots=overview.pot_summaries(budget),
                           staff=_runs_budgets(), moves=_move_links(budget) if _runs_budgets() else [])


def _move_links(budget: Budget) -> list[dict[str, Any]]:
    """The moves staff may make from here, the next phase forward first: its words and the confirmation's URL."""
    moves = sorted(phases.allowed_moves(budget), key=lambda phase: phase == Phase.COLLECTING)
    return [{"phase": phase, "text": MOVES[phase][1] if n == 0 else f"Move to {PHASE_LABELS[phase].lower()}",
             "href": url_for("budgeting.move_phase", slug=budget.slug, to=phase.value)}
            for n, phase in enumerate(moves)]


def _runs_budgets() -> bool:
    return current_user.is_authenticated and current_user.runs_budgets


def _settings(form: BudgetSettingsForm, voting: bool = True) -> dict[str, Any]:
    """The form's settings for the services; ``voting`` False leaves out those fixed once voting opens."""
    settings: dict[str, Any] = {}
    if voting:
        settings = {
            "ballot_kind": form.ballot_kind.data, "results_rule": form.results_rule.data,
            "eligibility": form.eligibility.data, "min_projects": form.min_projects.data,
            "max_projects": form.max_projects.data, "min_spend_pence": form.min_spend.data or None,
            "points_per_voter": (form.points_per_voter.data if form.ballot_kind.data == BallotKind.CUMULATIVE
                                 else None),
        }
    for field in form.phase_dates():
        settings[field.name] = None if field.data is None else _midnight(field.data)
    return settings


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


@form_checks_csrf
@staff_required
def new():
    """Create a budget with its first pot."""
    form = NewBudgetForm()
    form.offer(budget_services.areas_by_name())
    if form.validate_on_submit():
        budget = budget_services.create_budget(form.title.data, form.description.data or "",
                                               created_by=current_user, **_settings(form))
        budget_services.create_pot(budget, budget_services.pot_area(form.area.data, form.new_area.data),
                                   form.pot_title.data, form.amount.data)
        flash(f"{budget.title} was created. It is collecting proposals.", "success")
        return redirect(url_for("budgeting.show", slug=budget.slug))
    return render_template("budgeting/budgets/new.html", form=form)


@form_checks_csrf
@staff_required
def edit(slug: str):
    """Change a budget's title, description, dates and (until voting opens) how people vote."""
    budget = budget_or_404(slug)
    form = BudgetSettingsForm(obj=budget)
    if not form.is_submitted():
        form.description.data = budget.description_source
        form.min_spend.data = f"{budget.min_spend_pence / 100:.2f}" if budget.min_spend_pence else ""
    open_to_change = budget_services.voting_settings_open(budget)
    if form.validate_on_submit():
        budget_services.update_budget(budget, current_user, form.title.data, form.description.data or "",
                                      **_settings(form, voting=open_to_change))
        flash("Your changes were saved.", "success")
        return redirect(url_for("budgeting.show", slug=budget.slug))
    return render_template("budgeting/budgets/edit.html", form=form, budget=budget, locked=not open_to_change)


@form_checks_csrf
@staff_required
def new_pot(slug: str):
    """Add a pot of money for another area (before voting opens)."""
    budget = budget_or_404(slug)
    form = PotForm()
    form.offer(budget_services.areas_by_name())
    if form.validate_on_submit():
        budget_services.add_pot(budget, current_user, form.area.data, form.new_area.data, form.pot_title.data,
                                form.amount.data)
        flash(f"The pot {form.pot_title.data} was added.", "success")
        return redirect(url_for("budgeting.show", slug=budget.slug))
    return render_template("budgeting/budgets/new_pot.html", form=form, budget=budget)


def _move_confirmation(budget: Budget, phase: Phase) -> Confirmation:
    heading, button = MOVES[phase]
    budget_url = url_for("budgeting.show", slug=budget.slug)
    reversible = {budget.phase, phase} == {Phase.COLLECTING, Phase.REVIEW}
    return Confirmation(
        heading=heading, action=url_for("budgeting.move_phase", slug=budget.slug, to=phase.value), button=button,
        cancel=budget_url, caption=f"Move the budget from {PHASE_LABELS[budget.phase].lower()}", subject=budget.title,
        consequences=phases.what_moving_does(budget, phase),
        warning=None if reversible else "You cannot undo this: a budget cannot go back once voting opens.",
        breadcrumbs=[{"text": "Budgets", "href": url_for("budgeting.index")},
                     {"text": budget.title, "href": budget_url}],
        destructive=False,
    )


@staff_required
def move_phase(slug: str):
    """Ask (GET), then move the budget to the phase ``to`` names (POST; ``phase`` in the form also works).
    Moving to results closes voting and counts every pot."""
    budget = budget_or_404(slug)
    wanted = request.form.get("phase") or request.args.get("to") or ""
    if not wanted:
        raise ValidationFailed("Choose the phase to move the budget to", field="phase")
    phases.check_move(budget, wanted)
    if request.method == "GET":
        return confirm_page(_move_confirmation(budget, Phase(wanted)))
    phases.move_budget(budget, current_user, wanted)
    flash(f"{budget.title} is now in its {PHASE_LABELS[budget.phase].lower()} phase.", "success")
    return redirect(url_for("budgeting.show", slug=budget.slug))
