"""The one form base every form in the forum uses, and the field builders they share.

A form here checks syntax only; the services own every rule that needs the database. What the base does, so
that no form or view does it again:

- one-line text fields are stripped of surrounding white space (text areas keep theirs: Markdown needs it);
- an expired or missing CSRF token is explained in one wording that tells the person their text is safe;
- a service's refusal (``ValidationFailed``) is shown by the field it names. Views do not catch it: the error
  mapping (``forum.common.errors``) rolls the request back and runs the view again, and ``validate_on_submit``
  then returns False with the message on the field, so the page comes back with everything the person typed;
- a field carries its own GOV.UK label and hint (``description``) and display settings (``govuk(...)``), so a
  template renders it with ``{{ form.title() }}`` and passes only what depends on the page.

A new form: subclass ``Form``, declare fields with ``Gov*`` widgets, labels, ``description`` for the hint and
``render_kw=govuk(...)`` for label size or rows; render it inside ``forum.form_wrapper`` in the template.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.main import merger
from wtforms import Field, PasswordField, StringField, TextAreaField
from wtforms.validators import ValidationError

from forum.common import errors

SESSION_EXPIRED = "Your session expired: what you entered is kept below; check it and submit again"


def strip(value: Any) -> Any:
    """Trim the ends of a one-line value."""
    return value.strip() if isinstance(value, str) else value


def govuk(label_size: str | None = "s", **params: Any) -> dict[str, Any]:
    """``render_kw`` for a field: the label's size (``s``, ``m``, ``l`` or None) and any other GOV.UK params."""
    if label_size:
        params.setdefault("label", {})["classes"] = f"govuk-label--{label_size}"
    return {"params": params}


def checked_by(check: Callable[[str], Any]) -> Callable[[Any, Field], None]:
    """A validator that asks a service's own check (which raises ``ValidationFailed``), so the rule and its
    message are written once, in the service."""

    def validate(form: Any, field: Field) -> None:
        try:
            check(field.data or "")
        except errors.ValidationFailed as refused:
            raise ValidationError(refused.message) from None

    return validate


def _strips(field_class: type) -> bool:
    return issubclass(field_class, StringField) and not issubclass(field_class, (TextAreaField, PasswordField))


class Form(FlaskForm):
    """The base of every form (see the module docstring)."""

    #: A service's field name -> this form's field name, where they differ.
    service_fields: dict[str, str] = {}

    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Field:
            if _strips(unbound_field.field_class):
                options["filters"] = [*unbound_field.kwargs.get("filters", ()), strip]
            return unbound_field.bind(form=form, **options)

        def render_field(self, field: Field, render_kw: dict[str, Any]) -> Any:
            """The field's own GOV.UK params, merged with those the template passes (the template wins)."""
            own = getattr(field, "render_kw", None) or {}
            if own:
                merged = merger.merge(copy.deepcopy(own.get("params", {})), render_kw.pop("params", {}))
                render_kw = {**{k: v for k, v in own.items() if k != "params"}, **render_kw, "params": merged}
            return field.widget(field, **render_kw)

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        token = getattr(self, "csrf_token", None)
        if token is not None and token.errors:
            token.errors = [SESSION_EXPIRED]
            self._errors = None
        return valid

    def validate_on_submit(self, extra_validators: Any = None) -> bool:
        """Whether the form was sent and is valid, and no service has refused it on this request."""
        if not super().validate_on_submit(extra_validators):
            return False
        refusal = errors.take_refusal()
        if refusal is not None:
            for problem in refusal.problems:
                self.add_error(problem.field, problem.message)
            return False
        errors.note_submitted_form()
        return True

    def add_error(self, field_name: str | None, message: str) -> None:
        """Show ``message`` by the field a service named (or the first field a person fills in)."""
        name = self.service_fields.get(field_name or "", field_name or "")
        field = self._fields.get(name) if name else None
        if field is None:
            field = next(f for f in self if f.type not in ("CSRFTokenField", "HiddenField", "SubmitField"))
        field.errors = [*field.errors, message]
        self._errors = None
