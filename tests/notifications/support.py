"""A small world for notification tests: people, a public and a private group, and helpers to read rows."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select

from forum.extensions import db
from forum.notifications.models import Notification
from tests import factories
from tests.people import Person
from tests.people import person_of as person


@dataclass
class World:
    author: Person  # started the thread
    member: Person
    other: Person  # a third member
    outsider: Person  # member of nothing
    moderator: Person  # site moderator
    group_slug: str
    group_id: int
    private_slug: str
    private_id: int
    thread_id: int
    private_thread_id: int
    opening_post_id: int


def make_world(app: Flask) -> World:
    with app.app_context():
        author = factories.make_user("Alice Author")
        member = factories.make_user("Bob Member")
        other = factories.make_user("Carol Other")
        outsider = factories.make_user("Olive Outsider")
        moderator = factories.make_user("Maya Moderator", role="moderator")
        group = factories.make_group("Parks", members=(author, member, other))
        private = factories.make_group("Working party", private=True, members=(author, member))
        thread = factories.make_thread(group, author, title="More benches", body="We need benches.")
        secret = factories.make_thread(private, author, title="Draft budget", body="Secret numbers.")
        from tests.threads.support import first_post_id

        return World(
            author=person(author), member=person(member), other=person(other), outsider=person(outsider),
            moderator=person(moderator), group_slug=group.slug, group_id=group.id, private_slug=private.slug,
            private_id=private.id, thread_id=thread.id, private_thread_id=secret.id,
            opening_post_id=first_post_id(thread.id),
        )


def notes(app: Flask, who: Person | None = None) -> list[tuple[int, str]]:
    """(recipient id, kind) of every notification (of ``who``), oldest first."""
    with app.app_context():
        query = select(Notification.recipient_id, Notification.kind).order_by(Notification.id)
        if who is not None:
            query = query.where(Notification.recipient_id == who.id)
        return [tuple(row) for row in db.session.execute(query)]


def kinds_of(app: Flask, who: Person) -> list[str]:
    return [kind for _, kind in notes(app, who)]
