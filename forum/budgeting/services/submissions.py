"""Residents proposing projects: proposing, editing and withdrawing a proposal, and its tags.

Who may do what, and when (Decidim and CONSUL work the same way):

- anyone signed in may propose while the budget is collecting proposals;
- the author may edit while the budget is still collecting and the proposal has not been reviewed;
- the author may withdraw before voting opens (collecting or review); a withdrawn proposal stays visible,
  marked withdrawn, and is never on a ballot.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from forum.budgeting import signals
from forum.budgeting.models import BEFORE_VOTING, Budget, Phase, Pot, Proposal, ProposalStatus
from forum.budgeting.services.budgets import Money, money_in_pence
from forum.common import markup
from forum.common.errors import PermissionDenied, ValidationFailed
from forum.common.money import format_pence
from forum.common.text import normalise_space
from forum.extensions import db
from forum.tags import services as tag_services
from forum.threads.services import check_not_suspended

TITLE_MAX = 200
DESCRIPTION_MAX = 10_000
LOCATION_MAX = 200


@dataclass
class ProposalText:
    """What a resident writes: everything but the pot. ``cost`` as typed ("£12,500") or in pence."""

    title: str
    description: str
    cost: Money
    location: str = ""
    tags: str = ""


def _visible(text: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LNPS" for ch in text)


def _one_line(text: str, field: str, limit: int, empty: str | None) -> str:
    line = normalise_space("".join(ch for ch in text or "" if unicodedata.category(ch) not in ("Cc", "Cf")))
    if empty and not _visible(line):
        raise ValidationFailed(empty, field=field)
    if len(line) > limit:
        raise ValidationFailed(f"Keep it to {limit} characters or fewer", field=field)
    return line


def _description(text: str) -> str:
    if not text or not _visible(markup.plain_text(text)):
        raise ValidationFailed("Describe the project: what it is and who it helps", field="description")
    if len(text) > DESCRIPTION_MAX:
        raise ValidationFailed(f"Keep the description to {DESCRIPTION_MAX:,} characters or fewer", field="description")
    return text


def _pot_of(budget: Budget, pot_id: int | None) -> Pot:
    """The pot chosen on the form; a budget with one pot needs no choice."""
    if pot_id is None and len(budget.pots) == 1:
        return budget.pots[0]
    for pot in budget.pots:
        if pot.id == pot_id:
            return pot
    raise ValidationFailed("Choose the pot of money your project is for", field="pot")


def _apply(proposal: Proposal, pot: Pot, text: ProposalText) -> None:
    """Check every field, then write them: nothing changes unless all are right."""
    title = _one_line(text.title, "title", TITLE_MAX, "Enter a title")
    description = _description(text.description)
    pence = money_in_pence(text.cost, "cost", "the cost")
    if pence > pot.amount_pence:
        most = format_pence(pot.amount_pence)
        raise ValidationFailed(f"The cost must not be more than the money in the pot ({most})", field="cost")
    location = _one_line(text.location, "location", LOCATION_MAX, None)
    names = tag_services.parse(text.tags)
    tag_services.check(names)
    proposal.pot, proposal.title, proposal.cost_pence = pot, title, pence
    proposal.description_source, proposal.description_html = description, markup.render(description)
    proposal.location = location or None
    proposal.tags = sorted(tag_services.get_or_create(names), key=lambda tag: tag.name)  # as the relationship reads


def can_propose(budget: Budget, user: Any) -> bool:
    return budget.phase == Phase.COLLECTING and bool(getattr(user, "is_authenticated", False))


def check_can_propose(budget: Budget, user: Any) -> None:
    if budget.phase != Phase.COLLECTING:
        raise PermissionDenied("Projects can only be proposed while the budget is collecting proposals.")
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Sign in to propose a project.")
    check_not_suspended(user)


def propose(budget: Budget, pot_id: int | None, author: Any, text: ProposalText) -> Proposal:
    """A resident's new proposal for one of the budget's pots (field errors for anything wrong)."""
    check_can_propose(budget, author)
    proposal = Proposal(author_id=author.id, status=ProposalStatus.PROPOSED)
    _apply(proposal, _pot_of(budget, pot_id), text)
    db.session.add(proposal)
    db.session.flush()
    signals.proposal_changed.send(proposal)
    return proposal


def is_author(proposal: Proposal, user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and proposal.author_id == user.id


def can_edit(proposal: Proposal, user: Any) -> bool:
    """The author, while the budget collects proposals and nobody has reviewed this one yet."""
    return (is_author(proposal, user) and proposal.pot.budget.phase == Phase.COLLECTING
            and proposal.status == ProposalStatus.PROPOSED)


def check_can_edit(proposal: Proposal, user: Any) -> None:
    if not is_author(proposal, user):
        raise PermissionDenied("Only the person who proposed this project can change it.")
    check_not_suspended(user)
    if proposal.status == ProposalStatus.WITHDRAWN:
        raise PermissionDenied("This proposal was withdrawn, so it can no longer be changed.")
    if not can_edit(proposal, user):
        raise PermissionDenied("This proposal can no longer be changed: proposals can be changed only while the "
                               "budget is collecting proposals, before council staff review them.")


def edit(proposal: Proposal, user: Any, pot_id: int | None, text: ProposalText) -> Proposal:
    """The author's changes to their proposal (field errors for anything wrong, and then nothing changes)."""
    check_can_edit(proposal, user)
    _apply(proposal, _pot_of(proposal.pot.budget, pot_id), text)
    db.session.flush()
    signals.proposal_changed.send(proposal)
    return proposal


def can_withdraw(proposal: Proposal, user: Any) -> bool:
    """The author, before voting opens, of a proposal not already withdrawn."""
    return (is_author(proposal, user) and proposal.pot.budget.phase in BEFORE_VOTING
            and proposal.status != ProposalStatus.WITHDRAWN)


def check_can_withdraw(proposal: Proposal, user: Any) -> None:
    if not is_author(proposal, user):
        raise PermissionDenied("Only the person who proposed this project can withdraw it.")
    if proposal.status == ProposalStatus.WITHDRAWN:
        raise PermissionDenied("This proposal has already been withdrawn.")
    if not can_withdraw(proposal, user):
        raise PermissionDenied("This proposal can no longer be withdrawn: proposals can be withdrawn only "
                               "before voting opens.")


def withdraw(proposal: Proposal, user: Any) -> Proposal:
    """Withdraw a proposal: it stays on the site, marked withdrawn, and never goes on a ballot."""
    check_can_withdraw(proposal, user)
    proposal.status = ProposalStatus.WITHDRAWN
    signals.proposal_changed.send(proposal)
    return proposal
