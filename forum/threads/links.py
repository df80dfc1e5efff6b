"""What other domains attach to threads, asked for without the threads domain knowing those domains.

Participatory budgeting links threads to spending proposals, but it sits above threads in the import order
(it starts threads), so threads cannot import it. Instead a domain registers a provider here when its views
load; the thread page and the thread lists ask :func:`links_for` for the threads they show, in one call per
page (each provider answers with one query, whatever the number of threads).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ThreadLink:
    """Something a thread is about, shown on the thread page (in full) and in thread lists (as a marker)."""

    kind: str  # "proposal"
    title: str
    url: str
    facts: tuple[tuple[str, str], ...] = ()  # (label, value) pairs for a summary list, e.g. ("Cost", "£12,500")
    marker: str = ""  # the short label lists show, e.g. "Spending proposal"


Provider = Callable[[list[int]], dict[int, list[ThreadLink]]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Add a provider (once): given thread ids, it returns the links of those that have any."""
    if provider not in _providers:
        _providers.append(provider)


def links_for(thread_ids: Iterable[int]) -> dict[int, list[ThreadLink]]:
    """Every registered provider's links for ``thread_ids``; threads with none are left out."""
    ids = sorted(set(thread_ids))
    found: dict[int, list[ThreadLink]] = {}
    if not ids:
        return found
    for provider in _providers:
        for thread_id, links in provider(ids).items():
            found.setdefault(thread_id, []).extend(links)
    return found
