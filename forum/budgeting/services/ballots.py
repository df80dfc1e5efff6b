"""Reading a pot's ballots for a count or an export: one query, streamed, whatever the number of ballots."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import select

from forum.budgeting.models import Ballot, BallotChoice, Pot
from forum.extensions import db

STREAM_ROWS = 5000


@dataclass
class StoredBallot:
    """A ballot as the count sees it: its id, anonymous key (imported and paper ones), channel, points, and on a
    ranked (ordinal) ballot each choice's rank (1 = first preference; its points are 1)."""

    id: int
    anonymous_key: str | None
    channel: str
    points: dict[int, int]  # proposal id -> points
    ranks: dict[int, int] = field(default_factory=dict)  # proposal id -> rank, ranked ballots only


def stream_ballots(pot: Pot) -> Iterator[StoredBallot]:
    """Every ballot of ``pot`` with its choices, in ballot id order (the order they were cast or imported).

    One query (ballots outer-joined to their choices, so an empty ballot still counts as a voter), read in
    batches of ``STREAM_ROWS`` rows rather than loaded whole: real pots hold tens of thousands of ballots.
    """
    query = (
        select(Ballot.id, Ballot.anonymous_key, Ballot.channel, BallotChoice.proposal_id, BallotChoice.points,
               BallotChoice.rank)
        .outerjoin(BallotChoice, BallotChoice.ballot_id == Ballot.id)
        .where(Ballot.pot_id == pot.id)
        .order_by(Ballot.id, BallotChoice.proposal_id)
        .execution_options(yield_per=STREAM_ROWS)
    )
    current: StoredBallot | None = None
    for ballot_id, key, channel, proposal_id, points, rank in db.session.execute(query):
        if current is None or current.id != ballot_id:
            if current is not None:
                yield current
            current = StoredBallot(ballot_id, key, channel, {})
        if proposal_id is not None:
            current.points[proposal_id] = points
            if rank is not None:
                current.ranks[proposal_id] = rank
    if current is not None:
        yield current
