"""A group's moderation settings: its house rules and pre-moderation of every post, set by admins and the group's
moderators on the edit page (and by admins when creating a group), and what they change for members."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.groups.models import Group
from forum.threads.models import Post, Thread
from tests.groups.support import as_role, sign_in, text

RULES = "Stay on **parks**.\n\nNo <script>alert(1)</script> adverts."


def settings(app, slug: str) -> dict:
    with app.app_context():
        group = db.session.scalar(select(Group).where(Group.slug == slug))
        return {
            "rules_source": group.rules_source, "rules_html": group.rules_html, "premoderated": group.premoderated,
            "is_private": group.is_private, "position": group.position,
        }


def edit(client, slug: str, **fields):
    data = {"summary": "About parks.", "description": "", **fields}
    return client.post(f"/groups/{slug}/edit", data=data)


@pytest.mark.parametrize("role", ["group_moderator", "admin"])
def test_admins_and_group_moderators_set_house_rules_and_pre_moderation(app, client, world, role):
    as_role(client, world, role)
    page = text(client.get(f"/groups/{world.public}/edit"))
    assert 'name="rules"' in page and "House rules for this group" in page
    assert 'name="premoderated"' in page and "Pre-moderate every post" in page
    response = edit(client, world.public, rules=RULES, premoderated="y")
    assert response.status_code == 302
    saved = settings(app, world.public)
    assert saved["rules_source"] == RULES and saved["premoderated"] is True
    assert "<strong>parks</strong>" in saved["rules_html"] and "<script>" not in saved["rules_html"]

    page = text(client.get(f"/groups/{world.public}/edit"))
    assert "Stay on **parks**." in html.unescape(page)
    assert 'name="premoderated" type="checkbox" value="y" checked' in page

    edit(client, world.public, rules="")  # emptied rules, and the box left unticked turns pre-moderation off
    saved = settings(app, world.public)
    assert (saved["rules_source"], saved["rules_html"], saved["premoderated"]) == ("", "", False)


def test_the_group_page_shows_the_rules_and_says_posts_are_reviewed(app, client, world):
    sign_in(client, world.group_moderator)
    edit(client, world.public, rules=RULES, premoderated="y")
    page = text(client.get(f"/groups/{world.public}/"))
    assert "House rules for this group" in page and "<strong>parks</strong>" in page
    assert "A moderator reviews every new post in this group before others can see it." in page


def test_a_group_moderator_cannot_change_privacy_or_position_by_adding_them(app, client, world):
    before = settings(app, world.public)
    sign_in(client, world.group_moderator)
    edit(client, world.public, rules="Be nice.", privacy="private", position="0")
    after = settings(app, world.public)
    assert after["rules_source"] == "Be nice."
    assert (after["is_private"], after["position"]) == (before["is_private"], before["position"])


@pytest.mark.parametrize("role", ["resident", "member", "site_moderator"])
def test_people_who_do_not_run_the_group_cannot_change_its_settings(app, client, world, role):
    as_role(client, world, role)
    assert edit(client, world.public, rules="Mine now.", premoderated="y").status_code == 403
    assert settings(app, world.public)["rules_source"] == ""
    assert settings(app, world.public)["premoderated"] is False


def test_rules_that_are_too_long_keep_the_text_and_say_why(app, client, world):
    sign_in(client, world.group_moderator)
    long_rules = "Be kind. " * 2500
    response = edit(client, world.public, rules=long_rules)
    assert response.status_code == 200
    page = html.unescape(text(response))
    assert "House rules must be 20,000 characters or fewer" in page
    assert "Be kind. Be kind." in page
    assert settings(app, world.public)["rules_source"] == ""


def test_admin_creates_a_pre_moderated_group_with_rules(app, client, world):
    sign_in(client, world.admin)
    page = text(client.get("/groups/new"))
    assert 'name="rules"' in page and 'name="premoderated"' in page
    client.post("/groups/new", data={"name": "Quiet room", "summary": "", "description": "", "privacy": "public",
                                     "position": "5", "rules": "No shouting.", "premoderated": "y"})
    saved = settings(app, "quiet-room")
    assert saved["premoderated"] is True and saved["rules_html"] == "<p>No shouting.</p>"


def test_in_a_pre_moderated_group_a_members_post_waits_but_a_group_moderators_does_not(app, client, world):
    sign_in(client, world.group_moderator)
    edit(client, world.public, premoderated="y")
    for who, title in ((world.member, "Member's idea"), (world.group_moderator, "Moderator's note")):
        sign_in(client, who)
        client.post(f"/groups/{world.public}/threads/new", data={"title": title, "body": "Some words."})
    with app.app_context():
        rows = db.session.execute(select(Thread.title, Post.state).join(Post, Post.thread_id == Thread.id))
        states = {title: state for title, state in rows}
    assert states == {"Member's idea": "held", "Moderator's note": "visible"}
