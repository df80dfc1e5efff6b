"""Creating and editing groups: who may, field errors with every word kept, privacy changed by admins only."""

from __future__ import annotations

import pytest

from tests.groups.support import ROLES, as_role, group_row, sign_in, text

GOOD = {
    "name": "Parks and green spaces", "summary": "Trees, benches and the playground budget.",
    "description": "## What we talk about\n\nThe **parks** budget. <script>alert(1)</script>",
    "privacy": "public", "position": "20",
}


def test_admin_creates_a_group(app, client, world):
    sign_in(client, world.admin)
    response = client.post("/groups/new", data=GOOD)
    assert response.headers["Location"] == "/groups/parks-and-green-spaces/"
    row = group_row(app, "parks-and-green-spaces")
    assert row["summary"] == GOOD["summary"] and row["position"] == 20 and row["is_private"] is False
    html = row["description_html"]
    assert "<h4>What we talk about</h4>" in html and "<strong>parks</strong>" in html
    assert "<script>" not in row["description_html"]
    assert "Parks and green spaces" in text(client.get("/groups/"))


def test_admin_creates_a_private_group_invisible_to_residents(app, client, world):
    sign_in(client, world.admin)
    client.post("/groups/new", data={**GOOD, "privacy": "private"})
    assert group_row(app, "parks-and-green-spaces")["is_private"] is True
    sign_in(client, world.resident)
    assert "/groups/parks-and-green-spaces/" not in text(client.get("/groups/"))
    assert client.get("/groups/parks-and-green-spaces/members").status_code == 404


def test_a_group_without_a_position_goes_after_the_numbered_ones(app, client, world):
    sign_in(client, world.admin)
    client.post("/groups/new", data={**GOOD, "position": ""})
    assert group_row(app, "parks-and-green-spaces")["position"] == 100


def test_create_page_renders_for_admins(client, world):
    sign_in(client, world.admin)
    page = text(client.get("/groups/new"))
    assert "<h1 class=\"govuk-heading-l\">Create a group</h1>" in page
    assert 'name="name"' in page and 'name="privacy"' in page and 'name="position"' in page


@pytest.mark.parametrize("role", ["resident", "member", "group_moderator", "site_moderator"])
def test_only_admins_create_groups(app, client, world, role):
    as_role(client, world, role)
    assert client.get("/groups/new").status_code == 403
    assert client.post("/groups/new", data=GOOD).status_code == 403
    assert text(client.get("/groups/")).count("Parks and green spaces") == 0


def test_anonymous_create_is_sent_to_sign_in(client, world):
    assert "/login" in client.get("/groups/new").headers["Location"]


def test_duplicate_name_is_a_field_error_with_every_word_kept(app, client, world):
    sign_in(client, world.admin)
    data = {**GOOD, "name": "Make a Bigger Difference!"}
    response = client.post("/groups/new", data=data)
    page = text(response)
    assert response.status_code == 200
    assert "A group with this name already exists" in page and 'href="#name"' in page
    assert 'value="Make a Bigger Difference!"' in page
    assert "Trees, benches and the playground budget." in page and "The **parks** budget." in page
    assert "<title>Error: " in page


@pytest.mark.parametrize("field,value,message", [
    ("name", "", "Enter a name"),
    ("name", "x" * 101, "Name must be 100 characters or fewer"),
    ("summary", "s" * 301, "Summary must be 300 characters or fewer"),
    ("position", "first", "Not a valid integer value"),
    ("name", "new", "A group with this name already exists"),
    ("name", "!!!", "Name must include letters or numbers"),
    ("name", "\u200b", "Name must include letters or numbers"),
])
def test_create_shows_field_errors(client, world, field, value, message):
    sign_in(client, world.admin)
    response = client.post("/groups/new", data={**GOOD, field: value})
    page = text(response)
    assert response.status_code == 200 and message in page and f'href="#{field}"' in page
    assert "The **parks** budget." in page


# --- editing --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role,status", [("anonymous", 403), ("resident", 403), ("member", 403),
                                         ("site_moderator", 403), ("group_moderator", 200), ("admin", 200)])
def test_who_may_edit_a_public_group(client, world, role, status):
    as_role(client, world, role)
    assert client.get(f"/groups/{world.public}/edit").status_code == status


@pytest.mark.parametrize("role", ROLES)
def test_editing_a_private_group_is_404_to_non_members(client, world, role):
    as_role(client, world, role)
    status = client.get(f"/groups/{world.private}/edit").status_code
    expected = {"anonymous": 404, "resident": 404, "member": 403, "site_moderator": 403}.get(role, 200)
    assert status == expected


def test_group_moderator_edits_summary_and_description_but_not_privacy(app, client, world):
    sign_in(client, world.group_moderator)
    page = text(client.get(f"/groups/{world.public}/edit"))
    assert "About Make a bigger difference" in page and 'name="privacy"' not in page
    response = client.post(f"/groups/{world.public}/edit", data={
        "summary": "Small sums, big changes.", "description": "Read *this* first.", "privacy": "private",
        "position": "0",
    })
    assert response.headers["Location"] == f"/groups/{world.public}/"
    row = group_row(app, world.public)
    assert row["summary"] == "Small sums, big changes." and "<em>this</em>" in row["description_html"]
    assert row["is_private"] is False and row["position"] == 1


def test_admin_makes_a_group_private(app, client, world):
    sign_in(client, world.admin)
    page = text(client.get(f"/groups/{world.public}/edit"))
    assert 'name="privacy"' in page and 'value="public" checked' in page
    client.post(f"/groups/{world.public}/edit", data={
        "summary": "s", "description": "d", "privacy": "private", "position": "7"})
    row = group_row(app, world.public)
    assert row["is_private"] is True and row["position"] == 7
    sign_in(client, world.resident)
    assert client.get(f"/groups/{world.public}/members").status_code == 404


def test_edit_errors_keep_every_word(client, world):
    sign_in(client, world.group_moderator)
    response = client.post(f"/groups/{world.public}/edit", data={
        "summary": "s" * 301, "description": "My long careful description."})
    page = text(response)
    assert response.status_code == 200 and "Summary must be 300 characters or fewer" in page
    assert "My long careful description." in page


def test_non_moderator_cannot_post_an_edit(app, client, world):
    sign_in(client, world.member)
    response = client.post(f"/groups/{world.public}/edit", data={"summary": "Hijacked", "description": ""})
    assert response.status_code == 403
    assert group_row(app, world.public)["summary"] == "About Make a bigger difference"
