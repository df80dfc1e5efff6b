"""Domain errors that services raise, and the error pages the app shows for them."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Flask, current_app, g, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, HTTPException

from forum.common import transaction
from forum.extensions import limiter


class DomainError(Exception):
    """Something a service refuses, with a message fit to show the person."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(DomainError):
    """The person may not do this (shown as a 403 page)."""


class NotFound(DomainError):
    """The thing does not exist, or the person may not know that it does (shown as a 404 page)."""


class ValidationFailed(DomainError):
    """Input that a form's syntax checks cannot catch (a duplicate name, say), tied to a field."""

    @property
    def problems(self) -> list[ValidationFailed]:
        return [self]


class FormRefused(ValidationFailed):
    """Several field errors at once, so a form shows every problem together."""

    def __init__(self, errors: list[ValidationFailed]) -> None:
        super().__init__(errors[0].message, field=errors[0].field)
        self.errors = errors

    @property
    def problems(self) -> list[ValidationFailed]:
        return self.errors


ERROR_TITLES = {
    400: "Sorry, there is a problem with that request",
    403: "You do not have permission to do that",
    404: "Page not found",
    405: "Sorry, that action is not available here",
    413: "That is too much to send at once",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
    503: "Sorry, the service is unavailable",
}


def _render_error(code: int, description: str | None = None):
    title = ERROR_TITLES.get(code, "Error")
    return render_template("errors/error.html", code=code, title=title, description=description), code


def _http_error(error: HTTPException):
    code = error.code or 500
    if code not in ERROR_TITLES:
        return error
    if code == 429 and getattr(error, "response", None) is not None:
        return error.response  # a limit's own page (posting shows the person's text again: nothing is lost)
    description = None
    if isinstance(error, CSRFError):
        description = (
            "The form you sent had expired or came from another site. Go back, reload the page and try again."
        )
    elif code == 429:
        description = "You have tried this too many times in a short while. Wait a few minutes, then try again."
    elif code == 503:
        description = error.description
    return _render_error(code, description)


def _permission_denied(error: PermissionDenied):
    transaction.discard()
    return _render_error(403, error.message)


def _not_found(error: NotFound):
    transaction.discard()
    return _render_error(404, None)


def _refused(error: DomainError):
    """A refusal no form can show: a 400 page that says why (the request's changes are dropped)."""
    transaction.discard()
    return _render_error(400, error.message)


def take_refusal() -> ValidationFailed | None:
    """The refusal the view is being run again to show (``forum.common.forms.Form`` puts it on its field)."""
    return g.pop("_refusal", None)


def note_submitted_form() -> None:
    """A form on this request passed its checks, so a service's refusal can be shown on it."""
    g._form_submitted = True


def _validation_failed(error: ValidationFailed):
    """Show the form again with the message by its field: drop the request's changes and run the view once more.

    On that second run the submitted form's ``validate_on_submit`` takes the refusal and returns False, so the
    view renders the page it renders for any invalid form, with everything the person typed. A refusal with no
    submitted form to show it on (or a second refusal) is a 400 page with the message.
    """
    transaction.discard()
    if not g.pop("_form_submitted", False) or g.get("_rerun"):
        return _render_error(400, error.message)
    g._refusal, g._rerun = error, True
    try:
        response = current_app.make_response(current_app.view_functions[request.endpoint](**request.view_args))
    except Exception as again:  # noqa: BLE001 - shown by its own handler (the rerun flag stops a loop)
        return current_app.handle_user_exception(again)
    if g.pop("_refusal", None) is not None:
        return _render_error(400, error.message)
    return response


def _server_error(error: Exception):
    return _render_error(500, None)


#: Endpoints that take a larger body than MAX_CONTENT_LENGTH (a file upload), in bytes: ``allow_larger_body``.
LARGER_BODIES: dict[str, int] = {}


def allow_larger_body(endpoint: str, max_bytes: int) -> None:
    """Let one endpoint take a body up to ``max_bytes`` (every other keeps MAX_CONTENT_LENGTH; beyond: a 413)."""
    LARGER_BODIES[endpoint] = max_bytes


def reject_malformed_requests() -> None:
    """Turn requests no form could have sent (NUL bytes, undecodable text) into a 400, not a 500 later."""
    if request.endpoint in LARGER_BODIES:  # before anything reads the body
        request.max_content_length = LARGER_BODIES[request.endpoint]
    try:
        parse_qsl(request.query_string.decode("latin-1"), keep_blank_values=True, errors="strict")
        if request.method in ("POST", "PUT", "PATCH") and request.mimetype == "application/x-www-form-urlencoded":
            body = request.get_data(cache=True).decode("latin-1")
            parse_qsl(body, keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise BadRequest("The request is not valid UTF-8 text.") from None
    if "\x00" in request.path:
        raise BadRequest("The address holds characters that are not allowed.")
    values = [request.args]
    if request.method in ("POST", "PUT", "PATCH"):
        values.append(request.form)
    for multidict in values:
        for key, value in multidict.items(multi=True):
            if "\x00" in key or "\x00" in value:
                raise BadRequest("The request holds characters that are not allowed.")


def _rerunning() -> bool:
    """The view is running again to show a refusal: its rate limits counted the request the first time."""
    return bool(g.get("_rerun"))


def init_app(app: Flask) -> None:
    if _rerunning not in limiter._request_filters:  # one limiter serves every app this process builds
        limiter.request_filter(_rerunning)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(PermissionDenied, _permission_denied)
    app.register_error_handler(NotFound, _not_found)
    app.register_error_handler(ValidationFailed, _validation_failed)
    app.register_error_handler(DomainError, _refused)
    app.register_error_handler(500, _server_error)
    app.before_request(reject_malformed_requests)
