"""Threads that discuss proposals: "Start a discussion" from a proposal, linking and unlinking threads, and
the provider that tells the thread pages which proposals a thread discusses (``routes.register_links``)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.budgeting.models import PHASE_LABELS, Proposal, ProposalStatus
from forum.budgeting.services import discussions
from forum.budgeting.views.common import proposal_or_404, staff_required
from forum.common.converters import parse_id
from forum.common.decorators import form_checks_csrf
from forum.common.money import format_pence
from forum.threads import links
from forum.threads.discussion_forms import DiscussForm, LinkThreadForm
from forum.threads.views import posting_limit

MARKER = "Spending proposal"


def proposal_url(proposal_id: int) -> str:
    return url_for("budgeting.proposal", proposal_id=proposal_id)


def _pot_name(proposal: Proposal) -> str:
    pot = proposal.pot
    return pot.title if pot.title == pot.area.name else f"{pot.title} ({pot.area.name})"


def thread_link(proposal: Proposal) -> links.ThreadLink:
    """What a thread page shows of a proposal it discusses: its title, page, and a summary."""
    budget = proposal.pot.budget
    facts = (
        ("Cost", format_pence(proposal.cost_pence)),
        ("Status", ProposalStatus.LABELS.get(proposal.status, proposal.status)),
        ("Pot", _pot_name(proposal)),
        ("Budget", budget.title),
        ("Phase", PHASE_LABELS.get(budget.phase, budget.phase)),
    )
    return links.ThreadLink(kind="proposal", title=proposal.title, url=proposal_url(proposal.id), facts=facts,
                            marker=MARKER)


def proposal_links(thread_ids: list[int]) -> dict[int, list[links.ThreadLink]]:
    """The provider: for each thread among ``thread_ids`` that discusses proposals, one link per proposal."""
    found: dict[int, list[links.ThreadLink]] = {}
    for thread_id, proposal in discussions.proposals_for_threads(thread_ids):
        found.setdefault(thread_id, []).append(thread_link(proposal))
    return found


@form_checks_csrf
@posting_limit
@login_required
def discuss_proposal(proposal_id: int):
    """Start a thread about a proposal in a group the person can post in, linked to the proposal."""
    proposal = proposal_or_404(proposal_id)
    groups = discussions.postable_groups(current_user)
    form = DiscussForm()
    form.offer(groups)
    if request.method == "GET":
        form.title.data = discussions.discussion_title(proposal)
    elif form.validate_on_submit():
        thread = discussions.start_discussion(proposal, current_user, parse_id(form.group.data),
                                              form.title.data, form.body.data, form.tags.data or "")
        flash(f"Your discussion of “{proposal.title}” has started.", "success")
        return redirect(url_for("threads.show", thread_id=thread.id, slug=thread.slug))
    if request.method == "POST" and not parse_id(form.group.data) and not form.group.errors:
        form.add_error("group", discussions.CHOOSE_A_GROUP)
    return render_template("budgeting/discussions/discuss.html", form=form, proposal=proposal, groups=groups,
                           proposal_url=proposal_url(proposal.id))


@form_checks_csrf
@login_required
def link_thread(proposal_id: int):
    """Link an existing thread to a proposal: staff link any thread they can read, authors their own."""
    proposal = proposal_or_404(proposal_id)
    form = LinkThreadForm()
    if form.validate_on_submit():
        thread = discussions.link_thread(proposal, current_user, form.thread.data or "")
        flash(f"“{thread.title}” is now linked to this proposal.", "success")
        return redirect(proposal_url(proposal.id))
    return render_template("budgeting/discussions/link.html", form=form, proposal=proposal,
                           proposal_url=proposal_url(proposal.id))


@staff_required
def unlink_thread(proposal_id: int, thread_id: int):
    """Remove a thread's link to a proposal (the thread stays where it is)."""
    proposal = proposal_or_404(proposal_id)
    discussions.unlink_thread(proposal, current_user, thread_id)
    flash("The thread is no longer linked to this proposal.", "success")
    return redirect(proposal_url(proposal.id))
