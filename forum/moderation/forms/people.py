"""Warning and suspending a person."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect
from wtforms import RadioField, SelectField
from wtforms.validators import InputRequired

from forum.moderation.forms.common import reason_field
from forum.moderation.services.sanctions import SUSPENSION_DAYS


class WarnForm(FlaskForm):
    # Choices are the groups the moderator moderates; the service checks the one sent, so no choice check here.
    warn_group = SelectField("Which group is this warning about?", widget=GovSelect(), validate_choice=False)
    warn_reason = reason_field("Warning (they will see this)")


def _days_label(days: int) -> str:
    return f"{days} day{'s' if days != 1 else ''}" if days < 365 else "1 year"


class SuspendForm(FlaskForm):
    days = RadioField("How long for?", widget=GovRadioInput(), validate_choice=False,
                      choices=[(str(d), _days_label(d)) for d in SUSPENSION_DAYS],
                      validators=[InputRequired(message="Choose how long the suspension lasts")])
    suspend_reason = reason_field("Why are you suspending them? (they will see this)")
