"""Admin actions on people and groups each leave one audit entry (who, what, which item, which group, whom),
written in the transaction that makes the change: a refused action leaves none, and a save that changes
nothing is not an action."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.audit.models import Action, AuditEntry
from forum.extensions import db
from forum.groups.models import Group, MemberStatus
from tests.groups.support import World, build_world, invite_for, membership_of, sign_in


@pytest.fixture
def world(app) -> World:
    return build_world(app)


def entries(app) -> list[dict]:
    with app.app_context():
        return [
            {"actor_id": e.actor_id, "action": e.action, "item_type": e.item_type, "item_id": e.item_id,
             "group_id": e.group_id, "subject_id": e.subject_id, "summary": e.summary}
            for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def group_id(app, slug: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Group.id).where(Group.slug == slug))


def test_changing_someones_site_role_is_recorded_with_the_change(app, client, world):
    sign_in(client, world.admin)
    response = client.post(f"/admin/users/{world.resident.id}", data={"role": "moderator"})
    assert response.status_code == 302
    assert entries(app) == [{
        "actor_id": world.admin.id, "action": Action.SET_ROLE, "item_type": "user", "item_id": world.resident.id,
        "group_id": None, "subject_id": world.resident.id, "summary": "Role: resident → moderator",
    }]
    client.post(f"/admin/users/{world.resident.id}", data={"role": "moderator"})  # no change: no entry
    client.post(f"/admin/users/{world.resident.id}", data={"role": "civil_servant", "organisation": ""})  # refused
    assert len(entries(app)) == 1
    client.post(f"/admin/users/{world.resident.id}", data={"role": "civil_servant", "organisation": "Parks Dept"})
    assert entries(app)[-1]["summary"] == "Role: moderator → civil_servant; Organisation: none → Parks Dept"


def test_creating_a_group_is_recorded(app, client, world):
    sign_in(client, world.admin)
    client.post("/groups/new", data={"name": "Cycling", "summary": "", "description": "", "privacy": "private",
                                     "position": "3", "premoderated": "y"})
    new_id = group_id(app, "cycling")
    assert entries(app) == [{
        "actor_id": world.admin.id, "action": Action.CREATE_GROUP, "item_type": "group", "item_id": new_id,
        "group_id": new_id, "subject_id": None, "summary": "Created “Cycling” (private, pre-moderated)",
    }]


def test_editing_a_group_is_recorded_with_what_changed(app, client, world):
    sign_in(client, world.admin)
    client.post(f"/groups/{world.public}/edit", data={
        "summary": "New summary", "description": "", "rules": "Be kind.", "premoderated": "y",
        "privacy": "private", "position": "1",
    })
    [entry] = entries(app)
    assert entry["action"] == Action.EDIT_GROUP and entry["actor_id"] == world.admin.id
    assert (entry["item_type"], entry["item_id"], entry["group_id"]) == (
        "group", group_id(app, world.public), group_id(app, world.public))
    assert entry["summary"] == "Changed summary, house rules, pre-moderation on, now private"


def test_a_group_moderators_edit_is_recorded_and_a_save_with_no_change_is_not(app, client, world):
    sign_in(client, world.group_moderator)
    data = {"summary": "Trees and benches", "description": "", "rules": ""}
    client.post(f"/groups/{world.public}/edit", data=data)
    client.post(f"/groups/{world.public}/edit", data=data)
    [entry] = entries(app)
    assert (entry["actor_id"], entry["summary"]) == (world.group_moderator.id, "Changed summary")


def test_appointing_a_group_moderator_is_recorded(app, client, world):
    sign_in(client, world.admin)
    client.post(f"/groups/{world.public}/members/{world.member.id}/role", data={"role": "moderator"})
    client.post(f"/groups/{world.public}/members/{world.member.id}/role", data={"role": "moderator"})  # no change
    assert entries(app) == [{
        "actor_id": world.admin.id, "action": Action.APPOINT, "item_type": "user", "item_id": world.member.id,
        "group_id": group_id(app, world.public), "subject_id": world.member.id,
        "summary": "Group role: member → moderator",
    }]


def ask_to_join(app, client, world) -> int:
    """The resident asks to join the private group; returns the request's id."""
    sign_in(client, world.resident)
    client.post(f"/groups/{world.private}/join", data={"invite": invite_for(app, world.private)})
    request = membership_of(app, world.private, world.resident)
    assert request["status"] == MemberStatus.PENDING
    return request["id"]


@pytest.mark.parametrize("answer,action", [("approve", Action.APPROVE_MEMBER), ("reject", Action.REJECT_MEMBER)])
def test_answering_a_request_to_join_is_recorded(app, client, world, answer, action):
    request_id = ask_to_join(app, client, world)
    sign_in(client, world.group_moderator)
    client.post(f"/groups/{world.private}/requests/{request_id}/{answer}")
    assert entries(app) == [{
        "actor_id": world.group_moderator.id, "action": action, "item_type": "user",
        "item_id": world.resident.id, "group_id": group_id(app, world.private), "subject_id": world.resident.id,
        "summary": "",
    }]
    client.post(f"/groups/{world.private}/requests/{request_id}/{answer}")  # answered already: 404, no entry
    assert len(entries(app)) == 1


def test_adding_a_member_is_recorded_and_a_refused_addition_is_not(app, client, world):
    sign_in(client, world.group_moderator)
    client.post(f"/groups/{world.public}/members/add", data={"display_name": world.resident.display_name})
    client.post(f"/groups/{world.public}/members/add", data={"display_name": world.resident.display_name})
    client.post(f"/groups/{world.public}/members/add", data={"display_name": "Nobody At All"})
    assert entries(app) == [{
        "actor_id": world.group_moderator.id, "action": Action.ADD_MEMBER, "item_type": "user",
        "item_id": world.resident.id, "group_id": group_id(app, world.public), "subject_id": world.resident.id,
        "summary": "",
    }]


def test_refused_admin_actions_leave_no_entry(app, client, world):
    sign_in(client, world.member)
    assert client.post(f"/admin/users/{world.resident.id}", data={"role": "admin"}).status_code == 403
    assert client.post(f"/groups/{world.public}/edit", data={"summary": "Mine"}).status_code == 403
    assert client.post(f"/groups/{world.public}/members/add",
                       data={"display_name": world.resident.display_name}).status_code == 403
    assert entries(app) == []
