"""With CSRF on: an expired form keeps the text and asks to submit again; buttons without a token change nothing."""

from __future__ import annotations

import pytest

from tests.groups.support import group_row, sign_in, text


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def test_expired_create_form_keeps_the_text(app, client, world):
    sign_in(client, world.admin)
    response = client.post("/groups/new", data={
        "name": "Libraries", "summary": "Books for all.", "description": "An hour of careful writing.",
        "privacy": "public", "position": "3",
    })
    page = text(response)
    assert response.status_code == 200
    assert "Your session expired: what you entered is kept below; check it and submit again" in page
    assert 'value="Libraries"' in page and "An hour of careful writing." in page


def test_expired_edit_form_keeps_the_text(app, client, world):
    sign_in(client, world.group_moderator)
    response = client.post(f"/groups/{world.public}/edit", data={"summary": "New words", "description": "Kept."})
    page = text(response)
    assert "Your session expired" in page and "New words" in page and "Kept." in page
    assert group_row(app, world.public)["summary"] == "About Make a bigger difference"


@pytest.mark.parametrize("action", ["join", "leave"])
def test_join_and_leave_without_a_token_change_nothing(app, client, world, action):
    sign_in(client, world.resident if action == "join" else world.member)
    assert client.post(f"/groups/{world.public}/{action}").status_code == 400
    assert group_row(app, world.public)["member_count"] == 2
