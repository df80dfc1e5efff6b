"""Warnings and suspensions (forum.moderation.services.sanctions): who may warn or suspend whom, what a
suspended person can no longer do and what they are told, expiry and lifting, and the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.audit.models import Action
from forum.common.errors import PermissionDenied, ValidationFailed
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.moderation.models import ItemType, ModeratorWarning
from forum.moderation.services import actions, sanctions
from forum.moderation.services.actions import AlreadyDone
from forum.threads import services as thread_services
from forum.threads.models import Post
from tests import factories
from tests.moderation import support as s


@pytest.fixture
def world(app):
    return s.make_world(app)


# Warnings


def test_a_site_moderator_warns_with_a_reason_and_it_is_audited(app, world):
    with app.app_context():
        with pytest.raises(ValidationFailed, match="Enter a reason"):
            sanctions.warn(s.user(world.sitemod), s.user(world.member), "  ")
        warning = sanctions.warn(s.user(world.sitemod), s.user(world.member), "Keep it civil, please.")
        assert (warning.group_id, warning.reason) == (None, "Keep it civil, please.")
        assert [w.reason for w in sanctions.my_warnings(s.user(world.member))] == ["Keep it civil, please."]
        [entry] = s.audit_entries(Action.WARN)
        assert (entry.actor_id, entry.subject_id, entry.item_type, entry.item_id, entry.group_id, entry.reason) == (
            world.sitemod.id, world.member.id, "user", world.member.id, None, "Keep it civil, please.")


def test_a_group_moderator_warns_only_about_a_group_they_moderate(app, world):
    with app.app_context():
        moderator = s.user(world.parks_mod)
        with pytest.raises(PermissionDenied, match="Choose the group you moderate"):
            sanctions.warn(moderator, s.user(world.member), "Rude")
        with pytest.raises(PermissionDenied, match="Only moderators of “Transport”"):
            sanctions.warn(moderator, s.user(world.member), "Rude", s.group(world.transport_id))
        with pytest.raises(PermissionDenied):
            sanctions.warn(s.user(world.author), s.user(world.member), "Rude", s.group(world.parks_id))
        assert db.session.scalar(select(db.func.count(ModeratorWarning.id))) == 0
        warning = sanctions.warn(moderator, s.user(world.member), "Rude in Parks", s.group(world.parks_id))
        assert warning.group_id == world.parks_id
        [entry] = s.audit_entries(Action.WARN)
        assert (entry.actor_id, entry.group_id) == (world.parks_mod.id, world.parks_id)


def test_nobody_warns_themselves(app, world):
    with app.app_context():
        with pytest.raises(ValidationFailed, match="You cannot warn yourself"):
            sanctions.warn(s.user(world.sitemod), s.user(world.sitemod), "Note to self")


# Suspensions: who may suspend whom


def test_nobody_suspends_an_admin(app, world):
    with app.app_context():
        other_admin = s.person(factories.make_user("Aaron Admin", role="admin"))
        for who in (world.sitemod, other_admin):
            with pytest.raises(PermissionDenied, match="Administrators cannot be suspended."):
                sanctions.suspend(s.user(who), s.user(world.admin), 7, "No")
        assert not s.user(world.admin).is_suspended


def test_a_site_moderator_cannot_suspend_another_but_an_admin_can(app, world):
    with app.app_context():
        with pytest.raises(PermissionDenied, match="Only an administrator can suspend a site moderator."):
            sanctions.suspend(s.user(world.sitemod), s.user(world.sitemod2), 7, "Rogue")
        assert not s.user(world.sitemod2).is_suspended
        sanctions.suspend(s.user(world.admin), s.user(world.sitemod2), 7, "Rogue")
        assert s.user(world.sitemod2).is_suspended
        with pytest.raises(PermissionDenied):
            sanctions.suspend(s.user(world.sitemod), s.user(world.sitemod), 1, "Holiday")


def test_group_moderators_and_residents_cannot_suspend(app, world):
    with app.app_context():
        for who in (world.parks_mod, world.author):
            with pytest.raises(PermissionDenied, match="Only site moderators and administrators can suspend"):
                sanctions.suspend(s.user(who), s.user(world.member), 7, "Rude")
        assert not s.user(world.member).is_suspended
        assert s.audit_entries() == []


def test_a_suspension_needs_a_reason_and_one_of_the_offered_lengths(app, world):
    with app.app_context():
        with pytest.raises(ValidationFailed, match="Enter a reason"):
            sanctions.suspend(s.user(world.sitemod), s.user(world.member), 7, "")
        for days in (None, 0, 2, -7, 10_000):
            with pytest.raises(ValidationFailed, match="Choose how long"):
                sanctions.suspend(s.user(world.sitemod), s.user(world.member), days, "Rude")
        assert not s.user(world.member).is_suspended


# Suspensions: what they stop, and their end


def test_a_suspended_person_can_neither_start_reply_comment_edit_nor_flag(app, world):
    with app.app_context():
        sanctions.suspend(s.user(world.sitemod), s.user(world.member), 7, "Repeated insults")
        member = s.user(world.member)
        assert member.suspended_until - utcnow() > timedelta(days=6, hours=23)
        [entry] = s.audit_entries(Action.SUSPEND)
        assert (entry.actor_id, entry.subject_id, entry.reason, entry.summary) == (
            world.sitemod.id, world.member.id, "Repeated insults", "For 7 days")
        attempts = [
            lambda: thread_services.start_thread(s.group(world.parks_id), member, "New", "Text"),
            lambda: thread_services.reply(s.thread(world.thread_id), member, "Text"),
            lambda: thread_services.add_comment(db.session.get(Post, world.opening_id), member, "Text"),
            lambda: thread_services.edit_post(db.session.get(Post, world.reply_id), member, "Changed"),
            lambda: s.flag_as(world.member, ItemType.POST, world.opening_id),
        ]
        for attempt in attempts:
            with pytest.raises(PermissionDenied) as refused:
                attempt()
            message = refused.value.message
            assert message.startswith("Your account is suspended until ") and "(UTC)" in message
            assert "The reason given: Repeated insults." in message
            assert str(member.suspended_until.year) in message
        assert db.session.get(Post, world.reply_id).body_source == "I agree about the benches."


def test_a_suspended_person_is_told_until_when_and_why_on_the_page(app, client, world):
    with app.app_context():
        sanctions.suspend(s.user(world.sitemod), s.user(world.member), 3, "Spamming links")
        until = s.user(world.member).suspended_until
    s.sign_in(client, world.member)
    assert client.get(f"/threads/{world.thread_id}/").status_code == 200  # reading is still allowed
    response = client.post(f"/threads/{world.thread_id}/reply", data={"body": "Let me in."})
    assert response.status_code == 403
    text = s.page(response)
    assert "Your account is suspended until" in text and "Spamming links" in text
    assert until.strftime("%B %Y") in text
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Post.id)).where(Post.body_source == "Let me in.")) == 0


def test_a_suspension_that_has_expired_stops_nothing(app, world):
    with app.app_context():
        sanctions.suspend(s.user(world.sitemod), s.user(world.member), 1, "Cool off")
        member = s.user(world.member)
        member.suspended_until = utcnow() - timedelta(minutes=1)
        db.session.commit()
        assert not s.user(world.member).is_suspended
        post = thread_services.reply(s.thread(world.thread_id), s.user(world.member), "I am back.")
        assert post.id
        with pytest.raises(AlreadyDone, match="is not suspended"):
            sanctions.lift(s.user(world.sitemod), s.user(world.member))


def test_lifting_a_suspension_lets_them_post_at_once_and_is_audited(app, world):
    with app.app_context():
        sanctions.suspend(s.user(world.sitemod), s.user(world.member), 30, "Cool off")
        with pytest.raises(PermissionDenied):
            sanctions.lift(s.user(world.parks_mod), s.user(world.member))
        sanctions.lift(s.user(world.sitemod2), s.user(world.member), "Apologised")
        member = s.user(world.member)
        assert (member.is_suspended, member.suspended_until, member.suspension_reason) == (False, None, None)
        thread_services.reply(s.thread(world.thread_id), member, "Sorry, everyone.")
        [entry] = s.audit_entries(Action.LIFT_SUSPENSION)
        assert (entry.actor_id, entry.subject_id, entry.reason) == (world.sitemod2.id, world.member.id, "Apologised")


def test_a_new_suspension_replaces_the_current_one(app, world):
    with app.app_context():
        sanctions.suspend(s.user(world.sitemod), s.user(world.member), 30, "First")
        sanctions.suspend(s.user(world.sitemod), s.user(world.member), 1, "Shortened")
        member = s.user(world.member)
        assert member.suspension_reason == "Shortened"
        assert member.suspended_until - utcnow() < timedelta(days=1, minutes=1)
        assert [e.summary for e in s.audit_entries(Action.SUSPEND)] == ["For 30 days", "For 1 day"]


def test_a_group_moderator_reads_a_persons_history_only_in_the_groups_they_moderate(app, world):
    with app.app_context():
        private_post = s.post_item(world.private_post_id)
        actions.hide(private_post, s.user(world.sitemod), "Leaks the secret numbers")
        actions.hide(s.post_item(world.opening_id), s.user(world.parks_mod), "Advert")
        sanctions.warn(s.user(world.sitemod), s.user(world.author), "Site-wide warning")
        sanctions.warn(s.user(world.transport_mod), s.user(world.author), "Transport warning",
                       s.group(world.transport_id))
        seen = sanctions.history(s.user(world.author), s.user(world.parks_mod))
        assert [(e.action, e.reason) for e in seen.actions] == [(Action.HIDE, "Advert")]
        assert seen.warnings == []
        seen = sanctions.history(s.user(world.author), s.user(world.transport_mod))
        assert [w.reason for w in seen.warnings] == ["Transport warning"]
        assert [e.reason for e in seen.actions] == ["Transport warning"]
        everything = sanctions.history(s.user(world.author), s.user(world.sitemod))
        assert len(everything.actions) == 4 and len(everything.warnings) == 2


def test_the_person_page_shows_a_group_moderator_only_their_groups_history(app, client, world):
    with app.app_context():
        actions.hide(s.post_item(world.private_post_id), s.user(world.sitemod), "Leaks the secret numbers")
        actions.hide(s.post_item(world.opening_id), s.user(world.parks_mod), "Advert for a car wash")
    s.sign_in(client, world.parks_mod)
    page = client.get(f"/moderation/people/{world.author.id}").get_data(as_text=True)
    assert "Advert for a car wash" in page and "Leaks the secret numbers" not in page
    s.sign_in(client, world.sitemod)
    page = client.get(f"/moderation/people/{world.author.id}").get_data(as_text=True)
    assert "Advert for a car wash" in page and "Leaks the secret numbers" in page
