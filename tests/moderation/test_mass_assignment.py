"""Fields a form does not offer cannot be set by adding them to a request (a resident posting ``state=visible``,
``hidden=0``, ``pinned=1``, ``locked=yes`` or ``role=admin`` changes nothing), and ids in URLs are checked
against the person: editing or withdrawing someone else's post by changing the id is a 403."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.extensions import db
from forum.moderation.models import Flag, ItemType
from forum.moderation.services import actions
from forum.threads.models import Comment, Post, Thread, Visibility
from tests.moderation import support as s

SNEAKY = {"state": "visible", "hidden": "0", "held": "0", "pinned": "1", "locked": "yes", "role": "admin",
          "author_id": "1", "group_id": "999", "thread_id": "999", "hidden_reason": "", "visible_reply_count": "99",
          "number": "1", "post_count": "0"}


@pytest.fixture
def world(app):
    world = s.make_world(app)
    app.config["PREMODERATE_FIRST_POSTS"] = 2
    return world


def test_a_new_residents_thread_stays_held_unpinned_and_unlocked_whatever_is_posted(app, client, world):
    s.sign_in(client, world.newcomer)
    response = client.post(f"/groups/{world.parks_slug}/threads/new",
                           data={"title": "Sneaky thread", "body": "Let me skip the queue.", "tags": "", **SNEAKY})
    assert response.status_code == 302
    with app.app_context():
        thread = db.session.scalar(select(Thread).where(Thread.title == "Sneaky thread"))
        assert (thread.state, thread.pinned, thread.locked) == (Visibility.HELD, False, False)
        assert (thread.group_id, thread.author_id, thread.visible_reply_count) == (world.parks_id,
                                                                                  world.newcomer.id, 0)
        assert s.first_post(thread.id).state == Visibility.HELD
        assert s.review_of(ItemType.POST, s.first_post(thread.id).id).held
        assert s.user(world.newcomer).role == "resident"
        assert s.counts(world.parks_id) == (1, 2)


def test_a_reply_and_a_comment_stay_held_whatever_is_posted(app, client, world):
    s.sign_in(client, world.newcomer)
    assert client.post(f"/threads/{world.thread_id}/reply", data={"body": "Sneaky reply.", **SNEAKY}).status_code \
        == 302
    assert client.post(f"/posts/{world.opening_id}/comments",
                       data={"body": "Sneaky comment.", **SNEAKY}).status_code == 302
    with app.app_context():
        post = db.session.scalar(select(Post).where(Post.body_source == "Sneaky reply."))
        comment = db.session.scalar(select(Comment).where(Comment.body_source == "Sneaky comment."))
        assert (post.state, post.author_id, post.thread_id, post.number) == (Visibility.HELD, world.newcomer.id,
                                                                             world.thread_id, 3)
        assert (comment.state, comment.author_id, comment.post_id) == (Visibility.HELD, world.newcomer.id,
                                                                       world.opening_id)
        thread = s.thread(world.thread_id)
        assert (thread.visible_reply_count, thread.pinned, thread.locked) == (1, False, False)
        assert s.user(world.newcomer).role == "resident"


def test_editing_a_hidden_post_with_state_visible_still_sends_it_for_review(app, client, world):
    with app.app_context():
        actions.hide(s.post_item(world.reply_id), s.user(world.parks_mod), "Rude")
    s.sign_in(client, world.member)
    response = client.post(f"/posts/{world.reply_id}/edit", data={"body": "Kinder words.", **SNEAKY})
    assert response.status_code == 302
    with app.app_context():
        post = db.session.get(Post, world.reply_id)
        assert (post.state, post.body_source, post.thread_id, post.number) == (
            Visibility.HELD, "Kinder words.", world.thread_id, 2)
        assert post.hidden_reason == "Rude"  # the moderator's reason stays for the next review
        assert s.thread(world.thread_id).visible_reply_count == 0
        assert s.user(world.member).role == "resident"


def test_editing_a_hidden_opening_post_cannot_pin_lock_or_publish_the_thread(app, client, world):
    with app.app_context():
        actions.hide(s.post_item(world.opening_id), s.user(world.parks_mod), "Advertising")
    s.sign_in(client, world.author)
    client.post(f"/posts/{world.opening_id}/edit",
                data={"title": "Benches by the pond", "body": "No adverts now.", "tags": "benches", **SNEAKY})
    with app.app_context():
        thread = s.thread(world.thread_id)
        assert (thread.state, thread.pinned, thread.locked, thread.group_id) == (
            Visibility.HELD, False, False, world.parks_id)
        assert s.counts(world.parks_id) == (0, 0)


def test_a_flag_cannot_be_given_an_outcome_or_another_flagger(app, client, world):
    s.sign_in(client, world.flaggers[0])
    client.post(f"/community/flag/post/{world.reply_id}",
                data={"reason": "spam", "note": "", "outcome": "upheld", "flagger_id": str(world.admin.id),
                      "resolved_at": "2020-01-01"})
    with app.app_context():
        [flag] = db.session.scalars(select(Flag)).all()
        assert (flag.flagger_id, flag.outcome, flag.resolved_at) == (world.flaggers[0].id, None, None)
        assert s.state_of(Post, world.reply_id) == Visibility.VISIBLE


def test_the_account_form_cannot_make_anyone_an_admin_or_lift_a_suspension(app, client, world):
    with app.app_context():
        from forum.moderation.services import sanctions

        sanctions.suspend(s.user(world.sitemod), s.user(world.member), 7, "Rude")
    s.sign_in(client, world.member)
    client.post("/account", data={"display_name": "Bob Member", "role": "admin", "suspended_until": "",
                                  "suspension_reason": ""})
    with app.app_context():
        member = db.session.get(User, world.member.id)
        assert member.role == "resident" and member.is_suspended and member.suspension_reason == "Rude"


# Ids in URLs


def test_editing_someone_elses_post_by_changing_the_id_is_a_403(app, client, world):
    s.sign_in(client, world.author)
    assert client.get(f"/posts/{world.reply_id}/edit").status_code == 403
    response = client.post(f"/posts/{world.reply_id}/edit", data={"body": "Words put in Bob's mouth."})
    assert response.status_code == 403
    s.sign_in(client, world.parks_mod)  # moderators hide; they do not rewrite people's words
    assert client.post(f"/posts/{world.reply_id}/edit", data={"body": "Moderated words."}).status_code == 403
    with app.app_context():
        post = db.session.get(Post, world.reply_id)
        assert (post.body_source, post.revision_count) == ("I agree about the benches.", 1)


def test_withdrawing_someone_elses_post_or_comment_by_changing_the_id_is_a_403(app, client, world):
    s.sign_in(client, world.author)
    assert client.post(f"/posts/{world.reply_id}/withdraw").status_code == 403
    assert client.post(f"/posts/comments/{world.comment_id}/withdraw").status_code == 403
    s.sign_in(client, world.sitemod)
    assert client.post(f"/posts/{world.reply_id}/withdraw").status_code == 403
    with app.app_context():
        assert db.session.get(Post, world.reply_id).withdrawn_at is None
        assert db.session.get(Comment, world.comment_id).withdrawn_at is None
        assert s.thread(world.thread_id).visible_reply_count == 1


def test_someone_elses_private_or_held_post_by_id_is_a_404_not_a_403(app, client, world):
    with app.app_context():
        from forum.threads import services as thread_services

        held = thread_services.reply(s.thread(world.thread_id), s.user(world.newcomer), "Held words.")
        held_id = held.id
    s.sign_in(client, world.outsider)
    for post_id in (world.private_post_id, held_id):
        assert client.get(f"/posts/{post_id}/edit").status_code == 404
        assert client.post(f"/posts/{post_id}/edit", data={"body": "x"}).status_code == 404
        assert client.post(f"/posts/{post_id}/withdraw").status_code == 404
    with app.app_context():
        assert db.session.get(Post, held_id).withdrawn_at is None
        assert db.session.get(Post, world.private_post_id).body_source == "Secret numbers."
