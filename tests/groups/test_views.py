"""The list of groups, joining, leaving and asking to join, for each kind of person."""

from __future__ import annotations

import pytest

from tests import factories
from tests.groups.support import (
    ROLES,
    active_count,
    as_role,
    group_row,
    invite_for,
    membership_of,
    sign_in,
    text,
)

SEES_PRIVATE = {"member", "group_moderator", "site_moderator", "admin"}


# --- /groups/ -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_private_groups_only_to_members_and_site_moderators(client, world, role):
    as_role(client, world, role)
    page = text(client.get("/groups/"))
    assert "Make a bigger difference" in page
    assert ("Budget working party" in page) is (role in SEES_PRIVATE)
    assert "@example.org" not in page


def test_list_orders_by_position_then_name_with_counts_and_markers(app, client, world):
    with app.app_context():
        factories.make_group("Zebra crossings", position=0)
        factories.make_group("Allotments", position=5)
        factories.make_group("Bins", position=5)
    sign_in(client, world.member)
    page = text(client.get("/groups/"))
    order = [page.index(name) for name in ("Zebra crossings", "Make a bigger difference", "Allotments", "Bins")]
    assert order == sorted(order)
    assert "2 members" in page and "0 threads" in page and "No activity yet" in page
    assert "Private" in page and "Public" in page and "You are a member" in page


def test_list_shows_last_activity_and_thread_counts(app, client, world):
    with app.app_context():
        from sqlalchemy import select

        from forum.accounts.models import User
        from forum.extensions import db
        from forum.groups.models import Group

        group = db.session.scalar(select(Group).where(Group.slug == world.public))
        factories.make_thread(group, db.session.get(User, world.member.id), replies=2)
    page = text(client.get("/groups/"))
    assert "1 thread ·" in page and "3 posts" in page
    assert "<time datetime=" in page and "Last activity just now" in page


def test_list_is_paginated(app, client, world):
    app.config["GROUPS_PER_PAGE"] = 2
    with app.app_context():
        for n in range(3):
            factories.make_group(f"Extra {n}", position=50)
    first = text(client.get("/groups/"))
    assert "Make a bigger difference" in first and "Extra 0" in first and "Extra 1" not in first
    assert 'href="/groups/?page=2"' in first
    second = text(client.get("/groups/?page=2"))
    assert "Extra 1" in second and "Extra 2" in second and "Make a bigger difference" not in second


@pytest.mark.parametrize("page", ["0", "abc", "-1", "99999999"])
def test_list_rejects_nonsense_page_numbers(client, world, page):
    assert client.get(f"/groups/?page={page}").status_code == 400


def test_pages_past_the_end_of_group_lists_are_404_like_every_other_list(client, world):
    assert client.get("/groups/?page=1").status_code == 200
    assert client.get("/groups/?page=2").status_code == 404
    assert client.get("/groups/?page=100000").status_code == 404
    assert client.get(f"/groups/{world.public}/members?page=1").status_code == 200
    assert client.get(f"/groups/{world.public}/members?page=50").status_code == 404


# --- joining --------------------------------------------------------------------------------------------------


def test_anonymous_join_of_a_public_group_asks_to_sign_in(client, world):
    response = client.post(f"/groups/{world.public}/join")
    assert response.headers["Location"].startswith("/login?next=")
    assert world.public in response.headers["Location"]


@pytest.mark.parametrize("action", ["join", "leave"])
def test_anonymous_join_or_leave_of_a_private_or_missing_group_is_404(client, world, action):
    assert client.post(f"/groups/{world.private}/{action}").status_code == 404
    assert client.post(f"/groups/no-such-group/{action}").status_code == 404


def test_resident_joins_a_public_group_at_once_and_twice_changes_nothing(app, client, world):
    sign_in(client, world.resident)
    response = client.post(f"/groups/{world.public}/join")
    assert response.headers["Location"] == f"/groups/{world.public}/"
    assert group_row(app, world.public)["member_count"] == 3
    client.post(f"/groups/{world.public}/join")
    assert group_row(app, world.public)["member_count"] == 3 == active_count(app, world.public)
    assert membership_of(app, world.public, world.resident)["status"] == "active"


def test_join_returns_to_a_page_on_this_site_only(client, world):
    sign_in(client, world.resident)
    response = client.post(f"/groups/{world.public}/join", data={"next": "/groups/?page=1"})
    assert response.headers["Location"] == "/groups/?page=1"
    response = client.post(f"/groups/{world.public}/leave", data={"next": "//evil.example/"})
    assert response.headers["Location"] == f"/groups/{world.public}/"
    for bad in ("https://evil.example/", "/\\evil.example", "/groups/\r\nSet-Cookie: x=1"):
        response = client.post(f"/groups/{world.public}/join", data={"next": bad})
        assert response.headers["Location"] == f"/groups/{world.public}/"


def test_resident_cannot_join_a_private_group_without_an_invitation(app, client, world):
    sign_in(client, world.resident)
    assert client.post(f"/groups/{world.private}/join").status_code == 404
    assert client.post(f"/groups/{world.private}/join", data={"invite": "forged"}).status_code == 404
    assert membership_of(app, world.private, world.resident) is None


def test_an_invitation_for_another_group_does_not_open_a_private_group(app, client, world):
    with app.app_context():
        other = factories.make_group("Other private", private=True, moderators=(factories.make_user("Olly"),))
        other_slug = other.slug
    token = invite_for(app, other_slug)
    sign_in(client, world.resident)
    assert client.post(f"/groups/{world.private}/join", data={"invite": token}).status_code == 404


def test_resident_with_an_invitation_asks_to_join_and_waits(app, client, world):
    token = invite_for(app, world.private)
    sign_in(client, world.resident)
    response = client.post(f"/groups/{world.private}/join", data={"invite": token})
    assert response.headers["Location"] == "/groups/"
    assert membership_of(app, world.private, world.resident)["status"] == "pending"
    assert group_row(app, world.private)["member_count"] == 2
    client.post(f"/groups/{world.private}/join", data={"invite": token})
    assert group_row(app, world.private)["member_count"] == 2
    # still invisible until approved
    assert f'href="/groups/{world.private}/"' not in text(client.get("/groups/"))
    assert client.get(f"/groups/{world.private}/members").status_code == 404


def test_expired_invitation_is_refused(app, client, world):
    token = invite_for(app, world.private)
    app.config["GROUP_INVITE_MAX_AGE"] = -1
    sign_in(client, world.resident)
    assert client.post(f"/groups/{world.private}/join", data={"invite": token}).status_code == 404
    assert client.get(f"/groups/{world.private}/request?invite={token}").status_code == 404


@pytest.mark.parametrize("role", ["site_moderator", "admin"])
def test_site_moderators_join_a_private_group_at_once(app, client, world, role):
    as_role(client, world, role)
    client.post(f"/groups/{world.private}/join")
    assert membership_of(app, world.private, getattr(world, role))["status"] == "active"
    assert group_row(app, world.private)["member_count"] == 3


# --- leaving --------------------------------------------------------------------------------------------------


def test_member_leaves_a_public_group_and_leaving_twice_changes_nothing(app, client, world):
    sign_in(client, world.member)
    response = client.post(f"/groups/{world.public}/leave")
    assert response.headers["Location"] == f"/groups/{world.public}/"
    assert group_row(app, world.public)["member_count"] == 1
    assert "You have left Make a bigger difference" in text(client.get("/groups/"))
    assert client.post(f"/groups/{world.public}/leave").status_code in (302, 303)
    assert group_row(app, world.public)["member_count"] == 1 == active_count(app, world.public)


def test_member_leaving_a_private_group_returns_to_the_list_and_loses_sight_of_it(app, client, world):
    sign_in(client, world.member)
    response = client.post(f"/groups/{world.private}/leave", data={"next": f"/groups/{world.private}/"})
    assert response.headers["Location"] == "/groups/"
    assert group_row(app, world.private)["member_count"] == 1
    assert client.post(f"/groups/{world.private}/leave").status_code == 404
    assert f'href="/groups/{world.private}/"' not in text(client.get("/groups/"))


def test_a_pending_request_is_withdrawn_with_leave(app, client, world):
    token = invite_for(app, world.private)
    sign_in(client, world.resident)
    client.post(f"/groups/{world.private}/join", data={"invite": token})
    response = client.post(f"/groups/{world.private}/leave")
    assert response.headers["Location"] == "/groups/"
    assert "You withdrew your request to join Budget working party" in text(client.get("/groups/"))
    assert membership_of(app, world.private, world.resident) is None
    assert group_row(app, world.private)["member_count"] == 2


def test_resident_who_is_not_a_member_leaving_a_public_group_changes_nothing(app, client, world):
    sign_in(client, world.resident)
    client.post(f"/groups/{world.public}/leave")
    assert group_row(app, world.public)["member_count"] == 2


def test_join_refuses_get(client, world):
    sign_in(client, world.resident)
    assert client.get(f"/groups/{world.public}/join").status_code == 405


def test_leave_group_links_to_a_confirmation_that_says_what_happens(app, client, world):
    """Leaving is asked first: a private group takes an invitation and a moderator's yes to come back."""
    sign_in(client, world.member)
    group_page = text(client.get(f"/groups/{world.private}/"))
    assert f'href="/groups/{world.private}/leave?next=' in group_page and "Leave group</button>" not in group_page
    page = text(client.get(f"/groups/{world.private}/leave?next=/groups/{world.private}/"))
    assert "<h1 class=\"govuk-heading-l\">Leave Budget working party?</h1>" in page
    assert "need an invitation" in page and "You cannot undo this." in page
    assert f'action="/groups/{world.private}/leave"' in page and f'href="/groups/{world.private}/"' in page
    assert group_row(app, world.private)["member_count"] == 2  # asking changed nothing
    public = text(client.get(f"/groups/{world.public}/leave"))
    assert "You can join again at any time." in public and "You cannot undo this." not in public
    client.post(f"/groups/{world.public}/leave")
    assert group_row(app, world.public)["member_count"] == 1


def test_leave_confirmation_is_only_for_members(client, world):
    sign_in(client, world.resident)
    response = client.get(f"/groups/{world.public}/leave")
    assert response.status_code == 302 and response.headers["Location"] == f"/groups/{world.public}/"


# --- the invitation page --------------------------------------------------------------------------------------


@pytest.mark.parametrize("invite", ["", "?invite=", "?invite=forged.token"])
def test_invitation_page_without_a_valid_invitation_is_404(client, world, invite):
    sign_in(client, world.resident)
    assert client.get(f"/groups/{world.private}/request{invite}").status_code == 404


def test_invitation_page_for_anonymous_offers_sign_in_and_keeps_the_link(app, client, world):
    token = invite_for(app, world.private)
    page = text(client.get(f"/groups/{world.private}/request?invite={token}"))
    assert "Ask to join Budget working party" in page
    assert "Sign in to join" in page and "/login?next=" in page and token in page
    assert "Mo Member" not in page  # nothing of the group's content leaks


def test_invitation_page_lets_a_resident_ask_then_shows_the_request(app, client, world):
    token = invite_for(app, world.private)
    sign_in(client, world.resident)
    page = text(client.get(f"/groups/{world.private}/request?invite={token}"))
    assert ">Ask to join</button>" in page and f'value="{token}"' in page
    client.post(f"/groups/{world.private}/join", data={"invite": token})
    page = text(client.get(f"/groups/{world.private}/request?invite={token}"))
    assert "Request sent" in page and "Withdraw request" in page
    # the pending person can come back without the token to withdraw
    assert client.get(f"/groups/{world.private}/request").status_code == 200


@pytest.mark.parametrize("role", ["member", "group_moderator", "site_moderator"])
def test_invitation_page_sends_readers_to_the_group(app, client, world, role):
    token = invite_for(app, world.private)
    as_role(client, world, role)
    response = client.get(f"/groups/{world.private}/request?invite={token}")
    assert response.headers["Location"] == f"/groups/{world.private}/"


def test_list_and_members_pages_issue_the_same_queries_for_few_or_many(app, client, world):
    """No N+1: the pages' SQL does not grow with the number of groups or members shown."""
    from sqlalchemy import event, select

    from forum.extensions import db
    from forum.groups.models import Group

    def count(path: str) -> int:
        statements: list[str] = []
        with app.app_context():
            engine = db.engine

        def listener(*args):
            statements.append(args[2])

        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    sign_in(client, world.member)
    few = (count("/groups/"), count(f"/groups/{world.public}/members"))
    assert min(few) > 0
    with app.app_context():
        people = [factories.make_user(f"Extra person {n}") for n in range(15)]
        for n in range(15):
            factories.make_group(f"Extra group {n:02}", members=tuple(people[:3]))
        public = db.session.scalar(select(Group).where(Group.slug == world.public))
        for person in people:
            factories.add_member(public, person)
    assert (count("/groups/"), count(f"/groups/{world.public}/members")) == few
