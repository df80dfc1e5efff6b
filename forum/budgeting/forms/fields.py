"""Field builders the budgeting forms share: GOV.UK fieldsets that carry their own legend, money, and the
Markdown hint. Each field carries its label and hint (``forum.common.forms``), so templates pass only what
depends on the page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput
from wtforms import Field, RadioField, SelectMultipleField

from forum.budgeting.services.budgets import money_in_pence
from forum.common.forms import checked_by, govuk


def legend(label: str, size: str = "s", **params: Any) -> dict[str, Any]:
    """``render_kw`` for a fieldset (radios, checkboxes, a date): its legend is the field's label, at ``size``."""
    return govuk(None, fieldset={"legend": {"text": label, "classes": f"govuk-fieldset__legend--{size}"}}, **params)


def radios(label: str, size: str = "s", params: dict[str, Any] | None = None, **kwargs: Any) -> RadioField:
    return RadioField(label, widget=GovRadioInput(), render_kw=legend(label, size, **(params or {})), **kwargs)


def checkboxes(label: str, params: dict[str, Any] | None = None, **kwargs: Any) -> SelectMultipleField:
    return SelectMultipleField(label, widget=GovCheckboxesInput(), validate_choice=False,
                               render_kw=legend(label, **(params or {})), **kwargs)


def money(what: str) -> Callable[[Any, Field], None]:
    """A validator for money typed like "£12,500" or "12500.50", above £0, by the services' own check (so the
    form shows every problem at once, in the services' words). Empty passes: ``InputRequired`` says so."""
    check = checked_by(lambda text: money_in_pence(text, "", what))

    def validate(form: Any, field: Field) -> None:
        if (field.data or "").strip():
            check(form, field)

    return validate


#: A money input's display: a £ prefix and a width for 10 characters.
MONEY_INPUT = {"prefix": {"text": "£"}, "classes": "govuk-input--width-10"}
