"""A small world for the moderation tests, made through the real services, and helpers to act in it.

Factories return rows that expire once their app context closes, so the world keeps plain values (ids,
session ids, names) that tests use outside it. Service tests open ``with app.app_context():`` and fetch
what they need with ``user``, ``item``, ``thread`` and ``group``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask
from sqlalchemy import select

from forum.accounts.models import User
from forum.audit.models import AuditEntry
from forum.extensions import db
from forum.groups.models import Group
from forum.moderation.models import Flag, ItemType, ReviewItem
from forum.moderation.services import flags
from forum.moderation.services.items import Item, load_item
from forum.threads import services as thread_services
from forum.threads.models import Comment, Post, Thread
from tests import factories
from tests.pages import html_as_read as page
from tests.people import Person, sign_in, sign_out
from tests.people import person_of as person

__all__ = ["Person", "World", "audit_entries", "comment_item", "counts", "first_post", "flag_as", "group", "item",
           "make_world", "new_account", "page", "person", "post_item", "review_of", "sign_in", "sign_out",
           "state_of", "thread", "user"]


@dataclass
class World:
    admin: Person
    sitemod: Person  # site moderator
    sitemod2: Person  # another site moderator
    parks_mod: Person  # moderates Parks only
    transport_mod: Person  # moderates Transport only
    author: Person  # member of Parks, Transport and the private group; started the thread
    member: Person  # member of Parks, Transport and the private group; replied
    flaggers: list[Person]  # three residents who belong to no group (public groups are readable by all)
    outsider: Person  # belongs to no group
    newcomer: Person  # member of Parks and Transport, has posted nothing
    parks_id: int
    parks_slug: str
    transport_id: int
    transport_slug: str
    private_id: int
    private_slug: str
    thread_id: int  # in Parks, by author: "Benches by the pond"
    opening_id: int
    reply_id: int  # by member, post 2
    comment_id: int  # by member, under the opening post
    private_thread_id: int
    private_post_id: int
    extra: dict = field(default_factory=dict)


def make_world(app: Flask) -> World:
    with app.app_context():
        make = factories.make_user
        admin = make("Ada Admin", role="admin")
        sitemod, sitemod2 = make("Sam Sitemod", role="moderator"), make("Sue Sitemod", role="moderator")
        parks_mod, transport_mod = make("Pat Parksmod"), make("Tess Transportmod")
        author, member = make("Alice Author"), make("Bob Member")
        flaggers = [make(f"Flagger {name}") for name in ("One", "Two", "Three")]
        outsider, newcomer = make("Olive Outsider"), make("Nina Newcomer")
        parks = factories.make_group("Parks", members=(author, member, newcomer), moderators=(parks_mod,))
        transport = factories.make_group("Transport", members=(author, member, newcomer),
                                         moderators=(transport_mod,))
        private = factories.make_group("Budget working party", private=True, members=(author, member))
        thread = factories.make_thread(parks, author, title="Benches by the pond", body="We need more benches.",
                                       tags="benches")
        reply = thread_services.reply(thread, member, "I agree about the benches.")
        opening = first_post(thread.id)
        comment = thread_services.add_comment(opening, member, "Near the playground too.")
        secret = factories.make_thread(private, author, title="Draft budget", body="Secret numbers.")
        return World(
            admin=person(admin), sitemod=person(sitemod), sitemod2=person(sitemod2), parks_mod=person(parks_mod),
            transport_mod=person(transport_mod), author=person(author), member=person(member),
            flaggers=[person(f) for f in flaggers], outsider=person(outsider), newcomer=person(newcomer),
            parks_id=parks.id, parks_slug=parks.slug, transport_id=transport.id, transport_slug=transport.slug,
            private_id=private.id, private_slug=private.slug, thread_id=thread.id, opening_id=opening.id,
            reply_id=reply.id, comment_id=comment.id, private_thread_id=secret.id,
            private_post_id=first_post(secret.id).id,
        )


def first_post(thread_id: int) -> Post:
    return db.session.scalar(select(Post).where(Post.thread_id == thread_id, Post.number == 1))


# Inside an app context


def user(who: Person) -> User:
    return db.session.get(User, who.id)


def item(kind: str, item_id: int) -> Item:
    return load_item(kind, item_id)


def post_item(post_id: int) -> Item:
    return load_item(ItemType.POST, post_id)


def comment_item(comment_id: int) -> Item:
    return load_item(ItemType.COMMENT, comment_id)


def thread(thread_id: int) -> Thread:
    found = db.session.get(Thread, thread_id)
    db.session.refresh(found)
    return found


def group(group_id: int) -> Group:
    found = db.session.get(Group, group_id)
    db.session.refresh(found)
    return found


def counts(group_id: int) -> tuple[int, int]:
    """(threads, posts) a group's lists show."""
    found = group(group_id)
    return found.thread_count, found.post_count


def state_of(model: type[Post] | type[Comment] | type[Thread], row_id: int) -> str:
    return db.session.scalar(select(model.state).where(model.id == row_id).execution_options(populate_existing=True))


def flag_as(who: Person, kind: str, item_id: int, reason: str = "spam", note: str = "") -> Flag:
    return flags.flag(item(kind, item_id), user(who), reason, note)


def audit_entries(action: str | None = None) -> list[AuditEntry]:
    stmt = select(AuditEntry).order_by(AuditEntry.id)
    if action is not None:
        stmt = stmt.where(AuditEntry.action == action)
    return list(db.session.scalars(stmt))


def review_of(kind: str, item_id: int) -> ReviewItem | None:
    return db.session.scalar(
        select(ReviewItem).where(ReviewItem.item_type == kind, ReviewItem.item_id == item_id)
        .execution_options(populate_existing=True)
    )


def new_account(name: str, *groups: int) -> Person:
    """A fresh resident, member of the groups with these ids."""
    made = factories.make_user(name)
    for group_id in groups:
        factories.add_member(db.session.get(Group, group_id), made)
    return person(made)
