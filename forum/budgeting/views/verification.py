"""Who may vote: staff verify residents of an area one by one or make one-time codes; residents enter a code.

Staff pages: ``/budgets/areas`` (every area with its counts), ``/budgets/areas/<slug>/residents`` (the record
of who is verified, and verifying one person), ``.../residents/<id>/revoke`` and ``/budgets/areas/<slug>/codes``
(batches made so far, and making a batch, downloaded once as CSV). Residents: ``/budgets/verify``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from forum.budgeting.forms.verification import CodesForm, EnterCodeForm, RevokeForm, VerifyResidentForm
from forum.budgeting.models import Area
from forum.budgeting.services import verification as service
from forum.budgeting.views.common import staff_required
from forum.common import ratelimits
from forum.common.decorators import form_checks_csrf
from forum.common.pagination import page_from_request
from forum.extensions import limiter

RESIDENTS_PER_PAGE = 50
CODE_LIMIT_DEFAULT = "10 per hour"


def _area_or_404(slug: str) -> Area:
    area = service.area_by_slug(slug)
    if area is None:
        abort(404)
    return area


#: Entering codes is limited per person (every attempt counts, right or wrong), so codes cannot be guessed.
code_limit: Callable[[Callable[..., Any]], Callable[..., Any]] = limiter.limit(
    lambda: current_app.config.get("RATELIMIT_VERIFY_CODE", CODE_LIMIT_DEFAULT),
    key_func=ratelimits.per_person,
    methods=["POST"],
)


@staff_required
def areas():
    """Every area, with how many residents are verified and how many codes were made and used."""
    return render_template("budgeting/verification/areas.html", summaries=service.area_summaries())


@form_checks_csrf
@staff_required
def verify_residents(slug: str):
    """The area's record of verified residents (revoked ones too), and verifying one person."""
    area = _area_or_404(slug)
    number = page_from_request()
    form = VerifyResidentForm()
    if form.validate_on_submit():
        row = service.verify_resident(area, current_user, form.person.data, form.note.data or "")
        flash(f"{row.user.display_name} is now verified as a resident of {area.name}.", "success")
        return redirect(url_for("budgeting.verify_residents", slug=area.slug))
    page = service.verifications_page(area, number, RESIDENTS_PER_PAGE)

    def page_url(n: int) -> str:
        return url_for("budgeting.verify_residents", slug=area.slug, page=n if n > 1 else None)

    return render_template("budgeting/verification/residents.html", area=area, form=form, page=page,
                           pagination=page.govuk_params(page_url))


@form_checks_csrf
@staff_required
def revoke_verification(slug: str, verification_id: int):
    """Revoke one verification, with a reason; the record stays, marked revoked."""
    area = _area_or_404(slug)
    verification = service.verification_in_area(area, verification_id)
    if verification is None:
        abort(404)
    form = RevokeForm()
    if verification.revoked_at is None and form.validate_on_submit():
        service.revoke(verification, current_user, form.reason.data)
        flash(f"{verification.user.display_name} is no longer verified for {area.name}.", "success")
        return redirect(url_for("budgeting.verify_residents", slug=area.slug))
    return render_template("budgeting/verification/revoke.html", area=area, verification=verification, form=form)


@form_checks_csrf
@staff_required
def verification_codes(slug: str):
    """Batches of codes made so far; making a batch answers with the CSV of its codes, the only copy."""
    area = _area_or_404(slug)
    form = CodesForm()
    if form.validate_on_submit():
        codes = service.generate_codes(area, current_user, form.count_value, form.batch.data)
        response = Response(service.codes_csv(codes, area, form.batch.data), mimetype="text/csv")
        filename = service.codes_filename(area, form.batch.data)
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        response.headers["Cache-Control"] = "no-store"
        return response
    return render_template("budgeting/verification/codes.html", area=area, form=form,
                           batches=service.code_batches(area))


@form_checks_csrf
@code_limit
@login_required
def enter_code():
    """A resident enters the code they were sent; the page also lists the areas they are verified for."""
    form = EnterCodeForm()
    if form.validate_on_submit():
        row = service.redeem_code(current_user, form.code.data)
        flash(f"You are verified as a resident of {row.area.name}. You can vote in its budgets.", "success")
        return redirect(url_for("budgeting.enter_code"))
    return render_template("budgeting/verification/enter_code.html", form=form,
                           verifications=service.verifications_of(current_user))
