"""Feed views: each answers the Atom document its service builds, as ``application/atom+xml``."""

from __future__ import annotations

from flask import Response, redirect, url_for

from forum.feeds import services
from forum.tags import services as tag_services

ATOM = "application/atom+xml; charset=utf-8"


def _atom(document: bytes) -> Response:
    return Response(document, content_type=ATOM)


def site() -> Response:
    """The latest threads in public groups."""
    return _atom(services.site_feed())


def group(slug: str) -> Response:
    """A public group's latest threads; a private group's feed does not exist (404), even for its members."""
    return _atom(services.group_feed(slug))


def tag(name: str):
    """The latest public threads carrying a tag; a differently written name redirects to the tag's one address."""
    canonical = tag_services.normalise(name)
    if canonical and canonical != name:
        return redirect(url_for("feeds.tag", name=canonical), code=301)
    return _atom(services.tag_feed(canonical))


def thread(thread_id: int) -> Response:
    """A public thread's latest posts."""
    return _atom(services.thread_feed(thread_id))
