"""Thread tools: moving a thread to another group, and changing its tags."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextInput
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length

from forum.common.forms import Form, checked_by, govuk
from forum.moderation.forms.common import reason_field
from forum.tags import services as tag_services


class MoveForm(Form):
    service_fields = {"reason": "move_reason"}

    # The service checks the moderator moderates the group chosen; a made-up id is refused there (403).
    group = SelectField("Move to", description="Only groups you moderate are listed.", widget=GovSelect(),
                        validate_choice=False, render_kw=govuk(),
                        validators=[InputRequired(message="Choose the group to move the thread to")])
    move_reason = reason_field("Reason (optional)", hint="Recorded in the audit log.", rows=2, required=False)


class TagsForm(Form):
    tags = StringField(
        "Tags", description=f"Up to {tag_services.MAX_TAGS}, separated by commas. Leave empty to remove every tag.",
        widget=GovTextInput(), render_kw=govuk(),
        validators=[Length(max=300, message="Tags must be 300 characters or fewer"),
                    checked_by(tag_services.check_text)],
    )
