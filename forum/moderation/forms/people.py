"""Warning and suspending a person."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import SelectField

from forum.common.forms import Form, govuk
from forum.moderation.forms.common import radios_field, reason_field
from forum.moderation.services.sanctions import SUSPENSION_DAYS


class WarnForm(Form):
    service_fields = {"reason": "warn_reason"}

    # Choices are the groups the moderator moderates; the service checks the one sent, so no choice check here.
    # The hint depends on who is warning (optional for site moderators), so the page gives it.
    warn_group = SelectField("Which group is it about?", widget=GovSelect(), validate_choice=False,
                             render_kw=govuk())
    warn_reason = reason_field(
        "Warning", hint="They see this on their warnings page. Say what they did and which house rule it breaks.")


def _days_label(days: int) -> str:
    return f"{days} day{'s' if days != 1 else ''}" if days < 365 else "1 year"


class SuspendForm(Form):
    service_fields = {"reason": "suspend_reason"}

    days = radios_field("How long for?", [(str(d), _days_label(d)) for d in SUSPENSION_DAYS],
                        "Choose how long the suspension lasts", hint="Counted from now. It ends by itself.",
                        classes="govuk-radios--small")
    suspend_reason = reason_field("Reason", hint="They see this whenever they try to post.")
