"""Approve, hide and restore (forum.moderation.services.actions): each audited, each refused outside the
moderator's groups, a stale action told what happened, bulk actions all-or-nothing on scope, and a hidden post
its author edits going back to the queue."""

from __future__ import annotations

import pytest

from forum.audit.models import Action
from forum.common.errors import PermissionDenied, ValidationFailed
from forum.extensions import db
from forum.moderation.models import ItemType, Outcome, ReviewStatus
from forum.moderation.services import actions, queue
from forum.moderation.services.actions import AlreadyDone
from forum.threads import services as thread_services
from forum.threads.models import Comment, Post, Thread, Visibility
from tests.budgeting.test_voting_concurrency import all_at_once
from tests.moderation import support as s


@pytest.fixture
def world(app):
    return s.make_world(app)


def entry_facts(entry) -> tuple:
    return entry.actor_id, entry.action, entry.item_type, entry.item_id, entry.group_id, entry.subject_id, entry.reason


def test_hide_then_restore_a_reply_each_audited_with_who_what_where_and_why(app, world):
    with app.app_context():
        moderator = s.user(world.parks_mod)
        before = s.counts(world.parks_id)
        message = actions.hide(s.post_item(world.reply_id), moderator, "  Shares a phone number.  ")
        assert message.startswith("Hid post 2 in “Benches by the pond”.")
        post = db.session.get(Post, world.reply_id)
        assert (post.state, post.hidden_reason) == (Visibility.HIDDEN, "Shares a phone number.")
        assert s.counts(world.parks_id) == (before[0], before[1] - 1)
        assert s.thread(world.thread_id).visible_reply_count == 0
        assert s.thread(world.thread_id).last_post_author_id == world.author.id
        [hidden] = s.audit_entries(Action.HIDE)
        assert entry_facts(hidden) == (world.parks_mod.id, Action.HIDE, ItemType.POST, world.reply_id,
                                       world.parks_id, world.member.id, "Shares a phone number.")
        assert actions.restore(s.post_item(world.reply_id), moderator) == \
            "Restored post 2 in “Benches by the pond”."
        assert s.state_of(Post, world.reply_id) == Visibility.VISIBLE
        assert s.counts(world.parks_id) == before
        assert s.thread(world.thread_id).last_post_author_id == world.member.id
        [restored] = s.audit_entries(Action.RESTORE)
        assert entry_facts(restored)[:6] == (world.parks_mod.id, Action.RESTORE, ItemType.POST, world.reply_id,
                                             world.parks_id, world.member.id)


def test_hiding_an_opening_post_hides_the_thread_and_restoring_brings_it_back(app, world):
    with app.app_context():
        before = s.counts(world.parks_id)
        actions.hide(s.post_item(world.opening_id), s.user(world.sitemod), "Advertising")
        assert s.state_of(Thread, world.thread_id) == Visibility.HIDDEN
        assert s.counts(world.parks_id) == (before[0] - 1, before[1] - 2)
        actions.restore(s.post_item(world.opening_id), s.user(world.sitemod))
        assert s.state_of(Thread, world.thread_id) == Visibility.VISIBLE
        assert s.counts(world.parks_id) == before


def test_approving_a_held_post_is_audited_as_approved(app, world):
    app.config["PREMODERATE_FIRST_POSTS"] = 1
    with app.app_context():
        held = thread_services.reply(s.thread(world.thread_id), s.user(world.newcomer), "Held words.")
        assert actions.approve(s.post_item(held.id), s.user(world.parks_mod)) == \
            "Approved and published post 3 in “Benches by the pond”."
        [entry] = s.audit_entries(Action.APPROVE)
        assert entry_facts(entry)[:6] == (world.parks_mod.id, Action.APPROVE, ItemType.POST, held.id,
                                          world.parks_id, world.newcomer.id)
        review = s.review_of(ItemType.POST, held.id)
        assert (review.status, review.outcome, review.resolved_by_id) == (
            ReviewStatus.RESOLVED, Outcome.APPROVED, world.parks_mod.id)


def test_approving_a_flagged_visible_post_keeps_it_and_is_audited_as_flags_dismissed(app, world):
    with app.app_context():
        s.flag_as(world.flaggers[0], ItemType.COMMENT, world.comment_id)
        assert actions.approve(s.comment_item(world.comment_id), s.user(world.parks_mod)).startswith("Kept a comment")
        [entry] = s.audit_entries(Action.DISMISS_FLAGS)
        assert (entry.item_type, entry.item_id, entry.actor_id) == (ItemType.COMMENT, world.comment_id,
                                                                    world.parks_mod.id)


def test_hiding_needs_a_reason(app, world):
    with app.app_context():
        for reason in ("", "   ", None):
            with pytest.raises(ValidationFailed) as refused:
                actions.hide(s.post_item(world.reply_id), s.user(world.parks_mod), reason)
            assert (refused.value.field, refused.value.message) == ("reason", "Enter a reason: the person will see it")
        with pytest.raises(ValidationFailed, match="1,000 characters or fewer"):
            actions.hide(s.post_item(world.reply_id), s.user(world.parks_mod), "x" * 1001)
        assert s.state_of(Post, world.reply_id) == Visibility.VISIBLE
        assert s.audit_entries() == []


def test_hiding_what_someone_else_just_hid_says_who_did_it(app, world):
    with app.app_context():
        actions.hide(s.post_item(world.reply_id), s.user(world.parks_mod), "Rude")
        with pytest.raises(AlreadyDone) as already:
            actions.hide(s.post_item(world.reply_id), s.user(world.sitemod), "Also rude")
        assert already.value.message.startswith(
            "Post 2 in “Benches by the pond” is already hidden (hid by Pat Parksmod")
        assert len(s.audit_entries(Action.HIDE)) == 1
        assert db.session.get(Post, world.reply_id).hidden_reason == "Rude"


def test_approving_what_is_already_published_says_so(app, world):
    with app.app_context():
        already_published = "Nothing to approve: post 2 in “Benches by the pond” is already published"
        with pytest.raises(AlreadyDone, match=already_published):
            actions.approve(s.post_item(world.reply_id), s.user(world.parks_mod))
        s.flag_as(world.flaggers[0], ItemType.POST, world.reply_id)
        actions.approve(s.post_item(world.reply_id), s.user(world.parks_mod))
        with pytest.raises(AlreadyDone) as already:
            actions.approve(s.post_item(world.reply_id), s.user(world.sitemod))
        assert "(dismissed flags by Pat Parksmod" in already.value.message
        with pytest.raises(AlreadyDone, match="is not hidden"):
            actions.restore(s.post_item(world.reply_id), s.user(world.sitemod))


def test_a_moderator_of_another_group_and_a_resident_are_refused(app, world):
    with app.app_context():
        for who in (world.transport_mod, world.member, world.author):
            for act in (
                lambda u: actions.hide(s.post_item(world.reply_id), u, "Rude"),
                lambda u: actions.approve(s.post_item(world.reply_id), u),
                lambda u: actions.restore(s.post_item(world.reply_id), u),
                lambda u: actions.hide(s.comment_item(world.comment_id), u, "Rude"),
            ):
                with pytest.raises(PermissionDenied, match="Only moderators of “Parks” can do that."):
                    act(s.user(who))
        assert s.state_of(Post, world.reply_id) == Visibility.VISIBLE
        assert s.audit_entries() == []


def test_bulk_approve_and_hide_act_on_every_item_and_report_those_already_done(app, world):
    with app.app_context():
        other = thread_services.reply(s.thread(world.thread_id), s.user(world.author), "Another reply.")
        for post_id in (world.reply_id, other.id):
            s.flag_as(world.flaggers[0], ItemType.POST, post_id)
        actions.hide(s.post_item(other.id), s.user(world.sitemod), "Spam")
        items = [s.post_item(world.reply_id), s.post_item(other.id), s.comment_item(world.comment_id)]
        done, skipped = actions.bulk(items, s.user(world.parks_mod), "hide", "Off-topic")
        assert len(done) == 2 and len(skipped) == 1
        assert skipped[0].startswith("Post 3 in “Benches by the pond” is already hidden (hid by Sam Sitemod")
        assert s.state_of(Post, world.reply_id) == s.state_of(Comment, world.comment_id) == Visibility.HIDDEN
        done, skipped = actions.bulk(
            [s.post_item(world.reply_id), s.comment_item(world.comment_id)], s.user(world.parks_mod), "approve")
        assert len(done) == 2 and skipped == []
        assert s.state_of(Post, world.reply_id) == s.state_of(Comment, world.comment_id) == Visibility.VISIBLE


def test_bulk_with_one_item_outside_the_moderators_groups_refuses_the_whole_batch(app, world):
    with app.app_context():
        elsewhere = thread_services.start_thread(s.group(world.transport_id), s.user(world.author), "Buses",
                                                 "Late buses.")
        opening = s.first_post(elsewhere.id)
        for post_id in (world.reply_id, opening.id):
            s.flag_as(world.flaggers[0], ItemType.POST, post_id)
        for action in ("hide", "approve"):
            with pytest.raises(PermissionDenied, match="Only moderators of “Transport”"):
                actions.bulk([s.post_item(world.reply_id), s.post_item(opening.id)], s.user(world.parks_mod),
                             action, "Off-topic")
        assert s.state_of(Post, world.reply_id) == Visibility.VISIBLE
        assert s.review_of(ItemType.POST, world.reply_id).status == ReviewStatus.PENDING
        assert s.audit_entries() == []


def test_bulk_needs_an_action_items_and_for_hiding_a_reason(app, world):
    with app.app_context():
        moderator = s.user(world.parks_mod)
        with pytest.raises(ValidationFailed, match="Choose what to do"):
            actions.bulk([s.post_item(world.reply_id)], moderator, "delete")
        with pytest.raises(ValidationFailed, match="Select at least one item"):
            actions.bulk([], moderator, "approve")
        with pytest.raises(ValidationFailed, match="Enter a reason"):
            actions.bulk([s.post_item(world.reply_id)], moderator, "hide", " ")
        assert s.state_of(Post, world.reply_id) == Visibility.VISIBLE


def test_a_hidden_post_its_author_edits_goes_back_to_the_queue_still_unseen_by_others(app, client, world):
    with app.app_context():
        actions.hide(s.post_item(world.reply_id), s.user(world.parks_mod), "Please remove the address.")
    s.sign_in(client, world.member)
    text = s.page(client.get(f"/threads/{world.thread_id}/"))
    assert "Please remove the address." in text  # the author sees the moderator's reason
    response = client.post(f"/posts/{world.reply_id}/edit", data={"body": "I agree about the benches (edited)."})
    assert response.status_code == 302
    with app.app_context():
        assert s.state_of(Post, world.reply_id) == Visibility.HELD
        review = s.review_of(ItemType.POST, world.reply_id)
        assert (review.status, review.held) == (ReviewStatus.PENDING, True)
        page = queue.queue_page(s.user(world.parks_mod), 1, 20, kind="held")
        assert [e.item.id for e in page.items] == [world.reply_id]
        assert s.thread(world.thread_id).visible_reply_count == 0
    for who in (world.author, world.outsider):
        s.sign_in(client, who)
        text = s.page(client.get(f"/threads/{world.thread_id}/"))
        assert "I agree about the benches" not in text
    s.sign_out(client)
    assert "I agree about the benches" not in s.page(client.get(f"/threads/{world.thread_id}/"))
    with app.app_context():
        actions.approve(s.post_item(world.reply_id), s.user(world.parks_mod))
        assert s.thread(world.thread_id).visible_reply_count == 1
    assert "I agree about the benches (edited)." in s.page(client.get(f"/threads/{world.thread_id}/"))


def test_of_moderators_hiding_the_same_reply_at_the_same_moment_one_hides_it_the_others_are_told(app, world):
    with app.app_context():
        before = s.counts(world.parks_id)

    def hide_as(who: s.Person):
        def run():
            with app.app_context():
                try:
                    actions.hide(s.post_item(world.reply_id), s.user(who), f"Hidden by {who.name}")
                    return "hidden"
                except AlreadyDone:
                    return "already"
        return run

    for _round in range(3):
        results = all_at_once([hide_as(world.parks_mod), hide_as(world.sitemod), hide_as(world.sitemod2)])
        assert sorted(results) == ["already", "already", "hidden"], results
        with app.app_context():
            assert s.state_of(Post, world.reply_id) == Visibility.HIDDEN
            assert s.thread(world.thread_id).visible_reply_count == 0
            assert s.counts(world.parks_id) == (before[0], before[1] - 1)
            assert len(s.audit_entries(Action.HIDE)) == _round + 1
            actions.restore(s.post_item(world.reply_id), s.user(world.sitemod))
            assert s.thread(world.thread_id).visible_reply_count == 1
            assert s.counts(world.parks_id) == before


def test_replies_made_while_a_thread_is_hidden_count_when_it_is_restored(app, world):
    with app.app_context():
        before = s.counts(world.parks_id)
        actions.hide(s.post_item(world.opening_id), s.user(world.parks_mod), "Checking the facts")
        assert s.counts(world.parks_id) == (before[0] - 1, before[1] - 2)
        thread_services.reply(s.thread(world.thread_id), s.user(world.parks_mod), "We are checking this.")
        thread_services.reply(s.thread(world.thread_id), s.user(world.author), "Here are my sources.")
        assert s.counts(world.parks_id) == (before[0] - 1, before[1] - 2)
        actions.restore(s.post_item(world.opening_id), s.user(world.parks_mod))
        thread = s.thread(world.thread_id)
        assert (thread.visible_reply_count, thread.last_post_author_id) == (3, world.author.id)
        assert s.counts(world.parks_id) == (before[0], before[1] + 2)
