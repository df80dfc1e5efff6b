"""Forms for starting threads, replying, commenting and editing. They check syntax only (presence, length,
how many tags); the services check everything again and own every rule that needs the database."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from forum.tags import services as tag_services
from forum.threads.services import BODY_MAX, COMMENT_MAX, TITLE_MAX

SESSION_EXPIRED = "Your session expired: your text is kept below; check it and submit again"
MARKDOWN_HINT = (
    "You can use Markdown: a blank line starts a new paragraph, *italic*, **bold**, "
    "> at the start of a line for a quote, - for a list, and [words](https://example.org) for a link."
)


def _strip(value: str | None) -> str | None:
    """Trim the ends of a one-line field (the body keeps its spacing: Markdown needs it)."""
    return value.strip() if isinstance(value, str) else value


def _tag_count(form: FlaskForm, field: StringField) -> None:
    names = tag_services.parse(field.data or "")
    if len(names) > tag_services.MAX_TAGS:
        raise ValidationError(f"Enter no more than {tag_services.MAX_TAGS} tags (you entered {len(names)})")
    if any(len(name) > tag_services.MAX_TAG_LENGTH for name in names):
        raise ValidationError(f"Each tag must be {tag_services.MAX_TAG_LENGTH} characters or fewer")


def _title_field() -> StringField:
    return StringField(
        "Title",
        filters=[_strip],
        validators=[
            DataRequired(message="Enter a title"),
            Length(max=TITLE_MAX, message=f"Title must be {TITLE_MAX} characters or fewer"),
        ],
        widget=GovTextInput(),
    )


def _body_field(label: str, empty: str, limit: int = BODY_MAX, counted: bool = False) -> TextAreaField:
    """A Markdown text area; ``counted`` ones show GOV.UK's character count (render with a ``maxlength``)."""
    return TextAreaField(
        label,
        validators=[
            DataRequired(message=empty),
            Length(max=limit, message=f"Text must be {limit:,} characters or fewer (it has %(length)s)"),
        ],
        widget=GovCharacterCount() if counted else GovTextArea(),
    )


def _tags_field() -> StringField:
    return StringField("Tags (optional)", filters=[_strip], validators=[_tag_count], widget=GovTextInput())


class ThreadForm(FlaskForm):
    title = _title_field()
    body = _body_field("Your post", "Enter the text of your post")
    tags = _tags_field()
    submit = SubmitField("Start the thread", widget=GovSubmitInput())


class ReplyForm(FlaskForm):
    body = _body_field("Your reply", "Enter the text of your reply")
    quote = HiddenField()
    submit = SubmitField("Post reply", widget=GovSubmitInput())


class CommentForm(FlaskForm):
    body = _body_field("Add a comment", "Enter the text of your comment", limit=COMMENT_MAX, counted=True)
    submit = SubmitField("Add comment", widget=GovSubmitInput())


class EditPostForm(FlaskForm):
    body = _body_field("Your post", "Enter the text of your post")
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class EditOpeningPostForm(FlaskForm):
    """The opening post also carries the thread's title and tags."""

    title = _title_field()
    body = _body_field("Your post", "Enter the text of your post")
    tags = _tags_field()
    submit = SubmitField("Save changes", widget=GovSubmitInput())


def add_error(form: FlaskForm, field_name: str | None, message: str) -> None:
    """Show a service's refusal by the field it concerns (or the body), as a form error would be shown."""
    field = getattr(form, field_name or "body", None) or form.body
    field.errors = [*field.errors, message]


def explain_csrf_failure(form: FlaskForm) -> None:
    """Replace Flask-WTF's token message with one that says the text is safe and what to do."""
    token = getattr(form, "csrf_token", None)
    if token is not None and token.errors:
        token.errors = [SESSION_EXPIRED]
