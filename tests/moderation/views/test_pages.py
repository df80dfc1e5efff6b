"""Every moderation page renders for a site moderator and a group moderator, with what it is for."""

from __future__ import annotations

import pytest

from forum.audit.models import Action
from forum.extensions import db
from forum.threads import services as thread_services
from tests.moderation import support as s


@pytest.fixture
def world(app):
    world = s.make_world(app)
    with app.app_context():
        s.flag_as(world.flaggers[0], "post", world.reply_id, "spam", "Selling benches")
        s.flag_as(world.flaggers[1], "comment", world.comment_id, "off_topic")
    return world


MODERATORS = ("sitemod", "parks_mod")


def pages(world: s.World) -> dict[str, str]:
    return {
        "queue": "/moderation/",
        "item": f"/moderation/items/post/{world.reply_id}",
        "thread": f"/moderation/threads/{world.thread_id}",
        "person": f"/moderation/people/{world.member.id}",
        "log": "/moderation/log",
    }


@pytest.mark.parametrize("who", MODERATORS)
def test_each_page_renders_for_site_and_group_moderators(client, world, who):
    s.sign_in(client, getattr(world, who))
    for name, url in pages(world).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert "Moderation" in s.page(response), name


@pytest.mark.parametrize("who", MODERATORS)
def test_the_queue_shows_each_item_with_its_context(client, world, who):
    s.sign_in(client, getattr(world, who))
    body = s.page(client.get("/moderation/"))
    assert "2 items waiting" in body
    assert "I agree about the benches." in body and "Near the playground too." in body  # the items' text
    assert "Post 2 in" in body and "A comment on post 1 in" in body and "Benches by the pond" in body
    assert f'href="/threads/{world.thread_id}/benches-by-the-pond#post-2"' in body
    assert f'href="/moderation/people/{world.member.id}"' in body and "(0 hidden items, 0 warnings)" in body
    assert "Spam" in body and "Selling benches" in body and "flagged by Flagger One" in body
    assert f'value="post-{world.reply_id}"' in body and f'value="comment-{world.comment_id}"' in body
    assert f'href="/moderation/items/post/{world.reply_id}"' in body
    assert "1 open flag" in body


def test_a_group_moderator_sees_only_their_groups_items(client, world):
    s.sign_in(client, world.transport_mod)
    body = s.page(client.get("/moderation/"))
    assert "0 items waiting" in body and "Nothing waits for review" in body
    assert "I agree about the benches." not in body


def test_the_queue_filters_by_group_and_kind(app, client, world):
    with app.app_context():
        s.group(world.parks_id).premoderated = True
        db.session.commit()
        thread_services.reply(s.thread(world.thread_id), s.user(world.author), "A held reply.")
    s.sign_in(client, world.sitemod)
    held = s.page(client.get("/moderation/?kind=held"))
    assert "A held reply." in held and "Held for approval" in held and "I agree about the benches." not in held
    flagged = s.page(client.get("/moderation/?kind=flagged"))
    assert "A held reply." not in flagged and "I agree about the benches." in flagged
    assert "A held reply." not in s.page(client.get(f"/moderation/?group={world.transport_slug}"))
    assert client.get("/moderation/?group=no-such-group").status_code == 404
    s.sign_in(client, world.transport_mod)
    assert client.get(f"/moderation/?group={world.parks_slug}").status_code == 404  # not one of theirs


def rows(body: str) -> str:
    """The log table's rows (the action filter also names every action)."""
    return body[body.find("<tbody"):body.find("</tbody>")]


def test_the_log_lists_and_filters_entries(client, world, app):
    s.sign_in(client, world.sitemod)
    client.post(f"/moderation/items/post/{world.reply_id}/hide", data={"reason": "Advertising"})
    client.post(f"/moderation/threads/{world.thread_id}/lock")
    body = rows(s.page(client.get(f"/moderation/log?action={Action.HIDE}")))
    assert "Hid" in body and "Advertising" in body and "Sam Sitemod" in body and "Bob Member" in body
    assert f'href="/moderation/items/post/{world.reply_id}"' in body and "Parks" in body
    assert "Locked thread" not in body
    locked = rows(s.page(client.get("/moderation/log?moderator=sam-sitemod&action=lock")))
    assert "Locked thread" in locked and f'href="/moderation/threads/{world.thread_id}"' in locked
    assert "No entries" in s.page(client.get("/moderation/log?person=alice-author&action=hide"))
    assert "Advertising" in s.page(client.get("/moderation/log?person=bob-member"))
    assert "Advertising" in rows(s.page(client.get("/moderation/log?person=Bob+Member")))  # a name works too
    s.sign_in(client, world.transport_mod)  # only their groups' part
    assert "Advertising" not in s.page(client.get("/moderation/log"))


def test_the_item_page_shows_the_flags_history_and_decisions(client, world):
    s.sign_in(client, world.parks_mod)
    body = s.page(client.get(f"/moderation/items/post/{world.reply_id}"))
    assert "Review post 2 in “Benches by the pond”" in body and "I agree about the benches." in body
    assert "Selling benches" in body and "Keep it and dismiss flags" in body and "Hide with this reason" in body
    assert f'href="/moderation/threads/{world.thread_id}"' in body
    assert f'href="/moderation/people/{world.member.id}"' in body
    comment = s.page(client.get(f"/moderation/items/comment/{world.comment_id}"))
    assert "Near the playground too." in comment and f"#comment-{world.comment_id}" in comment
    assert client.get("/moderation/items/thread/1").status_code == 404
    assert client.get("/moderation/items/post/999999").status_code == 404


def test_the_person_page_offers_suspension_only_to_site_moderators(client, world):
    s.sign_in(client, world.parks_mod)
    body = s.page(client.get(f"/moderation/people/{world.member.id}"))
    assert "Warn Bob Member" in body and "Choose a group" in body and "Suspend Bob Member" not in body
    s.sign_in(client, world.sitemod)
    body = s.page(client.get(f"/moderation/people/{world.member.id}"))
    assert "Suspend Bob Member" in body and "Not about one group (site-wide)" in body
    for days in ("1 day", "3 days", "7 days", "1 year"):
        assert days in body
    admin = s.page(client.get(f"/moderation/people/{world.admin.id}"))
    assert "Suspend Ada Admin" not in admin  # nobody suspends an administrator


def test_the_thread_page_offers_the_tools(client, world):
    s.sign_in(client, world.sitemod)
    body = s.page(client.get(f"/moderation/threads/{world.thread_id}"))
    assert "Lock thread" in body and "Pin thread" in body and "Move thread" in body
    assert 'value="benches"' in body  # the tags form is prefilled
    assert f'<option value="{world.transport_id}">Transport</option>' in body
    assert f'<option value="{world.parks_id}">' not in body  # not the group it is in
    s.sign_in(client, world.parks_mod)
    assert "You moderate no other group to move it to" in s.page(client.get(f"/moderation/threads/{world.thread_id}"))


def test_the_header_links_moderators_to_the_queue_with_the_count(client, world):
    for who, shown in ((world.sitemod, "2"), (world.parks_mod, "2"), (world.transport_mod, "0")):
        s.sign_in(client, who)
        body = s.page(client.get("/community/rules"))
        assert 'href="/moderation/"' in body and f">{shown}<span class=\"govuk-visually-hidden\"> waiting" in body
    for who in (world.member, world.outsider):
        s.sign_in(client, who)
        assert 'href="/moderation/"' not in s.page(client.get("/community/rules"))
    s.sign_out(client)
    assert 'href="/moderation/"' not in s.page(client.get("/community/rules"))
