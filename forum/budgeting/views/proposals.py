"""A budget's proposal list, proposing a project, the proposal page, and its author editing or withdrawing it;
staff review proposals (feasible or not, with a public reason and perhaps a revised cost)."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.budgeting.forms.proposals import FilterForm, ProposalForm, ReviewForm
from forum.budgeting.models import PUBLISHED, Budget, Phase, Proposal, ProposalStatus
from forum.budgeting.services import delivery, discussions, proposal_listing, submissions
from forum.budgeting.services import proposals as reviews
from forum.budgeting.views.common import budget_or_404, proposal_or_404, staff_required, visitor_seed
from forum.common.confirm import Confirmation, confirm_page
from forum.common.decorators import form_checks_csrf
from forum.common.money import format_pence
from forum.common.pagination import page_from_request
from forum.threads.discussion_forms import LinkThreadForm
from forum.threads.views import posting_limit_with


def proposals(slug: str):
    """The budget's proposals, filtered by pot, status and tag, in the phase's order, a page at a time."""
    budget = budget_or_404(slug)
    args = request.args
    filters = proposal_listing.clean_filters(budget, args.getlist("pot"), args.getlist("status"), args.get("tag", ""))
    form = FilterForm(formdata=args)
    pots = proposal_listing.pots_with_areas(budget)
    form.offer(pots, proposal_listing.tag_names(budget))
    seed = visitor_seed() if proposal_listing.order_for(budget) == proposal_listing.Order.RANDOM else 0
    listing = proposal_listing.list_proposals(budget, filters, page_from_request(), seed)

    def page_url(n: int) -> str:
        return url_for("budgeting.proposals", slug=slug, pot=filters.pot_ids or None, status=filters.statuses or None,
                       tag=filters.tag or None, page=n if n > 1 else None)

    return render_template(
        "budgeting/proposals/index.html", budget=budget, filter_form=form, filters=filters, listing=listing,
        pots=pots, pagination=listing.page.govuk_params(page_url), can_propose=budget.phase == Phase.COLLECTING,
    )


def _text(form: ProposalForm) -> submissions.ProposalText:
    return submissions.ProposalText(form.title.data or "", form.description.data or "", form.cost.data or "",
                                    form.location.data or "", form.tags.data or "")


def _proposal_form_page(form: ProposalForm, budget: Budget, proposal: Proposal | None = None) -> str:
    return render_template("budgeting/proposals/form.html", form=form, budget=budget, proposal=proposal,
                           several_pots=len(budget.pots) > 1)


SLOW_DOWN = ("You have posted a lot in a short while. Wait a few minutes, then send your proposal again: "
             "everything you wrote is below")


def _proposing_too_fast(limit: Any) -> Response:
    """Over the shared posting limit: the proposal form again, as sent, with a 429 and what to do."""
    budget = budget_or_404(request.view_args["slug"])
    form = ProposalForm()
    form.offer(proposal_listing.pots_with_areas(budget))
    form.title.errors = [SLOW_DOWN]
    return make_response(_proposal_form_page(form, budget), 429)


@form_checks_csrf
@posting_limit_with(_proposing_too_fast)
@login_required
def new_proposal(slug: str):
    """Propose a project (signed in, while the budget collects proposals); the form again on any error."""
    budget = budget_or_404(slug)
    submissions.check_can_propose(budget, current_user)
    form = ProposalForm()
    form.offer(proposal_listing.pots_with_areas(budget))
    if request.method == "GET" and request.args.get("pot") in {str(pot.id) for pot in budget.pots}:
        form.pot.data = request.args["pot"]  # "Propose a project" next to a pot on the budget's page
    if form.validate_on_submit():
        proposal = submissions.propose(budget, form.chosen_pot(), current_user, _text(form))
        flash("Your project has been proposed. Council staff will review it before voting opens.", "success")
        return redirect(url_for("budgeting.proposal", proposal_id=proposal.id))
    return _proposal_form_page(form, budget)


@form_checks_csrf
@login_required
def edit_proposal(proposal_id: int):
    """The author changes their proposal, while the budget collects proposals and before it is reviewed."""
    proposal = proposal_or_404(proposal_id)
    submissions.check_can_edit(proposal, current_user)
    budget = proposal.pot.budget
    form = ProposalForm(data=None if request.method == "POST" else _current_text(proposal))
    form.offer(proposal_listing.pots_with_areas(budget))
    if form.validate_on_submit():
        submissions.edit(proposal, current_user, form.chosen_pot(), _text(form))
        flash("Your changes have been saved.", "success")
        return redirect(url_for("budgeting.proposal", proposal_id=proposal.id))
    return _proposal_form_page(form, budget, proposal)


def _current_text(proposal: Proposal) -> dict[str, str]:
    return {"pot": str(proposal.pot_id), "title": proposal.title, "description": proposal.description_source,
            "cost": format_pence(proposal.cost_pence), "location": proposal.location or "",
            "tags": ", ".join(tag.name for tag in proposal.tags)}


@login_required
def withdraw_proposal(proposal_id: int):
    """Ask the author to confirm on the one confirmation page (GET), then withdraw (POST; CSRF-checked before it
    gets here)."""
    proposal = proposal_or_404(proposal_id)
    submissions.check_can_withdraw(proposal, current_user)
    proposal_url = url_for("budgeting.proposal", proposal_id=proposal.id)
    if request.method == "POST":
        submissions.withdraw(proposal, current_user)
        flash("You withdrew your proposal. It stays on the site, marked withdrawn, and will not be voted on.",
              "success")
        return redirect(proposal_url)
    budget = proposal.pot.budget
    return confirm_page(Confirmation(
        heading="Withdraw your proposal?", caption=budget.title, subject=proposal.title,
        action=url_for("budgeting.withdraw_proposal", proposal_id=proposal.id), button="Withdraw the proposal",
        cancel=proposal_url, cancel_text="Keep it",
        consequences=["Your proposal stays on the site, marked withdrawn, with its discussions.",
                      "It will not be reviewed or voted on."],
        breadcrumbs=[{"text": "Budgets", "href": url_for("budgeting.index")},
                     {"text": budget.title, "href": url_for("budgeting.show", slug=budget.slug)},
                     {"text": proposal.title, "href": proposal_url}],
    ))


def proposal(proposal_id: int):
    """A proposal: its cost (and any revision), review, pot, author, text, tags, what the viewer can do now,
    delivery updates and discussions."""
    proposal = proposal_or_404(proposal_id)
    budget = proposal.pot.budget
    return render_template(
        "budgeting/proposals/show.html", proposal=proposal, budget=budget, tags=proposal.tags,
        updates=delivery.updates_for(proposal), threads=discussions.readable_threads(proposal, current_user),
        link_thread_form=LinkThreadForm(formdata=None) if current_user.is_authenticated else None,
        votes=proposal_listing.votes_for(proposal) if budget.phase in PUBLISHED else None,
        actions=_actions(proposal, budget),
    )


def _actions(proposal: Proposal, budget: Budget) -> dict[str, Any]:
    """What the viewer can do with this proposal now."""
    pot = proposal.pot
    on_ballot = budget.phase == Phase.VOTING and proposal.status in ProposalStatus.COUNTED
    return {
        "edit": submissions.can_edit(proposal, current_user),
        "withdraw": submissions.can_withdraw(proposal, current_user),
        "review": reviews.can_review(proposal, current_user),
        "post_update": delivery.can_post_update(proposal, current_user),
        "vote_url": url_for("budgeting.ballot", pot_id=pot.id) if on_ballot else None,
        "results_url": url_for("budgeting.results", pot_id=pot.id) if budget.phase in PUBLISHED else None,
    }


@form_checks_csrf
@staff_required
def review_proposal(proposal_id: int):
    """A civil servant marks the proposal feasible or not, with a public reason, and may revise its cost."""
    proposal = proposal_or_404(proposal_id)
    reviews.check_can_review(proposal, current_user)
    form = ReviewForm(data=None if request.method == "POST" else _current_review(proposal))
    form.describe(proposal)
    if form.validate_on_submit():
        reviews.review_proposal(proposal, current_user, form.feasible.data == "yes", form.reason.data or "",
                                cost=form.cost.data or None, cost_reason=form.cost_reason.data or "")
        flash("The review has been saved and is shown on the proposal's page.", "success")
        return redirect(url_for("budgeting.proposal", proposal_id=proposal.id))
    return render_template("budgeting/proposals/review.html", form=form, proposal=proposal,
                           budget=proposal.pot.budget)


def _current_review(proposal: Proposal) -> dict[str, str]:
    feasible = {ProposalStatus.FEASIBLE: "yes", ProposalStatus.NOT_FEASIBLE: "no"}.get(proposal.status, "")
    return {"feasible": feasible, "reason": proposal.feasibility_reason or ""}
