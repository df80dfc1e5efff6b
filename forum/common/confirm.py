"""One confirmation page for every destructive or phase-changing action.

GOV.UK services ask before anything that cannot be undone: the page says what will happen, the warning says
it cannot be undone, and one button acts while a link goes back. A view that acts irreversibly answers GET with
``confirm_page(...)`` and acts on POST; what linked to it is a plain link (no form), so nothing irreversible
happens in one click, with or without JavaScript. The POST is CSRF-checked before the view runs
(``forum.common.csrf``), and the view still checks on the server that the person may act.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flask import render_template


@dataclass(frozen=True)
class Confirmation:
    """What the confirmation page says. ``heading`` is a question ("Withdraw your post?")."""

    heading: str
    action: str
    button: str
    cancel: str
    consequences: Sequence[str] = ()
    warning: str | None = "You cannot undo this."
    caption: str | None = None
    #: The item acted on, quoted under the heading (a thread's title, a budget's name).
    subject: str | None = None
    breadcrumbs: Sequence[dict[str, str]] = field(default_factory=tuple)
    #: A red button for what destroys or removes; a green one for a step forward (opening voting).
    destructive: bool = True
    cancel_text: str = "Cancel"
    #: Hidden fields posted with the button (a safe ``next`` path, say).
    hidden: Mapping[str, str] = field(default_factory=dict)


def confirm_page(confirmation: Confirmation) -> str:
    """The rendered confirmation page (GET); the view acts when the form is posted."""
    return render_template("confirm.html", confirm=confirmation)
