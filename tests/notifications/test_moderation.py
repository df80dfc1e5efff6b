"""Moderators' decisions tell the people concerned: hidden posts (with the reason), warnings, suspensions and
the outcome of flags."""

from __future__ import annotations

import pytest

from forum.accounts.models import User
from forum.extensions import db
from forum.moderation.models import ItemType
from forum.moderation.services import actions, flags, sanctions
from forum.moderation.services.items import load_item
from forum.notifications.models import Notification
from tests.notifications.support import kinds_of, make_world


@pytest.fixture
def world(app):
    return make_world(app)


def texts(app, who) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(
            db.select(Notification.text).where(Notification.recipient_id == who.id).order_by(Notification.id)))


def test_hiding_a_post_tells_its_author_the_reason_and_flaggers_the_outcome(app, world):
    with app.app_context():
        item = load_item(ItemType.POST, world.opening_post_id)
        flags.flag(item, db.session.get(User, world.member.id), "off_topic")
        flags.flag(item, db.session.get(User, world.other.id), "spam")
    with app.app_context():
        item = load_item(ItemType.POST, world.opening_post_id)
        actions.hide(item, db.session.get(User, world.moderator.id), "Advertising a shop")
    assert texts(app, world.author) == ["A moderator hid your post in “More benches”. The reason: Advertising a shop"]
    assert kinds_of(app, world.member) == ["flag_outcome"] and kinds_of(app, world.other) == ["flag_outcome"]
    assert texts(app, world.member) == ["Your flag on a post in “More benches” was upheld: a moderator hid it"]
    with app.app_context():
        note = db.session.scalar(db.select(Notification).where(Notification.recipient_id == world.author.id))
        assert note.url.endswith("#post-1") and note.actor_id == world.moderator.id


def test_keeping_a_flagged_post_tells_the_flagger(app, world):
    with app.app_context():
        item = load_item(ItemType.POST, world.opening_post_id)
        flags.flag(item, db.session.get(User, world.member.id), "off_topic")
    with app.app_context():
        actions.approve(load_item(ItemType.POST, world.opening_post_id), db.session.get(User, world.moderator.id))
    assert texts(app, world.member) == ["Your flag on a post in “More benches” was reviewed: a moderator kept it"]
    assert kinds_of(app, world.author) == []


def test_a_warning_and_a_suspension_are_told(app, world):
    with app.app_context():
        moderator = db.session.get(User, world.moderator.id)
        target = db.session.get(User, world.member.id)
        sanctions.warn(moderator, target, "Be kind.")
        sanctions.suspend(moderator, target, 7, "Repeated insults.")
    assert kinds_of(app, world.member) == ["sanction", "sanction"]
    assert texts(app, world.member) == ["A moderator warned you: Be kind.",
                                        "Your account is suspended for 7 days: Repeated insults."]
