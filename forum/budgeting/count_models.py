"""Where each pot's count stands: one row per pot, the lock that keeps two counts of a pot from running at once.

Kept apart from :mod:`forum.budgeting.models` (one owner per file while issue 13 is built); the budgeting
services import it like the other models. The row is written by :mod:`forum.budgeting.services.counting`:

- ``queued``: a count was asked for (a move to results, a recount, "Try again") and waits for the worker;
- ``counting``: a worker (or ``flask budgets count``) won the row, by a conditional UPDATE only one can win,
  and reports its stage and progress into it, committed apart from the count so the results page sees it;
- ``done``: the result is stored (in the same transaction as this state);
- ``failed``: the count raised; ``error`` says why, for staff, and the earlier result (if any) is untouched.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum.common.timefmt import utcnow
from forum.extensions import db


class CountState:
    QUEUED = "queued"
    COUNTING = "counting"
    DONE = "done"
    FAILED = "failed"
    ALL = (QUEUED, COUNTING, DONE, FAILED)
    #: A count asked for and not finished: another is refused meanwhile.
    ACTIVE = (QUEUED, COUNTING)


class PotCount(db.Model):
    """The latest count of a pot: asked for, running (with its progress), stored, or failed."""

    __tablename__ = "budget_counts"

    pot_id: Mapped[int] = mapped_column(ForeignKey("budget_pots.id", ondelete="CASCADE"), primary_key=True)
    state: Mapped[str] = mapped_column(String(10))
    # The rule asked for; None counts by the budget's rule when the count runs.
    rule: Mapped[str | None] = mapped_column(String(40))
    # Tell each counted proposal's author whether it was funded once the result is stored (the count that
    # publishes the results; a recount does not, and a retry keeps what the failed count would have done).
    announce: Mapped[bool] = mapped_column(Boolean, default=False)
    # The random token of the worker that holds the row: only it may report progress or store the outcome.
    claim: Mapped[str | None] = mapped_column(String(32))
    stage: Mapped[str | None] = mapped_column(String(120))
    ballots_total: Mapped[int | None] = mapped_column(Integer)
    ballots_read: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column()
    # The last sign of life of a running count (each stage): a count silent for longer than
    # BUDGET_COUNT_STALE_SECONDS is taken to be dead (a killed worker) and may be taken over.
    progress_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (
        CheckConstraint("state IN ('queued', 'counting', 'done', 'failed')", name="state"),
    )

    @property
    def active(self) -> bool:
        return self.state in CountState.ACTIVE
