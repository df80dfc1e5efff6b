"""Group forms: syntax only (lengths, required fields); uniqueness is checked by the services.

Each field carries its label, hint and GOV.UK settings (``forum.common.forms``), so the templates render
``{{ form.summary() }}``.
"""

from __future__ import annotations

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

from forum.common.forms import Form, govuk

PRIVACY_CHOICES = [
    SelectChoice("public", "Public: anyone can read it, and anyone with an account can join"),
    SelectChoice("private", "Private: only its members can see it; people ask to join through an invitation link"),
]


class GroupCreateForm(Form):
    """An admin creates a group. The edit form is the same but for the name (``make_edit_form``)."""

    name = StringField(
        "Name", description="The group’s address is made from its name.", widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter a name"),
            Length(max=100, message="Name must be 100 characters or fewer"),
        ],
        render_kw=govuk(classes="govuk-!-width-two-thirds"),
    )
    summary = TextAreaField(
        "Summary", description="One or two sentences shown in the list of groups. Up to 300 characters.",
        widget=GovTextArea(), validators=[Length(max=300, message="Summary must be 300 characters or fewer")],
        render_kw=govuk(rows=3),
    )
    description = TextAreaField(
        "Description", description="Shown on the group page. You can use Markdown, or paste from a document.",
        widget=GovTextArea(),
        validators=[Length(max=20_000, message="Description must be 20,000 characters or fewer")],
        render_kw=govuk(rows=10),
    )
    rules = TextAreaField(
        "House rules for this group",
        description="Optional. Shown to each member before their first post in this group, with the site’s code "
                    "of conduct, and on the group page. You can use Markdown.",
        widget=GovTextArea(),
        validators=[Length(max=20_000, message="House rules must be 20,000 characters or fewer")],
        render_kw=govuk(rows=8),
    )
    premoderated = BooleanField(
        "Pre-moderate every post",
        description="Every new post and comment waits for a moderator of this group before anyone else sees it. "
                    "Moderators’ own posts do not wait.",
        widget=GovCheckboxInput(),
    )
    privacy = RadioField(
        "Who can see this group?", choices=PRIVACY_CHOICES, default="public", widget=GovRadioInput(),
        render_kw=govuk(None, fieldset={"legend": {"text": "Who can see this group?",
                                                   "classes": "govuk-fieldset__legend--s"}}),
    )
    position = IntegerField(
        "Position in the list of groups",
        description="Groups with lower numbers come first; groups with the same number are listed by name.",
        widget=GovTextInput(), default=100,
        validators=[
            Optional(),
            NumberRange(min=0, max=10_000, message="Position must be a whole number from 0 to 10,000"),
        ],
        render_kw=govuk(classes="govuk-input--width-5", inputmode="numeric"),
    )
    submit = SubmitField("Create group", widget=GovSubmitInput())


class GroupEditForm(GroupCreateForm):
    name = None  # a group keeps its address
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class AddMemberForm(Form):
    display_name = StringField(
        "Display name", description="The name the person uses on the forum.", widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the display name of the person to add"),
            Length(max=50, message="Display names are 50 characters or fewer"),
        ],
        render_kw=govuk(classes="govuk-!-width-one-half"),
    )
    submit = SubmitField("Add member", widget=GovSubmitInput())


def make_edit_form(admin: bool, **kwargs) -> GroupEditForm:
    """The edit form; only an admin's has the privacy and position fields."""
    form = GroupEditForm(**kwargs)
    if not admin:
        del form.privacy
        del form.position
    return form
