"""Pre-moderation: a new account's first posts and comments, and every post in a pre-moderated group, wait in
the queue; their author sees them, nobody else does; approving publishes them and puts every count right."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.groups.models import MemberRole
from forum.moderation.models import ItemType, Outcome, ReviewStatus
from forum.moderation.services import actions, queue, review
from forum.threads import listings
from forum.threads import services as thread_services
from forum.threads.models import Comment, Post, Thread, Visibility
from tests import factories
from tests.moderation import support as s


@pytest.fixture
def world(app):
    world = s.make_world(app)
    app.config["PREMODERATE_FIRST_POSTS"] = 2  # after the world is made, so its own posts are published
    return world


def start(who: s.Person, group_id: int, title: str = "Potholes on Mill Lane", body: str = "Three deep ones.",
          tags: str = "roads") -> Thread:
    return thread_services.start_thread(s.group(group_id), s.user(who), title, body, tags)


def reply(who: s.Person, thread_id: int, body: str) -> Post:
    return thread_services.reply(s.thread(thread_id), s.user(who), body)


def test_a_new_accounts_first_two_posts_are_held_and_queued_the_third_after_approval_is_not(app, world):
    with app.app_context():
        thread = start(world.newcomer, world.parks_id)
        first = s.first_post(thread.id)
        second = reply(world.newcomer, world.thread_id, "My second post.")
        assert (thread.state, first.state, second.state) == (Visibility.HELD,) * 3
        for post in (first, second):
            review = s.review_of(ItemType.POST, post.id)
            assert (review.status, review.held, review.open_flags) == (ReviewStatus.PENDING, True, 0)
            assert (review.group_id, review.author_id) == (world.parks_id, world.newcomer.id)
        # still held while the first two wait: nothing is published yet
        third = reply(world.newcomer, world.thread_id, "A third, before any approval.")
        assert third.state == Visibility.HELD
        moderator = s.user(world.parks_mod)
        assert actions.approve(s.post_item(first.id), moderator) == \
            "Approved and published the thread “Potholes on Mill Lane”."
        actions.approve(s.post_item(second.id), moderator)
        fourth = reply(world.newcomer, world.thread_id, "Now I am trusted.")
        assert fourth.state == Visibility.VISIBLE
        assert s.review_of(ItemType.POST, fourth.id) is None
        assert s.review_of(ItemType.POST, first.id).outcome == Outcome.APPROVED


def test_every_app_connects_the_queue_to_threads_yet_a_held_post_is_queued_once(app, world, monkeypatch):
    review.connect_signals()  # as create_app does again for each app a process builds
    queued, open_review = [], review.open_review

    def counted(*args, **kwargs):
        queued.append(args)
        return open_review(*args, **kwargs)

    monkeypatch.setattr(review, "open_review", counted)
    with app.app_context():
        held = reply(world.newcomer, world.thread_id, "My first post.")
        assert held.state == Visibility.HELD
        assert queued == [(ItemType.POST, held.id, world.parks_id, world.thread_id, world.newcomer.id)]


def test_comments_are_held_and_count_towards_the_first_posts(app, world):
    with app.app_context():
        opening = db.session.get(Post, world.opening_id)
        comment = thread_services.add_comment(opening, s.user(world.newcomer), "A first comment.")
        assert comment.state == Visibility.HELD
        assert s.review_of(ItemType.COMMENT, comment.id).held
        actions.approve(s.comment_item(comment.id), s.user(world.parks_mod))
        post = reply(world.newcomer, world.thread_id, "Second contribution.")
        assert post.state == Visibility.HELD
        actions.approve(s.post_item(post.id), s.user(world.parks_mod))
        later = thread_services.add_comment(opening, s.user(world.newcomer), "Third contribution.")
        assert later.state == Visibility.VISIBLE


def test_staff_and_group_moderators_are_never_held(app, world):
    with app.app_context():
        fresh_mod = s.new_account("Fresh Groupmod")
        factories.add_member(s.group(world.parks_id), s.user(fresh_mod), role=MemberRole.MODERATOR)
        officer = s.person(factories.make_user("Olga Officer", role="civil_servant"))
        s.group(world.parks_id).premoderated = True
        db.session.commit()
        for who in (fresh_mod, world.sitemod, world.admin):
            thread = start(who, world.parks_id, title=f"Notice from {who.name}", body=f"Posted by {who.name}.")
            assert thread.state == Visibility.VISIBLE, who.name
        factories.add_member(s.group(world.parks_id), s.user(officer))
        assert start(officer, world.parks_id, title="Council notice", body="From the council.").state == \
            Visibility.VISIBLE


def test_a_premoderated_group_holds_every_members_post_however_many_they_have_made(app, world):
    app.config["PREMODERATE_FIRST_POSTS"] = 0
    with app.app_context():
        s.group(world.transport_id).premoderated = True
        db.session.commit()
        for n in range(3):
            thread = start(world.author, world.transport_id, title=f"Buses {n}", body=f"Bus number {n}.")
            assert thread.state == Visibility.HELD
        assert reply(world.member, world.thread_id, "Parks is not pre-moderated.").state == Visibility.VISIBLE
        assert start(world.transport_mod, world.transport_id, title="Timetable", body="New times.").state == \
            Visibility.VISIBLE
        page = queue.queue_page(s.user(world.transport_mod), 1, 20, kind="held")
        assert [e.item.thread.title for e in page.items] == ["Buses 0", "Buses 1", "Buses 2"]


def test_a_held_thread_is_in_no_list_and_only_its_author_and_moderators_can_open_it(app, client, world):
    with app.app_context():
        thread = start(world.newcomer, world.parks_id, title="Held thread title", body="Held opening words.",
                       tags="heldtag")
        thread_id = thread.id
    for who in (None, world.member, world.outsider, world.newcomer, world.parks_mod):
        if who:
            s.sign_in(client, who)
        else:
            s.sign_out(client)
        for url in ("/", f"/groups/{world.parks_slug}/", "/tags/", "/users/nina-newcomer/"):
            text = s.page(client.get(url))
            assert "Held thread title" not in text and "heldtag" not in text, (who, url)
        tag_page = client.get("/tags/heldtag/")
        if who in (world.newcomer, world.parks_mod):  # the held thread's page links the tag: never a 404
            assert tag_page.status_code == 200
            text = s.page(tag_page)
            assert "Nothing you can see carries this tag" in text and "Held thread title" not in text
        else:  # a tag only on someone else's held thread is that thread's content: not told
            assert tag_page.status_code == 404
        response = client.get(f"/threads/{thread_id}/")
        if who in (world.newcomer, world.parks_mod):
            assert response.status_code == 200
            text = s.page(response)
            assert "Held thread title" in text and "Held opening words." in text
        else:
            assert response.status_code == 404
            assert "Held thread title" not in s.page(response) and "Held opening words." not in s.page(response)


def test_approving_a_held_thread_publishes_it_and_fixes_every_count(app, client, world):
    with app.app_context():
        before = s.counts(world.parks_id)
        thread = start(world.newcomer, world.parks_id, title="Held thread title", body="Held opening words.")
        thread_id, opening_id = thread.id, s.first_post(thread.id).id
        # a moderator answers it while it waits (moderators are never held), and the author adds a reply
        mod_reply = reply(world.parks_mod, thread_id, "Thanks, we will look.")
        assert mod_reply.state == Visibility.VISIBLE
        held_reply = reply(world.newcomer, thread_id, "One more thing.")
        assert held_reply.state == Visibility.HELD
        assert s.counts(world.parks_id) == before
        actions.approve(s.post_item(opening_id), s.user(world.parks_mod))
        published = s.thread(thread_id)
        assert published.state == Visibility.VISIBLE
        assert published.visible_reply_count == 1
        assert published.last_post_author_id == world.parks_mod.id
        assert s.counts(world.parks_id) == (before[0] + 1, before[1] + 2)
        actions.approve(s.post_item(held_reply.id), s.user(world.parks_mod))
        published = s.thread(thread_id)
        assert published.visible_reply_count == 2
        assert published.last_post_author_id == world.newcomer.id
        assert s.counts(world.parks_id) == (before[0] + 1, before[1] + 3)
        # the counts agree with the posts themselves
        shown = db.session.scalar(
            select(db.func.count(Post.id)).where(Post.thread_id == thread_id, Post.state == Visibility.VISIBLE,
                                                  Post.withdrawn_at.is_(None), Post.number > 1))
        assert shown == published.visible_reply_count
    s.sign_in(client, world.outsider)
    assert "Held thread title" in s.page(client.get(f"/groups/{world.parks_slug}/"))
    assert client.get(f"/threads/{thread_id}/").status_code == 200


def test_approving_a_held_reply_counts_it_and_names_its_author_last(app, world):
    with app.app_context():
        before = s.counts(world.parks_id)
        held = reply(world.newcomer, world.thread_id, "A held reply.")
        thread = s.thread(world.thread_id)
        assert (thread.visible_reply_count, thread.last_post_author_id) == (1, world.member.id)
        assert [t.reply_count for t in listings.group_threads(s.group(world.parks_id), 1, 20).items] == [1]
        actions.approve(s.post_item(held.id), s.user(world.sitemod))
        thread = s.thread(world.thread_id)
        assert (thread.visible_reply_count, thread.last_post_author_id) == (2, world.newcomer.id)
        assert s.counts(world.parks_id) == (before[0], before[1] + 1)


def test_a_held_comment_is_shown_to_its_author_only_until_approved(app, client, world):
    with app.app_context():
        comment = thread_services.add_comment(db.session.get(Post, world.opening_id), s.user(world.newcomer),
                                              "A held comment text.")
        comment_id = comment.id
    s.sign_in(client, world.member)
    assert "A held comment text." not in s.page(client.get(f"/threads/{world.thread_id}/"))
    s.sign_in(client, world.newcomer)
    assert "A held comment text." in s.page(client.get(f"/threads/{world.thread_id}/"))
    with app.app_context():
        actions.approve(s.comment_item(comment_id), s.user(world.parks_mod))
        assert s.state_of(Comment, comment_id) == Visibility.VISIBLE
    s.sign_in(client, world.member)
    assert "A held comment text." in s.page(client.get(f"/threads/{world.thread_id}/"))
