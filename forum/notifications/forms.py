"""The email settings form: one set of radios per notification kind, built from the registry."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired

from forum.common.forms import Form, govuk
from forum.notifications import kinds


class SettingsForm(Form):
    submit = SubmitField("Save email settings", widget=GovSubmitInput())

    @property
    def kind_fields(self) -> list[RadioField]:
        return [self[name] for name in kinds.KINDS]

    def choices(self) -> dict[str, str]:
        return {name: self[name].data for name in kinds.KINDS}


for _name, _kind in kinds.KINDS.items():
    setattr(SettingsForm, _name, RadioField(
        _kind.label,
        choices=[(cadence, kinds.CADENCE_LABELS[cadence]) for cadence in kinds.CADENCES],
        widget=GovRadioInput(),
        validators=[InputRequired(message=f"Choose how to hear about: {_kind.label.lower()}")],
        render_kw=govuk(label_size=None, classes="govuk-radios--small govuk-radios--inline",
                        fieldset={"legend": {"text": _kind.label, "classes": "govuk-fieldset__legend--s"}}),
    ))
