"""Without a secret key of its own the forum signs sessions with a key anyone can read in its source, so it only
answers on the computer it runs on: another computer, or a proxy asking for a public name, gets a page saying why."""

from __future__ import annotations

import pytest

from forum.config import DEVELOPMENT_SECRET_KEY


@pytest.fixture
def app_config():
    return {"SECRET_KEY": None}  # as a development setup without instance/config.py or SECRET_KEY


def test_the_development_key_answers_on_this_computer_only(app, client) -> None:
    assert app.config["SECRET_KEY"] == DEVELOPMENT_SECRET_KEY
    assert client.get("/").status_code == 200  # the test client is 127.0.0.1 asking for localhost
    assert client.get("/", environ_base={"REMOTE_ADDR": "::1"}, base_url="http://[::1]:5000/").status_code == 200

    from_elsewhere = client.get("/groups/", environ_base={"REMOTE_ADDR": "203.0.113.7"})
    body = from_elsewhere.get_data(as_text=True)
    assert from_elsewhere.status_code == 503
    assert "Sorry, the service is unavailable" in body and "set SECRET_KEY" in body
    assert from_elsewhere.headers["Content-Security-Policy"].startswith("default-src 'self'")

    through_a_proxy = client.post("/login", data={"email": "a@example.org", "password": "x"},
                                  base_url="http://forum.example.org/")
    assert through_a_proxy.status_code == 503  # a proxy on this computer serving a public name


def test_a_real_key_serves_everyone(app, client) -> None:
    app.config["SECRET_KEY"] = "a-real-secret-from-the-environment"
    try:
        response = client.get("/groups/", environ_base={"REMOTE_ADDR": "203.0.113.7"},
                              base_url="http://forum.example.org/")
        assert response.status_code == 200
    finally:
        app.config["SECRET_KEY"] = DEVELOPMENT_SECRET_KEY


def test_behind_a_proxy_the_forwarded_address_counts_only_when_told_to_believe_it(app) -> None:
    """``PROXY_COUNT`` (nginx in front) makes X-Forwarded-For the person's address: for rate limits, and here
    for the key guard. Without it the header is anyone's to forge and is ignored."""
    from forum import create_app
    from forum.extensions import db

    forwarded = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Host": "localhost"}
    assert app.test_client().get("/", headers=forwarded).status_code == 200
    behind_nginx = create_app({**app.config, "PROXY_COUNT": 1})
    try:
        assert behind_nginx.test_client().get("/", headers=forwarded).status_code == 503
        assert behind_nginx.test_client().get("/", headers={"X-Forwarded-For": "127.0.0.1"}).status_code == 200
    finally:
        with behind_nginx.app_context():
            db.session.remove()
            db.engine.dispose()
