"""Forms for verifying residents: staff verify one person, revoke, or make codes; a resident enters a code."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from forum.budgeting.services.verification import BATCH_MAX, MAX_CODES, NOTE_MAX
from forum.common.forms import Form, govuk, strip


class VerifyResidentForm(Form):
    person = StringField(
        "Email address or handle", widget=GovTextInput(),
        description="The email address they signed up with, or the handle in their profile's address, like ann-smith.",
        render_kw=govuk(spellcheck=False, autocomplete="off"), validators=[
            InputRequired(message="Enter the person's email address or handle"),
            Length(max=254, message="Enter an email address or handle of 254 characters or fewer"),
        ])
    note = StringField(
        "How you checked (optional)", widget=GovTextInput(), render_kw=govuk(),
        description="For the record, for example: council tax bill seen at the library event.", validators=[
            Length(max=NOTE_MAX, message=f"Keep the note to {NOTE_MAX:,} characters or fewer"),
        ])
    submit = SubmitField("Verify resident", widget=GovSubmitInput())


class RevokeForm(Form):
    reason = TextAreaField(
        "Why are you revoking this verification?", widget=GovTextArea(), filters=[strip], render_kw=govuk(rows=3),
        description="For the record, for example: moved out of the area.", validators=[
            InputRequired(message="Explain why the verification is revoked"),
            Length(max=NOTE_MAX, message=f"Keep the reason to {NOTE_MAX:,} characters or fewer"),
        ])
    submit = SubmitField("Revoke verification", widget=GovSubmitInput(),
                         render_kw=govuk(None, classes="govuk-button--warning"))


COUNT_MESSAGE = f"Enter a number of codes from 1 to {MAX_CODES:,}"


def _whole_number(form: Form, field: StringField) -> None:
    """A whole number from 1 to MAX_CODES ("1,000" allowed); the number itself is ``count_value``."""
    raw = (field.data or "").replace(",", "").strip()
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_CODES:
        raise ValidationError(COUNT_MESSAGE)


class CodesForm(Form):
    count = StringField("How many codes?", widget=GovTextInput(), description=f"From 1 to {MAX_CODES:,}.",
                        render_kw=govuk(classes="govuk-input--width-5", inputmode="numeric"),
                        validators=[_whole_number])
    batch = StringField(
        "Batch name", widget=GovTextInput(), render_kw=govuk(),
        description="So you can tell batches apart, for example: letters to Riverside households, May 2027.",
        validators=[
            InputRequired(message="Enter a name for this batch, like the letters it goes out with"),
            Length(max=BATCH_MAX, message=f"Keep the batch name to {BATCH_MAX} characters or fewer"),
        ])
    submit = SubmitField("Make codes and download them", widget=GovSubmitInput())

    @property
    def count_value(self) -> int:
        return int((self.count.data or "0").replace(",", ""))


class EnterCodeForm(Form):
    code = StringField(
        "Verification code", widget=GovTextInput(),
        description="10 letters and numbers, like ABCD-EFGH-JK. Capitals, spaces and dashes do not matter.",
        render_kw=govuk(classes="govuk-input--width-20 govuk-input--extra-letter-spacing", spellcheck=False,
                        autocomplete="one-time-code", autocapitalize="characters"),
        validators=[
            InputRequired(message="Enter the verification code you were sent"),
            Length(max=40, message="That code is not valid or has already been used. Check it and try again"),
        ])
    submit = SubmitField("Verify me", widget=GovSubmitInput())
