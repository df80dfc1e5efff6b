"""What every moderation form shares: a reason box, and putting a service's refusal on the right field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextArea
from wtforms import TextAreaField
from wtforms.validators import Length, ValidationError

from forum.moderation.services.actions import REASON_MAX

SESSION_EXPIRED = "Your session expired: what you typed is kept below; check it and submit again"


def _reason_present(form: FlaskForm, field: TextAreaField) -> None:
    if not (field.data or "").strip():
        raise ValidationError("Enter a reason: the person will see it")


def reason_field(label: str, required: bool = True) -> TextAreaField:
    """A reason the person concerned reads (required for hiding, warning and suspending)."""
    validators = [Length(max=REASON_MAX, message=f"Reason must be {REASON_MAX:,} characters or fewer")]
    if required:
        validators.insert(0, _reason_present)
    return TextAreaField(label, validators=validators, widget=GovTextArea())


def add_error(form: FlaskForm, field_name: str | None, message: str, fields: dict[str, str] | None = None) -> None:
    """Show a service's refusal by the field it names (``fields`` maps a service's name to the form's)."""
    name = (fields or {}).get(field_name or "", field_name or "")
    field = getattr(form, name, None) if name else None
    if field is None:
        field = next(f for f in form if f.type not in ("CSRFTokenField", "HiddenField", "SubmitField"))
    field.errors = [*field.errors, message]


def explain_csrf_failure(form: FlaskForm) -> None:
    """Replace Flask-WTF's token message with one that says what was typed is safe."""
    token = getattr(form, "csrf_token", None)
    if token is not None and token.errors:
        token.errors = [SESSION_EXPIRED]
