"""Forms for discussions of proposals: starting a thread already linked to a proposal, linking a thread."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import RadioField, StringField, SubmitField

from forum.threads.forms import _body_field, _tags_field, _title_field


class DiscussForm(FlaskForm):
    """The group is one of the groups the person can post in (the view sets ``group.choices``); the service
    checks it again, so a tampered choice gets the same field error as no choice."""

    group = RadioField("Which group should the discussion be in?", widget=GovRadioInput(), coerce=str,
                       validate_choice=False)
    title = _title_field()
    body = _body_field("Your post", "Enter the text of your post")
    tags = _tags_field()
    submit = SubmitField("Start the discussion", widget=GovSubmitInput())


class LinkThreadForm(FlaskForm):
    thread = StringField("Thread address or number", widget=GovTextInput(),
                         filters=[lambda v: v.strip() if isinstance(v, str) else v])
    submit = SubmitField("Link thread", widget=GovSubmitInput())
