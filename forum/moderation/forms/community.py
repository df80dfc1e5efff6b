"""Flagging a post or comment."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovTextArea
from wtforms import TextAreaField
from wtforms.validators import Length, ValidationError

from forum.common.forms import Form, govuk
from forum.moderation.forms.common import radios_field
from forum.moderation.models import FlagReason
from forum.moderation.services.flags import NOTE_MAX


class FlagForm(Form):
    reason = radios_field("Why are you flagging it?", list(FlagReason.LABELS.items()),
                          "Choose why you are flagging this", hint="Choose the reason that fits best.", size="m")
    note = TextAreaField(
        "Anything the moderators should know?",
        description=f"Needed if you chose “Something else”. Up to {NOTE_MAX} characters.",
        widget=GovTextArea(), render_kw=govuk(rows=4),
        validators=[Length(max=NOTE_MAX, message=f"Your note must be {NOTE_MAX} characters or fewer")],
    )

    def validate_note(self, field: TextAreaField) -> None:
        if self.reason.data == FlagReason.OTHER and not (field.data or "").strip():
            raise ValidationError("Tell the moderators what is wrong")
