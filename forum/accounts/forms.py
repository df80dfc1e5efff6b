"""Account forms: syntax only. Uniqueness, password strength and role rules live in the services."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, PasswordField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional

from forum.accounts.models import Role
from forum.common.text import normalise_space

CSRF_EXPIRED = "Your session expired: your text is kept below; check it and submit again"
EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _squash(value: Any) -> Any:
    return normalise_space(value) if isinstance(value, str) else value


def add_error(form: FlaskForm, field: str | None, message: str) -> None:
    """Show a service's refusal beside the field it concerns (or the first field when it names none)."""
    target = getattr(form, field, None) if field else None
    if target is None:
        target = next(iter(form))
    if not isinstance(target.errors, list):
        target.errors = list(target.errors)
    target.errors.append(message)
    form._errors = None  # WTForms caches form.errors; recompute it with the new message


class Form(FlaskForm):
    """A FlaskForm whose expired-CSRF error tells the person their text is safe."""

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        token = getattr(self, "csrf_token", None)
        if token is not None and token.errors:
            token.errors = [CSRF_EXPIRED]
            self._errors = None
        return valid


def _email_field(label: str = "Email address") -> StringField:
    return StringField(
        label,
        filters=[_strip],
        validators=[
            InputRequired("Enter your email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(EMAIL_FORMAT),
        ],
        widget=GovTextInput(),
    )


class RegisterForm(Form):
    display_name = StringField(
        "Display name",
        filters=[_squash],
        validators=[
            InputRequired("Enter a display name"),
            Length(min=2, max=50, message="Display name must be between 2 and 50 characters"),
        ],
        widget=GovTextInput(),
    )
    email = _email_field()
    password = PasswordField(
        "Password", validators=[InputRequired("Enter a password")], widget=GovPasswordInput()
    )
    confirm_password = PasswordField(
        "Confirm password",
        validators=[InputRequired("Enter your password again"), EqualTo("password", "The passwords do not match")],
        widget=GovPasswordInput(),
    )
    submit = SubmitField("Create account", widget=GovSubmitInput())


class LoginForm(Form):
    email = StringField(
        "Email address", filters=[_strip], validators=[InputRequired("Enter your email address")],
        widget=GovTextInput(),
    )
    password = PasswordField("Password", validators=[InputRequired("Enter your password")], widget=GovPasswordInput())
    remember = BooleanField("Keep me signed in on this device", widget=GovCheckboxInput())
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ResetRequestForm(Form):
    email = _email_field()
    submit = SubmitField("Send the link", widget=GovSubmitInput())


class NewPasswordForm(Form):
    password = PasswordField("New password", validators=[InputRequired("Enter a new password")],
                             widget=GovPasswordInput())
    confirm_password = PasswordField(
        "Confirm new password",
        validators=[InputRequired("Enter your new password again"), EqualTo("password", "The passwords do not match")],
        widget=GovPasswordInput(),
    )
    submit = SubmitField("Save password", widget=GovSubmitInput())


class ChangePasswordForm(Form):
    current_password = PasswordField(
        "Current password", validators=[InputRequired("Enter your current password")], widget=GovPasswordInput()
    )
    password = PasswordField("New password", validators=[InputRequired("Enter a new password")],
                             widget=GovPasswordInput())
    confirm_password = PasswordField(
        "Confirm new password",
        validators=[InputRequired("Enter your new password again"), EqualTo("password", "The passwords do not match")],
        widget=GovPasswordInput(),
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())


class BioForm(Form):
    bio = TextAreaField(
        "About you",
        validators=[Optional(), Length(max=5_000, message="Your profile text must be 5,000 characters or fewer")],
        widget=GovTextArea(),
    )
    submit = SubmitField("Save profile", widget=GovSubmitInput())


class RoleForm(Form):
    role = RadioField(
        "Role",
        choices=[SelectChoice(role, Role.LABELS[role]) for role in Role.ALL],
        validators=[InputRequired("Choose a role")],
        validate_choice=False,  # an unknown role is refused by the service, with the same message
        widget=GovRadioInput(),
    )
    organisation = StringField(
        "Organisation",
        filters=[_squash],
        validators=[Length(max=100, message="Organisation must be 100 characters or fewer")],
        widget=GovTextInput(),
    )
    submit = SubmitField("Save role", widget=GovSubmitInput())
