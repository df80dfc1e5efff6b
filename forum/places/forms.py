"""The count's import form: one CSV file, spending or population (docs/places.md)."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput
from wtforms import SubmitField

from forum.common.forms import Form, govuk


class ImportForm(Form):
    file = FileField(
        "CSV file",
        widget=GovFileInput(),
        validators=[FileRequired("Choose a CSV file to upload")],
        description="A spending file or a population file, as described below. Nothing is loaded from a file with "
                    "any problem: every problem is listed with its line.",
        render_kw=govuk("m"),
    )
    submit = SubmitField("Check and load the file", widget=GovSubmitInput())
