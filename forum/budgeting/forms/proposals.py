"""Forms for the proposal list's filters, proposing or editing a project, and reviewing one (syntax only: the
services check every rule again, and a cost above the pot, say, comes back from them as a field error)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from forum.budgeting.models import Pot, ProposalStatus
from forum.budgeting.services.budgets import money_in_pence
from forum.budgeting.services.submissions import DESCRIPTION_MAX, LOCATION_MAX, TITLE_MAX
from forum.common.errors import ValidationFailed
from forum.common.money import format_pence
from forum.tags import services as tag_services


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _cost(form: FlaskForm, field: StringField) -> None:
    """The same check, and message, as the service: an amount of money above £0."""
    if not (field.data or "").strip():
        return
    try:
        money_in_pence(field.data, field.name, "the cost")
    except ValidationFailed as refused:
        raise ValidationError(refused.message) from None


def _tags(form: FlaskForm, field: StringField) -> None:
    names = tag_services.parse(field.data or "")
    if len(names) > tag_services.MAX_TAGS:
        raise ValidationError(f"Enter no more than {tag_services.MAX_TAGS} tags (you entered {len(names)})")
    if any(len(name) > tag_services.MAX_TAG_LENGTH for name in names):
        raise ValidationError(f"Each tag must be {tag_services.MAX_TAG_LENGTH} characters or fewer")


def pot_label(pot: Pot) -> str:
    return f"{pot.title}: {format_pence(pot.amount_pence)} for {pot.area.name}"


class FilterForm(FlaskForm):
    """The list's filters, sent by GET (no token: filtering changes nothing)."""

    class Meta:
        csrf = False

    pot = SelectMultipleField("Pot", choices=[], validate_choice=False, widget=GovCheckboxesInput())
    status = SelectMultipleField("Status", choices=list(ProposalStatus.LABELS.items()), validate_choice=False,
                                 widget=GovCheckboxesInput())
    tag = SelectField("Tag", choices=[], validate_choice=False, widget=GovSelect())
    submit = SubmitField("Apply filters", widget=GovSubmitInput())

    def offer(self, pots: list[Pot], tags: list[str]) -> None:
        self.pot.choices = [(str(pot.id), pot_label(pot)) for pot in pots]
        chosen = self.tag.data or ""
        names = tags if not chosen or chosen in tags else [*tags, chosen]
        self.tag.choices = [("", "Any tag"), *((name, name) for name in names)]


class ProposalForm(FlaskForm):
    """Proposing a project, or its author changing it."""

    pot = RadioField("Which pot of money is your project for?", choices=[], validate_choice=False,
                     widget=GovRadioInput())
    title = StringField("Title", filters=[_strip], widget=GovTextInput(), validators=[
        DataRequired(message="Enter a title"),
        Length(max=TITLE_MAX, message=f"Keep the title to {TITLE_MAX} characters or fewer")])
    description = TextAreaField("Description", widget=GovTextArea(), validators=[
        DataRequired(message="Describe the project: what it is and who it helps"),
        Length(max=DESCRIPTION_MAX, message=f"Keep the description to {DESCRIPTION_MAX:,} characters or fewer")])
    cost = StringField("Estimated cost", filters=[_strip], widget=GovTextInput(), validators=[
        DataRequired(message="Enter the estimated cost, like £12,500"), _cost])
    location = StringField("Where (optional)", filters=[_strip], widget=GovTextInput(), validators=[
        Optional(), Length(max=LOCATION_MAX, message=f"Keep it to {LOCATION_MAX} characters or fewer")])
    tags = StringField("Tags (optional)", filters=[_strip], widget=GovTextInput(), validators=[_tags])
    submit = SubmitField("Propose the project", widget=GovSubmitInput())

    def offer(self, pots: list[Pot]) -> None:
        self.pot.choices = [(str(pot.id), pot_label(pot)) for pot in pots]

    def validate_pot(self, field: RadioField) -> None:
        if len(field.choices) > 1 and not field.data:
            raise ValidationError("Choose the pot of money your project is for")

    def chosen_pot(self) -> int | None:
        raw = self.pot.data or ""
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 10 else None


class ReviewForm(FlaskForm):
    """A civil servant's review: feasible or not, a public reason, and perhaps a revised cost."""

    feasible = RadioField("Is the proposal feasible?", choices=[("yes", "Feasible"), ("no", "Not feasible")],
                          widget=GovRadioInput(),
                          validators=[DataRequired(message="Choose whether the proposal is feasible")])
    reason = TextAreaField("Reason (shown to everyone)", widget=GovTextArea(), filters=[_strip],
                           validators=[Length(max=DESCRIPTION_MAX)])
    cost = StringField("Revised cost (optional)", filters=[_strip], widget=GovTextInput(), validators=[_cost])
    cost_reason = TextAreaField("Why the cost changes", widget=GovTextArea(), filters=[_strip],
                                validators=[Length(max=DESCRIPTION_MAX)])
    submit = SubmitField("Save the review", widget=GovSubmitInput())


def field_error(form: FlaskForm, field_name: str | None, message: str) -> None:
    """Show a service's refusal by the field it concerns (or the form's first field), as a form error would be."""
    fields = [f for name, f in form._fields.items() if name != "csrf_token"]
    field = form._fields.get(field_name or "") or fields[0]
    field.errors = [*field.errors, message]
