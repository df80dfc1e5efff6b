"""Pabulib ``.pb`` files in and out: the open data format of participatory budgeting (pabulib.org).

Pabulib money is in whole units of the file's currency (zloty, francs, pounds); the forum keeps pence, so an
imported cost or budget of ``units`` is stored as ``units * 100`` pence, and a pot whose money is all whole
units is exported back in units (see :mod:`forum.budgeting.services.results` for the unit of the count).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from forum.budgeting.models import (
    Area,
    Ballot,
    BallotChoice,
    BallotKind,
    Budget,
    Channel,
    Phase,
    Pot,
    Proposal,
    ProposalStatus,
    Result,
    ResultsRule,
)
from forum.budgeting.rules import Election, PabulibError, dumps, read
from forum.budgeting.services.budgets import unique_slug
from forum.budgeting.services.results import count_and_store, election_for, winners
from forum.common.errors import ValidationFailed
from forum.common.text import normalise_space
from forum.common.timefmt import utcnow
from forum.extensions import db

CHUNK = 2000
Progress = Callable[[int, int], None]  # (ballots stored so far, ballots in the file)


class ImportFailed(ValidationFailed):
    """A pabulib file that cannot be imported; ``line`` is the line of the problem (0 for the whole file)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message, field="file")
        self.line = line


def _chunks(rows: Sequence[dict[str, Any]], size: int = CHUNK) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def rule_from_meta(meta: dict[str, str]) -> str:
    """The rule a file says it was counted by: equal shares ("equalshares/...") or else greedy."""
    return ResultsRule.MES if meta.get("rule", "").lower().startswith("equalshares") else ResultsRule.GREEDY


def _area(meta: dict[str, str]) -> Area:
    """The file's place as nested areas (country > unit > district), reusing areas already there."""
    area: Area | None = None
    for key in ("country", "unit", "district"):
        name = normalise_space(meta.get(key, ""))[:120]
        if not name:
            continue
        parent = Area.parent_id.is_(None) if area is None else Area.parent_id == area.id
        found = db.session.scalar(select(Area).where(Area.name == name, parent))
        if found is None:
            found = Area(name=name, parent=area, slug=unique_slug(Area, name))
            db.session.add(found)
            db.session.flush()
        area = found
    if area is None:
        area = Area(name="Imported", slug=unique_slug(Area, "imported"))
        db.session.add(area)
    return area


def _budget(election: Election, rule: str) -> Budget:
    meta = election.meta
    title = normalise_space(meta.get("description") or " ".join(
        meta.get(k, "") for k in ("unit", "district", "instance")))[:200] or "Imported budget"
    cumulative = election.vote_type == "cumulative"
    points = int(meta["max_sum_points"]) if meta.get("max_sum_points", "").isdigit() else None
    if cumulative and not points:
        points = max((sum(b.points.values()) for b in election.ballots), default=1) or 1
    budget = Budget(title=title, slug=unique_slug(Budget, title), phase=Phase.RESULTS, results_rule=rule,
                    ballot_kind=BallotKind.CUMULATIVE if cumulative else BallotKind.APPROVAL,
                    points_per_voter=points if cumulative else None, description_source="", description_html="")
    db.session.add(budget)
    return budget


def _proposals(pot: Pot, election: Election) -> dict[str, int]:
    rows = []
    for project in election.projects:
        extra = {k: v for k, v in project.extra.items() if k != "selected"}
        rows.append({"pot_id": pot.id, "external_id": project.id, "title": project.name[:200] or project.id,
                     "cost_pence": project.cost * 100, "status": ProposalStatus.FEASIBLE,
                     "description_source": "", "description_html": "", "created_at": utcnow(),
                     "source_extra": json.dumps(extra, ensure_ascii=False) if extra else None})
    for chunk in _chunks(rows):
        db.session.execute(insert(Proposal.__table__), chunk)
    query = select(Proposal.external_id, Proposal.id).where(Proposal.pot_id == pot.id)
    return {key: pid for key, pid in db.session.execute(query)}


def _ballots(pot: Pot, election: Election, proposal_ids: dict[str, int], progress: Progress | None) -> None:
    now = utcnow()
    rows = [{"pot_id": pot.id, "anonymous_key": b.voter_id, "channel": Channel.IMPORTED, "created_at": now,
             "updated_at": now} for b in election.ballots]
    for chunk in _chunks(rows):
        db.session.execute(insert(Ballot.__table__), chunk)
    query = select(Ballot.anonymous_key, Ballot.id).where(Ballot.pot_id == pot.id)
    ballot_ids = {key: bid for key, bid in db.session.execute(query)}
    total, done, choices = len(election.ballots), 0, []
    for ballot in election.ballots:
        bid = ballot_ids[ballot.voter_id]
        choices.extend({"ballot_id": bid, "proposal_id": proposal_ids[pid], "points": pts}
                       for pid, pts in ballot.points.items())
        done += 1
        if len(choices) >= CHUNK or done == total:
            if choices:
                db.session.execute(insert(BallotChoice.__table__), choices)
            choices = []
            if progress:
                progress(done, total)


def import_pabulib(path: str | Path, rule: str | None = None, progress: Progress | None = None) -> Pot:
    """Import a ``.pb`` file as a budget in its results phase with one pot, then count it by ``rule``
    (by default the rule the file names: equal shares or greedy). All or nothing: it runs in the caller's unit
    of work (``flask budgets import`` is one), which keeps nothing of a file that fails halfway."""
    if rule is not None and rule not in ResultsRule.ALL:
        raise ValidationFailed(f"Choose a rule: {' or '.join(ResultsRule.ALL)}", field="rule")
    try:
        election = read(path)
    except PabulibError as error:
        raise ImportFailed(str(error), error.line) from None
    except OSError as error:
        raise ImportFailed(f"the file cannot be read: {error.strerror or error}") from None
    rule = rule or rule_from_meta(election.meta)
    budget = _budget(election, rule)
    pot = Pot(budget=budget, area=_area(election.meta), title=budget.title, amount_pence=election.budget * 100,
              source_meta=json.dumps(election.meta, ensure_ascii=False))
    db.session.add(pot)
    db.session.flush()
    _ballots(pot, election, _proposals(pot, election), progress)
    count_and_store(pot, rule)
    return pot


def export_pabulib(pot: Pot) -> str:
    """The pot's election as ``.pb`` text: anonymous voter ids, and, once counted, a ``selected`` column
    holding 1 for the proposals our stored result funds and 0 for the others."""
    counted = election_for(pot, with_extra=True)
    keys = {pid: key for key, pid in counted.proposal_ids.items()}
    funded = winners(pot)
    chosen = [keys[pid] for pid in funded if pid in keys] if funded or _has_result(pot) else None
    return dumps(counted.election, chosen)


def _has_result(pot: Pot) -> bool:
    return db.session.scalar(select(Result.id).where(Result.pot_id == pot.id)) is not None
