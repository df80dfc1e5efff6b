"""Decisions on posts and comments: hide with a reason (one item), and bulk decisions from the queue."""

from __future__ import annotations

from wtforms import SelectMultipleField
from wtforms.validators import InputRequired, ValidationError

from forum.common.forms import Form
from forum.moderation.forms.common import radios_field, reason_field

BULK_CHOICES = [
    ("approve", "Approve: publish held items and keep flagged ones"),
    ("hide", "Hide, with the reason below"),
]


class HideForm(Form):
    # The hint names the item ("edit the post"), so the page gives it.
    reason = reason_field("Hide it")


class BulkForm(Form):
    """The queue's one form: the items ticked, what to do with them, and a reason when hiding."""

    # The page draws one checkbox inside each item it lists.
    items = SelectMultipleField("Items", validate_choice=False,
                                validators=[InputRequired(message="Select at least one item")])
    action = radios_field("What do you want to do with the selected items?", BULK_CHOICES,
                          "Choose what to do with the selected items",
                          hint="Approving a hidden item restores it. Hiding needs a reason.")
    reason = reason_field("Reason for hiding", rows=3, required=False,
                          hint="Needed when hiding. Each author sees it, so say which house rule the item breaks.")

    def validate_reason(self, field: object) -> None:
        if self.action.data == "hide" and not (self.reason.data or "").strip():
            raise ValidationError("Enter a reason for hiding: the authors will see it")
