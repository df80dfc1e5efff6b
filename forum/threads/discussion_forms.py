"""Forms for a thread about something another domain owns (a spending proposal, a line of a place's count):
starting one already linked to it, in a group the person chooses, and linking an existing thread.

The discussion's title, text and tags are a thread's (``forum.threads.services`` checks them again, with the
same limits); the form checks their syntax with the same messages."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from forum.common.forms import Form, checked_by, govuk
from forum.common.markup import MARKDOWN_HINT
from forum.tags import services as tag_services
from forum.threads.services import BODY_MAX, TITLE_MAX

#: The group a discussion starts in when the person can post there (the demo's group for deliberation).
DEFAULT_GROUP_SLUG = "make-a-bigger-difference"


class DiscussForm(Form):
    """The group is one of the groups the person can post in (the view sets ``group.choices``); the service
    checks it again, so a tampered choice gets the same field error as no choice."""

    group = RadioField(
        "Which group should the discussion be in?", widget=GovRadioInput(), coerce=str, validate_choice=False,
        description="Groups you are a member of. Everyone who can read the group can read the discussion.",
        render_kw=govuk(None, fieldset={"legend": {"text": "Which group should the discussion be in?",
                                                   "classes": "govuk-fieldset__legend--s"}}))
    title = StringField("Title", widget=GovTextInput(), render_kw=govuk(),
                        description="Say what the thread is about in a sentence, up to 200 characters.",
                        validators=[DataRequired(message="Enter a title"),
                                    Length(max=TITLE_MAX, message=f"Title must be {TITLE_MAX} characters or fewer")])
    body = TextAreaField("Your post", widget=GovTextArea(), render_kw=govuk(rows=10), description=MARKDOWN_HINT,
                         validators=[DataRequired(message="Enter the text of your post"),
                                     Length(max=BODY_MAX, message=f"Text must be {BODY_MAX:,} characters or fewer "
                                                                  "(it has %(length)s)")])
    tags = StringField("Tags (optional)", widget=GovTextInput(), render_kw=govuk(),
                       description="Up to 5, separated by commas, for example: budget, parks, transport",
                       validators=[checked_by(tag_services.check_text)])
    submit = SubmitField("Start the discussion", widget=GovSubmitInput())

    def offer(self, groups: list[Any]) -> None:
        """The groups to choose from; a new form starts on the deliberation group when the person can post
        there, else on their only group, else on none."""
        self.group.choices = [(str(group.id), group.name) for group in groups]
        if not self.is_submitted():
            chosen = [g for g in groups if g.slug == DEFAULT_GROUP_SLUG] or (groups if len(groups) == 1 else [])
            self.group.data = str(chosen[0].id) if chosen else None


class LinkThreadForm(Form):
    thread = StringField("Thread address or number", widget=GovTextInput(), render_kw=govuk(spellcheck=False))
    submit = SubmitField("Link thread", widget=GovSubmitInput())
