"""Pages for everyone signed in: the house rules, flagging, and one's own flags and warnings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.common import ratelimits
from forum.common.decorators import form_checks_csrf
from forum.common.errors import ERROR_TITLES, ValidationFailed
from forum.common.pagination import page_from_request
from forum.extensions import limiter
from forum.moderation.forms.community import FlagForm
from forum.moderation.services import flags, house_rules, sanctions
from forum.moderation.views.links import item_href

FLAGS_PER_PAGE = 25
THANKS = "Thanks: moderators will look at it"


def rules():
    """The site-wide code of conduct (anyone, signed in or not)."""
    return render_template("community/rules.html", rules_html=house_rules.rules_html())


def _slow_down(limit: Any) -> Response:
    """Over the flagging limit: a 429 page that gives the note back, ready to send again later."""
    page = render_template(
        "community/slow_down.html", title_text=ERROR_TITLES[429], action=request.path,
        reason=request.form.get("reason", ""), note=request.form.get("note", ""),
    )
    return make_response(page, 429)


#: Each signed-in person has their own budget wherever they flag from; only a flag that went through counts.
flagging_limit: Callable[[Callable[..., Any]], Callable[..., Any]] = limiter.limit(
    lambda: current_app.config["RATELIMIT_FLAGGING"],
    key_func=ratelimits.per_person,
    methods=["POST"],
    deduct_when=ratelimits.went_through,
    on_breach=_slow_down,
)


@form_checks_csrf
@flagging_limit
@login_required
def flag(kind: str, item_id: int):
    """Flag a post or comment one can see, with a reason; the page shows the text being flagged."""
    item = flags.flaggable_item(kind, item_id, current_user)
    form = FlagForm()
    refusal = None
    if request.method == "GET":
        try:
            flags.check_may_flag(item, current_user)
        except ValidationFailed as error:  # said before the form is filled in, in place of the form
            refusal = error.message
    elif form.validate_on_submit():
        flags.flag(item, current_user, form.reason.data, form.note.data or "")
        flash(THANKS, "success")
        return redirect(item_href(item))
    return render_template("community/flag.html", item=item, form=form, refusal=refusal, item_href=item_href(item))


@login_required
def my_flags():
    """One's flags, newest first, with what became of each."""
    page = flags.my_flags(current_user, page_from_request(), FLAGS_PER_PAGE)

    def page_url(n: int) -> str:
        return url_for("community.my_flags", page=n if n > 1 else None)

    return render_template("community/my_flags.html", page=page, pagination=page.govuk_params(page_url),
                           item_href=item_href)


@login_required
def my_warnings():
    """Warnings moderators have given, and the suspension if one is running."""
    return render_template("community/my_warnings.html", warnings=sanctions.my_warnings(current_user))
