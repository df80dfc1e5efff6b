"""The delivery update form: where a funded project stands, on which day, how far along, and a note."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import DateField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from forum.budgeting.models import DeliveryStatus
from forum.budgeting.services.delivery import NOTE_MAX

STATUS_CHOICES = [
    (DeliveryStatus.PLANNED, "Planned"),
    (DeliveryStatus.IN_PROGRESS, "In progress"),
    (DeliveryStatus.DELIVERED, "Delivered"),
]


class DayMonthYearField(DateField):
    """GOV.UK's date input: three boxes (day, month, year) sent under one name, with GOV.UK's messages."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(label, format="%d %m %Y", widget=GovDateInput(), **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return
        parts = [v.strip() for v in valuelist]
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


class DeliveryUpdateForm(FlaskForm):
    status = RadioField("Where does the project stand?", choices=STATUS_CHOICES, widget=GovRadioInput(),
                        validators=[DataRequired(message="Choose where the project stands")])
    happened_on = DayMonthYearField("Date")
    percent = StringField("How far along is it?", widget=GovTextInput(),
                          validators=[DataRequired(message="Enter how far along the project is, from 0 to 100")])
    note = TextAreaField("Note", widget=GovTextArea(), validators=[
        DataRequired(message="Enter a note on what has happened"),
        Length(max=NOTE_MAX, message=f"Keep the note to {NOTE_MAX:,} characters or fewer")])
    submit = SubmitField("Post the update", widget=GovSubmitInput())
