"""Working through the queue: each decision lands on the next item with a banner saying what was done, the last
one on the queue; the item page names its thread; the audit log names what was acted on, in a fixed number of
queries."""

from __future__ import annotations

import pytest

from forum.audit.models import Action
from forum.extensions import db
from forum.moderation.models import ItemType
from forum.moderation.services import actions, sanctions, thread_actions
from forum.threads import services as thread_services
from tests import factories
from tests.moderation import support as s
from tests.query_counting import counting_queries


@pytest.fixture
def world(app):
    world = s.make_world(app)
    with app.app_context():
        s.flag_as(world.flaggers[0], ItemType.COMMENT, world.comment_id, "off_topic")
        s.flag_as(world.flaggers[1], ItemType.POST, world.reply_id, "personal_information", "Her home address")
    return world


def item_url(kind: str, item_id: int, action: str = "") -> str:
    return f"/moderation/items/{kind}/{item_id}" + (f"/{action}" if action else "")


def test_the_queue_shows_personal_information_before_an_older_off_topic_flag(client, world):
    s.sign_in(client, world.sitemod)
    body = s.page(client.get("/moderation/"))
    assert body.index("Post 2 in") < body.index("A comment on post 1 in")
    assert "most harmful first" in body


def test_each_decision_lands_on_the_next_item_and_the_last_on_the_queue(client, world):
    s.sign_in(client, world.parks_mod)
    response = client.post(item_url("post", world.reply_id, "hide"), data={"reason": "Personal information"})
    assert response.headers["Location"].endswith(item_url("comment", world.comment_id))
    body = s.page(client.get(response.headers["Location"]))
    assert "Hid post 2 in “Benches by the pond”" in body and "Here is the next item in the queue." in body
    assert "Review a comment on post 1" in body

    response = client.post(item_url("comment", world.comment_id, "approve"))
    assert response.headers["Location"].endswith("/moderation/")
    body = s.page(client.get(response.headers["Location"]))
    assert "Kept a comment on post 1 in “Benches by the pond”" in body and "Nothing else waits for review." in body
    assert 'id="queue-empty"' in body


def test_what_another_moderator_already_did_is_said_and_the_moderator_still_goes_on(app, client, world):
    with app.app_context():
        actions.hide(s.post_item(world.reply_id), s.user(world.sitemod), "Address")
    s.sign_in(client, world.parks_mod)
    response = client.post(item_url("post", world.reply_id, "hide"), data={"reason": "Address"})
    assert response.headers["Location"].endswith(item_url("comment", world.comment_id))
    body = s.page(client.get(response.headers["Location"]))
    assert "is already hidden (hid by Sam Sitemod" in body


def test_the_item_page_names_its_thread_with_a_link_and_the_thread_tools(client, world):
    s.sign_in(client, world.parks_mod)
    body = s.page(client.get(item_url("comment", world.comment_id)))
    thread_row = body[body.index("> Thread <"):]
    assert f'href="/threads/{world.thread_id}/benches-by-the-pond">Benches by the pond</a>' in thread_row
    assert f'href="/moderation/threads/{world.thread_id}">Thread tools' in thread_row


def some_history(app, world: s.World) -> None:
    with app.app_context():
        actions.hide(s.post_item(world.reply_id), s.user(world.sitemod), "Address")
        actions.approve(s.comment_item(world.comment_id), s.user(world.sitemod))
        actions.hide(s.post_item(world.opening_id), s.user(world.sitemod), "Whole thread")
        thread_actions.set_flag(s.thread(world.thread_id), s.user(world.sitemod), Action.LOCK)
        sanctions.warn(s.user(world.sitemod), s.user(world.member), "Be kind", None)


def test_the_audit_log_names_what_was_acted_on(app, client, world):
    some_history(app, world)
    s.sign_in(client, world.sitemod)
    body = s.page(client.get("/moderation/log"))
    assert f'href="/moderation/items/post/{world.reply_id}">Post 2 in “Benches by the pond”</a>' in body
    assert f'href="/moderation/items/comment/{world.comment_id}">A comment on post 1 in “Benches by the pond”' in body
    assert f'href="/moderation/items/post/{world.opening_id}">The thread “Benches by the pond”</a>' in body
    assert f'href="/moderation/threads/{world.thread_id}">The thread “Benches by the pond”</a>' in body
    assert f'href="/moderation/people/{world.member.id}">Bob Member</a>' in body
    assert f">post {world.reply_id}<" not in body and ">user " not in body


def test_the_audit_log_costs_the_same_queries_for_a_few_entries_and_many_of_every_kind(app, client, world):
    some_history(app, world)
    s.sign_in(client, world.sitemod)
    client.get("/moderation/log")
    with counting_queries(app) as few:
        assert client.get("/moderation/log").status_code == 200
    with app.app_context():
        for n in range(6):
            thread = factories.make_thread(s.group(world.parks_id), s.user(world.author), title=f"Thread {n}")
            thread_actions.set_flag(s.thread(thread.id), s.user(world.sitemod), Action.PIN)
            reply = thread_services.reply(s.thread(thread.id), s.user(world.member), f"Reply {n}.")
            actions.hide(s.post_item(reply.id), s.user(world.sitemod), "Rude")
            sanctions.warn(s.user(world.sitemod), s.user(world.author), f"Warning {n}", None)
        db.session.commit()
    with counting_queries(app) as many:
        body = s.page(client.get("/moderation/log"))
    assert "The thread “Thread 5”" in body
    assert len(few) == len(many), (len(few), len(many))
