"""The budgets list and a budget's page; staff create budgets and pots and move budgets between phases."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from forum.budgeting import bp
from forum.budgeting.forms.budgets import PHASE_DATES, BudgetSettingsForm, NewBudgetForm, PhaseForm, PotForm
from forum.budgeting.models import Area, BallotKind, Budget, Phase
from forum.budgeting.services import budgets as budget_services
from forum.budgeting.services import overview, phases
from forum.budgeting.views.common import budget_or_404, staff_required
from forum.common.decorators import form_checks_csrf
from forum.common.errors import ValidationFailed
from forum.extensions import db
from forum.groups.forms import explain_expired_session
from forum.threads.forms import add_error

# Service field names that differ from the form's.
FORM_FIELDS = {"min_spend_pence": "min_spend", "title": "title", "amount": "amount"}


@bp.route("/")
def index():
    """Every budget, those people can take part in now first."""
    return render_template("budgeting/budgets/index.html", budgets=overview.budgets_in_order())


@bp.route("/<slug>")
def show(slug: str):
    """A budget: its phases, what people can do now, and its pots."""
    budget = budget_or_404(slug)
    return render_template("budgeting/budgets/show.html", budget=budget, pots=overview.pot_summaries(budget),
                           phase_form=_phase_form(budget) if _runs_budgets() else None)


def _runs_budgets() -> bool:
    return current_user.is_authenticated and current_user.runs_budgets


def _area_choices(form: Any) -> None:
    areas = db.session.scalars(select(Area).order_by(Area.name))
    form.area.choices = [("", "Choose an area")] + [(str(a.id), a.name) for a in areas]


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
    for name, _label in PHASE_DATES:
        value = getattr(form, name).data
        settings[name] = None if value is None else _midnight(value)
    return settings


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def _pot_area(form: Any) -> Area:
    """The area chosen from the list, or the new one typed (made if it does not exist)."""
    if form.new_area.data:
        return budget_services.area_by_name(form.new_area.data)
    area = db.session.get(Area, int(form.area.data)) if (form.area.data or "").isdigit() else None
    if area is None:
        raise ValidationFailed("Choose an area, or type the name of a new one", field="area")
    return area


def _show_error(form: Any, error: ValidationFailed) -> None:
    db.session.rollback()
    add_error(form, FORM_FIELDS.get(error.field or "", error.field or "title"), error.message)


@bp.route("/new", methods=["GET", "POST"])
@form_checks_csrf
@staff_required
def new():
    """Create a budget with its first pot."""
    form = NewBudgetForm()
    _area_choices(form)
    if form.validate_on_submit():
        try:
            budget = budget_services.create_budget(form.title.data, form.description.data or "",
                                                   created_by=current_user, commit=False, **_settings(form))
            budget_services.create_pot(budget, _pot_area(form), form.pot_title.data, form.amount.data, commit=False)
            db.session.commit()
        except ValidationFailed as error:
            _show_error(form, error)
        else:
            flash(f"{budget.title} was created. It is collecting proposals.", "success")
            return redirect(url_for("budgeting.show", slug=budget.slug))
    explain_expired_session(form)
    return render_template("budgeting/budgets/new.html", form=form)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@form_checks_csrf
@staff_required
def edit(slug: str):
    """Change a budget's title, description, dates and (until voting opens) how people vote."""
    budget = budget_or_404(slug)
    form = BudgetSettingsForm(obj=budget)
    if not form.is_submitted():
        form.description.data = budget.description_source
        form.min_spend.data = f"{budget.min_spend_pence / 100:.2f}" if budget.min_spend_pence else ""
    if form.validate_on_submit():
        try:
            budget_services.update_budget(budget, current_user, form.title.data, form.description.data or "",
                                          **_settings(form, voting=budget.phase in ("collecting", "review")))
        except ValidationFailed as error:
            _show_error(form, error)
        else:
            flash("Your changes were saved.", "success")
            return redirect(url_for("budgeting.show", slug=budget.slug))
    explain_expired_session(form)
    return render_template("budgeting/budgets/edit.html", form=form, budget=budget)


@bp.route("/<slug>/pots/new", methods=["GET", "POST"])
@form_checks_csrf
@staff_required
def new_pot(slug: str):
    """Add a pot of money for another area (before voting opens)."""
    budget = budget_or_404(slug)
    form = PotForm()
    _area_choices(form)
    if form.validate_on_submit():
        try:
            if budget.phase not in ("collecting", "review"):
                raise ValidationFailed("Pots can only be added before voting opens", field="pot_title")
            budget_services.create_pot(budget, _pot_area(form), form.pot_title.data, form.amount.data, commit=False)
            db.session.commit()
        except ValidationFailed as error:
            _show_error(form, error)
        else:
            flash(f"The pot {form.pot_title.data} was added.", "success")
            return redirect(url_for("budgeting.show", slug=budget.slug))
    explain_expired_session(form)
    return render_template("budgeting/budgets/new_pot.html", form=form, budget=budget)


def _phase_form(budget: Budget, formdata: Any = None) -> PhaseForm:
    form = PhaseForm(formdata=formdata) if formdata is not None else PhaseForm(formdata=None)
    form.phase.choices = [(p, Phase.LABELS[p]) for p in phases.allowed_moves(budget)]
    return form


@bp.route("/<slug>/phase", methods=["POST"])
@form_checks_csrf
@staff_required
def move_phase(slug: str):
    """Move the budget to another phase; moving to results counts every pot."""
    budget = budget_or_404(slug)
    form = _phase_form(budget, request.form)
    if form.validate_on_submit():
        try:
            phases.move_budget(budget, current_user, form.phase.data)
        except ValidationFailed as error:
            form.phase.errors = [error.message]
        else:
            flash(f"{budget.title} is now in its {Phase.LABELS[budget.phase].lower()} phase.", "success")
            return redirect(url_for("budgeting.show", slug=budget.slug))
    explain_expired_session(form)
    return render_template("budgeting/budgets/show.html", budget=budget, pots=overview.pot_summaries(budget),
                           phase_form=form, form=form), 200
