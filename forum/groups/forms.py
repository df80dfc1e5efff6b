"""Group forms: syntax only (lengths, required fields); uniqueness is checked by the services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, IntegerField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

SESSION_EXPIRED = "Your session expired: your text is kept below; check it and submit again"
PRIVACY_CHOICES = [
    SelectChoice("public", "Public: anyone can read it, and anyone with an account can join"),
    SelectChoice("private", "Private: only its members can see it; people ask to join through an invitation link"),
]


def explain_expired_session(form: FlaskForm) -> None:
    """Replace Flask-WTF's CSRF message with one that tells the person their text is safe."""
    if "csrf_token" in form and form.csrf_token.errors:
        form.csrf_token.errors = [SESSION_EXPIRED]


class _GroupTextForm(FlaskForm):
    summary = TextAreaField(
        "Summary", widget=GovTextArea(),
        validators=[Length(max=300, message="Summary must be 300 characters or fewer")],
    )
    description = TextAreaField(
        "Description", widget=GovTextArea(),
        validators=[Length(max=20_000, message="Description must be 20,000 characters or fewer")],
    )
    rules = TextAreaField(
        "House rules for this group", widget=GovTextArea(),
        validators=[Length(max=20_000, message="House rules must be 20,000 characters or fewer")],
    )
    premoderated = BooleanField("Pre-moderate every post", widget=GovCheckboxInput())
    privacy = RadioField("Who can see this group?", choices=PRIVACY_CHOICES, default="public", widget=GovRadioInput())
    position = IntegerField(
        "Position in the list of groups", widget=GovTextInput(), default=100,
        validators=[
            Optional(),
            NumberRange(min=0, max=10_000, message="Position must be a whole number from 0 to 10,000"),
        ],
    )


class GroupCreateForm(_GroupTextForm):
    name = StringField(
        "Name", widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter a name"),
            Length(max=100, message="Name must be 100 characters or fewer"),
        ],
    )
    submit = SubmitField("Create group", widget=GovSubmitInput())


class GroupEditForm(_GroupTextForm):
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class AddMemberForm(FlaskForm):
    display_name = StringField(
        "Display name", widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the display name of the person to add"),
            Length(max=50, message="Display names are 50 characters or fewer"),
        ],
    )
    submit = SubmitField("Add member", widget=GovSubmitInput())


def make_edit_form(admin: bool, **kwargs) -> GroupEditForm:
    """The edit form; only an admin's has the privacy and position fields."""
    form = GroupEditForm(**kwargs)
    if not admin:
        del form.privacy
        del form.position
    return form
