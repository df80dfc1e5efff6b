"""One transaction per request, CLI command or job: services change and ``flush()``; the edge commits.

This module is the only place that ends the unit of work. Services never commit or roll back, so a view that
calls three services gets all three changes or none.

- A request: committed after the view when the response is a success or a redirect (status below 400), rolled
  back when it is an error page or an exception escaped (``init_app``).
- A service's refusal (``DomainError``): ``forum.common.errors`` calls ``discard()`` before it shows the form
  again or the error page, so nothing half-done is kept.
- A CLI command or a job: ``unit_of_work()`` around it (``TransactionalGroup`` does it for every ``flask``
  command defined with it).

The named exceptions that need a transaction of their own to stay correct under concurrency (the upserts and
the locks that turn a race into a clear message) use ``savepoint()``: a nested transaction that is rolled back
on its own when two people collide, leaving the rest of the request's changes alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

from flask import Flask, Response
from flask.cli import AppGroup
from sqlalchemy.orm import SessionTransaction

from forum.extensions import db


def commit() -> None:
    """End the unit of work, keeping its changes."""
    db.session.commit()


def discard() -> None:
    """End the unit of work, dropping every change not yet committed."""
    db.session.rollback()


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Run a CLI command's or a job's work as one transaction: committed at the end, rolled back on any error."""
    try:
        yield
    except BaseException:
        discard()
        raise
    commit()


def savepoint() -> SessionTransaction:
    """A nested transaction for a concurrency guarantee (``with savepoint(): ...``); see the module docstring."""
    return db.session.begin_nested()


def _end_request(response: Response) -> Response:
    if response.status_code < 400:
        commit()
    else:
        discard()
    return response


def _discard_on_exception(error: BaseException | None) -> None:
    if error is not None:
        discard()


def init_app(app: Flask) -> None:
    app.after_request(_end_request)
    app.teardown_request(_discard_on_exception)


class TransactionalGroup(AppGroup):
    """A ``flask`` command group whose every command runs as one unit of work."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Any]:
        register = super().command(*args, **kwargs)

        def decorator(callback: Callable[..., Any]) -> Any:
            @wraps(callback)
            def in_transaction(*a: Any, **kw: Any) -> Any:
                with unit_of_work():
                    return callback(*a, **kw)

            return register(in_transaction)

        return decorator
