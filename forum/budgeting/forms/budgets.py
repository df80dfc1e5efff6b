"""Forms staff use to set up a budget: its settings and phase dates, and its pots. (Moving its phase is a
confirmation page, not a form: forum.budgeting.views.budgets.)"""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import DateField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from forum.budgeting.forms.fields import MONEY_INPUT, legend, money, radios
from forum.budgeting.models import Area, BallotKind, Eligibility, ResultsRule
from forum.common.forms import Form, govuk

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
    (BallotKind.ORDINAL, "Ranked: voters rank projects in order of preference (1st choice, 2nd choice, ...)"),
    (BallotKind.CHOOSE_ONE, "Choose one: each voter chooses a single project"),
]
RULE_CHOICES = [
    (ResultsRule.MES, "Method of Equal Shares, with completion: fair to every group of voters"),
    (ResultsRule.GREEDY, "Most votes first: fund the projects with the most votes that still fit"),
]
ELIGIBILITY_CHOICES = [
    (Eligibility.ANY_REGISTERED, "Anyone with an account"),
    (Eligibility.VERIFIED_RESIDENTS, "Only residents verified for the pot's area"),
]


COUNT_MESSAGE = "Enter a whole number from 1 to 1,000"
WIDTH_4 = "govuk-input--width-4"


def _count_field(label: str, description: str = "") -> IntegerField:
    return IntegerField(label, widget=GovTextInput(), render_kw=govuk(classes=WIDTH_4, inputmode="numeric"),
                        description=description,
                        validators=[Optional(), NumberRange(min=1, max=1000, message=COUNT_MESSAGE)])


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
    return DayField(label, widget=GovDateInput(), format="%d %m %Y", description="For example, 27 3 2027",
                    render_kw=legend(label))


class BudgetSettingsForm(Form):
    service_fields = {"min_spend_pence": "min_spend"}

    title = StringField("Title", widget=GovTextInput(), description="For example: Green Budget 2027",
                        render_kw=govuk(), validators=[
                            InputRequired(message="Enter a title"),
                            Length(max=200, message="Title must be 200 characters or fewer"),
                        ])
    description = TextAreaField(
        "Description", widget=GovTextArea(), render_kw=govuk(rows=8),
        description="What the money is for and how the budget works. You can use Markdown.",
        validators=[Length(max=20_000, message="Description must be 20,000 characters or fewer")],
    )
    ballot_kind = radios("How do people vote?", choices=BALLOT_CHOICES, default=BallotKind.APPROVAL)
    points_per_voter = _count_field("Points each voter spreads (points ballots only)")
    min_projects = _count_field("Fewest projects on a ballot (optional)",
                                "On a ranked ballot, the fewest projects a voter must rank.")
    max_projects = _count_field("Most projects on a ballot (optional), or ranks on a ranked ballot",
                                "A ranked ballot needs it: 3 gives each voter a 1st, 2nd and 3rd choice. "
                                "Choose-one ballots do not use these numbers.")
    min_spend = StringField("Least a ballot must spend (optional)", widget=GovTextInput(),
                            description="In pounds, like £5,000", render_kw=govuk(**MONEY_INPUT),
                            validators=[money("the minimum spend")])
    results_rule = radios("How are the results worked out?", choices=RULE_CHOICES, default=ResultsRule.MES)
    eligibility = radios("Who can vote?", choices=ELIGIBILITY_CHOICES, default=Eligibility.ANY_REGISTERED)
    collecting_from = _date_field(PHASE_DATES[0][1])
    review_from = _date_field(PHASE_DATES[1][1])
    voting_from = _date_field(PHASE_DATES[2][1])
    results_from = _date_field(PHASE_DATES[3][1])
    delivery_from = _date_field(PHASE_DATES[4][1])
    submit = SubmitField("Save changes", widget=GovSubmitInput())

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields' own checks, then: a ranked ballot offers a fixed number of ranks (pabulib's ``max_length``;
        Kraków ranks 3), so choosing it needs the most projects (only when the voting settings were sent: once
        voting opens they are not on the page)."""
        valid = super().validate(extra_validators)
        ranked = self.ballot_kind.raw_data and self.ballot_kind.data == BallotKind.ORDINAL
        if ranked and self.max_projects.data is None and not self.max_projects.errors:
            self.max_projects.errors = [*self.max_projects.errors, "Enter how many projects each voter ranks, like 3"]
            self._errors = None
            return False
        return valid

    def phase_dates(self) -> list[DayField]:
        """The date each phase starts, in order."""
        return [self[name] for name, _label in PHASE_DATES]


class PotFields(Form):
    pot_title = StringField("Name of the pot", widget=GovTextInput(), description="For example: Riverside ward",
                            render_kw=govuk(), validators=[
                                InputRequired(message="Enter a name for the pot"),
                                Length(max=200, message="Name must be 200 characters or fewer"),
                            ])
    area = SelectField("Area", widget=GovSelect(), validate_choice=False, description="The place the money is spent in",
                       render_kw=govuk())
    new_area = StringField("Or the name of a new area", widget=GovTextInput(), render_kw=govuk(),
                           description="Leave empty if you chose an area above", validators=[
                               Length(max=120, message="Area name must be 120 characters or fewer"),
                           ])
    amount = StringField("Amount of money", widget=GovTextInput(), description="In pounds, like £80,000",
                         render_kw=govuk(**MONEY_INPUT), validators=[
                             InputRequired(message="Enter the amount of money in the pot"), money("the amount"),
                         ])

    def offer(self, areas: list[Area]) -> None:
        """The areas to choose from (the view's list, by name)."""
        self.area.choices = [("", "Choose an area")] + [(str(a.id), a.name) for a in areas]


class NewBudgetForm(BudgetSettingsForm, PotFields):
    submit = SubmitField("Create budget", widget=GovSubmitInput())


class PotForm(PotFields):
    submit = SubmitField("Add pot", widget=GovSubmitInput())

