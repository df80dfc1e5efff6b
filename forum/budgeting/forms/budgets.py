"""Forms staff use to set up a budget: its settings and phase dates, its pots, and moving its phase."""

from __future__ import annotations

from collections.abc import Callable

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields import Field
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from forum.budgeting.models import BallotKind, Eligibility, ResultsRule
from forum.common.money import parse_pence

PHASE_DATES = (
    ("collecting_from", "Collecting proposals starts"),
    ("review_from", "Review starts"),
    ("voting_from", "Voting opens"),
    ("results_from", "Voting closes and results are published"),
    ("delivery_from", "Delivery starts"),
)

BALLOT_CHOICES = [
    (BallotKind.APPROVAL, "Approval: voters choose projects whose total cost fits within the pot"),
    (BallotKind.CUMULATIVE, "Points: voters spread a number of points over the projects"),
]
RULE_CHOICES = [
    (ResultsRule.MES, "Method of Equal Shares, with completion: fair to every group of voters"),
    (ResultsRule.GREEDY, "Most votes first: fund the projects with the most votes that still fit"),
]
ELIGIBILITY_CHOICES = [
    (Eligibility.ANY_REGISTERED, "Anyone with an account"),
    (Eligibility.VERIFIED_RESIDENTS, "Only residents verified for the pot's area"),
]


def money(what: str) -> Callable[[FlaskForm, Field], None]:
    """A validator for money typed like "£12,500" or "12500.50": above zero, else a message naming ``what``.
    The services check again; this lets the form show every problem at once."""

    def check(form: FlaskForm, field: Field) -> None:
        if not field.data:
            return
        try:
            pence = parse_pence(field.data)
        except ValueError:
            raise ValidationError(f"Enter {what} in pounds, like £12,500 or 12500.50") from None
        if pence <= 0:
            raise ValidationError(f"{what.capitalize()} must be more than £0")

    return check


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _count_field(label: str) -> IntegerField:
    return IntegerField(label, widget=GovTextInput(), validators=[
        Optional(), NumberRange(min=1, max=1000, message="Enter a whole number from 1 to 1,000"),
    ])


class DayField(DateField):
    """GOV.UK's date input: three boxes (day, month, year) sent under one name. Missing boxes count as empty,
    all empty is no date, and anything else must be a real date."""

    def process_formdata(self, valuelist: list[str]) -> None:
        parts = [str(v).strip() for v in (list(valuelist) + ["", "", ""])[:3]]
        self.raw_data = parts
        if not any(parts):
            self.data = None
            return
        try:
            super().process_formdata([" ".join(parts)])
        except ValueError:
            self.data = None
            raise ValueError(f"{self.label.text} must be a real date, like 27 3 2027") from None


def _date_field(label: str) -> DayField:
    return DayField(label, widget=GovDateInput(), format="%d %m %Y")


class BudgetSettingsForm(FlaskForm):
    title = StringField("Title", widget=GovTextInput(), filters=[_strip], validators=[
        InputRequired(message="Enter a title"), Length(max=200, message="Title must be 200 characters or fewer"),
    ])
    description = TextAreaField("Description", widget=GovTextArea(), validators=[
        Length(max=20_000, message="Description must be 20,000 characters or fewer"),
    ])
    ballot_kind = RadioField("How do people vote?", choices=BALLOT_CHOICES, default=BallotKind.APPROVAL,
                             widget=GovRadioInput())
    points_per_voter = _count_field("Points each voter spreads (points ballots only)")
    min_projects = _count_field("Fewest projects on a ballot (optional)")
    max_projects = _count_field("Most projects on a ballot (optional)")
    min_spend = StringField("Least a ballot must spend (optional)", widget=GovTextInput(), filters=[_strip],
                            validators=[money("the minimum spend")])
    results_rule = RadioField("How are the results worked out?", choices=RULE_CHOICES, default=ResultsRule.MES,
                              widget=GovRadioInput())
    eligibility = RadioField("Who can vote?", choices=ELIGIBILITY_CHOICES, default=Eligibility.ANY_REGISTERED,
                             widget=GovRadioInput())
    collecting_from = _date_field(PHASE_DATES[0][1])
    review_from = _date_field(PHASE_DATES[1][1])
    voting_from = _date_field(PHASE_DATES[2][1])
    results_from = _date_field(PHASE_DATES[3][1])
    delivery_from = _date_field(PHASE_DATES[4][1])
    submit = SubmitField("Save", widget=GovSubmitInput())


class PotFields(FlaskForm):
    pot_title = StringField("Name of the pot", widget=GovTextInput(), filters=[_strip], validators=[
        InputRequired(message="Enter a name for the pot"),
        Length(max=200, message="Name must be 200 characters or fewer"),
    ])
    area = SelectField("Area", widget=GovSelect(), validate_choice=False)
    new_area = StringField("Or a new area", widget=GovTextInput(), filters=[_strip], validators=[
        Length(max=120, message="Area name must be 120 characters or fewer"),
    ])
    amount = StringField("Amount of money", widget=GovTextInput(), filters=[_strip], validators=[
        InputRequired(message="Enter the amount of money in the pot"), money("the amount"),
    ])


class NewBudgetForm(BudgetSettingsForm, PotFields):
    submit = SubmitField("Create budget", widget=GovSubmitInput())


class PotForm(PotFields):
    submit = SubmitField("Add pot", widget=GovSubmitInput())


class PhaseForm(FlaskForm):
    phase = RadioField("Move the budget to", widget=GovRadioInput(), validate_choice=False,
                       validators=[InputRequired(message="Choose the phase to move the budget to")])
    submit = SubmitField("Move the budget", widget=GovSubmitInput())
