"""Forms for the proposal list's filters, proposing or editing a project, and reviewing one (syntax only: the
services check every rule again, and a cost above the pot, say, comes back from them as a field error)."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from forum.budgeting.forms.fields import MONEY_INPUT, checkboxes, money, radios
from forum.budgeting.models import Pot, Proposal, ProposalStatus
from forum.budgeting.services.submissions import DESCRIPTION_MAX, LOCATION_MAX, TITLE_MAX
from forum.common.forms import Form, checked_by, govuk, strip
from forum.common.markup import MARKDOWN_HINT
from forum.common.money import format_pence
from forum.tags import services as tag_services

#: A cost typed on a form: £ first, no spell check.
COST_INPUT = {**MONEY_INPUT, "spellcheck": False}
COST_HINT = "In pounds, for example 12,500. It cannot be more than the money in the pot{most}."


def pot_label(pot: Pot) -> str:
    return f"{pot.title}: {format_pence(pot.amount_pence)} for {pot.area.name}"


class FilterForm(Form):
    """The list's filters, sent by GET (no token: filtering changes nothing)."""

    class Meta:
        csrf = False

    pot = checkboxes("Pot", params={"classes": "govuk-checkboxes--small"}, choices=[])
    status = checkboxes("Status", params={"classes": "govuk-checkboxes--small"},
                        choices=list(ProposalStatus.LABELS.items()),
                        description="With none ticked, every proposal except withdrawn ones.")
    tag = SelectField("Tag", choices=[], validate_choice=False, widget=GovSelect(), render_kw=govuk())
    submit = SubmitField("Apply filters", widget=GovSubmitInput())

    def offer(self, pots: list[Pot], tags: list[str]) -> None:
        self.pot.choices = [(str(pot.id), pot_label(pot)) for pot in pots]
        chosen = self.tag.data or ""
        names = tags if not chosen or chosen in tags else [*tags, chosen]
        self.tag.choices = [("", "Any tag"), *((name, name) for name in names)]


class ProposalForm(Form):
    """Proposing a project, or its author changing it."""

    pot = radios("Which pot of money is your project for?", choices=[], validate_choice=False,
                 description="Each pot is money for one area.")
    title = StringField(
        "Title", widget=GovTextInput(), render_kw=govuk(),
        description="Say what the project is in a few words, up to 200 characters. "
                    "For example: Benches along the river path.",
        validators=[DataRequired(message="Enter a title"),
                    Length(max=TITLE_MAX, message=f"Keep the title to {TITLE_MAX} characters or fewer")])
    description = TextAreaField(
        "Description", widget=GovTextArea(), render_kw=govuk(rows=10),
        description=f"What the project is, who it helps and why. {MARKDOWN_HINT}",
        validators=[DataRequired(message="Describe the project: what it is and who it helps"),
                    Length(max=DESCRIPTION_MAX,
                           message=f"Keep the description to {DESCRIPTION_MAX:,} characters or fewer")])
    cost = StringField("Estimated cost", widget=GovTextInput(), render_kw=govuk(**COST_INPUT),
                       description=COST_HINT.format(most=""),
                       validators=[DataRequired(message="Enter the estimated cost, like £12,500"), money("the cost")])
    location = StringField(
        "Where (optional)", widget=GovTextInput(), render_kw=govuk(),
        description="A street, park or building, if the project is in one place.",
        validators=[Optional(), Length(max=LOCATION_MAX, message=f"Keep it to {LOCATION_MAX} characters or fewer")])
    tags = StringField("Tags (optional)", widget=GovTextInput(), render_kw=govuk(),
                       description="Up to 5, separated by commas, for example: parks, transport",
                       validators=[checked_by(tag_services.check_text)])
    submit = SubmitField("Propose the project", widget=GovSubmitInput())

    def offer(self, pots: list[Pot]) -> None:
        """The pots to choose from; with one, the cost's hint says how much money it holds."""
        self.pot.choices = [(str(pot.id), pot_label(pot)) for pot in pots]
        if len(pots) == 1:
            self.cost.description = COST_HINT.format(most=f" ({format_pence(pots[0].amount_pence)})")

    def validate_pot(self, field: SelectField) -> None:
        if len(field.choices) > 1 and not field.data:
            raise ValidationError("Choose the pot of money your project is for")

    def chosen_pot(self) -> int | None:
        raw = self.pot.data or ""
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 10 else None


class ReviewForm(Form):
    """A civil servant's review: feasible or not, a public reason, and perhaps a revised cost."""

    feasible = radios("Is the proposal feasible?", size="m", choices=[("yes", "Feasible"), ("no", "Not feasible")],
                      validators=[DataRequired(message="Choose whether the proposal is feasible")])
    reason = TextAreaField("Reason (shown to everyone)", widget=GovTextArea(), filters=[strip],
                           render_kw=govuk(rows=5),
                           description="Required when the proposal is not feasible: say why, in plain words.",
                           validators=[Length(max=DESCRIPTION_MAX)])
    cost = StringField("Revised cost (optional)", widget=GovTextInput(), render_kw=govuk(**COST_INPUT),
                       validators=[money("the cost")])
    cost_reason = TextAreaField("Why the cost changes", widget=GovTextArea(), filters=[strip], render_kw=govuk(rows=3),
                                description="Required when you revise the cost.",
                                validators=[Length(max=DESCRIPTION_MAX)])
    submit = SubmitField("Save the review", widget=GovSubmitInput())

    def describe(self, proposal: Proposal) -> None:
        """The revised cost's hint names the cost it would replace."""
        self.cost.description = (f"Leave blank to keep {format_pence(proposal.cost_pence)}. "
                                 "The original and the new cost are both shown.")
