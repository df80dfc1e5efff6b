"""The delivery update form: where a funded project stands, on which day, how far along, and a note."""

from __future__ import annotations

from datetime import date
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import DateField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from forum.budgeting.forms.fields import legend, radios
from forum.budgeting.models import DeliveryStatus
from forum.budgeting.services.delivery import NOTE_MAX
from forum.common.forms import Form, govuk
from forum.common.markup import MARKDOWN_HINT

STATUS_CHOICES = [
    (DeliveryStatus.PLANNED, "Planned"),
    (DeliveryStatus.IN_PROGRESS, "In progress"),
    (DeliveryStatus.DELIVERED, "Delivered"),
]


class DayMonthYearField(DateField):
    """GOV.UK's date input: three boxes (day, month, year) sent under one name, with GOV.UK's messages."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(label, format="%d %m %Y", widget=GovDateInput(), render_kw=legend(label), **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        parts = [v.strip() for v in valuelist]
        # GOV.UK's widget shows three boxes and unpacks three values: a request with fewer or more (hand-made, or
        # a form cut short) gets them back as typed, padded or cut to three, rather than a 500
        self.raw_data = (parts + ["", "", ""])[:3]
        self.data = None
        if not any(parts):
            raise ValueError("Enter the date of the update")
        if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts):
            raise ValueError("Enter the date as numbers: day, month and year, like 27 3 2027")
        day, month, year = (int(p) for p in parts)
        if year < 1000:
            raise ValueError("Enter the year with 4 numbers, like 2027")
        try:
            self.data = date(year, month, day)
        except ValueError:
            raise ValueError("Enter a real date, like 27 3 2027") from None


class DeliveryUpdateForm(Form):
    status = radios("Where does the project stand?", choices=STATUS_CHOICES,
                    validators=[DataRequired(message="Choose where the project stands")])
    happened_on = DayMonthYearField(
        "Date", description="When it happened, or for a planned step when it is planned. For example, 27 3 2027")
    percent = StringField(
        "How far along is it?", widget=GovTextInput(),
        description="A whole number from 0 to 100. A delivered project is 100% complete.",
        render_kw=govuk(suffix={"text": "%"}, classes="govuk-input--width-3", inputmode="numeric", spellcheck=False),
        validators=[DataRequired(message="Enter how far along the project is, from 0 to 100")])
    note = TextAreaField("Note", widget=GovTextArea(), render_kw=govuk(rows=6),
                         description=f"What has happened, or what happens next. {MARKDOWN_HINT}", validators=[
                             DataRequired(message="Enter a note on what has happened"),
                             Length(max=NOTE_MAX, message=f"Keep the note to {NOTE_MAX:,} characters or fewer")])
    submit = SubmitField("Post the update", widget=GovSubmitInput())
