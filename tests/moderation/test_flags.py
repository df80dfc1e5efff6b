"""Flagging through forum.moderation.services.flags: who may flag what, once each, and the automatic hiding of
an item enough different people flagged; flaggers then see what became of their flags."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.audit.models import Action
from forum.common.errors import NotFound, PermissionDenied, ValidationFailed
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.moderation.models import Flag, ItemType, Outcome, ReviewStatus
from forum.moderation.services import actions, flags
from forum.threads import services as thread_services
from forum.threads.models import Comment, Post, Thread, Visibility
from tests.budgeting.test_voting_concurrency import all_at_once
from tests.moderation import support as s
from tests.moderation.support import flag_as


@pytest.fixture
def world(app):
    return s.make_world(app)


def flag_count(kind: str, item_id: int) -> int:
    return db.session.scalar(
        select(func.count(Flag.id)).where(Flag.item_type == kind, Flag.item_id == item_id)
    )


def test_a_person_flags_an_item_once_and_a_second_flag_is_refused_with_a_message(app, world):
    with app.app_context():
        flag_as(world.flaggers[0], ItemType.POST, world.reply_id, "off_topic")
        with pytest.raises(ValidationFailed) as refused:
            flag_as(world.flaggers[0], ItemType.POST, world.reply_id, "spam")
        assert refused.value.message == "You have already flagged this post: moderators will look at it"
        assert refused.value.field == "reason"
        assert flag_count(ItemType.POST, world.reply_id) == 1
        review = s.review_of(ItemType.POST, world.reply_id)
        assert (review.status, review.open_flags, review.held) == (ReviewStatus.PENDING, 1, False)


def test_a_double_flag_sent_at_the_same_moment_leaves_one_flag(app, world):
    def job():
        with app.app_context():
            try:
                flag_as(world.flaggers[0], ItemType.POST, world.reply_id, "spam")
                return "flagged"
            except ValidationFailed as refused:
                return refused.message

    results = all_at_once([job] * 4)
    assert results.count("flagged") == 1, results
    assert all(r == "flagged" or "already flagged" in r for r in results), results
    with app.app_context():
        assert flag_count(ItemType.POST, world.reply_id) == 1
        assert s.review_of(ItemType.POST, world.reply_id).open_flags == 1


def test_different_people_flagging_at_the_same_moment_are_all_counted(app, world):
    app.config["FLAG_HIDE_THRESHOLD"] = 0

    def job(who):
        def run():
            with app.app_context():
                flag_as(who, ItemType.POST, world.reply_id, "spam")
                return "flagged"
        return run

    assert all_at_once([job(w) for w in world.flaggers]) == ["flagged"] * 3
    with app.app_context():
        assert flag_count(ItemType.POST, world.reply_id) == 3
        assert s.review_of(ItemType.POST, world.reply_id).open_flags == 3


def test_nobody_flags_their_own_post(app, world):
    with app.app_context():
        with pytest.raises(ValidationFailed, match="You cannot flag your own post"):
            flag_as(world.member, ItemType.POST, world.reply_id)
        assert flag_count(ItemType.POST, world.reply_id) == 0


def test_other_needs_a_note_and_an_unknown_reason_is_refused(app, world):
    with app.app_context():
        with pytest.raises(ValidationFailed) as refused:
            flag_as(world.flaggers[0], ItemType.POST, world.reply_id, "other", "   ")
        assert (refused.value.field, refused.value.message) == ("note", "Tell the moderators what is wrong")
        with pytest.raises(ValidationFailed, match="Choose why"):
            flag_as(world.flaggers[0], ItemType.POST, world.reply_id, "because")
        assert flag_count(ItemType.POST, world.reply_id) == 0
        flag_as(world.flaggers[0], ItemType.POST, world.reply_id, "other", "It names my neighbour.")
        assert db.session.scalar(select(Flag.note)) == "It names my neighbour."


def test_a_suspended_person_cannot_flag_and_is_told_until_when_and_why(app, world):
    with app.app_context():
        flagger = s.user(world.flaggers[0])
        flagger.suspended_until, flagger.suspension_reason = utcnow() + timedelta(days=3), "Abusive flags"
        db.session.commit()
        with pytest.raises(PermissionDenied) as refused:
            flag_as(world.flaggers[0], ItemType.POST, world.reply_id)
        assert "suspended until" in refused.value.message and "Abusive flags" in refused.value.message
        assert flag_count(ItemType.POST, world.reply_id) == 0


def test_nobody_flags_what_they_cannot_read(app, world):
    with app.app_context():
        with pytest.raises(NotFound):
            flags.flaggable_item(ItemType.POST, world.private_post_id, s.user(world.outsider))
        app.config["PREMODERATE_FIRST_POSTS"] = 2
        held = thread_services.reply(s.thread(world.thread_id), s.user(world.newcomer), "A held reply.")
        assert held.state == Visibility.HELD
        for who in (world.flaggers[0], world.member):
            with pytest.raises(NotFound):
                flags.flaggable_item(ItemType.POST, held.id, s.user(who))
        with pytest.raises(NotFound):
            flags.flaggable_item(ItemType.POST, 999_999, s.user(world.member))
        # a group's moderator sees it, and the private post is flaggable by a member of the private group
        assert flags.flaggable_item(ItemType.POST, held.id, s.user(world.parks_mod)).id == held.id
        assert flags.flaggable_item(ItemType.POST, world.private_post_id, s.user(world.member)).id


def test_a_comment_under_a_hidden_post_cannot_be_flagged_by_others(app, world):
    with app.app_context():
        reply = db.session.get(Post, world.reply_id)
        comment = thread_services.add_comment(reply, s.user(world.author), "A comment under the reply.")
        actions.hide(s.post_item(world.reply_id), s.user(world.sitemod), "Off-topic")
        with pytest.raises(NotFound):
            flags.flaggable_item(ItemType.COMMENT, comment.id, s.user(world.flaggers[0]))
        actions.hide(s.post_item(world.opening_id), s.user(world.sitemod), "Off-topic")
        with pytest.raises(NotFound):
            flags.flaggable_item(ItemType.COMMENT, world.comment_id, s.user(world.flaggers[0]))


def test_a_withdrawn_post_cannot_be_flagged(app, world):
    with app.app_context():
        thread_services.withdraw_post(db.session.get(Post, world.reply_id), s.user(world.member))
        with pytest.raises(NotFound):
            flag_as(world.flaggers[0], ItemType.POST, world.reply_id)


# Hiding at the threshold


def test_three_different_flaggers_hide_a_reply_at_once_two_do_not(app, world):
    with app.app_context():
        assert app.config["FLAG_HIDE_THRESHOLD"] == 3
        before = s.counts(world.parks_id)
        for who in world.flaggers[:2]:
            flag_as(who, ItemType.POST, world.reply_id)
        assert s.state_of(Post, world.reply_id) == Visibility.VISIBLE
        assert s.audit_entries(Action.AUTO_HIDE) == []
        flag_as(world.flaggers[2], ItemType.POST, world.reply_id, "inappropriate")
        post = db.session.get(Post, world.reply_id)
        db.session.refresh(post)
        assert post.state == Visibility.HIDDEN
        assert post.hidden_reason.startswith("Hidden automatically because 3 people flagged it.")
        [entry] = s.audit_entries(Action.AUTO_HIDE)
        assert entry.actor_id is None and entry.actor is None
        assert (entry.item_type, entry.item_id, entry.group_id, entry.subject_id) == (
            ItemType.POST, world.reply_id, world.parks_id, world.member.id)
        assert entry.reason == post.hidden_reason
        assert s.thread(world.thread_id).visible_reply_count == 0
        assert s.counts(world.parks_id) == (before[0], before[1] - 1)
        review = s.review_of(ItemType.POST, world.reply_id)
        assert (review.status, review.open_flags) == (ReviewStatus.PENDING, 3)


def test_flags_on_an_opening_post_hide_the_whole_thread(app, world):
    with app.app_context():
        for who in world.flaggers:
            flag_as(who, ItemType.POST, world.opening_id)
        assert s.state_of(Thread, world.thread_id) == Visibility.HIDDEN
        assert s.counts(world.parks_id) == (0, 0)


def test_the_same_person_cannot_reach_the_threshold_alone(app, world):
    with app.app_context():
        flag_as(world.flaggers[0], ItemType.POST, world.reply_id)
        for _ in range(3):
            with pytest.raises(ValidationFailed):
                flag_as(world.flaggers[0], ItemType.POST, world.reply_id)
        assert s.state_of(Post, world.reply_id) == Visibility.VISIBLE


def test_a_threshold_of_zero_never_hides(app, world):
    app.config["FLAG_HIDE_THRESHOLD"] = 0
    with app.app_context():
        for who in [*world.flaggers, world.outsider, world.author]:
            flag_as(who, ItemType.POST, world.reply_id)
        assert s.state_of(Post, world.reply_id) == Visibility.VISIBLE
        assert s.review_of(ItemType.POST, world.reply_id).open_flags == 5
        assert s.audit_entries(Action.AUTO_HIDE) == []


def test_a_threshold_of_two_hides_at_the_second_flag(app, world):
    app.config["FLAG_HIDE_THRESHOLD"] = 2
    with app.app_context():
        flag_as(world.flaggers[0], ItemType.POST, world.reply_id)
        assert s.state_of(Post, world.reply_id) == Visibility.VISIBLE
        flag_as(world.flaggers[1], ItemType.POST, world.reply_id)
        assert s.state_of(Post, world.reply_id) == Visibility.HIDDEN


def test_comments_are_flagged_and_hidden_the_same_way(app, world):
    with app.app_context():
        with pytest.raises(ValidationFailed, match="You cannot flag your own"):
            flag_as(world.member, ItemType.COMMENT, world.comment_id)
        flag_as(world.flaggers[0], ItemType.COMMENT, world.comment_id)
        with pytest.raises(ValidationFailed, match="already flagged this comment"):
            flag_as(world.flaggers[0], ItemType.COMMENT, world.comment_id)
        flag_as(world.flaggers[1], ItemType.COMMENT, world.comment_id)
        assert s.state_of(Comment, world.comment_id) == Visibility.VISIBLE
        flag_as(world.flaggers[2], ItemType.COMMENT, world.comment_id)
        comment = db.session.get(Comment, world.comment_id)
        db.session.refresh(comment)
        assert comment.state == Visibility.HIDDEN and comment.hidden_reason.startswith("Hidden automatically")
        [entry] = s.audit_entries(Action.AUTO_HIDE)
        assert (entry.actor_id, entry.item_type, entry.item_id) == (None, ItemType.COMMENT, world.comment_id)
        # the post it sits under and the thread's counts are untouched
        assert s.state_of(Post, world.opening_id) == Visibility.VISIBLE
        assert s.thread(world.thread_id).visible_reply_count == 1


def test_flags_after_a_decision_open_the_item_again(app, world):
    with app.app_context():
        flag_as(world.flaggers[0], ItemType.POST, world.reply_id)
        actions.approve(s.post_item(world.reply_id), s.user(world.parks_mod))
        assert s.review_of(ItemType.POST, world.reply_id).status == ReviewStatus.RESOLVED
        flag_as(world.flaggers[1], ItemType.POST, world.reply_id)
        review = s.review_of(ItemType.POST, world.reply_id)
        assert (review.status, review.open_flags) == (ReviewStatus.PENDING, 1)


# What flaggers see


def outcomes(who: s.Person) -> list[tuple[str, str]]:
    page = flags.my_flags(s.user(who), 1, 20)
    return [(entry.flag.outcome_label, entry.item.thread.title if entry.item else "") for entry in page.items]


def test_flaggers_see_their_flags_dismissed_when_a_moderator_keeps_the_item(app, world):
    with app.app_context():
        flag_as(world.flaggers[0], ItemType.POST, world.reply_id)
        flag_as(world.flaggers[1], ItemType.POST, world.reply_id)
        assert outcomes(world.flaggers[0]) == [("Waiting for a moderator", "Benches by the pond")]
        actions.approve(s.post_item(world.reply_id), s.user(world.parks_mod))
        for who in world.flaggers[:2]:
            [(label, _title)] = outcomes(who)
            assert label == "A moderator reviewed it and kept it"
        assert db.session.scalar(select(Flag.outcome).where(Flag.flagger_id == world.flaggers[0].id)) == \
            Outcome.DISMISSED
        assert outcomes(world.flaggers[2]) == []


def test_flaggers_see_their_flags_upheld_when_a_moderator_hides_the_item(app, world):
    with app.app_context():
        flag_as(world.flaggers[0], ItemType.COMMENT, world.comment_id)
        actions.hide(s.comment_item(world.comment_id), s.user(world.sitemod), "Personal information")
        [(label, _title)] = outcomes(world.flaggers[0])
        assert label == "A moderator agreed and hid it"


def test_flags_hidden_automatically_are_upheld_or_dismissed_by_the_review(app, world):
    with app.app_context():
        for who in world.flaggers:
            flag_as(who, ItemType.POST, world.reply_id)
        assert outcomes(world.flaggers[0])[0][0] == "Waiting for a moderator"
        actions.approve(s.post_item(world.reply_id), s.user(world.parks_mod))
        assert s.state_of(Post, world.reply_id) == Visibility.VISIBLE
        assert outcomes(world.flaggers[2])[0][0] == "A moderator reviewed it and kept it"
        [entry] = s.audit_entries(Action.RESTORE)
        assert entry.actor_id == world.parks_mod.id


def test_many_people_flagging_at_once_hide_the_item_once(app, world):
    with app.app_context():
        before = s.counts(world.parks_id)

    def job(who):
        def run():
            with app.app_context():
                flag_as(who, ItemType.POST, world.reply_id, "spam")
                return "flagged"
        return run

    people = [*world.flaggers, world.outsider, world.author, world.newcomer]
    assert all_at_once([job(w) for w in people]) == ["flagged"] * len(people)
    with app.app_context():
        assert s.state_of(Post, world.reply_id) == Visibility.HIDDEN
        assert len(s.audit_entries(Action.AUTO_HIDE)) == 1
        assert s.review_of(ItemType.POST, world.reply_id).open_flags == len(people)
        assert s.thread(world.thread_id).visible_reply_count == 0
        assert s.counts(world.parks_id) == (before[0], before[1] - 1)
