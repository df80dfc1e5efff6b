"""Casting ballots: a voter's own online ballot, and paper ballots that staff type in after an event.

Every rule is checked here, whatever the page sent: voting must be open, the voter eligible, every choice a
counted proposal of this pot, and the whole within the budget's rule: approval within the money, with the
optional minimum spend and minimum and maximum number of projects; cumulative points up to the voter's
allowance; one project on a choose-1 ballot; or, on a ranked (ordinal) ballot, between the fewest and the most
ranks, each project once, without gaps. A refused ballot changes nothing: every check comes before the first
write, and the stored ballot stays as it was.

A ranked ballot is stored as one ``BallotChoice`` per ranked project, ``rank`` 1 (first preference) to k and
``points`` 1; how ranks become points is the count's business (forum.budgeting.rules). A choose-1 ballot is one
choice with ``points`` 1.

The ballot rule is written once, in :class:`BallotRule`: its limits and sentences, the check of a whole ballot,
and the check of one more proposal on a ballot being built. The ballot page uses that check for its Add button
without JavaScript, and hands the rule's figures and messages to static/js/ballot.js as JSON
(:meth:`BallotRule.for_script`), so the script says exactly what the server would.

One ballot per voter per pot is kept by the database (UNIQUE(pot_id, voter_id)). Casting is one
``INSERT ... ON CONFLICT (pot_id, voter_id) DO UPDATE`` (both SQLite and PostgreSQL have it), so two
submissions at once from the same person meet at the unique index: the second waits for the first to commit
and then replaces its choices, and one ballot is left. A paper ballot is one ``INSERT ... ON CONFLICT
(pot_id, anonymous_key) DO NOTHING``: the same paper entered by two people at once is stored once, and the
second is told it was already entered. Nothing here commits: the request's edge does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.budgeting.models import (
    BEFORE_VOTING,
    Ballot,
    BallotChoice,
    BallotKind,
    Budget,
    Channel,
    Phase,
    Pot,
    Proposal,
    ProposalStatus,
)
from forum.budgeting.services.eligibility import check_may_vote
from forum.budgeting.services.staff import check_runs_budgets
from forum.common import database
from forum.common.errors import FormRefused, PermissionDenied, ValidationFailed
from forum.common.money import format_pence
from forum.common.pagination import Page
from forum.common.text import normalise_space
from forum.common.timefmt import utcnow
from forum.extensions import db

#: The field a refusal about the choices as a whole is shown by.
CHOICES = "choices"
#: Paper references are kept as ``anonymous_key = "paper:<reference>"`` (64 characters at most).
PAPER_PREFIX = "paper:"
REFERENCE_MAX = 50

#: What a ballot holds, as the pages and the tests pass it: proposal ids (approval, choose-1: one point each),
#: proposal id -> points (cumulative), or for a ranked ballot the ranks in order, first preference first, with
#: None for a rank left empty (or proposal id -> rank).
Choices = Mapping[int, int] | Iterable[int] | Sequence[int | None]


#: Adding one more proposal to an approval ballot being built, refused (the page's Add button, with or without
#: JavaScript). ``{title}``, ``{cost}``, ``{left}`` and ``{most}`` are filled in by the server or the script.
NOT_ON_BALLOT = "That proposal is not on this ballot. Choose one from the list."
OVER_THE_MONEY = "{title} costs {cost}, more than the {left} you have left. Remove a proposal first."
TOO_MANY = "You can choose no more than {most} proposals. Remove one first."
#: What the points ballot's script says as the voter types (the server's refusals are below, in the checks).
POINTS_NOT_WHOLE = "Enter points as whole numbers, like 3."
POINTS_OVER = "You have given {used} points, {over} more than the {allowed} you have. Take some away."
#: What the ranked ballot's script says when a choice is moved up or down (the page works without it).
MOVED = "{title} is now your {rank}."
MOVED_NOWHERE = "{title} is already your {rank}."


def _plural(n: int, word: str) -> str:
    return f"{word}{'' if n == 1 else 's'}"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, ... 11th, 12th, 13th, ... 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_label(n: int) -> str:
    """What rank ``n`` is called on the page: "1st choice"."""
    return f"{ordinal(n)} choice"


def rank_field(n: int) -> str:
    """The name of the form field (a select of the projects) for rank ``n``: refusals about a rank name it."""
    return f"rank_{n}"


@dataclass(frozen=True)
class BallotRule:
    """What a ballot in a pot must keep to, written once: the limits, the sentences that state them, the check of
    a whole ballot, and the check of one more proposal on an approval ballot being built."""

    kind: str
    amount_pence: int
    points_allowed: int | None = None
    min_projects: int | None = None
    max_projects: int | None = None
    min_spend_pence: int | None = None
    #: How many proposals are on the ballot (a ranked ballot never has more ranks than that).
    available: int | None = None

    @classmethod
    def of(cls, pot: Pot, available: int | None = None) -> BallotRule:
        budget = pot.budget
        return cls(kind=budget.ballot_kind, amount_pence=pot.amount_pence, points_allowed=budget.points_per_voter,
                   min_projects=budget.min_projects, max_projects=budget.max_projects,
                   min_spend_pence=budget.min_spend_pence, available=available)

    @property
    def cumulative(self) -> bool:
        return self.kind == BallotKind.CUMULATIVE

    @property
    def ordinal(self) -> bool:
        return self.kind == BallotKind.ORDINAL

    @property
    def choose_one(self) -> bool:
        return self.kind == BallotKind.CHOOSE_ONE

    @property
    def spends_money(self) -> bool:
        """Whether the page shows money (or points) left: approval and cumulative ballots, not choose-1 or ranked."""
        return not (self.ordinal or self.choose_one)

    @property
    def most_ranks(self) -> int:
        """How many ranks a ranked ballot offers: the budget's most projects (pabulib's ``max_length``), never more
        than the proposals on the ballot; every proposal when the budget sets no most."""
        most = self.max_projects or self.available or 1
        return max(1, min(most, self.available)) if self.available else most

    @property
    def fewest_ranks(self) -> int:
        """How many ranks must be filled: the budget's fewest projects (``min_length``), at least 1, at most
        :attr:`most_ranks`."""
        return max(1, min(self.min_projects or 1, self.most_ranks))

    def in_words(self) -> list[str]:
        """The rule as sentences for the ballot page."""
        if self.cumulative:
            return [f"Spread up to {self.points_allowed} points over the proposals you support, "
                    "in whole numbers. Give more points to the ones you want most."]
        if self.choose_one:
            return ["Choose the one proposal you most want funded."]
        if self.ordinal:
            return [self._ranks_in_words(), "Your 1st choice is the proposal you want most, then your 2nd, and so "
                    "on. Each proposal can be ranked once."]
        lines = [f"Choose the proposals you want funded. Their total cost must not be more than "
                 f"{format_pence(self.amount_pence)}, the money in this pot."]
        if self.min_spend_pence:
            lines.append(f"Your choices must cost at least {format_pence(self.min_spend_pence)} in all.")
        low, high = self.min_projects, self.max_projects
        if low and high:
            lines.append(f"Choose between {low} and {high} proposals." if low != high else
                         f"Choose exactly {low} {_plural(low, 'proposal')}.")
        elif low:
            lines.append(f"Choose at least {low} {_plural(low, 'proposal')}.")
        elif high:
            lines.append(f"Choose no more than {high} {_plural(high, 'proposal')}.")
        return lines

    def _ranks_in_words(self) -> str:
        low, high = self.fewest_ranks, self.most_ranks
        if low == high:
            return f"Rank exactly {low} {_plural(low, 'proposal')} in order of preference."
        if low == 1:
            return f"Rank up to {high} proposals in order of preference."
        return f"Rank between {low} and {high} proposals in order of preference."

    def check_addition(self, proposal: Proposal, spent_pence: int, count: int) -> None:
        """One more proposal on an approval ballot that spends ``spent_pence`` on ``count`` proposals so far:
        refused when it costs more than is left, or the ballot already holds the most proposals allowed."""
        left = self.amount_pence - spent_pence
        if proposal.cost_pence > left:
            raise ValidationFailed(OVER_THE_MONEY.format(title=proposal.title, cost=format_pence(proposal.cost_pence),
                                                         left=format_pence(left)), field=CHOICES)
        if self.max_projects and count >= self.max_projects:
            raise ValidationFailed(TOO_MANY.format(most=self.max_projects), field=CHOICES)

    def check_points(self, points: dict[int, int]) -> None:
        """A whole points ballot: something given, and no more than the allowance."""
        allowed = self.points_allowed or 0
        used = sum(points.values())
        if not points:
            raise ValidationFailed("Give points to at least one proposal", field=CHOICES)
        if used > allowed:
            raise ValidationFailed(f"You gave {used} points, {used - allowed} more than the {allowed} you have to "
                                   "spread. Take some away.", field=CHOICES)

    def check_approval(self, points: dict[int, int], chosen: list[Proposal]) -> None:
        """A whole approval ballot: one point each, within the money, the numbers of projects and the minimum spend."""
        if any(value != 1 for value in points.values()):
            raise ValidationFailed("On this ballot a proposal is either chosen or not: points are not used",
                                   field=CHOICES)
        count, spent = len(chosen), sum(p.cost_pence for p in chosen)
        if not chosen:
            raise ValidationFailed("Choose at least one proposal", field=CHOICES)
        if spent > self.amount_pence:
            raise ValidationFailed(
                f"Your choices cost {format_pence(spent)}, {format_pence(spent - self.amount_pence)} more than the "
                f"{format_pence(self.amount_pence)} in this pot. Remove a proposal.", field=CHOICES)
        if self.min_projects and count < self.min_projects:
            raise ValidationFailed(f"Choose at least {self.min_projects} proposals (you chose {count})",
                                   field=CHOICES)
        if self.max_projects and count > self.max_projects:
            raise ValidationFailed(f"Choose no more than {self.max_projects} proposals (you chose {count})",
                                   field=CHOICES)
        if self.min_spend_pence and spent < self.min_spend_pence:
            raise ValidationFailed(f"Your choices must cost at least {format_pence(self.min_spend_pence)} in all "
                                   f"(they cost {format_pence(spent)}). Add a proposal.", field=CHOICES)

    def check_one(self, points: dict[int, int]) -> None:
        """A whole choose-1 ballot: exactly one proposal, one point."""
        if not points:
            raise ValidationFailed("Choose the proposal you want funded", field=CHOICES)
        if len(points) > 1:
            raise ValidationFailed(f"Choose only one proposal (you chose {len(points)})", field=CHOICES)
        if any(value != 1 for value in points.values()):
            raise ValidationFailed("On this ballot a proposal is either chosen or not: points are not used",
                                   field=CHOICES)

    def ranking_problems(self, slots: Sequence[int | None], titles: Mapping[int, str]) -> list[ValidationFailed]:
        """Everything wrong with a ranked ballot whose ranks hold ``slots`` (proposal ids, None for a rank left
        empty), each refusal by the rank it is about, so the page shows them all at once: the same proposal
        twice, a rank left empty before one that is filled, too few ranks filled, or more than the most."""
        problems: list[ValidationFailed] = []
        first_rank: dict[int, int] = {}
        filled = [n for n, pid in enumerate(slots, start=1) if pid is not None]
        last = filled[-1] if filled else 0
        for n, pid in enumerate(slots, start=1):
            if pid is None:
                if n < last:
                    problems.append(ValidationFailed(
                        f"Choose your {rank_label(n)}, or move your later choices up: ranks are filled in order, "
                        "without gaps", field=rank_field(n)))
                continue
            if pid in first_rank:
                problems.append(ValidationFailed(
                    f"Choose a different proposal as your {rank_label(n)}: {titles.get(pid, 'that proposal')} is "
                    f"already your {rank_label(first_rank[pid])}", field=rank_field(n)))
            else:
                first_rank[pid] = n
        if len(filled) > self.most_ranks:
            problems.append(ValidationFailed(
                f"Rank no more than {self.most_ranks} {_plural(self.most_ranks, 'proposal')} (you ranked "
                f"{len(filled)})", field=CHOICES))
        elif not problems and len(filled) < self.fewest_ranks:
            low, high = self.fewest_ranks, self.most_ranks
            wanted = f"exactly {low}" if low == high else f"at least {low}"
            problems.append(ValidationFailed(
                f"Choose your {rank_label(len(filled) + 1)}: rank {wanted} {_plural(low, 'proposal')}",
                field=rank_field(len(filled) + 1)))
        return problems

    def for_script(self) -> dict[str, Any]:
        """What static/js/ballot.js needs to say what this rule says without a round trip (the page prints it as
        JSON; each proposal's cost is on its own item): the limits, and the messages with their blanks."""
        return {
            "kind": self.kind, "cumulative": self.cumulative, "amount": self.amount_pence,
            "points": self.points_allowed or 0, "maxProjects": self.max_projects or 0,
            "messages": {"overTheMoney": OVER_THE_MONEY, "tooMany": TOO_MANY, "pointsNotWhole": POINTS_NOT_WHOLE,
                         "pointsOver": POINTS_OVER, "moved": MOVED, "movedNowhere": MOVED_NOWHERE},
        }


def add_to_selection(pot: Pot, proposals: Mapping[int, Proposal], selection: list[int],
                     proposal_id: int | None) -> list[int]:
    """The approval ballot being built (``selection``, proposal ids in order) with one more proposal, under the
    pot's rule; a refusal raises ValidationFailed and leaves the selection as it was."""
    proposal = proposals.get(proposal_id or 0)
    if proposal is None:
        raise ValidationFailed(NOT_ON_BALLOT, field=CHOICES)
    if proposal.id in selection:
        return selection
    spent = sum(proposals[pid].cost_pence for pid in selection if pid in proposals)
    BallotRule.of(pot).check_addition(proposal, spent, len(selection))
    return [*selection, proposal.id]


@dataclass
class BallotSummary:
    """What a ballot (stored or being built) adds up to, for the page: choices, money and points."""

    pot: Pot
    kind: str
    chosen: list[Proposal]
    points: dict[int, int]
    spent_pence: int
    points_used: int
    points_allowed: int | None
    rule: BallotRule
    limits: list[str] = field(default_factory=list)

    @property
    def amount_pence(self) -> int:
        return self.pot.amount_pence

    @property
    def left_pence(self) -> int:
        return self.pot.amount_pence - self.spent_pence

    @property
    def points_left(self) -> int:
        return (self.points_allowed or 0) - self.points_used

    def refuses(self, proposal: Proposal) -> bool:
        """Whether the rule would refuse ``proposal`` as one more choice on this approval ballot. Without
        JavaScript its Add button then brings the page back at the error summary rather than at the proposal."""
        try:
            self.rule.check_addition(proposal, self.spent_pence, len(self.chosen))
        except ValidationFailed:
            return True
        return False

    @property
    def over(self) -> bool:
        if self.rule.cumulative:
            return self.points_left < 0
        return self.left_pence < 0

    @property
    def ranked(self) -> list[tuple[int, Proposal]]:
        """A ranked ballot's choices as (rank, proposal), first preference first."""
        return sorted(((self.points[p.id], p) for p in self.chosen), key=lambda pair: (pair[0], pair[1].id))


def as_points(choices: Choices) -> dict[int, int]:
    """Choices as proposal id -> points: a list of ids (approval, choose-1) is one point each."""
    if isinstance(choices, Mapping):
        return dict(choices)
    return {proposal_id: 1 for proposal_id in choices if proposal_id is not None}


def as_slots(choices: Choices) -> list[int | None]:
    """A ranked ballot's choices as its ranks in order (proposal id, or None for a rank left empty). Given as
    proposal id -> rank, ranks not given are empty, and two proposals given one rank are refused."""
    if not isinstance(choices, Mapping):
        return list(choices)
    slots: list[int | None] = [None] * max(choices.values(), default=0)
    for proposal_id, rank in sorted(choices.items(), key=lambda item: item[1]):
        if isinstance(rank, bool) or not isinstance(rank, int) or rank < 1:
            raise ValidationFailed("Ranks must be whole numbers of 1 or more", field=CHOICES)
        if slots[rank - 1] is not None:
            raise ValidationFailed(f"Give each proposal its own rank: two share your {rank_label(rank)}",
                                   field=rank_field(rank))
        slots[rank - 1] = proposal_id
    return slots


def as_ranks(choices: Choices) -> dict[int, int]:
    """A ranked ballot's choices as proposal id -> rank (a proposal given twice keeps its first rank)."""
    if isinstance(choices, Mapping):
        return dict(choices)
    ranks: dict[int, int] = {}
    for rank, proposal_id in enumerate(choices, start=1):
        if proposal_id is not None:
            ranks.setdefault(proposal_id, rank)
    return ranks


def ballot_proposals(pot: Pot) -> list[Proposal]:
    """The proposals that go on ``pot``'s ballot (every counted status), by title then id: one query."""
    query = (
        select(Proposal)
        .where(Proposal.pot_id == pot.id, Proposal.status.in_(ProposalStatus.COUNTED))
        .order_by(Proposal.title, Proposal.id)
    )
    return list(db.session.scalars(query))


def current_ballot(pot: Pot, voter: Any) -> tuple[Ballot | None, dict[int, int]]:
    """``voter``'s stored ballot for ``pot`` and its choices: proposal id -> points, or on a ranked ballot
    proposal id -> rank (its points are all 1). One query."""
    if not getattr(voter, "is_authenticated", False):
        return None, {}
    rows = db.session.execute(
        select(Ballot, BallotChoice.proposal_id, BallotChoice.points, BallotChoice.rank)
        .outerjoin(BallotChoice, BallotChoice.ballot_id == Ballot.id)
        .where(Ballot.pot_id == pot.id, Ballot.voter_id == voter.id)
    ).all()
    if not rows:
        return None, {}
    return rows[0][0], {pid: rank or pts for _, pid, pts, rank in rows if pid is not None}


def summarise(pot: Pot, proposals: Iterable[Proposal], choices: Choices) -> BallotSummary:
    """Add up ``choices`` against the proposals on the page (ids not among them are left out). On a ranked
    ballot ``points`` holds each chosen proposal's rank, and ``chosen`` is in rank order."""
    proposals = list(proposals)
    rule = BallotRule.of(pot, available=len(proposals))
    points = as_ranks(choices) if rule.ordinal else as_points(choices)
    chosen = [p for p in proposals if p.id in points]
    if rule.ordinal:
        chosen.sort(key=lambda p: points[p.id])
    return BallotSummary(
        pot=pot, kind=rule.kind, chosen=chosen, points={p.id: points[p.id] for p in chosen},
        spent_pence=sum(p.cost_pence for p in chosen), points_used=sum(points[p.id] for p in chosen),
        points_allowed=rule.points_allowed, rule=rule, limits=rule.in_words(),
    )


def rules_in_words(budget: Budget, pot: Pot) -> list[str]:
    """The ballot's rules as sentences for the page (``pot`` of ``budget``)."""
    return BallotRule.of(pot, available=_available(pot)).in_words()


def _available(pot: Pot) -> int:
    """How many proposals are on ``pot``'s ballot (a ranked ballot offers no more ranks than that)."""
    return db.session.scalar(select(func.count()).select_from(Proposal).where(
        Proposal.pot_id == pot.id, Proposal.status.in_(ProposalStatus.COUNTED))) or 0


def voting_closed_message(budget: Budget) -> str | None:
    """Why nobody can vote in ``budget`` now, or None while voting is open."""
    if budget.phase == Phase.VOTING:
        return None
    if budget.phase in BEFORE_VOTING:
        return "Voting has not opened yet. You can vote once the budget reaches its voting phase."
    return "Voting has closed. Ballots can no longer be cast or changed."


def ineligible_message(voter: Any, pot: Pot) -> str | None:
    """Why ``voter`` (signed in) may not vote in ``pot``, with what to do, or None when they may."""
    try:
        check_may_vote(voter, pot)
    except PermissionDenied as refusal:
        return refusal.message
    return None


def check_open(pot: Pot) -> None:
    """Refuse any change to a ballot while voting is not open (field ``choices``)."""
    message = voting_closed_message(pot.budget)
    if message:
        raise ValidationFailed(message, field=CHOICES)


def check_choices(pot: Pot, choices: Choices) -> dict[int, int]:
    """Validate ``choices`` for ``pot`` under its budget's rule; return them as proposal id -> points, or for a
    ranked ballot as proposal id -> rank (1 to k, in the order given: a ranking with a gap is refused)."""
    if pot.budget.ballot_kind == BallotKind.ORDINAL:
        return _check_ranking(pot, as_slots(choices))
    points = as_points(choices)
    rule = BallotRule.of(pot)
    for value in points.values():
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValidationFailed("Points must be whole numbers of 1 or more", field=CHOICES)
    proposals = _check_all_on_ballot(pot, points.keys())
    if rule.cumulative:
        rule.check_points(points)
    elif rule.choose_one:
        rule.check_one(points)
    else:
        rule.check_approval(points, [proposals[pid] for pid in points])
    return points


def _check_ranking(pot: Pot, slots: list[int | None]) -> dict[int, int]:
    """A ranked ballot's ranks (``slots``): every proposal on the ballot, then the rule's problems all at once."""
    for value in slots:
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValidationFailed("Choose each rank from the list of proposals", field=CHOICES)
    proposals = _check_all_on_ballot(pot, {pid for pid in slots if pid is not None})
    rule = BallotRule.of(pot, available=_available(pot))
    problems = rule.ranking_problems(slots, {pid: p.title for pid, p in proposals.items()})
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise FormRefused(problems)
    return {pid: rank for rank, pid in enumerate((pid for pid in slots if pid is not None), start=1)}


def _check_all_on_ballot(pot: Pot, ids: Iterable[int]) -> dict[int, Proposal]:
    """The proposals ``ids`` name, each refused unless it exists and is on ``pot``'s ballot."""
    ids = list(ids)
    proposals = _load(ids)
    for proposal_id in ids:
        proposal = proposals.get(proposal_id)
        if proposal is None:
            raise ValidationFailed("One of your choices is not a proposal (it may have been removed). "
                                   "Choose again from the list.", field=CHOICES)
        _check_on_ballot(pot, proposal)
    return proposals


def _load(ids: Iterable[int]) -> dict[int, Proposal]:
    ids = list(ids)
    if not ids:
        return {}
    query = select(Proposal).where(Proposal.id.in_(ids)).options(joinedload(Proposal.pot))
    return {p.id: p for p in db.session.scalars(query)}


def _check_on_ballot(pot: Pot, proposal: Proposal) -> None:
    if proposal.pot_id != pot.id:
        raise ValidationFailed(f"“{proposal.title}” is a proposal for another pot ({proposal.pot.title}), "
                               f"not {pot.title}. Remove it from your ballot.", field=CHOICES)
    if proposal.status == ProposalStatus.WITHDRAWN:
        raise ValidationFailed(f"“{proposal.title}” was withdrawn by its author, so it cannot be voted for. "
                               "Remove it from your ballot.", field=CHOICES)
    if proposal.status == ProposalStatus.NOT_FEASIBLE:
        raise ValidationFailed(f"“{proposal.title}” was found not feasible, so it cannot be voted for. "
                               "Remove it from your ballot.", field=CHOICES)
    if proposal.status not in ProposalStatus.COUNTED:  # pragma: no cover - every status is named above
        raise ValidationFailed(f"“{proposal.title}” cannot be voted for.", field=CHOICES)


def _insert_ballot(**values: Any) -> Any:
    """``INSERT INTO budget_ballots`` in the database's own dialect, for its ``ON CONFLICT`` clause."""
    return database.insert(Ballot).values(**values)


def _upsert_ballot(pot: Pot, voter: User, now: datetime) -> int:
    """Insert the voter's ballot or, when they have one, touch it; the row stays locked until the edge commits."""
    statement = (
        _insert_ballot(pot_id=pot.id, voter_id=voter.id, channel=Channel.ONLINE, created_at=now, updated_at=now)
        .on_conflict_do_update(index_elements=[Ballot.pot_id, Ballot.voter_id], set_={"updated_at": now})
        .returning(Ballot.id)
    )
    return db.session.execute(statement).scalar_one()


def _write_choices(ballot_id: int, values: dict[int, int], ranked: bool) -> None:
    """Replace the ballot's choices: ``values`` are points, or ranks when ``ranked`` (then points are 1). A
    conflict no ``ON CONFLICT`` absorbs (a proposal deleted since it was checked) is a refusal, never a 500: the
    error mapping rolls the request back and shows the ballot again."""
    db.session.execute(delete(BallotChoice).where(BallotChoice.ballot_id == ballot_id))
    if not values:
        return
    rows = [{"ballot_id": ballot_id, "proposal_id": pid, "points": 1, "rank": value} if ranked else
            {"ballot_id": ballot_id, "proposal_id": pid, "points": value, "rank": None}
            for pid, value in sorted(values.items())]
    try:
        db.session.execute(insert(BallotChoice), rows)
    except IntegrityError:
        raise ValidationFailed("Your ballot could not be saved just now. Submit it again.", field=CHOICES) from None


def cast_ballot(pot: Pot, voter: User, choices: Choices) -> Ballot:
    """Cast (or replace) ``voter``'s ballot for ``pot``. Refusals raise ValidationFailed (field ``choices``)
    or PermissionDenied (not eligible), and leave the stored ballot as it was."""
    check_open(pot)
    check_may_vote(voter, pot)
    values = check_choices(pot, choices)
    ballot_id = _upsert_ballot(pot, voter, utcnow())
    _write_choices(ballot_id, values, ranked=pot.budget.ballot_kind == BallotKind.ORDINAL)
    return db.session.scalars(select(Ballot).where(Ballot.id == ballot_id)
                              .execution_options(populate_existing=True)).one()


def was_changed(ballot: Ballot) -> bool:
    """Whether the ballot was cast again after it was first cast."""
    return ballot.updated_at > ballot.created_at


# Paper ballots ------------------------------------------------------------------------------------------------


def clean_reference(reference: str) -> str:
    """A paper's reference as stored: spaces collapsed and capitals, so "ab 12" and "AB  12" are one paper."""
    cleaned = normalise_space(reference).upper()
    if not cleaned:
        raise ValidationFailed("Enter the reference number printed on the paper ballot", field="reference")
    if len(cleaned) > REFERENCE_MAX:
        raise ValidationFailed(f"The reference must be {REFERENCE_MAX} characters or fewer", field="reference")
    return cleaned


def _duplicate(reference: str) -> ValidationFailed:
    return ValidationFailed(f"Paper ballot {reference} has already been entered for this pot. Check the "
                            "reference: the same paper cannot be counted twice.", field="reference")


def enter_paper_ballot(pot: Pot, staff: User, reference: str, choices: Choices) -> Ballot:
    """Record a paper ballot from an in-person event (staff only, while voting is open). Staff vouch for who
    voted on paper, so there is no eligibility check; the choices are checked as an online ballot's are."""
    check_runs_budgets(staff, "enter paper ballots")
    check_open(pot)
    reference = clean_reference(reference)
    key = PAPER_PREFIX + reference
    values = check_choices(pot, choices)
    now = utcnow()
    statement = (
        _insert_ballot(pot_id=pot.id, voter_id=None, anonymous_key=key, channel=Channel.PAPER,
                       entered_by_id=staff.id, created_at=now, updated_at=now)
        .on_conflict_do_nothing(index_elements=[Ballot.pot_id, Ballot.anonymous_key])
        .returning(Ballot.id)
    )
    ballot_id = db.session.execute(statement).scalar_one_or_none()
    if ballot_id is None:  # entered before, or by someone else at this very moment (it waited for them)
        raise _duplicate(reference)
    _write_choices(ballot_id, values, ranked=pot.budget.ballot_kind == BallotKind.ORDINAL)
    return db.session.get_one(Ballot, ballot_id)


@dataclass
class PaperBallotRow:
    reference: str
    entered_by: User | None
    entered_at: datetime
    choices: int


def paper_ballots(pot: Pot, viewer: Any, number: int, per_page: int = 25) -> Page:
    """One page of ``pot``'s paper ballots, newest first, with who entered them and how many choices each has
    (two queries: the count, and the page with its counts and people)."""
    check_runs_budgets(viewer, "see paper ballots")
    where = (Ballot.pot_id == pot.id, Ballot.channel == Channel.PAPER)
    total = db.session.scalar(select(func.count()).select_from(Ballot).where(*where)) or 0
    counts = (select(BallotChoice.ballot_id, func.count().label("n")).group_by(BallotChoice.ballot_id)
              .subquery())
    query = (
        select(Ballot, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.ballot_id == Ballot.id)
        .where(*where)
        .options(joinedload(Ballot.entered_by))
        .order_by(Ballot.created_at.desc(), Ballot.id.desc())
        .limit(per_page).offset((number - 1) * per_page)
    )
    rows = [PaperBallotRow(reference=(ballot.anonymous_key or "").removeprefix(PAPER_PREFIX),
                           entered_by=ballot.entered_by, entered_at=ballot.created_at, choices=n)
            for ballot, n in db.session.execute(query)]
    return Page(items=rows, number=number, per_page=per_page, total=total)
