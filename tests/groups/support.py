"""A small world of people and groups for the groups tests, and helpers to sign in and read pages."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from forum.extensions import db
from forum.groups.models import Group, Membership
from tests import factories
from tests.pages import raw_html as text
from tests.people import Person, sign_in
from tests.people import person_of as _person

__all__ = ["ROLES", "Person", "World", "active_count", "as_role", "build_world", "group_row", "invite_for",
           "membership_of", "sign_in", "text"]


@dataclass(frozen=True)
class World:
    admin: Person
    site_moderator: Person
    resident: Person  # a member of no group
    member: Person  # an ordinary member of both groups
    group_moderator: Person  # a group moderator of both groups
    public: str  # slugs
    private: str


ROLES = ("anonymous", "resident", "member", "group_moderator", "site_moderator", "admin")


def build_world(app: Flask) -> World:
    with app.app_context():
        admin = factories.make_user("Ada Admin", role="admin")
        site_moderator = factories.make_user("Sam Moderator", role="moderator")
        resident = factories.make_user("Rita Resident")
        member = factories.make_user("Mo Member")
        group_moderator = factories.make_user("Gail Groupmod")
        public = factories.make_group(
            "Make a bigger difference", members=(member,), moderators=(group_moderator,), position=1
        )
        private = factories.make_group(
            "Budget working party", private=True, members=(member,), moderators=(group_moderator,)
        )
        return World(
            _person(admin), _person(site_moderator), _person(resident), _person(member),
            _person(group_moderator), public.slug, private.slug,
        )


def as_role(client: FlaskClient, world: World, role: str) -> Person | None:
    person = None if role == "anonymous" else getattr(world, role)
    sign_in(client, person)
    return person


def group_row(app: Flask, slug: str) -> dict:
    """The group's counters and flags as stored now."""
    with app.app_context():
        group = db.session.scalar(select(Group).where(Group.slug == slug))
        return {
            "member_count": group.member_count, "is_private": group.is_private, "summary": group.summary,
            "description_html": group.description_html, "position": group.position, "id": group.id,
        }


def membership_of(app: Flask, slug: str, person: Person) -> dict | None:
    with app.app_context():
        row = db.session.scalar(
            select(Membership).join(Group).where(Group.slug == slug, Membership.user_id == person.id)
        )
        return None if row is None else {"id": row.id, "status": row.status, "role": row.role}


def active_count(app: Flask, slug: str) -> int:
    """Active members counted row by row, to check the counter against."""
    with app.app_context():
        group = db.session.scalar(select(Group).where(Group.slug == slug))
        return sum(1 for m in db.session.scalars(select(Membership).where(Membership.group_id == group.id))
                   if m.status == "active")


def invite_for(app: Flask, slug: str) -> str:
    """An invitation token for the group, made by one of its moderators."""
    from forum.accounts.models import User
    from forum.groups import services
    from forum.groups.models import MemberRole

    with app.app_context():
        group = db.session.scalar(select(Group).where(Group.slug == slug))
        moderator = db.session.scalar(
            select(User).join(Membership, Membership.user_id == User.id)
            .where(Membership.group_id == group.id, Membership.role == MemberRole.MODERATOR)
        )
        return services.invite_token(group, moderator)
