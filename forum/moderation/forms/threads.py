"""Thread tools: moving a thread to another group, and changing its tags."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextInput
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length

from forum.moderation.forms.common import reason_field


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class MoveForm(FlaskForm):
    # The service checks the moderator moderates the group chosen; a made-up id is refused there (403).
    group = SelectField("Move to", widget=GovSelect(), validate_choice=False,
                        validators=[InputRequired(message="Choose the group to move the thread to")])
    move_reason = reason_field("Reason (optional, shown in the audit log)", required=False)


class TagsForm(FlaskForm):
    tags = StringField("Tags", filters=[_strip], widget=GovTextInput(),
                       validators=[Length(max=300, message="Tags must be 300 characters or fewer")])
