"""The form that deletes an account: syntax only (the password is checked by the service)."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput
from wtforms import PasswordField, SubmitField
from wtforms.validators import InputRequired

from forum.common.forms import Form, govuk


class DeleteAccountForm(Form):
    password = PasswordField(
        "Your password", description="To show it is you.", validators=[InputRequired("Enter your password")],
        widget=GovPasswordInput(), render_kw=govuk(autocomplete="current-password"),
    )
    submit = SubmitField("Delete my account", widget=GovSubmitInput(),
                         render_kw=govuk(None, classes="govuk-button--warning"))
