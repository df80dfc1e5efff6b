"""Counting a pot: its proposals and ballots become a :mod:`forum.budgeting.rules` election, the budget's
rule decides, and the result is stored with each proposal marked selected or not selected.

The unit of the count. The completion of the Method of Equal Shares raises the budget one unit of money per
voter at a time, so its outcome depends on the unit. Pots whose amount and costs are all whole pounds are
counted in pounds (as pabulib files and Wieliczka's own count use whole currency units); a pot with any
amount in pence is counted in pence. Greedy and MES alone do not depend on the unit.

A proposal's id in the count is its pabulib ``external_id`` when every counted proposal has one (imported
pots, so ties break exactly as in the original count), else its database id; ties break by that id as text.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select, update

from forum.budgeting.models import (
    BallotKind,
    Channel,
    Pot,
    Proposal,
    ProposalStatus,
    Result,
    ResultLine,
    ResultsRule,
)
from forum.budgeting.rules import (
    Ballot,
    Election,
    Outcome,
    Project,
    Utility,
    equal_shares_with_completion,
    greedy,
    greedy_no_skip,
    greedy_threshold,
    paused_gc,
)
from forum.budgeting.rules.election import ONE_POINT_TYPES
from forum.budgeting.services.ballots import StoredBallot, stream_ballots
from forum.common.timefmt import utcnow
from forum.extensions import db


class Stage:
    """The stages of a count, in order, as ``count_and_store`` reports them."""

    READING = "reading"
    COUNTING = "counting"
    COMPARING = "comparing"
    STORING = "storing"
    ALL = (READING, COUNTING, COMPARING, STORING)


#: Told each stage of a count and the number of ballots read so far (None before they are read).
Progress = Callable[[str, int | None], None]


def _silent(stage: str, ballots_read: int | None) -> None:
    """No one is listening to this count's progress."""


@dataclass
class CountedPot:
    """A pot as an election, with the way back from the election's project ids to proposals."""

    election: Election
    proposal_ids: dict[str, int]  # project id in the election -> proposal id
    pence_per_unit: int
    channels: dict[str, int] = field(default_factory=dict)  # ballots per channel
    min_score: int | None = None  # the budget's score threshold (greedy-threshold)


def counted_proposals(pot: Pot) -> list[Proposal]:
    """The proposals that go into the count: not withdrawn and not found unfeasible."""
    query = (select(Proposal).where(Proposal.pot_id == pot.id, Proposal.status.in_(ProposalStatus.COUNTED))
             .order_by(Proposal.id))
    return list(db.session.scalars(query))


def pence_per_unit(pot: Pot, proposals: list[Proposal]) -> int:
    """100 when the pot and every cost are whole pounds (count in pounds), else 1 (count in pence)."""
    amounts = [pot.amount_pence, *(p.cost_pence for p in proposals)]
    return 100 if all(a % 100 == 0 for a in amounts) else 1


def _project(proposal: Proposal, key: str, unit: int, with_extra: bool) -> Project:
    extra: dict[str, str] = {}
    if with_extra:
        extra = json.loads(proposal.source_extra) if proposal.source_extra else {}
        if extra.get("name", "")[:200] != proposal.title:  # a long imported name keeps its full text
            extra["name"] = proposal.title
    return Project(key, proposal.cost_pence // unit, extra)


#: A ballot kind -> pabulib's ``vote_type``, the form the rules count.
VOTE_TYPES = {BallotKind.APPROVAL: "approval", BallotKind.CUMULATIVE: "cumulative", BallotKind.ORDINAL: "ordinal",
              BallotKind.CHOOSE_ONE: "choose-1"}


def ranked_places(pot: Pot, proposals: int) -> int:
    """The places on a pot's ranked ballot: its first preference's Borda points (the budget's most projects per
    ballot, else the number of proposals counted)."""
    return pot.budget.max_projects or max(proposals, 1)


def _ballot_points(stored: StoredBallot, keys: dict[int, str], kind: str, places: int) -> dict[str, int]:
    if kind == BallotKind.CUMULATIVE:
        return {keys[pid]: pts for pid, pts in stored.points.items() if pid in keys}
    if kind != BallotKind.ORDINAL:
        return {keys[pid]: 1 for pid in stored.points if pid in keys}
    ranks = stored.ranks or {pid: place for place, pid in enumerate(sorted(stored.points), 1)}
    ranking = sorted((rank, pid) for pid, rank in ranks.items() if pid in keys)
    top = max(places, ranking[-1][0] if ranking else 0)
    return {keys[pid]: top - rank + 1 for rank, pid in ranking}


def election_for(pot: Pot, with_extra: bool = False) -> CountedPot:
    """The election a pot holds. ``with_extra`` keeps pabulib's META and project columns (for export).

    Ranked ballots become Borda points from their ranks (``places - rank + 1``, see :func:`ranked_places`),
    as the rules count them; the ranking is kept as the order of the points.
    """
    proposals = counted_proposals(pot)
    unit = pence_per_unit(pot, proposals)
    use_external = bool(proposals) and all(p.external_id for p in proposals)
    keys = {p.id: (p.external_id if use_external else str(p.id)) or str(p.id) for p in proposals}
    projects = [_project(p, keys[p.id], unit, with_extra) for p in proposals]
    kind = pot.budget.ballot_kind
    places = ranked_places(pot, len(proposals))
    ballots: list[Ballot] = []
    channels: dict[str, int] = {}
    with paused_gc():
        for stored in stream_ballots(pot):
            ballots.append(Ballot(stored.anonymous_key or f"b{stored.id}", _ballot_points(stored, keys, kind, places)))
            channels[stored.channel] = channels.get(stored.channel, 0) + 1
    meta: dict[str, str] = {}
    if with_extra:
        meta = json.loads(pot.source_meta) if pot.source_meta else _native_meta(pot)
    election = Election(projects, pot.amount_pence // unit, ballots, VOTE_TYPES.get(kind, "approval"), meta)  # type: ignore[arg-type]
    return CountedPot(election, {key: pid for pid, key in keys.items()}, unit, channels,
                      pot.budget.min_score_threshold)


def _native_meta(pot: Pot) -> dict[str, str]:
    return {"description": f"{pot.budget.title}: {pot.title}", "country": "United Kingdom",
            "unit": pot.area.name, "instance": pot.budget.slug, "currency": "GBP"}


def run_rule(election: Election, rule: str, min_score: int | None = None) -> Outcome:
    """Count ``election`` by one of our rules (``ResultsRule``): greedy by votes (points), skipping what does not
    fit or stopping there; greedy among projects scoring at least ``min_score``; or MES with Wieliczka's
    completion then greedy (cost utility for approval and choose-1 ballots, points for the others)."""
    if rule == ResultsRule.MES:
        utility = Utility.COST if election.vote_type in ONE_POINT_TYPES else Utility.POINTS
        return equal_shares_with_completion(election, utility)
    if rule == ResultsRule.GREEDY_NO_SKIP:
        return greedy_no_skip(election, min_score)
    if rule == ResultsRule.GREEDY_THRESHOLD:
        return greedy_threshold(election, min_score)
    return greedy(election)


def other_rule(rule: str) -> str:
    """The rule counted beside ``rule``, so the results page can show what it would have funded."""
    return ResultsRule.GREEDY if rule == ResultsRule.MES else ResultsRule.MES


def count_both(counted: CountedPot, rule: str) -> tuple[Outcome, Outcome]:
    """``counted`` by ``rule`` and by the other rule: pure work on the election, no database."""
    return (run_rule(counted.election, rule, counted.min_score),
            run_rule(counted.election, other_rule(rule)))


def count_and_store(pot: Pot, rule: str | None = None, progress: Progress | None = None,
                    counted: CountedPot | None = None, outcomes: tuple[Outcome, Outcome] | None = None) -> Result:
    """Count ``pot`` by ``rule`` (the budget's rule by default) and store the result, in the caller's unit of
    work (the count job, ``flask budgets count`` or an import: all or nothing, committed at its edge).

    Replaces any earlier result, and marks every counted proposal selected or not selected. The other rule is
    run too, so the results page can show what it would have funded without a recount. ``progress`` hears each
    stage (services/counting.py shows them); after "storing" it is not called again. ``counted``: the pot's
    election when the caller has it already (an import), so the ballots just written are not read back;
    ``outcomes``: its :func:`count_both`, when the caller has counted it already.
    """
    report = progress or _silent
    rule = rule or pot.budget.results_rule
    other = other_rule(rule)
    report(Stage.READING, None)
    counted = counted or election_for(pot)
    voters = len(counted.election.ballots)
    if outcomes is None:
        report(Stage.COUNTING, voters)
        outcome = run_rule(counted.election, rule, counted.min_score)
        report(Stage.COMPARING, voters)
        compared = run_rule(counted.election, other)
    else:
        outcome, compared = outcomes
    report(Stage.STORING, voters)
    result = _store_result(pot, rule, counted, outcome, compared)
    result.other_rule = other
    _mark_proposals(counted, outcome)
    db.session.expire_all()
    return result


def _store_result(pot: Pot, rule: str, counted: CountedPot, outcome: Outcome, other: Outcome) -> Result:
    unsynced = {"synchronize_session": False}
    old = select(Result.id).where(Result.pot_id == pot.id).scalar_subquery()
    db.session.execute(delete(ResultLine).where(ResultLine.result_id == old).execution_options(**unsynced))
    db.session.execute(delete(Result).where(Result.pot_id == pot.id).execution_options(**unsynced))
    funded, other_funded = set(outcome.winners), set(other.winners)
    result = Result(
        pot_id=pot.id, rule=rule, computed_at=utcnow(), voters=len(counted.election.ballots),
        total_spent_pence=outcome.spent * counted.pence_per_unit,
        online_voters=counted.channels.get(Channel.ONLINE, 0), paper_voters=counted.channels.get(Channel.PAPER, 0),
        imported_voters=counted.channels.get(Channel.IMPORTED, 0),
        voters_with_funded=sum(1 for b in counted.election.ballots if not funded.isdisjoint(b.points)),
        other_spent_pence=other.spent * counted.pence_per_unit,
        other_voters_with_funded=sum(1 for b in counted.election.ballots if not other_funded.isdisjoint(b.points)),
    )
    db.session.add(result)
    db.session.flush()
    lines = [
        {"result_id": result.id, "proposal_id": counted.proposal_ids[key], "votes": pr.support,
         "funded": pr.selected, "rank": pr.rank, "stage": pr.stage, "funded_by_other_rule": key in other_funded}
        for key, pr in outcome.projects.items()
    ]
    if lines:
        db.session.execute(insert(ResultLine.__table__), lines)  # Core: one executemany, not grouped by ORM
    return result


def _mark_proposals(counted: CountedPot, outcome: Outcome) -> None:
    unsynced = {"synchronize_session": False}
    funded = [counted.proposal_ids[key] for key in outcome.winners]
    counted_ids = list(counted.proposal_ids.values())
    db.session.execute(update(Proposal).where(Proposal.id.in_(counted_ids))
                       .values(status=ProposalStatus.NOT_SELECTED).execution_options(**unsynced))
    if funded:
        db.session.execute(update(Proposal).where(Proposal.id.in_(funded))
                           .values(status=ProposalStatus.SELECTED).execution_options(**unsynced))


#: The name the pages, the command line and the tests count a pot by.
compute_results = count_and_store


def winners(pot: Pot) -> list[int]:
    """The funded proposals' ids of the stored result, in selection order (empty without a result)."""
    query = (select(ResultLine.proposal_id).join(Result, Result.id == ResultLine.result_id)
             .where(Result.pot_id == pot.id, ResultLine.funded.is_(True)).order_by(ResultLine.rank))
    return list(db.session.scalars(query))
