"""Repeated attempts at signing in, registering and resetting are limited per address, with a proper 429 page."""

from __future__ import annotations

import pytest

from tests.accounts.support import STRONG, person


@pytest.fixture
def app_config():
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_LOGIN": "3 per minute",
        "RATELIMIT_REGISTER": "2 per hour",
        "RATELIMIT_RESET": "2 per hour",
    }


def test_login_attempts_are_limited_with_a_429_page(app, client):
    person(app, email="ann@example.org")
    for _ in range(3):
        response = client.post("/login", data={"email": "ann@example.org", "password": "wrong password"})
        assert response.status_code == 200
    response = client.post("/login", data={"email": "ann@example.org", "password": "wrong password"})
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Too many attempts" in html and "Wait a few minutes" in html
    assert client.get("/login").status_code == 200  # reading the page is not limited


def test_the_limit_is_per_address(app, client):
    for _ in range(4):
        client.post("/login", data={"email": "ann@example.org", "password": "wrong"})
    elsewhere = app.test_client()
    response = elsewhere.post("/login", data={"email": "ann@example.org", "password": "wrong"},
                              environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert response.status_code == 200


def test_registering_and_resets_are_limited(client):
    for n in range(2):
        client.post("/register", data={"display_name": f"Person {n}", "email": f"p{n}@example.org",
                                       "password": STRONG, "confirm_password": STRONG})
        client.post("/logout")
    assert client.post("/register", data={"display_name": "Third"}).status_code == 429
    for _ in range(2):
        assert client.post("/reset-password", data={"email": "x@example.org"}).status_code == 200
    assert client.post("/reset-password", data={"email": "x@example.org"}).status_code == 429


def test_a_refused_password_change_counts_once(app, client, auth):
    """A refusal is shown by running the view again (forum.common.errors): that second run is not another try."""
    auth.login_as(person(app, email="ann@example.org"))
    wrong = {"current_password": "wrong one", "password": STRONG, "confirm_password": STRONG}
    assert [client.post("/account/password", data=wrong).status_code for _ in range(4)] == [200, 200, 200, 429]
