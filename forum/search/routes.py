"""Every URL search serves, and its upkeep: ``init_app`` connects the index to the signals of the domains whose
content it holds (``create_app`` calls it)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask

from forum.budgeting import signals as budgeting_signals
from forum.search import jobs, services, views
from forum.threads import signals as thread_signals

bp = Blueprint("search", __name__)

bp.add_url_rule("/search", view_func=views.search)

#: Jobs this package declares (imported here so they exist before ``create_app`` starts the job engine).
JOBS = (jobs.reindex,)


def _content_changed(item: Any, **_: Any) -> None:
    services.index_content(item)


def _proposal_changed(proposal: Any, **_: Any) -> None:
    services.index_proposal(proposal)


def init_app(app: Flask) -> None:
    """Keep the index in the writing transaction (blinker keeps weak references: these are module functions)."""
    thread_signals.content_changed.connect(_content_changed)
    budgeting_signals.proposal_changed.connect(_proposal_changed)
