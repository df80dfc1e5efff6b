"""Forms for verifying residents: staff verify one person, revoke, or make codes; a resident enters a code."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from forum.budgeting.services.verification import BATCH_MAX, MAX_CODES, NOTE_MAX


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class VerifyResidentForm(FlaskForm):
    person = StringField("Email address or handle", widget=GovTextInput(), filters=[_strip], validators=[
        InputRequired(message="Enter the person's email address or handle"),
        Length(max=254, message="Enter an email address or handle of 254 characters or fewer"),
    ])
    note = StringField("How you checked (optional)", widget=GovTextInput(), filters=[_strip], validators=[
        Length(max=NOTE_MAX, message=f"Keep the note to {NOTE_MAX:,} characters or fewer"),
    ])
    submit = SubmitField("Verify resident", widget=GovSubmitInput())


class RevokeForm(FlaskForm):
    reason = TextAreaField("Why are you revoking this verification?", widget=GovTextArea(), filters=[_strip],
                           validators=[
                               InputRequired(message="Explain why the verification is revoked"),
                               Length(max=NOTE_MAX, message=f"Keep the reason to {NOTE_MAX:,} characters or fewer"),
                           ])
    submit = SubmitField("Revoke verification", widget=GovSubmitInput())


COUNT_MESSAGE = f"Enter a number of codes from 1 to {MAX_CODES:,}"


def _whole_number(form: FlaskForm, field: StringField) -> None:
    """A whole number from 1 to MAX_CODES ("1,000" allowed); the number itself is ``count_value``."""
    raw = (field.data or "").replace(",", "").strip()
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_CODES:
        raise ValidationError(COUNT_MESSAGE)


class CodesForm(FlaskForm):
    count = StringField("How many codes?", widget=GovTextInput(), filters=[_strip], validators=[_whole_number])
    batch = StringField("Batch name", widget=GovTextInput(), filters=[_strip], validators=[
        InputRequired(message="Enter a name for this batch, like the letters it goes out with"),
        Length(max=BATCH_MAX, message=f"Keep the batch name to {BATCH_MAX} characters or fewer"),
    ])
    submit = SubmitField("Make codes and download them", widget=GovSubmitInput())

    @property
    def count_value(self) -> int:
        return int((self.count.data or "0").replace(",", ""))


class EnterCodeForm(FlaskForm):
    code = StringField("Verification code", widget=GovTextInput(), filters=[_strip], validators=[
        InputRequired(message="Enter the verification code you were sent"),
        Length(max=40, message="That code is not valid or has already been used. Check it and try again"),
    ])
    submit = SubmitField("Verify me", widget=GovSubmitInput())
