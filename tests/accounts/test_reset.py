"""Password resets end to end: ask, read the email, follow the link, choose a password; old links die."""

from __future__ import annotations

import re
import time
from email import message_from_bytes
from email.policy import default

from itsdangerous import TimestampSigner

from forum.mail.transport import sent as outbox
from tests.accounts.support import STRONG, person
from tests.conftest import TEST_PASSWORD

LINK = re.compile(r"http://localhost(/reset-password/[^\s]+)")


def ask_for_link(app, client, email="ann@example.org") -> str:
    """Ask for a reset and return the path of the link in the email sent."""
    response = client.post("/reset-password", data={"email": email})
    assert response.status_code == 200
    message = outbox(app)[-1]
    assert message["To"] == email
    return LINK.search(message.get_content()).group(1)


def test_request_page_has_an_email_field(client):
    html = client.get("/reset-password").get_data(as_text=True)
    assert 'name="email"' in html and "Reset your password" in html


def test_the_answer_is_the_same_whether_or_not_the_account_exists(app, client):
    person(app, email="ann@example.org")
    known = client.post("/reset-password", data={"email": "ann@example.org"}).get_data(as_text=True)
    unknown = client.post("/reset-password", data={"email": "bob@example.org"}).get_data(as_text=True)
    assert "Check your email" in known
    assert known.replace("ann@example.org", "X") == unknown.replace("bob@example.org", "X")
    assert [m["To"] for m in outbox(app)] == ["ann@example.org"]


def test_a_malformed_address_is_explained_and_kept(app, client):
    html = client.post("/reset-password", data={"email": "ann at example"}).get_data(as_text=True)
    assert "Enter an email address in the correct format" in html
    assert 'value="ann at example"' in html
    assert outbox(app) == []


def test_reset_end_to_end_then_the_link_is_dead(app, client):
    ann = person(app, "Ann Smith", email="ann@example.org")
    path = ask_for_link(app, client)
    page = client.get(path).get_data(as_text=True)
    assert "Choose a new password" in page and "Ann Smith" in page

    weak = client.post(path, data={"password": "annsmith99", "confirm_password": "annsmith99"})
    assert "must not contain your display name" in weak.get_data(as_text=True)
    mismatch = client.post(path, data={"password": STRONG, "confirm_password": STRONG + "!"})
    assert "The passwords do not match" in mismatch.get_data(as_text=True)

    done = client.post(path, data={"password": STRONG, "confirm_password": STRONG})
    assert done.headers["Location"] == "/login"
    assert "Your password has been changed" in client.get("/login").get_data(as_text=True)
    old = client.post("/login", data={"email": ann.email, "password": TEST_PASSWORD})
    assert "Enter a correct email address and password" in old.get_data(as_text=True)
    assert client.post("/login", data={"email": ann.email, "password": STRONG}).headers["Location"] == "/"

    again = client.get(path)
    assert again.status_code == 410
    html = again.get_data(as_text=True)
    assert "already been used" in html and 'href="/reset-password"' in html
    assert client.post(path, data={"password": "another fine password", "confirm_password": "another fine password"}
                       ).status_code == 410


def test_an_expired_link_offers_a_new_one(app, client, monkeypatch):
    person(app, email="ann@example.org")
    two_hours_ago = int(time.time()) - 2 * 60 * 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: two_hours_ago)
    path = ask_for_link(app, client)
    monkeypatch.undo()
    response = client.get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "That password reset link has expired" in html and "Send me a new link" in html
    post = client.post(path, data={"password": STRONG, "confirm_password": STRONG})
    assert post.status_code == 410
    assert client.post("/login", data={"email": "ann@example.org", "password": STRONG}).status_code == 200


def test_a_mangled_link_is_refused(app, client):
    person(app, email="ann@example.org")
    path = ask_for_link(app, client)
    response = client.get(path[:-4] + "abcd")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)
    assert client.get("/reset-password/not-a-token").status_code == 400


def test_reset_signs_out_every_existing_session(app, client):
    ann = person(app, email="ann@example.org")
    client.post("/login", data={"email": ann.email, "password": TEST_PASSWORD})
    assert client.get("/account").status_code == 200
    other = app.test_client()
    path = ask_for_link(app, other)
    other.post(path, data={"password": STRONG, "confirm_password": STRONG})
    assert client.get("/account").headers["Location"].startswith("/login")


def test_without_a_mail_server_the_email_is_written_to_a_file(app, client, tmp_path):
    person(app, email="ann@example.org")
    app.config["MAIL_FILE_DIR"] = str(tmp_path)
    path = ask_for_link(app, client)
    (written,) = tmp_path.glob("*.eml")
    assert path in message_from_bytes(written.read_bytes(), policy=default).get_content()
