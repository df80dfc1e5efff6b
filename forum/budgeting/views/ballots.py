"""The ballot page (build, cast, change a ballot, with or without JavaScript), its confirmation, and staff's
paper ballots.

Without JavaScript the Add and Remove buttons submit the whole form: the selection so far travels in hidden
``chosen`` inputs, the page comes back with the money left updated, and nothing is stored until "Submit my
vote". static/js/ballot.js does the same in the page, without the round trip. A refused Add comes back with the
error summary linking to that Add button and the message printed beside it.

A ranked ballot is one select of the proposals per rank and a choose-1 ballot one radio group: both are cast by
one submission, and a refusal comes back with what the person chose, each problem by its rank (the voting
service's ``FormRefused``) and in the error summary.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.budgeting.forms.ballots import (
    BallotForm,
    approval_selection,
    ballot_form,
    button_id,
    paper_ballot_form,
    points_field_name,
)
from forum.budgeting.models import BallotKind, Pot, Proposal
from forum.budgeting.services import proposal_listing, voting
from forum.budgeting.views.common import pot_or_404, staff_required, visitor_seed
from forum.common.converters import parse_id
from forum.common.decorators import form_checks_csrf
from forum.common.errors import PermissionDenied
from forum.common.pagination import page_from_request
from forum.extensions import login_manager

PAPER_PER_PAGE = 25


def proposal_href(proposal: Proposal) -> str:
    return url_for("budgeting.proposal", proposal_id=proposal.id)


def _visitor_order(proposals: list[Proposal]) -> list[Proposal]:
    """The proposals in the random order fixed per visitor that the proposal list uses (no advantage for being
    first on the ballot either)."""
    seed = visitor_seed()
    return sorted(proposals, key=lambda p: (proposal_listing.random_key(p.id, seed), p.id))


def _ballot_url(pot: Pot) -> str:
    return url_for("budgeting.ballot", pot_id=pot.id)


def _approval_round_trip(pot: Pot, proposals: list[Proposal], form: BallotForm) -> tuple[list[int], Any]:
    """Apply an Add or Remove button to the posted selection; cast it on "Submit". Returns the selection and
    a response when the ballot was cast (else None: the page is shown again). A refusal (voting closed, an
    addition over the rule) raises, and the page comes back with the selection as it was posted."""
    selection = approval_selection(request.form)
    if not form.validate_on_submit():
        return selection, None
    if "add" in request.form:
        voting.check_open(pot)
        selection = voting.add_to_selection(pot, {p.id: p for p in proposals}, selection,
                                            parse_id(request.form.get("add")))
    elif "remove" in request.form:
        voting.check_open(pot)
        removed = parse_id(request.form.get("remove"))
        selection = [pid for pid in selection if pid != removed]
    else:
        return selection, _cast(pot, selection)
    return selection, None


def _refused_addition(form: BallotForm, proposals: list[Proposal]) -> int | None:
    """The proposal whose Add button the refusal on the page answers (a round trip without JavaScript), or None.
    The error summary then links to that button rather than to "Your ballot"."""
    if request.method != "POST" or "add" not in request.form or not form.choices.errors:
        return None
    proposal_id = parse_id(request.form.get("add"))
    if not any(p.id == proposal_id for p in proposals):
        return None
    form.choices.id = button_id(proposal_id)
    return proposal_id


def _cast(pot: Pot, choices: Any) -> Any:
    voting.cast_ballot(pot, current_user, choices)
    return redirect(url_for("budgeting.ballot_confirmation", pot_id=pot.id))


@form_checks_csrf
def ballot(pot_id: int):
    """A pot's ballot: anyone sees the proposals; eligible voters build, cast and change their ballot."""
    pot = pot_or_404(pot_id)
    if request.method == "POST" and not current_user.is_authenticated:
        return login_manager.unauthorized()
    kind = pot.budget.ballot_kind
    proposals = _visitor_order(voting.ballot_proposals(pot))
    ranks = voting.BallotRule.of(pot, available=len(proposals)).most_ranks if kind == BallotKind.ORDINAL else 0
    stored, stored_points = voting.current_ballot(pot, current_user)
    closed = voting.voting_closed_message(pot.budget)
    ineligible = voting.ineligible_message(current_user, pot) if current_user.is_authenticated else None
    if request.method == "POST":
        if ineligible:
            raise PermissionDenied(ineligible)
        form = ballot_form(kind, proposals, request.form, ranks=ranks)
        if kind == BallotKind.CUMULATIVE:
            selection: Any = form.points()
            if form.validate_on_submit() and request.form.get("action") == "cast":
                return _cast(pot, selection)
        elif kind in (BallotKind.ORDINAL, BallotKind.CHOOSE_ONE):
            selection = form.ranking() if kind == BallotKind.ORDINAL else form.chosen()
            if form.validate_on_submit():
                return _cast(pot, selection)
        else:
            selection, response = _approval_round_trip(pot, proposals, form)
            if response is not None:
                return response
    else:
        form = ballot_form(kind, proposals, points=stored_points, ranks=ranks)
        selection = stored_points
    summary = voting.summarise(pot, proposals, selection)
    refused_id = _refused_addition(form, proposals)
    return render_template(
        "budgeting/ballots/show.html", pot=pot, budget=pot.budget, form=form, proposals=proposals,
        summary=summary, stored=stored, closed_message=closed, ineligible_message=ineligible,
        can_vote=current_user.is_authenticated and not closed and not ineligible,
        proposal_href=proposal_href, points_field_name=points_field_name, ballot_url=_ballot_url(pot),
        stored_points={str(pid): points for pid, points in stored_points.items()}, button_id=button_id,
        refused_id=refused_id, ranks=ranks,
        rank_field=voting.rank_field, rank_label=voting.rank_label,
    )


@login_required
def ballot_confirmation(pot_id: int):
    """What the voter voted for, and how to change it."""
    pot = pot_or_404(pot_id)
    stored, points = voting.current_ballot(pot, current_user)
    if stored is None:
        return redirect(_ballot_url(pot))
    summary = voting.summarise(pot, voting.ballot_proposals(pot), points)
    return render_template("budgeting/ballots/confirmation.html", pot=pot, budget=pot.budget, stored=stored,
                           summary=summary, changed=voting.was_changed(stored), proposal_href=proposal_href,
                           rank_label=voting.rank_label)


@staff_required
def paper_ballots(pot_id: int):
    """The paper ballots entered for a pot, newest first: reference, who entered it, when, how many choices."""
    pot = pot_or_404(pot_id)
    number = page_from_request()
    listing = voting.paper_ballots(pot, current_user, number, PAPER_PER_PAGE)
    if number > listing.pages:
        abort(404)

    def page_url(n: int) -> str:
        return url_for("budgeting.paper_ballots", pot_id=pot.id, page=n if n > 1 else None)

    return render_template("budgeting/ballots/paper_list.html", pot=pot, budget=pot.budget, listing=listing,
                           pagination=listing.govuk_params(page_url))


@form_checks_csrf
@staff_required
def new_paper_ballot(pot_id: int):
    """Enter one paper ballot; on success the empty form comes back for the next paper."""
    pot = pot_or_404(pot_id)
    proposals = sorted(voting.ballot_proposals(pot), key=lambda p: (p.title, p.id))
    rule = voting.BallotRule.of(pot, available=len(proposals))
    form = paper_ballot_form(rule.kind, proposals, ranks=rule.most_ranks if rule.ordinal else 0)
    if form.validate_on_submit():
        voting.enter_paper_ballot(pot, current_user, form.reference.data, form.points())
        flash(f"Paper ballot {voting.clean_reference(form.reference.data)} entered. Enter the next one below.",
              "success")
        return redirect(url_for("budgeting.new_paper_ballot", pot_id=pot.id))
    return render_template("budgeting/ballots/paper_new.html", pot=pot, budget=pot.budget, form=form,
                           proposals=proposals, closed_message=voting.voting_closed_message(pot.budget),
                           points_field_name=points_field_name, rule=rule, rank_field=voting.rank_field)
