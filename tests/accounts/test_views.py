"""Registering, signing in and out, and the person's own settings, through the test client."""

from __future__ import annotations

import re

import pytest
from werkzeug.security import check_password_hash

from forum.accounts.models import User
from forum.extensions import db
from forum.mail.transport import sent as outbox
from tests.accounts.support import STRONG, person
from tests.conftest import TEST_PASSWORD
from tests.factories import make_user


def register(client, display_name="Ann Smith", email="ann@example.org", password=STRONG, confirm=None):
    return client.post("/register", data={
        "display_name": display_name, "email": email, "password": password,
        "confirm_password": password if confirm is None else confirm,
    })


def signed_in_name(client) -> str | None:
    """The display name in the navigation, or None when the page offers to sign in."""
    html = client.get("/account").get_data(as_text=True)
    return None if "Your account" not in html else html


# Registering ---------------------------------------------------------------------------------------------------


def test_register_page_has_the_fields(client):
    html = client.get("/register").get_data(as_text=True)
    for name in ("display_name", "email", "password", "confirm_password"):
        assert f'name="{name}"' in html
    assert "<h1" in html and "Create an account" in html


def _link_in_last_mail(app, to: str) -> str:
    message = outbox(app)[-1]
    assert message["To"] == to
    return re.search(r"https?://[^/\s]+(/register/\S+)", message.get_content()).group(1)


def test_register_mails_a_link_that_confirms_and_signs_in(app, client):
    response = register(client)
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302, "signed in before confirming the address"
    link = _link_in_last_mail(app, "ann@example.org")
    page = client.get(link).get_data(as_text=True)
    assert "Confirm your email address" in page and "Confirm and sign in" in page
    assert client.get("/account").status_code == 302, "opening the link (a mail scanner) signed in"
    response = client.post(link)
    assert response.headers["Location"] == "/"
    home = client.get("/").get_data(as_text=True)
    assert "Welcome, Ann Smith" in home and "Sign out" in home
    with app.app_context():
        user = db.session.query(User).one()
        assert user.handle == "ann-smith" and user.email_confirmed_at is not None
        assert user.password_hash != STRONG and check_password_hash(user.password_hash, STRONG)


def test_an_unconfirmed_account_cannot_sign_in_and_gets_a_new_link(app, client):
    register(client)
    first = _link_in_last_mail(app, "ann@example.org")
    html = client.post("/login", data={"email": "ann@example.org", "password": STRONG}).get_data(as_text=True)
    assert "Confirm your email address first" in html
    assert client.get("/account").status_code == 302
    second = _link_in_last_mail(app, "ann@example.org")
    assert client.post(second).status_code == 302
    assert client.get("/account").status_code == 200
    assert first == second or client.get(first).status_code in (200, 410)


def test_registering_with_an_address_that_has_an_account_looks_the_same_and_mails_the_owner(app, client):
    with app.app_context():
        make_user("Ann Smith", email="ann@example.org")
    known = register(client, display_name="Someone Else", email="ANN@example.org")
    new = register(client, display_name="Bob Brown", email="bob@example.org")
    assert known.status_code == new.status_code == 200
    def strip(html, email):
        return (html.get_data(as_text=True).replace(email, "EMAIL"))
    assert strip(known, "ANN@example.org") == strip(new, "bob@example.org")
    owner_mail = [m for m in outbox(app) if m["To"] == "ann@example.org"][-1]
    assert "already has one" in owner_mail.get_content() and "/reset-password" in owner_mail.get_content()
    assert "/register/" not in owner_mail.get_content()
    with app.app_context():
        assert db.session.query(User).filter(User.display_name == "Someone Else").count() == 0


def test_registering_again_before_confirming_replaces_the_first_try(app, client):
    register(client, display_name="Ann Smith", password=STRONG)
    first = _link_in_last_mail(app, "ann@example.org")
    register(client, display_name="Ann Jones", password=STRONG + " two")
    second = _link_in_last_mail(app, "ann@example.org")
    assert client.get(first).status_code == 410, "the first link still works after registering again"
    assert client.post(second).status_code == 302
    with app.app_context():
        assert [u.display_name for u in db.session.query(User)] == ["Ann Jones"]


def test_a_bad_or_old_link_says_so(app, client):
    assert client.get("/register/not-a-token").status_code == 400
    register(client)
    link = _link_in_last_mail(app, "ann@example.org")
    app.config["REGISTRATION_MAX_AGE"] = -1
    assert client.get(link).status_code == 410


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"display_name": ""}, "Enter a display name"),
        ({"display_name": "A"}, "between 2 and 50 characters"),
        ({"display_name": "A" * 51}, "between 2 and 50 characters"),
        ({"display_name": "\u202enimdA ecnO"}, "invisible or control characters"),
        ({"email": "not-an-email"}, "correct format"),
        ({"email": ""}, "Enter your email address"),
        ({"password": "short"}, "at least 10 characters"),
        ({"password": "qwertyuiop"}, "too easy to guess"),
        ({"password": "ann smith is great"}, "must not contain your display name"),
        ({"confirm": "something else entirely"}, "The passwords do not match"),
    ],
)
def test_register_bad_input_keeps_the_text_and_explains(app, client, fields, message):
    values = {"display_name": "Ann Smith", "email": "ann@example.org", "password": STRONG, "confirm": None}
    values.update(fields)
    response = register(client, **values)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert "govuk-error-summary" in html and "<title>Error: " in html
    if values["display_name"]:
        assert f'value="{values["display_name"]}"' in html
    if values["email"]:
        assert f'value="{values["email"]}"' in html
    assert STRONG not in html  # passwords are never sent back
    with app.app_context():
        assert db.session.query(User).count() == 0


def test_register_a_taken_name_is_a_field_error_and_a_taken_address_is_not_revealed(app, client):
    with app.app_context():
        make_user("Ann Smith", email="ann@example.org")
    html = register(client, display_name="ann  smith", email="ANN@example.org").get_data(as_text=True)
    assert "That display name is already taken" in html
    assert "An account already uses that email address" not in html
    assert 'href="#display_name"' in html and 'href="#email"' not in html
    assert 'value="ann smith"' in html and 'value="ANN@example.org"' in html
    with app.app_context():
        assert db.session.query(User).count() == 1


def test_expired_session_token_keeps_the_text(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/register", data={
        "display_name": "Ann Smith", "email": "ann@example.org", "password": STRONG, "confirm_password": STRONG,
        "csrf_token": "stale",
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Your session expired: what you entered is kept below" in html
    assert 'value="Ann Smith"' in html and 'value="ann@example.org"' in html


# Signing in and out --------------------------------------------------------------------------------------------


def test_login_and_logout(app, client, auth):
    with app.app_context():
        make_user("Ann Smith", email="ann@example.org")
    response = auth.login("ann@example.org")
    assert response.headers["Location"] == "/"
    assert "Ann Smith" in client.get("/").get_data(as_text=True)
    page = client.get("/logout").get_data(as_text=True)
    assert "<h1" in page and 'action="/logout"' in page and "Sign out" in page
    assert auth.logout().headers["Location"] == "/"
    assert client.get("/account").headers["Location"].startswith("/login")


@pytest.mark.parametrize(("email", "password"), [("ann@example.org", "wrong password"),
                                                 ("nobody@example.org", TEST_PASSWORD)])
def test_wrong_email_or_password_gets_one_generic_message(app, client, email, password):
    with app.app_context():
        make_user("Ann Smith", email="ann@example.org")
    response = client.post("/login", data={"email": email, "password": password})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in html
    assert f'value="{email}"' in html
    assert "<title>Error: " in html
    assert signed_in_name(client) is None


def test_login_empty_fields_are_explained(client):
    html = client.post("/login", data={"email": "", "password": ""}).get_data(as_text=True)
    assert "Enter your email address" in html and "Enter your password" in html


def test_login_email_is_case_blind(app, client, auth):
    with app.app_context():
        make_user(email="Ann@Example.org")
    assert auth.login("ann@EXAMPLE.org").headers["Location"] == "/"


def test_login_follows_a_safe_next(app, client):
    with app.app_context():
        make_user(email="ann@example.org")
    response = client.post("/login?next=/account", data={"email": "ann@example.org", "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/account"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x",
                                    "\\\\evil.example", "/%0d%0aLocation:x"])
def test_login_never_redirects_away(app, client, target):
    with app.app_context():
        make_user(email="ann@example.org")
    response = client.post("/login", query_string={"next": target},
                           data={"email": "ann@example.org", "password": TEST_PASSWORD})
    location = response.headers["Location"]
    assert location == "/" or (location.startswith("/") and not location.startswith("//") and "evil" not in location)


def test_protected_page_sends_to_login_with_next_and_back(app, client):
    with app.app_context():
        make_user(email="ann@example.org")
    location = client.get("/account").headers["Location"]
    assert location == "/login?next=%2Faccount"
    assert 'action="/login?next=/account"' in client.get(location).get_data(as_text=True)
    response = client.post(location, data={"email": "ann@example.org", "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/account"


def test_remember_me_sets_a_long_lived_cookie(app, client):
    with app.app_context():
        make_user(email="ann@example.org")
    response = client.post("/login", data={"email": "ann@example.org", "password": TEST_PASSWORD, "remember": "y"})
    assert "remember_token=" in " ".join(response.headers.getlist("Set-Cookie"))


def test_logout_get_changes_nothing_and_anonymous_goes_home(app, client, auth):
    assert client.get("/logout").headers["Location"] == "/"
    user = person(app)
    auth.login_as(user)
    client.get("/logout")
    assert signed_in_name(client) is not None


# The person's own settings -------------------------------------------------------------------------------------


def test_account_shows_own_email_and_saves_bio(app, client, auth):
    user = person(app, "Ann Smith", email="ann@example.org")
    auth.login_as(user)
    html = client.get("/account").get_data(as_text=True)
    assert "ann@example.org" in html
    response = client.post("/account", data={"bio": "I *cycle* to work."})
    assert response.headers["Location"] == "/account"
    html = client.get("/account").get_data(as_text=True)
    assert "I *cycle* to work." in html and "Your profile has been saved" in html
    with app.app_context():
        assert db.session.get(User, user.id).bio_html == "<p>I <em>cycle</em> to work.</p>"


def test_over_long_bio_is_kept_with_an_error(app, client, auth):
    user = person(app)
    auth.login_as(user)
    text = "Word " * 1001
    html = client.post("/account", data={"bio": text}).get_data(as_text=True)
    assert "5,000 characters or fewer" in html
    assert text.strip() in html


def test_change_password(app, client, auth):
    user = person(app, email="ann@example.org")
    auth.login_as(user)
    assert 'name="current_password"' in client.get("/account/password").get_data(as_text=True)
    html = client.post("/account/password", data={
        "current_password": "wrong one", "password": STRONG, "confirm_password": STRONG}).get_data(as_text=True)
    assert "Your current password is not correct" in html
    html = client.post("/account/password", data={
        "current_password": TEST_PASSWORD, "password": "tiny", "confirm_password": "tiny"}).get_data(as_text=True)
    assert "at least 10 characters" in html
    response = client.post("/account/password", data={
        "current_password": TEST_PASSWORD, "password": STRONG, "confirm_password": STRONG})
    assert response.headers["Location"] == "/account"
    assert signed_in_name(client) is not None  # this browser stays signed in
    client.post("/logout")
    assert client.post("/login", data={"email": "ann@example.org", "password": STRONG}).headers["Location"] == "/"


def test_password_change_signs_out_other_sessions(app, auth):
    user = person(app, email="ann@example.org")
    other = app.test_client()
    other.post("/login", data={"email": "ann@example.org", "password": TEST_PASSWORD})
    auth.login_as(user)
    auth._client.post("/account/password", data={
        "current_password": TEST_PASSWORD, "password": STRONG, "confirm_password": STRONG})
    assert other.get("/account").headers["Location"].startswith("/login")


def test_settings_need_sign_in(client):
    for url in ("/account", "/account/password"):
        assert client.get(url).headers["Location"].startswith("/login?next=")


def test_email_never_appears_on_public_pages(app, client, auth):
    person(app, "Ann Smith", email="ann.private@example.org")
    auth.login_as(person(app, "Reader"))
    for url in ("/", "/logout", "/account"):
        assert "ann.private@example.org" not in client.get(url).get_data(as_text=True)
