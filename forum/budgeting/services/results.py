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
from forum.budgeting.rules import Ballot, Election, Outcome, Project, equal_shares_with_completion, greedy
from forum.budgeting.services.ballots import stream_ballots
from forum.common.timefmt import utcnow
from forum.extensions import db


@dataclass
class CountedPot:
    """A pot as an election, with the way back from the election's project ids to proposals."""

    election: Election
    proposal_ids: dict[str, int]  # project id in the election -> proposal id
    pence_per_unit: int
    channels: dict[str, int] = field(default_factory=dict)  # ballots per channel


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


def election_for(pot: Pot, with_extra: bool = False) -> CountedPot:
    """The election a pot holds. ``with_extra`` keeps pabulib's META and project columns (for export)."""
    proposals = counted_proposals(pot)
    unit = pence_per_unit(pot, proposals)
    use_external = bool(proposals) and all(p.external_id for p in proposals)
    keys = {p.id: (p.external_id if use_external else str(p.id)) or str(p.id) for p in proposals}
    projects = [_project(p, keys[p.id], unit, with_extra) for p in proposals]
    cumulative = pot.budget.ballot_kind == BallotKind.CUMULATIVE
    ballots: list[Ballot] = []
    channels: dict[str, int] = {}
    for stored in stream_ballots(pot):
        points = {keys[pid]: (pts if cumulative else 1) for pid, pts in stored.points.items() if pid in keys}
        ballots.append(Ballot(stored.anonymous_key or f"b{stored.id}", points))
        channels[stored.channel] = channels.get(stored.channel, 0) + 1
    meta: dict[str, str] = {}
    if with_extra:
        meta = json.loads(pot.source_meta) if pot.source_meta else _native_meta(pot)
    election = Election(projects, pot.amount_pence // unit, ballots,
                        "cumulative" if cumulative else "approval", meta)
    return CountedPot(election, {key: pid for pid, key in keys.items()}, unit, channels)


def _native_meta(pot: Pot) -> dict[str, str]:
    return {"description": f"{pot.budget.title}: {pot.title}", "country": "United Kingdom",
            "unit": pot.area.name, "instance": pot.budget.slug, "currency": "GBP"}


def run_rule(election: Election, rule: str) -> Outcome:
    """Greedy by votes (points), or MES with Wieliczka's completion then greedy, as in the rules module."""
    if rule == ResultsRule.MES:
        return equal_shares_with_completion(election)
    return greedy(election)


def count_and_store(pot: Pot, rule: str | None = None) -> Result:
    """Count ``pot`` by ``rule`` (the budget's rule by default) and store the result, in the caller's unit of
    work (a phase move, a recount or an import: all or nothing, committed at its edge).

    Replaces any earlier result, and marks every counted proposal selected or not selected. The other rule is
    run too, so the results page can show what it would have funded without a recount.
    """
    rule = rule or pot.budget.results_rule
    other = ResultsRule.GREEDY if rule == ResultsRule.MES else ResultsRule.MES
    counted = election_for(pot)
    outcome = run_rule(counted.election, rule)
    result = _store_result(pot, rule, counted, outcome, run_rule(counted.election, other))
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
