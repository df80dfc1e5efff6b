"""Group forms: syntax only (lengths, required fields); uniqueness is checked by the services."""

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
from forum.groups.services import DESCRIPTION_MAX, RULES_MAX, SUMMARY_MAX

PRIVACY_CHOICES = [
    SelectChoice("public", "Public: anyone can read it, and anyone with an account can join"),
    SelectChoice("private", "Private: only its members can see it; people ask to join through an invitation link"),
]


def _name_field(label: str, hint: str, empty: str, limit: int, too_long: str, width: str) -> StringField:
    """A required one-line name of at most ``limit`` characters."""
    return StringField(
        label, description=hint, widget=GovTextInput(),
        validators=[InputRequired(message=empty), Length(max=limit, message=too_long)],
        render_kw=govuk(classes=f"govuk-!-width-{width}"),
    )


def _text_area(label: str, hint: str, what: str, limit: int, rows: int) -> TextAreaField:
    """An optional text area of at most ``limit`` characters (``what`` names it in the message)."""
    return TextAreaField(
        label, description=hint, widget=GovTextArea(),
        validators=[Length(max=limit, message=f"{what} must be {limit:,} characters or fewer")],
        render_kw=govuk(rows=rows),
    )


class GroupCreateForm(Form):
    """An admin creates a group. The edit form is the same but for the name (``make_edit_form``)."""

    name = _name_field("Name", "The group’s address is made from its name.", "Enter a name",
                       100, "Name must be 100 characters or fewer", "two-thirds")
    summary = _text_area("Summary", "One or two sentences shown in the list of groups. Up to 300 characters.",
                         "Summary", SUMMARY_MAX, rows=3)
    description = _text_area("Description", "Shown on the group page. You can use Markdown, or paste from a document.",
                             "Description", DESCRIPTION_MAX, rows=10)
    rules = _text_area(
        "House rules for this group",
        "Optional. Shown to each member before their first post in this group, with the site’s code of conduct, "
        "and on the group page. You can use Markdown.",
        "House rules", RULES_MAX, rows=8,
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
    display_name = _name_field("Display name", "The name the person uses on the forum.",
                               "Enter the display name of the person to add",
                               50, "Display names are 50 characters or fewer", "one-half")
    submit = SubmitField("Add member", widget=GovSubmitInput())


def make_edit_form(admin: bool, **kwargs) -> GroupEditForm:
    """The edit form; only an admin's has the privacy and position fields."""
    form = GroupEditForm(**kwargs)
    if not admin:
        del form.privacy
        del form.position
    return form
