"""Huey bound to the app: jobs are declared once at import and given to each app's Huey in ``init_app``."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey
from huey.api import crontab
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from forum.common.transaction import unit_of_work

log = logging.getLogger(__name__)
EXTENSION = "forum.jobs"
PENDING = "forum.jobs.pending"


@dataclass(frozen=True)
class Job:
    """A declared job: the function and how Huey retries it. ``name`` is the same in every process."""

    fn: Callable[..., Any]
    name: str
    retries: int = 0
    retry_delay: int = 0
    schedule: crontab | None = field(default=None, compare=False)

    def __call__(self, *args: Any) -> Any:
        """Run the job's function here and now, in the caller's transaction (tests and CLI commands)."""
        return self.fn(*args)


_JOBS: dict[str, Job] = {}


def task(retries: int = 0, retry_delay: int = 0) -> Callable[[Callable[..., Any]], Job]:
    """Declare a job. ``retries`` and ``retry_delay`` (seconds) are Huey's, for jobs that raise to retry."""

    def declare(fn: Callable[..., Any]) -> Job:
        job = Job(fn=fn, name=f"{fn.__module__}.{fn.__name__}", retries=retries, retry_delay=retry_delay)
        _JOBS[job.name] = job
        return job

    return declare


def periodic(schedule: crontab) -> Callable[[Callable[..., Any]], Job]:
    """Declare a job the worker runs on a schedule (``huey.crontab``)."""

    def declare(fn: Callable[..., Any]) -> Job:
        job = Job(fn=fn, name=f"{fn.__module__}.{fn.__name__}", schedule=schedule)
        _JOBS[job.name] = job
        return job

    return declare


def _make_huey(app: Flask) -> Huey:
    immediate = bool(app.config.get("JOBS_IMMEDIATE"))
    redis_url = app.config.get("REDIS_URL")
    if redis_url:
        return RedisHuey("forum", url=redis_url, immediate=immediate, results=False)
    path = app.config.get("JOBS_SQLITE_PATH") or os.path.join(app.instance_path, "jobs.sqlite")
    return SqliteHuey("forum", filename=path, immediate=immediate, results=False)


def _runner(app: Flask, job: Job) -> Callable[..., Any]:
    def run(*args: Any) -> Any:
        with app.app_context(), unit_of_work():
            return job.fn(*args)

    run.__name__ = job.name
    return run


def init_app(app: Flask) -> None:
    """Give the app its Huey, with every declared job (modules declaring jobs are imported before this)."""
    huey = _make_huey(app)
    wrappers = {}
    for job in _JOBS.values():
        if job.schedule is not None:
            wrappers[job.name] = huey.periodic_task(job.schedule, name=job.name)(_runner(app, job))
        else:
            wrappers[job.name] = huey.task(
                retries=job.retries, retry_delay=job.retry_delay, name=job.name
            )(_runner(app, job))
    app.extensions[EXTENSION] = (huey, wrappers)


def huey_of(app: Flask) -> Huey:
    return app.extensions[EXTENSION][0]


def enqueue(job: Job, *args: Any) -> None:
    """Queue a job now (prefer ``after_commit``). A queue that is down is logged: the sweeps catch up."""
    huey, wrappers = current_app.extensions[EXTENSION]
    try:
        wrappers[job.name](*args)
    except Exception:
        if huey.immediate:
            raise
        log.exception("Could not queue %s%r; the periodic sweep will retry it", job.name, args)


def after_commit(job: Job, *args: Any) -> None:
    """Queue ``job(*args)`` once the current transaction commits; nothing is queued if it rolls back."""
    from forum.extensions import db

    db.session().info.setdefault(PENDING, []).append((job, args))


@event.listens_for(Session, "after_commit")
def _queue_pending(session: Session) -> None:
    pending = session.info.pop(PENDING, None)
    for job, args in pending or ():
        enqueue(job, *args)


@event.listens_for(Session, "after_transaction_end")
def _drop_pending(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(PENDING, None)
