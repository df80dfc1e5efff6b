"""Moderating whole threads (forum.moderation.services.thread_actions): lock, pin, move, retag; each audited,
each refused outside the moderator's groups, a repeated action told it is already done."""

from __future__ import annotations

import pytest

from forum.audit.models import Action
from forum.common.errors import NotFound, PermissionDenied, ValidationFailed
from forum.extensions import db
from forum.moderation.models import ItemType, ReviewItem
from forum.moderation.services import queue, thread_actions
from forum.moderation.services.actions import AlreadyDone
from forum.threads import listings
from forum.threads import services as thread_services
from forum.threads.models import Visibility
from tests import factories
from tests.budgeting.test_voting_concurrency import all_at_once
from tests.moderation import support as s


@pytest.fixture
def world(app):
    return s.make_world(app)


def test_lock_and_unlock_each_audited_and_a_locked_thread_takes_no_replies(app, world):
    with app.app_context():
        moderator = s.user(world.parks_mod)
        assert thread_actions.set_flag(s.thread(world.thread_id), moderator, Action.LOCK) == \
            "Locked “Benches by the pond”."
        with pytest.raises(AlreadyDone, match="“Benches by the pond” is already locked: nothing changed."):
            thread_actions.set_flag(s.thread(world.thread_id), s.user(world.sitemod), Action.LOCK)
        with pytest.raises(PermissionDenied, match="This thread is locked"):
            thread_services.reply(s.thread(world.thread_id), s.user(world.member), "Can I still reply?")
        thread_actions.set_flag(s.thread(world.thread_id), moderator, Action.UNLOCK)
        with pytest.raises(AlreadyDone, match="already unlocked"):
            thread_actions.set_flag(s.thread(world.thread_id), moderator, Action.UNLOCK)
        thread_services.reply(s.thread(world.thread_id), s.user(world.member), "Open again.")
        entries = s.audit_entries()
        assert [(e.action, e.actor_id, e.item_type, e.item_id, e.group_id, e.subject_id) for e in entries] == [
            (Action.LOCK, world.parks_mod.id, "thread", world.thread_id, world.parks_id, world.author.id),
            (Action.UNLOCK, world.parks_mod.id, "thread", world.thread_id, world.parks_id, world.author.id),
        ]


def test_pin_puts_a_thread_first_in_its_group_and_unpin_puts_it_back(app, world):
    with app.app_context():
        factories.make_thread(s.group(world.parks_id), s.user(world.member), title="Newer thread")
        titles = lambda: [t.title for t in listings.group_threads(s.group(world.parks_id), 1, 20).items]  # noqa: E731
        assert titles() == ["Newer thread", "Benches by the pond"]
        thread_actions.set_flag(s.thread(world.thread_id), s.user(world.parks_mod), Action.PIN)
        assert titles() == ["Benches by the pond", "Newer thread"]
        with pytest.raises(AlreadyDone, match="already pinned"):
            thread_actions.set_flag(s.thread(world.thread_id), s.user(world.parks_mod), Action.PIN)
        thread_actions.set_flag(s.thread(world.thread_id), s.user(world.parks_mod), Action.UNPIN)
        assert titles() == ["Newer thread", "Benches by the pond"]
        assert [e.action for e in s.audit_entries()] == [Action.PIN, Action.UNPIN]


def test_thread_actions_are_refused_outside_the_moderators_groups(app, world):
    with app.app_context():
        for who in (world.transport_mod, world.author, world.member):
            for action in (Action.LOCK, Action.PIN):
                with pytest.raises(PermissionDenied, match="Only moderators of “Parks”"):
                    thread_actions.set_flag(s.thread(world.thread_id), s.user(who), action)
            with pytest.raises(PermissionDenied):
                thread_actions.retag(s.thread(world.thread_id), s.user(who), "spam")
            with pytest.raises(PermissionDenied):
                thread_actions.move(s.thread(world.thread_id), s.user(who), world.transport_id)
        with pytest.raises(ValidationFailed, match="Choose an action"):
            thread_actions.set_flag(s.thread(world.thread_id), s.user(world.parks_mod), "delete")
        thread = s.thread(world.thread_id)
        assert (thread.locked, thread.pinned, thread.group_id) == (False, False, world.parks_id)
        assert s.audit_entries() == []


def test_a_private_groups_thread_is_not_found_by_a_moderator_who_cannot_read_it(app, world):
    with app.app_context():
        with pytest.raises(NotFound):
            thread_actions.thread_for_moderation(world.private_thread_id, s.user(world.parks_mod))
        with pytest.raises(PermissionDenied):
            thread_actions.thread_for_moderation(world.thread_id, s.user(world.transport_mod))
        assert thread_actions.thread_for_moderation(world.private_thread_id, s.user(world.sitemod)).id == \
            world.private_thread_id


def test_moving_a_thread_carries_its_counts_and_queue_rows(app, world):
    with app.app_context():
        s.flag_as(world.flaggers[0], ItemType.POST, world.reply_id)
        s.flag_as(world.flaggers[0], ItemType.COMMENT, world.comment_id)
        parks, transport = s.counts(world.parks_id), s.counts(world.transport_id)
        assert parks == (1, 2) and transport == (0, 0)
        message = thread_actions.move(s.thread(world.thread_id), s.user(world.sitemod), world.transport_id,
                                      "Belongs with buses")
        assert message == "Moved “Benches by the pond” from Parks to Transport."
        assert s.counts(world.parks_id) == (0, 0)
        assert s.counts(world.transport_id) == (1, 2)
        assert s.thread(world.thread_id).group_id == world.transport_id
        rows = db.session.scalars(db.select(ReviewItem).where(ReviewItem.thread_id == world.thread_id)).all()
        assert {r.group_id for r in rows} == {world.transport_id} and len(rows) == 2
        # the queue follows: Transport's moderator now sees them, Parks' moderator no longer does
        assert queue.queue_page(s.user(world.parks_mod), 1, 20).total == 0
        assert queue.queue_page(s.user(world.transport_mod), 1, 20).total == 2
        [entry] = s.audit_entries(Action.MOVE)
        assert (entry.actor_id, entry.item_id, entry.group_id, entry.reason, entry.summary) == (
            world.sitemod.id, world.thread_id, world.transport_id, "Belongs with buses",
            "Moved from Parks to Transport")
        assert [t.title for t in listings.group_threads(s.group(world.transport_id), 1, 20).items] == \
            ["Benches by the pond"]
        assert listings.group_threads(s.group(world.parks_id), 1, 20).total == 0


def test_moving_a_hidden_thread_moves_no_counts(app, world):
    with app.app_context():
        from forum.moderation.services import actions

        actions.hide(s.post_item(world.opening_id), s.user(world.sitemod), "Wrong place")
        thread_actions.move(s.thread(world.thread_id), s.user(world.sitemod), world.transport_id)
        assert s.counts(world.parks_id) == (0, 0) and s.counts(world.transport_id) == (0, 0)
        actions.restore(s.post_item(world.opening_id), s.user(world.sitemod))
        assert s.counts(world.transport_id) == (1, 2) and s.counts(world.parks_id) == (0, 0)
        assert s.thread(world.thread_id).state == Visibility.VISIBLE


def test_moving_needs_both_groups_moderated_and_a_real_other_group(app, world):
    with app.app_context():
        with pytest.raises(PermissionDenied, match="Only moderators of “Transport”"):
            thread_actions.move(s.thread(world.thread_id), s.user(world.parks_mod), world.transport_id)
        with pytest.raises(ValidationFailed, match="Choose the group"):
            thread_actions.move(s.thread(world.thread_id), s.user(world.parks_mod), None)
        with pytest.raises(ValidationFailed, match="Choose the group"):
            thread_actions.move(s.thread(world.thread_id), s.user(world.parks_mod), 987654)
        with pytest.raises(AlreadyDone, match="already in Parks"):
            thread_actions.move(s.thread(world.thread_id), s.user(world.parks_mod), world.parks_id)
        assert s.counts(world.parks_id) == (1, 2) and s.thread(world.thread_id).group_id == world.parks_id
        assert s.audit_entries() == []


def test_retag_replaces_the_tags_normalised_and_is_audited(app, world):
    with app.app_context():
        assert thread_actions.retag(s.thread(world.thread_id), s.user(world.parks_mod), "Benches, Seating ") == \
            "Changed the tags of “Benches by the pond”."
        assert [t.name for t in s.thread(world.thread_id).tags] == ["benches", "seating"]
        with pytest.raises(AlreadyDone, match="already has those tags"):
            thread_actions.retag(s.thread(world.thread_id), s.user(world.parks_mod), "seating, benches")
        with pytest.raises(ValidationFailed):
            thread_actions.retag(s.thread(world.thread_id), s.user(world.parks_mod), "a, b, c, d, e, f")
        [entry] = s.audit_entries(Action.RETAG)
        assert (entry.actor_id, entry.item_type, entry.item_id, entry.summary) == (
            world.parks_mod.id, "thread", world.thread_id, "Tags: benches → benches, seating")
        thread_actions.retag(s.thread(world.thread_id), s.user(world.parks_mod), "")
        assert s.thread(world.thread_id).tags == []


def test_moderators_moving_or_locking_a_thread_at_the_same_moment_act_once(app, world):
    def act(who: s.Person, what: str):
        def run():
            with app.app_context():
                try:
                    thread = s.thread(world.thread_id)
                    if what == "move":
                        thread_actions.move(thread, s.user(who), world.transport_id)
                    else:
                        thread_actions.set_flag(thread, s.user(who), Action.LOCK)
                    return "done"
                except AlreadyDone:
                    return "already"
        return run

    for what in ("move", "lock"):
        results = all_at_once([act(who, what) for who in (world.sitemod, world.sitemod2, world.admin)])
        assert sorted(results) == ["already", "already", "done"], (what, results)
    with app.app_context():
        assert s.counts(world.parks_id) == (0, 0) and s.counts(world.transport_id) == (1, 2)
        assert [e.action for e in s.audit_entries()] == [Action.MOVE, Action.LOCK]
