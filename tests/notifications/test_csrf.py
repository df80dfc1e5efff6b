"""Every state change of notifications checks the CSRF token, except the RFC 8058 one-click unsubscribe."""

from __future__ import annotations

import pytest

from forum.notifications import services
from tests.notifications.support import make_world
from tests.people import sign_in


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def test_posts_without_a_token_are_refused(app, client):
    world = make_world(app)
    sign_in(client, world.author)
    for path, data in [
        ("/notifications/read-all", {}),
        (f"/notifications/watch/threads/{world.thread_id}", {"level": "watching"}),
        (f"/notifications/watch/groups/{world.group_slug}", {"level": "muted"}),
        ("/notifications/settings", {"mention": "never"}),
    ]:
        response = client.post(path, data=data)
        assert response.status_code == 400 or (
            response.status_code == 200 and "govuk-error-summary" in response.get_data(as_text=True)), path
    with app.app_context():
        assert services.watch_level(type("U", (), {"is_authenticated": True, "id": world.author.id})(),
                                    group_id=world.group_id) is None
        token = services.unsubscribe_token(world.author.id, "mention")
    client.delete_cookie("session")
    assert client.post(f"/notifications/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}).status_code == 200
