"""Who is told about a new post or comment, and who is not (forum.notifications.tasks.fan_out)."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.notifications.models import Notification
from tests.notifications.support import kinds_of, make_world, notes
from tests.people import sign_in


@pytest.fixture
def world(app):
    return make_world(app)


def reply(client, who, thread_id, body, **data):
    sign_in(client, who)
    response = client.post(f"/threads/{thread_id}/reply", data={"body": body, **data})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def test_a_reply_tells_the_thread_author_once_and_never_the_writer(app, client, world):
    reply(client, world.member, world.thread_id, "Good idea.")
    assert kinds_of(app, world.author) == ["reply_to_thread"]
    assert kinds_of(app, world.member) == []


def test_writing_in_a_thread_watches_it(app, client, world):
    reply(client, world.member, world.thread_id, "First.")
    reply(client, world.other, world.thread_id, "Second.")
    assert kinds_of(app, world.member) == ["watched_thread_post"]
    assert kinds_of(app, world.author) == ["reply_to_thread", "reply_to_thread"]


def test_a_quote_is_more_specific_than_a_reply(app, client, world):
    reply(client, world.member, world.thread_id, "Quoting.", quote=str(world.opening_post_id))
    assert kinds_of(app, world.author) == ["quote"]


def test_a_mention_wins_and_gets_through_a_mute(app, client, world):
    sign_in(client, world.other)
    client.post(f"/notifications/watch/threads/{world.thread_id}", data={"level": "muted"})
    reply(client, world.member, world.thread_id, "Ask @carol-other, and @nobody-at-all.")
    assert kinds_of(app, world.other) == ["mention"]


def test_a_mention_in_code_is_not_a_mention(app, client, world):
    reply(client, world.member, world.thread_id, "Type `@carol-other` to mention.")
    assert kinds_of(app, world.other) == []


def test_mentioning_someone_who_cannot_read_the_group_tells_nobody(app, client, world):
    reply(client, world.member, world.private_thread_id, "What does @olive-outsider think?")
    assert kinds_of(app, world.outsider) == []
    assert kinds_of(app, world.author) == ["reply_to_thread"]


def test_a_comment_tells_the_post_author(app, client, world):
    sign_in(client, world.member)
    response = client.post(f"/posts/{world.opening_post_id}/comments", data={"body": "Nice."})
    assert response.status_code == 302
    assert kinds_of(app, world.author) == ["reply_to_post"]
    with app.app_context():
        note = db.session.scalar(db.select(Notification).where(Notification.recipient_id == world.author.id))
        assert note.comment_id is not None and note.url.endswith(f"#comment-{note.comment_id}")


def test_muting_a_thread_silences_replies(app, client, world):
    sign_in(client, world.author)
    client.post(f"/notifications/watch/threads/{world.thread_id}", data={"level": "muted"})
    reply(client, world.member, world.thread_id, "Hello?")
    assert kinds_of(app, world.author) == []


def test_watching_a_group_tells_of_new_threads_only_muting_it_silences(app, client, world):
    sign_in(client, world.other)
    client.post(f"/notifications/watch/groups/{world.group_slug}", data={"level": "watching"})
    sign_in(client, world.member)
    client.post(f"/groups/{world.group_slug}/threads/new", data={"title": "Bins", "body": "More bins."})
    assert kinds_of(app, world.other) == ["watched_group_thread"]
    sign_in(client, world.author)
    client.post(f"/notifications/watch/groups/{world.group_slug}", data={"level": "muted"})
    sign_in(client, world.member)
    client.post(f"/groups/{world.group_slug}/threads/new", data={"title": "Trees", "body": "More trees."})
    assert kinds_of(app, world.author) == []


def test_a_held_post_tells_nobody_until_approved_then_its_author_and_the_thread(app, client, world):
    with app.app_context():
        from forum.groups.models import Group

        db.session.get(Group, world.group_id).premoderated = True
    reply(client, world.member, world.thread_id, "Held for now.")
    assert notes(app) == []
    with app.app_context():
        from forum.threads.models import Post

        held = db.session.scalar(db.select(Post).where(Post.thread_id == world.thread_id, Post.number == 2))
        held_id = held.id
    sign_in(client, world.moderator)
    response = client.post(f"/moderation/items/post/{held_id}/approve")
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
    assert kinds_of(app, world.author) == ["reply_to_thread"]
    assert kinds_of(app, world.member) == ["held_approved"]


def test_a_post_hidden_before_the_job_runs_tells_nobody(app, world):
    from forum.accounts.models import User
    from forum.notifications import tasks
    from forum.threads import services as thread_services
    from forum.threads import visibility
    from forum.threads.models import Thread, Visibility

    with app.app_context():
        thread = db.session.get(Thread, world.thread_id)
        post = thread_services.reply(thread, db.session.get(User, world.member.id), "Soon hidden.")
        visibility.change_post(post, state=Visibility.HIDDEN, reason="Off topic")
        post_id = post.id
    with app.app_context():
        db.session.execute(db.delete(Notification))
    with app.app_context():
        assert tasks.fan_out("post", post_id) == 0
    assert notes(app) == []


def test_a_deleted_account_is_told_nothing(app, client, world):
    from forum.accounts.models import User
    from forum.common.timefmt import utcnow

    with app.app_context():
        db.session.get(User, world.author.id).deleted_at = utcnow()
    reply(client, world.member, world.thread_id, "Anyone?")
    assert kinds_of(app, world.author) == []


def test_a_watcher_who_cannot_read_the_private_group_is_told_nothing(app, client, world):
    from forum.notifications import services

    with app.app_context():
        from forum.accounts.models import User

        services.set_watch(db.session.get(User, world.outsider.id), "watching", thread_id=world.private_thread_id)
        services.set_watch(db.session.get(User, world.moderator.id), "watching", thread_id=world.private_thread_id)
    reply(client, world.member, world.private_thread_id, "Only for us.")
    assert kinds_of(app, world.outsider) == []
    assert kinds_of(app, world.moderator) == ["watched_thread_post"]  # site moderators read every group
    assert kinds_of(app, world.author) == ["reply_to_thread"]
