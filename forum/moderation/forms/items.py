"""Decisions on posts and comments: hide with a reason (one item), and bulk decisions from the queue."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput
from wtforms import RadioField, SelectMultipleField
from wtforms.validators import InputRequired, ValidationError

from forum.moderation.forms.common import reason_field

BULK_CHOICES = [
    ("approve", "Approve: publish held items and keep flagged ones"),
    ("hide", "Hide, with the reason below"),
]


class HideForm(FlaskForm):
    reason = reason_field("Why are you hiding it?")


def _reason_when_hiding(form: BulkForm, field: object) -> None:
    if form.action.data == "hide" and not (form.reason.data or "").strip():
        raise ValidationError("Enter a reason for hiding: the authors will see it")


class BulkForm(FlaskForm):
    """The queue's one form: the items ticked, what to do with them, and a reason when hiding."""

    items = SelectMultipleField("Items", validate_choice=False,
                                validators=[InputRequired(message="Select at least one item")])
    action = RadioField("What do you want to do with the selected items?", choices=BULK_CHOICES,
                        widget=GovRadioInput(), validate_choice=False,
                        validators=[InputRequired(message="Choose what to do with the selected items")])
    reason = reason_field("Reason for hiding (shown to each author)", required=False)

    def validate_reason(self, field: object) -> None:
        _reason_when_hiding(self, field)
