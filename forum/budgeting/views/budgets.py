"""The budgets list and a budget's page; staff create budgets and pots and move budgets between phases."""

from __future__ import annotations

from flask import render_template

from forum.budgeting import bp
from forum.budgeting.services import overview
from forum.budgeting.views.common import budget_or_404


@bp.route("/")
def index():
    """Every budget, those people can take part in now first."""
    return render_template("budgeting/budgets/index.html", budgets=overview.budgets_in_order())


@bp.route("/<slug>")
def show(slug: str):
    """A budget: its phases, what people can do now, and its pots."""
    budget = budget_or_404(slug)
    return render_template("budgeting/budgets/show.html", budget=budget, pots=overview.pot_summaries(budget))
