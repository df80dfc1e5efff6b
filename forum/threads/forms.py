"""Forms for starting threads, replying, commenting and editing. They check syntax only (presence, length,
how many tags); the services check everything again and own every rule that needs the database."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from forum.common.forms import Form, checked_by, govuk
from forum.common.markup import MARKDOWN_HINT
from forum.tags import services as tag_services
from forum.threads.services import BODY_MAX, COMMENT_MAX, TITLE_MAX

TITLE_HINT = "Say what the thread is about in a sentence, up to 200 characters."
TAGS_HINT = "Up to 5, separated by commas, for example: budget, parks, transport"


def title_field(hint: str = TITLE_HINT) -> StringField:
    return StringField(
        "Title",
        description=hint,
        validators=[
            DataRequired(message="Enter a title"),
            Length(max=TITLE_MAX, message=f"Title must be {TITLE_MAX} characters or fewer"),
        ],
        widget=GovTextInput(),
        render_kw=govuk(),
    )


def body_field(
    label: str, empty: str, limit: int = BODY_MAX, counted: bool = False, hint: str = MARKDOWN_HINT, rows: int = 12
) -> TextAreaField:
    """A Markdown text area; ``counted`` ones show GOV.UK's character count up to ``limit``."""
    return TextAreaField(
        label,
        description=hint,
        validators=[
            DataRequired(message=empty),
            Length(max=limit, message=f"Text must be {limit:,} characters or fewer (it has %(length)s)"),
        ],
        widget=GovCharacterCount() if counted else GovTextArea(),
        render_kw=govuk(rows=rows, **({"maxlength": limit} if counted else {})),
    )


def tags_field(hint: str = TAGS_HINT) -> StringField:
    return StringField(
        "Tags (optional)", description=hint, validators=[checked_by(tag_services.check_text)],
        widget=GovTextInput(), render_kw=govuk(),
    )


class ThreadForm(Form):
    title = title_field()
    body = body_field("Your post", "Enter the text of your post")
    tags = tags_field()
    submit = SubmitField("Start the thread", widget=GovSubmitInput())


class ReplyForm(Form):
    body = body_field("Your reply", "Enter the text of your reply")
    quote = HiddenField()
    submit = SubmitField("Post reply", widget=GovSubmitInput())


class CommentForm(Form):
    """Under a post on the thread page (labelled with the post's number there), or on a page of its own."""

    body = body_field(
        "Your comment", "Enter the text of your comment", limit=COMMENT_MAX, counted=True, hint="", rows=4
    )
    submit = SubmitField("Add comment", widget=GovSubmitInput())


class EditPostForm(Form):
    body = body_field("Your post", "Enter the text of your post")
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class EditOpeningPostForm(Form):
    """The opening post also carries the thread's title and tags."""

    title = title_field(hint="Up to 200 characters.")
    body = body_field("Your post", "Enter the text of your post")
    tags = tags_field(hint="Up to 5, separated by commas.")
    submit = SubmitField("Save changes", widget=GovSubmitInput())
