"""Counting a pot as a job: asked for in a request, run by the job worker (or ``flask budgets count``), never
inside a request.

Each pot has one :class:`PotCount` row (forum/budgeting/count_models.py), queued -> counting -> done or failed:

- **Asking** (:func:`queue_count`: a move to results, a staff recount or "Try again", ``budgets count --queue``)
  sets the row to queued in the request's transaction and queues :func:`count_job` once it commits. While a
  count is queued or running, another is refused with a clear message.
- **The lock.** The count starts by winning the row: an UPDATE from queued (the job) or from queued, done or
  failed (the command line) to counting, with a fresh random token, on a connection of its own committed at
  once. Only one worker's UPDATE can match, on SQLite and PostgreSQL alike, whatever the process. A count
  silent for longer than ``BUDGET_COUNT_STALE_SECONDS`` (a killed worker) may be taken over; the old one, if it
  ever wakes, no longer holds the token and stores nothing.
- **Progress** (the stage, the ballots read) is written into the row on its own connection, committed at
  once so the results page sees it, at most every :data:`PROGRESS_EVERY` seconds and never once the count
  has started writing (SQLite has one writer at a time).
- **Done**: the result, the proposals' statuses and the row's ``done`` are one transaction; the authors of the
  counted proposals are then told whether theirs was funded (the count that publishes the results).
- **Failed**: the count's changes are dropped and the row keeps the error, for staff; the published result,
  if any, is untouched. "Try again" queues a new count.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from huey import crontab
from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from forum.budgeting.count_models import CountState, PotCount
from forum.budgeting.models import Pot, Proposal, ProposalStatus, Result, ResultsRule
from forum.budgeting.services import notices
from forum.budgeting.services.result_pages import RULE_NAMES, check_countable, pot_size
from forum.budgeting.services.results import Stage, count_and_store
from forum.budgeting.services.staff import check_runs_budgets
from forum.common import transaction
from forum.common.errors import DomainError, ValidationFailed
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.jobs import after_commit, periodic, task

log = logging.getLogger(__name__)

#: Seconds between two progress writes of one count, at most.
PROGRESS_EVERY = 0.5
#: A running count silent this long (a killed worker) may be taken over; a queued one is queued again.
STALE_SECONDS = 15 * 60
ALREADY = "The votes for this pot are already being counted: wait for that count to finish"

#: What each stage of a count is called on the results page and on the command line.
STAGE_TEXT = {
    Stage.READING: "Reading the ballots",
    Stage.COUNTING: "Counting the votes by {rule}",
    Stage.COMPARING: "Working out what the other rule would fund",
    Stage.STORING: "Storing the result",
}


class CountFailed(DomainError):
    """A count raised: its error is kept on the pot's count row, and nothing it did was kept."""


@dataclass(frozen=True)
class Step:
    """One step of a count as a listener (the command line's progress bar) hears it."""

    number: int  # 1 for the first stage ... len(Stage.ALL)
    text: str
    ballots_read: int | None


Listener = Callable[[Step], None]
#: The number of steps a count goes through (its progress bar's length).
STEPS = len(Stage.ALL)


def stale_after() -> timedelta:
    return timedelta(seconds=current_app.config.get("BUDGET_COUNT_STALE_SECONDS", STALE_SECONDS))


def count_of(pot: Pot) -> PotCount | None:
    """The pot's count row, as the database has it now."""
    return db.session.get(PotCount, pot.id, populate_existing=True)


def is_stuck(count: PotCount, now: datetime | None = None) -> bool:
    """A count asked for (or started) so long ago without a sign of life that it is taken to be lost."""
    cutoff = (now or utcnow()) - stale_after()
    if count.state == CountState.QUEUED:
        return count.queued_at < cutoff
    return count.state == CountState.COUNTING and (count.progress_at or count.queued_at) < cutoff


def stage_text(stage: str | None, rule: str) -> str:
    return STAGE_TEXT.get(stage or "", "Waiting to start").format(rule=RULE_NAMES.get(rule, rule).lower())


@dataclass(frozen=True)
class CountProgress:
    """Where a pot's count stands, as the results page and its JSON say it."""

    state: str
    step: int  # 0 while queued, then 1 ... len(Stage.ALL)
    message: str
    seconds: int  # since the count was asked for
    error: str | None  # for staff only

    steps = STEPS

    @property
    def finished(self) -> bool:
        return self.state not in CountState.ACTIVE

    @property
    def elapsed(self) -> str:
        minutes, seconds = divmod(self.seconds, 60)
        said = f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
        return f"Asked for {said} ago." if self.state == CountState.QUEUED else f"Counting for {said}."

    def as_json(self, staff: bool) -> dict[str, Any]:
        failed = self.state == CountState.FAILED
        return {"state": self.state, "finished": self.finished, "step": self.step, "steps": self.steps,
                "message": (self.message if staff or not failed else DELAYED), "elapsed": self.elapsed,
                "error": self.error if staff else None}


DELAYED = "The result is delayed. It will be shown here as soon as it is ready."


def progress_of(count: PotCount, rule: str, now: datetime | None = None) -> CountProgress:
    """What the page says about ``count`` (a pot counted by ``rule`` unless the count names another)."""
    now = now or utcnow()
    rule = count.rule or rule
    if count.state == CountState.QUEUED:
        step, message = 0, "Waiting for the count to start."
    elif count.state == CountState.COUNTING:
        step = Stage.ALL.index(count.stage) + 1 if count.stage in Stage.ALL else 1
        message = f"Step {step} of {len(Stage.ALL)}: {stage_text(count.stage, rule)}"
        if count.stage == Stage.READING and count.ballots_total is not None:
            message += f" ({count.ballots_total:,} ballots)"
        elif count.ballots_read:
            message += f" ({count.ballots_read:,} ballots read)"
        message += "."
    elif count.state == CountState.FAILED:
        step, message = 0, "The count failed."
    else:
        step, message = len(Stage.ALL), "The votes have been counted."
    since = count.started_at if count.state == CountState.COUNTING and count.started_at else count.queued_at
    return CountProgress(count.state, step, message, max(0, int((now - since).total_seconds())), count.error)


# --- asking for a count (a request, or the command line with --queue) -------------------------------------------


def queue_count(pot: Pot, rule: str | None = None, announce: bool = False) -> PotCount:
    """Queue a count of ``pot`` once the caller's transaction commits, refusing while one is queued or running.

    ``announce``: the authors are told the outcome when it is stored. A retry of a failed count keeps what the
    failed one would have done, so a failed first count still tells the authors when it succeeds.
    """
    count, now = count_of(pot), utcnow()
    if count is None:
        count = PotCount(pot_id=pot.id, state=CountState.QUEUED, rule=rule, announce=announce, queued_at=now,
                         ballots_read=0)
        db.session.add(count)
        db.session.flush()
    else:
        if count.active and not is_stuck(count, now):
            raise ValidationFailed(ALREADY, field="pot")
        keep = bool(count.announce) and count.state == CountState.FAILED
        taken = db.session.execute(
            update(PotCount).where(PotCount.pot_id == pot.id, PotCount.state == count.state)
            .values(state=CountState.QUEUED, rule=rule, announce=announce or keep, queued_at=now, claim=None,
                    stage=None, ballots_read=0, ballots_total=None, error=None, started_at=None,
                    progress_at=None, finished_at=None)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken != 1:  # another request queued (or a worker started) a count since we looked
            raise ValidationFailed(ALREADY, field="pot")
        db.session.expire(count)
    after_commit(count_job, pot.id)
    return count


def request_count(pot: Pot, user: Any, rule: str | None = None) -> PotCount:
    """Staff (or the command line, ``user`` None) ask for a count of ``pot``, in its results phase only."""
    if user is not None:
        check_runs_budgets(user, "count the votes")
    check_rule(rule)
    check_countable(pot)
    return queue_count(pot, rule)


def check_rule(rule: str | None) -> None:
    if rule is not None and rule not in ResultsRule.ALL:
        raise ValidationFailed(f"Choose a rule: {', '.join(ResultsRule.ALL)}", field="rule")


# --- running a count (the job, or the command line) ------------------------------------------------------------


@task()
def count_job(pot_id: int) -> None:
    """Count a queued pot. A count already taken by another worker, or no longer queued, is left alone."""
    pot = db.session.get(Pot, pot_id)
    if pot is None:
        return
    try:
        _count(pot, (CountState.QUEUED,), None, None)
    except CountFailed:
        pass  # kept on the row for staff; the job itself succeeded in recording it
    except _NotOurs:
        log.info("Count of pot %s not run: another count holds it, or it is no longer queued", pot_id)


def count_now(pot: Pot, rule: str | None = None, listener: Listener | None = None) -> Result:
    """Count ``pot`` here and now (``flask budgets count``), under the same lock as the job, in its results
    phase only. Raises :class:`CountFailed` (the failure is recorded and committed) or a refusal."""
    check_rule(rule)
    check_countable(pot)
    _ensure_row(pot.id)
    try:
        result = _count(pot, (CountState.QUEUED, CountState.DONE, CountState.FAILED), rule, listener)
    except _NotOurs:
        raise ValidationFailed(ALREADY, field="pot") from None
    return result


class _NotOurs(Exception):
    """The count row was not won (another count holds it), or was taken over while we counted."""


def _count(pot: Pot, from_states: tuple[str, ...], rule: str | None, listener: Listener | None) -> Result:
    ballots, _ = pot_size(pot)
    token = _claim(pot.id, from_states, ballots)
    if token is None:
        raise _NotOurs
    row = count_of(pot)
    rule = rule or (row.rule if row else None) or pot.budget.results_rule
    announce = bool(row and row.announce)
    reporter = _Reporter(pot.id, token, rule, listener)
    try:
        result = count_and_store(pot, rule, reporter)
        stored = db.session.execute(
            update(PotCount).where(PotCount.pot_id == pot.id, PotCount.claim == token)
            .values(state=CountState.DONE, claim=None, stage=None, ballots_read=result.voters, error=None,
                    finished_at=utcnow(), progress_at=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount
        if stored != 1:
            raise _NotOurs
    except _NotOurs:
        transaction.discard()
        raise
    except Exception as error:
        # The count job and the command are the edges of their units of work: drop what the count wrote, keep
        # the failure (committed here, so the command line's error exit does not lose it), then say so.
        transaction.discard()
        log.exception("Count of pot %s failed", pot.id)
        message = f"{type(error).__name__}: {error}"[:2000]
        db.session.execute(
            update(PotCount).where(PotCount.pot_id == pot.id, PotCount.claim == token)
            .values(state=CountState.FAILED, claim=None, error=message, finished_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        transaction.commit()
        raise CountFailed(f"The count failed ({message})", field="pot") from error
    if announce:
        _tell_authors(pot.id)
    return result


def _tell_authors(pot_id: int) -> None:
    """Each counted proposal's author hears whether it was funded (notices.proposal_outcome)."""
    for proposal in db.session.scalars(
        select(Proposal).where(Proposal.pot_id == pot_id,
                               Proposal.status.in_([ProposalStatus.SELECTED, ProposalStatus.NOT_SELECTED]))
        .order_by(Proposal.id).execution_options(populate_existing=True)
    ):
        notices.proposal_outcome(proposal)


def _ensure_row(pot_id: int) -> None:
    """A pot never asked to be counted has no row yet: make one (done, so the command line can win it)."""
    if db.session.get(PotCount, pot_id) is not None:
        return
    try:
        with db.engine.begin() as conn:
            conn.execute(insert(PotCount.__table__).values(
                pot_id=pot_id, state=CountState.DONE, announce=False, ballots_read=0, queued_at=utcnow()))
    except IntegrityError:
        pass  # made meanwhile by another count: the claim decides


def _claim(pot_id: int, from_states: tuple[str, ...], ballots: int) -> str | None:
    """Win the pot's count row (see the module docstring); None when another count holds it."""
    token, now = secrets.token_hex(16), utcnow()
    table = PotCount.__table__
    with db.engine.begin() as conn:
        won = conn.execute(
            update(table)
            .where(table.c.pot_id == pot_id,
                   or_(table.c.state.in_(from_states),
                       and_(table.c.state == CountState.COUNTING, table.c.progress_at < now - stale_after())))
            .values(state=CountState.COUNTING, claim=token, stage=Stage.READING, ballots_total=ballots,
                    ballots_read=0, error=None, started_at=now, progress_at=now, finished_at=None)
        ).rowcount
    return token if won == 1 else None


class _Reporter:
    """Hears the count's stages: tells the listener each one, and writes them into the row (on a connection of
    its own, committed at once) at most every PROGRESS_EVERY seconds."""

    def __init__(self, pot_id: int, token: str, rule: str, listener: Listener | None) -> None:
        self.pot_id, self.token, self.rule, self.listener = pot_id, token, rule, listener
        self.written = time.monotonic()

    def __call__(self, stage: str, ballots_read: int | None) -> None:
        if self.listener is not None:
            self.listener(Step(Stage.ALL.index(stage) + 1, stage_text(stage, self.rule), ballots_read))
        now = time.monotonic()
        if now - self.written < PROGRESS_EVERY:
            return
        self.written = now
        table = PotCount.__table__
        with db.engine.begin() as conn:
            conn.execute(update(table).where(table.c.pot_id == self.pot_id, table.c.claim == self.token)
                         .values(stage=stage, ballots_read=ballots_read or 0, progress_at=utcnow()))


@periodic(crontab(minute="*/5"))
def sweep_counts() -> int:
    """Queue again a count whose job was lost (a queue down at commit, a worker killed mid-count): queued, or
    counting without a sign of life, for longer than the stale time. Returns how many were queued."""
    cutoff = utcnow() - stale_after()
    lost = list(db.session.scalars(select(PotCount).where(or_(
        and_(PotCount.state == CountState.QUEUED, PotCount.queued_at < cutoff),
        and_(PotCount.state == CountState.COUNTING, PotCount.progress_at < cutoff),
    ))))
    for count in lost:
        if count.state == CountState.QUEUED:
            count.queued_at = utcnow()  # queued again now: the next sweep waits its turn
        after_commit(count_job, count.pot_id)  # a silent count is taken over by the job's claim
    return len(lost)
