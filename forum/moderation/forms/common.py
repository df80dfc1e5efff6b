"""What the moderation forms share: a reason box the person concerned reads, and a set of radios."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextArea
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

from forum.common.forms import checked_by, govuk
from forum.moderation.services.actions import REASON_MAX, check_reason


def reason_field(label: str, hint: str | None = None, rows: int = 4, required: bool = True) -> TextAreaField:
    """A reason the person concerned reads. A required one is checked by the actions' own rule (present, and
    not too long); an optional one only for its length."""
    if required:
        validators = [checked_by(check_reason)]
    else:
        validators = [Length(max=REASON_MAX, message=f"Reason must be {REASON_MAX:,} characters or fewer")]
    return TextAreaField(label, description=hint, validators=validators, widget=GovTextArea(),
                         render_kw=govuk(rows=rows))


def radios_field(label: str, choices: list[tuple[str, str]], missing: str, hint: str | None = None,
                 size: str = "s", **params: object) -> RadioField:
    """One choice from a list, its label as the fieldset's legend. The service checks the value sent, so the
    form only asks that one is chosen (``missing`` says so)."""
    legend = {"text": label, "classes": f"govuk-fieldset__legend--{size}"}
    return RadioField(label, choices=choices, description=hint, widget=GovRadioInput(), validate_choice=False,
                      validators=[InputRequired(message=missing)],
                      render_kw=govuk(label_size=None, fieldset={"legend": legend}, **params))
