"""Helpers for the thread tests: a small world of people, groups and a thread, and signing in by session.

Factories return rows that expire once their app context closes, so the world keeps plain values (ids,
session ids) that tests can use outside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from forum.extensions import db
from forum.threads.models import Comment, Post, Thread
from tests import factories
from tests.people import Person, sign_in, sign_out
from tests.people import person_of as person

__all__ = ["Person", "World", "comments_of", "first_post_id", "make_world", "person", "posts_of", "sign_in",
           "sign_out", "thread_count"]


@dataclass
class World:
    author: Person  # a member who started the thread
    member: Person  # another member of the public group
    outsider: Person  # signed in, member of nothing
    moderator: Person  # site moderator
    group_slug: str
    private_slug: str
    thread_id: int  # a thread in the public group, by author
    private_thread_id: int  # a thread in the private group, by author
    opening_post_id: int
    private_post_id: int


def make_world(app: Flask) -> World:
    with app.app_context():
        author = factories.make_user("Alice Author")
        member = factories.make_user("Bob Member")
        outsider = factories.make_user("Olive Outsider")
        moderator = factories.make_user("Maya Moderator", role="moderator")
        group = factories.make_group("Parks and green spaces", members=(author, member))
        private = factories.make_group("Budget working party", private=True, members=(author, member))
        thread = factories.make_thread(group, author, title="More benches in the park", body="We need benches.",
                                       tags="parks, benches")
        secret = factories.make_thread(private, author, title="Draft budget", body="Secret numbers.")
        return World(
            author=person(author), member=person(member), outsider=person(outsider), moderator=person(moderator),
            group_slug=group.slug, private_slug=private.slug, thread_id=thread.id, private_thread_id=secret.id,
            opening_post_id=first_post_id(thread.id), private_post_id=first_post_id(secret.id),
        )


def first_post_id(thread_id: int) -> int:
    return db.session.scalar(db.select(Post.id).where(Post.thread_id == thread_id, Post.number == 1))


def posts_of(app: Flask, thread_id: int) -> list[tuple[int, str, int]]:
    """(number, body_source, author_id) of every post in a thread, in order."""
    with app.app_context():
        rows = db.session.execute(
            db.select(Post.number, Post.body_source, Post.author_id).where(Post.thread_id == thread_id)
            .order_by(Post.number)
        )
        return [tuple(r) for r in rows]


def comments_of(app: Flask, post_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(db.select(Comment.body_source).where(Comment.post_id == post_id)
                                       .order_by(Comment.id)))


def thread_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Thread.id)))
