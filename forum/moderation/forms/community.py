"""Flagging a post or comment."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextArea
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from forum.moderation.models import FlagReason
from forum.moderation.services.flags import NOTE_MAX


class FlagForm(FlaskForm):
    reason = RadioField("Why are you flagging this?", widget=GovRadioInput(), validate_choice=False,
                        choices=list(FlagReason.LABELS.items()),
                        validators=[InputRequired(message="Choose why you are flagging this")])
    note = TextAreaField("Anything the moderators should know? (needed for “Something else”)",
                         widget=GovTextArea(),
                         validators=[Length(max=NOTE_MAX, message=f"Your note must be {NOTE_MAX} characters or fewer")])

    def validate_note(self, field: TextAreaField) -> None:
        if self.reason.data == FlagReason.OTHER and not (field.data or "").strip():
            raise ValidationError("Tell the moderators what is wrong")
