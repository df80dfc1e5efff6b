"""Staff post delivery updates on funded proposals; the proposal page shows them (views/proposals.py)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from forum.budgeting.forms.delivery import DeliveryUpdateForm
from forum.budgeting.services import delivery
from forum.budgeting.views.common import proposal_or_404, staff_required
from forum.common.decorators import form_checks_csrf
from forum.common.timefmt import utcnow


@form_checks_csrf
@staff_required
def new_delivery_update(proposal_id: int):
    """Where a funded project stands, on which day, how far along, and a note (staff, once results are out)."""
    proposal = proposal_or_404(proposal_id)
    delivery.check_can_post_update(proposal, current_user)
    form = DeliveryUpdateForm(data=None if request.method == "POST" else {"happened_on": utcnow().date()})
    if form.validate_on_submit():
        delivery.add_update(proposal, current_user, form.status.data, form.happened_on.data, form.percent.data,
                            form.note.data)
        flash("The delivery update has been posted on the project's page.", "success")
        return redirect(url_for("budgeting.proposal", proposal_id=proposal.id, _anchor="delivery"))
    return render_template("budgeting/proposals/delivery_update.html", form=form, proposal=proposal,
                           budget=proposal.pot.budget)
