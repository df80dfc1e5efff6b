"""Members, join requests, group moderators, creating and editing groups, for each kind of person."""

from __future__ import annotations

import pytest

from tests import factories
from tests.groups.support import (
    ROLES,
    Person,
    active_count,
    as_role,
    group_row,
    invite_for,
    membership_of,
    sign_in,
    text,
)

READERS_OF_PRIVATE = {"member", "group_moderator", "site_moderator", "admin"}
MODERATORS = {"group_moderator", "site_moderator", "admin"}


def _ask(app, client, world, person=None):
    """``person`` (the resident by default) asks to join the private group; returns the membership id."""
    person = person or world.resident
    sign_in(client, person)
    client.post(f"/groups/{world.private}/join", data={"invite": invite_for(app, world.private)})
    return membership_of(app, world.private, person)["id"]


# --- members --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_public_members_page_lists_names_with_no_emails(client, world, role):
    as_role(client, world, role)
    response = client.get(f"/groups/{world.public}/members")
    page = text(response)
    assert response.status_code == 200
    assert "Mo Member" in page and "Gail Groupmod" in page and "Group moderator" in page
    assert "@example.org" not in page
    main = page[page.index("<main"):]
    assert main.index("Gail Groupmod") < main.index("Mo Member")  # group moderators first
    assert ("Add a member" in page) is (role in MODERATORS)
    assert ("a group moderator</button>" in page) is (role == "admin")


@pytest.mark.parametrize("role", ROLES)
def test_private_members_page_is_404_to_non_members(client, world, role):
    as_role(client, world, role)
    status = client.get(f"/groups/{world.private}/members").status_code
    assert status == (200 if role in READERS_OF_PRIVATE else 404)


def test_members_page_is_paginated(app, client, world):
    app.config["USERS_PER_PAGE"] = 1
    page = text(client.get(f"/groups/{world.public}/members"))
    assert "Gail Groupmod" in page and "Mo Member" not in page and "?page=2" in page
    assert "Mo Member" in text(client.get(f"/groups/{world.public}/members?page=2"))


def test_group_moderator_adds_a_member_by_display_name(app, client, world):
    sign_in(client, world.group_moderator)
    response = client.post(f"/groups/{world.private}/members/add", data={"display_name": "rita resident"})
    assert response.headers["Location"] == f"/groups/{world.private}/members"
    assert membership_of(app, world.private, world.resident)["status"] == "active"
    assert group_row(app, world.private)["member_count"] == 3 == active_count(app, world.private)


@pytest.mark.parametrize("name,message", [("Nobody Here", "There is nobody with that display name"),
                                          ("Mo Member", "Mo Member is already a member"),
                                          ("", "Enter the display name of the person to add")])
def test_adding_a_member_shows_field_errors_and_keeps_the_name(client, world, name, message):
    sign_in(client, world.group_moderator)
    response = client.post(f"/groups/{world.private}/members/add", data={"display_name": name})
    page = text(response)
    assert response.status_code == 200 and message in page and "govuk-error-summary" in page
    assert f'value="{name}"' in page or not name
    assert "<title>Error: " in page


@pytest.mark.parametrize("role,status", [("anonymous", 404), ("resident", 404), ("member", 403)])
def test_only_moderators_add_members(client, world, role, status):
    as_role(client, world, role)
    response = client.post(f"/groups/{world.private}/members/add", data={"display_name": "Rita Resident"})
    assert response.status_code == status


# --- group moderators -----------------------------------------------------------------------------------------


def test_admin_appoints_and_removes_a_group_moderator(app, client, world):
    sign_in(client, world.admin)
    url = f"/groups/{world.public}/members/{world.member.id}/role"
    response = client.post(url, data={"role": "moderator"})
    assert response.headers["Location"] == f"/groups/{world.public}/members"
    assert membership_of(app, world.public, world.member)["role"] == "moderator"
    client.post(url, data={"role": "member"})
    assert membership_of(app, world.public, world.member)["role"] == "member"


@pytest.mark.parametrize("role", ["resident", "member", "group_moderator", "site_moderator"])
def test_only_admins_appoint_group_moderators(app, client, world, role):
    as_role(client, world, role)
    url = f"/groups/{world.public}/members/{world.member.id}/role"
    assert client.post(url, data={"role": "moderator"}).status_code == 403
    assert membership_of(app, world.public, world.member)["role"] == "member"


def test_anonymous_appointing_is_sent_to_sign_in(client, world):
    response = client.post(f"/groups/{world.public}/members/{world.member.id}/role", data={"role": "moderator"})
    assert "/login" in response.headers["Location"]


def test_appointing_a_non_member_or_a_bad_role_changes_nothing(app, client, world):
    sign_in(client, world.admin)
    url = f"/groups/{world.public}/members/{world.resident.id}/role"
    assert client.post(url, data={"role": "moderator"}).status_code == 404
    client.post(f"/groups/{world.public}/members/{world.member.id}/role", data={"role": "owner"})
    assert membership_of(app, world.public, world.member)["role"] == "member"


# --- requests -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_requests_page_on_a_private_group(app, client, world, role):
    _ask(app, client, world)
    client.get("/logout")
    with client.session_transaction() as session:
        session.clear()
    as_role(client, world, role)
    response = client.get(f"/groups/{world.private}/requests")
    expected = 200 if role in MODERATORS else 403 if role == "member" else 404
    assert response.status_code == expected
    if expected == 200:
        page = text(response)
        assert "Rita Resident" in page and "Accept Rita Resident" in page and "Refuse Rita Resident" in page
        assert "/request?invite=" in page and "@example.org" not in page


@pytest.mark.parametrize("role,status", [("anonymous", 403), ("resident", 403), ("member", 403),
                                         ("group_moderator", 200), ("site_moderator", 200), ("admin", 200)])
def test_requests_page_on_a_public_group(client, world, role, status):
    as_role(client, world, role)
    response = client.get(f"/groups/{world.public}/requests")
    assert response.status_code == status
    if status == 200:
        assert "There are no requests waiting" in text(response) and "invite=" not in text(response)


@pytest.mark.parametrize("role", ["group_moderator", "site_moderator", "admin"])
def test_moderators_approve_a_request(app, client, world, role):
    membership_id = _ask(app, client, world)
    as_role(client, world, role)
    response = client.post(f"/groups/{world.private}/requests/{membership_id}/approve")
    assert response.headers["Location"] == f"/groups/{world.private}/requests"
    assert membership_of(app, world.private, world.resident)["status"] == "active"
    assert group_row(app, world.private)["member_count"] == 3
    assert client.post(f"/groups/{world.private}/requests/{membership_id}/approve").status_code == 404
    assert group_row(app, world.private)["member_count"] == 3 == active_count(app, world.private)


def test_group_moderator_refuses_a_request(app, client, world):
    membership_id = _ask(app, client, world)
    sign_in(client, world.group_moderator)
    response = client.post(f"/groups/{world.private}/requests/{membership_id}/reject")
    assert response.headers["Location"] == f"/groups/{world.private}/requests"
    assert membership_of(app, world.private, world.resident) is None
    assert group_row(app, world.private)["member_count"] == 2


@pytest.mark.parametrize("action", ["approve", "reject"])
@pytest.mark.parametrize("role,status", [("anonymous", 404), ("resident", 404), ("member", 403)])
def test_others_cannot_answer_requests(app, client, world, action, role, status):
    membership_id = _ask(app, client, world, person=newcomer(app))
    with client.session_transaction() as session:
        session.clear()
    as_role(client, world, role)
    assert client.post(f"/groups/{world.private}/requests/{membership_id}/{action}").status_code == status
    assert group_row(app, world.private)["member_count"] == 2


def newcomer(app) -> Person:
    """A fresh resident (so the resident of the world stays a stranger to the private group)."""
    with app.app_context():
        user = factories.make_user("Newcomer Nia")
        return Person(user.id, factories.sign_in_id(user), user.display_name, user.email)


def test_answering_a_request_of_another_group_or_an_active_membership_is_404(app, client, world):
    membership_id = _ask(app, client, world)
    sign_in(client, world.group_moderator)
    assert client.post(f"/groups/{world.public}/requests/{membership_id}/approve").status_code == 404
    active_id = membership_of(app, world.private, world.member)["id"]
    assert client.post(f"/groups/{world.private}/requests/{active_id}/reject").status_code == 404
    assert client.post(f"/groups/{world.private}/requests/999999/approve").status_code == 404
    assert membership_of(app, world.private, world.member)["status"] == "active"
