"""Account forms: syntax only. Uniqueness, password strength and role rules live in the services."""

from __future__ import annotations

from typing import Any

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
from forum.common.forms import Form, govuk
from forum.common.text import normalise_space

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"
NEW_PASSWORD_HINT = (
    "At least 10 characters. Three or four random words make a strong password. "
    "Do not use your name or email address."
)


def _squash(value: Any) -> Any:
    """One space between words, none at the ends (a display name or an organisation, as the services store it)."""
    return normalise_space(value) if isinstance(value, str) else value


def _email_field(hint: str | None = None, checked: bool = True) -> StringField:
    """The email address; ``checked`` adds the length and format checks (signing in needs neither)."""
    validators = [InputRequired("Enter your email address")]
    if checked:
        validators += [Length(max=254, message="Email address must be 254 characters or fewer"), Email(EMAIL_FORMAT)]
    return StringField(
        "Email address", description=hint, validators=validators, widget=GovTextInput(),
        render_kw=govuk(type="email", autocomplete="email", spellcheck=False),
    )


def _new_password(label: str, empty: str, again: str) -> tuple[PasswordField, PasswordField]:
    """A new password and its confirmation (registration, reset, change): ``password, confirm_password``."""
    password = PasswordField(
        label, description=NEW_PASSWORD_HINT, validators=[InputRequired(empty)], widget=GovPasswordInput(),
        render_kw=govuk(autocomplete="new-password"),
    )
    confirm = PasswordField(
        f"Confirm {label[0].lower()}{label[1:]}",
        validators=[InputRequired(again), EqualTo("password", "The passwords do not match")],
        widget=GovPasswordInput(), render_kw=govuk(autocomplete="new-password"),
    )
    return password, confirm


class RegisterForm(Form):
    display_name = StringField(
        "Display name",
        description="Shown beside everything you write. Use 2 to 50 characters; it must differ from everyone else's.",
        filters=[_squash],
        validators=[
            InputRequired("Enter a display name"),
            Length(min=2, max=50, message="Display name must be between 2 and 50 characters"),
        ],
        widget=GovTextInput(),
        render_kw=govuk(autocomplete="nickname", spellcheck=False, classes="govuk-!-width-two-thirds"),
    )
    email = _email_field("To sign in and to reset your password. Nobody else will see it.")
    password, confirm_password = _new_password("Password", "Enter a password", "Enter your password again")
    submit = SubmitField("Create account", widget=GovSubmitInput())


class LoginForm(Form):
    email = _email_field(checked=False)
    password = PasswordField(
        "Password", validators=[InputRequired("Enter your password")], widget=GovPasswordInput(),
        render_kw=govuk(autocomplete="current-password"),
    )
    remember = BooleanField(
        "Keep me signed in on this device", widget=GovCheckboxInput(),
        render_kw=govuk(None, classes="govuk-checkboxes--small"),
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ResetRequestForm(Form):
    email = _email_field()
    submit = SubmitField("Send the link", widget=GovSubmitInput())


class NewPasswordForm(Form):
    password, confirm_password = _new_password("New password", "Enter a new password", "Enter your new password again")
    submit = SubmitField("Save password", widget=GovSubmitInput())


class ChangePasswordForm(Form):
    current_password = PasswordField(
        "Current password", validators=[InputRequired("Enter your current password")], widget=GovPasswordInput(),
        render_kw=govuk(autocomplete="current-password"),
    )
    password, confirm_password = _new_password("New password", "Enter a new password", "Enter your new password again")
    submit = SubmitField("Change password", widget=GovSubmitInput())


class BioForm(Form):
    bio = TextAreaField(
        "About you",
        description="Shown on your public profile. You can use Markdown. Up to 5,000 characters.",
        validators=[Optional(), Length(max=5_000, message="Your profile text must be 5,000 characters or fewer")],
        widget=GovTextArea(),
        render_kw=govuk(rows=8),
    )
    submit = SubmitField("Save profile", widget=GovSubmitInput())


class RoleForm(Form):
    role = RadioField(
        "Role",
        choices=[SelectChoice(role, Role.LABELS[role]) for role in Role],
        validators=[InputRequired("Choose a role")],
        validate_choice=False,  # an unknown role is refused by the service, with the same message
        widget=GovRadioInput(),
        render_kw=govuk(None, fieldset={"legend": {"text": "Role", "classes": "govuk-fieldset__legend--s"}}),
    )
    organisation = StringField(
        "Organisation",
        description="Required for civil servants: shown as their badge, for example Leeds City Council, Highways.",
        filters=[_squash],
        validators=[Length(max=100, message="Organisation must be 100 characters or fewer")],
        widget=GovTextInput(),
        render_kw=govuk(),
    )
    submit = SubmitField("Save role", widget=GovSubmitInput())


class DisplayNameForm(Form):
    display_name = StringField(
        "Display name",
        description="Shown beside everything you write, including what you wrote before. Use 2 to 50 characters; "
                    "it must differ from everyone else's. Your profile address changes with it.",
        filters=[_squash],
        validators=[
            InputRequired("Enter a display name"),
            Length(min=2, max=50, message="Display name must be between 2 and 50 characters"),
        ],
        widget=GovTextInput(),
        render_kw=govuk(autocomplete="nickname", spellcheck=False, classes="govuk-!-width-two-thirds"),
    )
    submit = SubmitField("Save display name", widget=GovSubmitInput())


class ChangeEmailForm(Form):
    email = StringField(
        "New email address", description="We will send a link to this address. Your address changes when you open it.",
        validators=[InputRequired("Enter your new email address"),
                    Length(max=254, message="Email address must be 254 characters or fewer"), Email(EMAIL_FORMAT)],
        widget=GovTextInput(), render_kw=govuk(type="email", autocomplete="email", spellcheck=False),
    )
    current_password = PasswordField(
        "Current password", validators=[InputRequired("Enter your current password")], widget=GovPasswordInput(),
        render_kw=govuk(autocomplete="current-password"),
    )
    submit = SubmitField("Send the link", widget=GovSubmitInput())


class ConfirmEmailForm(Form):
    submit = SubmitField("Confirm new email address", widget=GovSubmitInput())


class ConfirmRegistrationForm(Form):
    submit = SubmitField("Confirm and sign in", widget=GovSubmitInput())
