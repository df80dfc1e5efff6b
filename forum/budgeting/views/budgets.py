"""The budgets list and a budget's page; staff create budgets and pots and move budgets between phases."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from forum.budgeting.forms.budgets import BudgetSettingsForm, NewBudgetForm, PhaseForm, PotForm
from forum.budgeting.models import PHASE_LABELS, BallotKind, Budget
from forum.budgeting.services import budgets as budget_services
from forum.budgeting.services import overview, phases
from forum.budgeting.views.common import budget_or_404, staff_required
from forum.common.decorators import form_checks_csrf


def index():
    """Every budget, those people can take part in now first."""
    return render_template("budgeting/budgets/index.html", budgets=overview.budgets_in_order())


def show(slug: str):
    """A budget: its phases, what people can do now, and its pots."""
    budget = budget_or_404(slug)
    return _budget_page(budget, _phase_form(budget) if _runs_budgets() else None)


def _budget_page(budget: Budget, phase_form: PhaseForm | None, **context: Any) -> str:
    return render_template("budgeting/budgets/show.html", budget=budget, pots=overview.pot_summaries(budget),
                           phase_form=phase_form, **context)


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


def _phase_form(budget: Budget, formdata: Any = None) -> PhaseForm:
    form = PhaseForm(formdata=formdata)
    form.phase.choices = [(phase, PHASE_LABELS[phase]) for phase in phases.allowed_moves(budget)]
    return form


@form_checks_csrf
@staff_required
def move_phase(slug: str):
    """Move the budget to another phase; moving to results counts every pot."""
    budget = budget_or_404(slug)
    form = _phase_form(budget, request.form)
    if form.validate_on_submit():
        phases.move_budget(budget, current_user, form.phase.data)
        flash(f"{budget.title} is now in its {PHASE_LABELS[budget.phase].lower()} phase.", "success")
        return redirect(url_for("budgeting.show", slug=budget.slug))
    return _budget_page(budget, form, form=form)
