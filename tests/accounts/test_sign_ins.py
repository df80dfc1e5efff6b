"""Sign-ins end on the server: a copy of a session or remember-me cookie is worthless once its sign-in ends."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from forum.accounts.models import SignIn, User
from forum.common.timefmt import utcnow
from forum.extensions import db
from tests.accounts.support import STRONG
from tests.conftest import TEST_PASSWORD
from tests.factories import make_user

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
PHONE = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 "
         "Mobile Safari/537.36")


def _sign_in(client, email: str, user_agent: str = FIREFOX, remember: bool = False) -> None:
    data = {"email": email, "password": TEST_PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data, headers={"User-Agent": user_agent})
    assert response.status_code == 302, "signing in failed"


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def _copy(source, target, names=("session", "remember_token")) -> None:
    for name in names:
        cookie = source.get_cookie(name)
        if cookie is not None:
            target.set_cookie(name, cookie.value)


def _email(app) -> str:
    with app.app_context():
        return make_user("Sam Signin", email="sam@example.org").email


def test_a_session_cookie_copied_before_signing_out_stops_working(app, client):
    email = _email(app)
    _sign_in(client, email)
    thief = app.test_client()
    _copy(client, thief, names=("session",))
    assert _signed_in(thief), "the copy works while the sign-in lasts"
    client.post("/logout")
    assert not _signed_in(client)
    assert not _signed_in(thief), "the copied cookie still signs in after signing out"


def test_a_remember_me_cookie_copied_before_signing_out_stops_working(app, client):
    email = _email(app)
    _sign_in(client, email, remember=True)
    thief = app.test_client()
    _copy(client, thief, names=("remember_token",))
    assert _signed_in(thief), "the remember-me cookie alone signs in"
    client.post("/logout")
    assert not _signed_in(thief), "the session the remember-me cookie started outlives signing out"
    thief.delete_cookie("session")
    assert not _signed_in(thief), "the remember-me cookie still signs in after signing out"


def test_the_account_page_lists_each_browser_and_signing_out_everywhere_ends_them_all(app, client):
    email = _email(app)
    phone = app.test_client()
    _sign_in(client, email, FIREFOX)
    _sign_in(phone, email, PHONE)
    html = client.get("/account").get_data(as_text=True)
    assert "Where you are signed in" in html
    assert "Firefox on Windows" in html and "Chrome on Android" in html
    assert html.count("This browser") == 1
    response = client.post("/account/sign-out-everywhere", follow_redirects=True)
    assert "You have signed out everywhere (2 browsers)" in response.get_data(as_text=True)
    assert not _signed_in(client) and not _signed_in(phone)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SignIn)) == 0


def test_signing_out_everywhere_needs_a_post_and_a_sign_in(app, client):
    assert client.get("/account/sign-out-everywhere").status_code == 405
    response = client.post("/account/sign-out-everywhere")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_changing_the_password_signs_out_every_other_browser_and_keeps_this_one(app, client):
    email = _email(app)
    phone = app.test_client()
    _sign_in(client, email)
    _sign_in(phone, email, PHONE)
    response = client.post("/account/password", data={
        "current_password": TEST_PASSWORD, "password": STRONG, "confirm_password": STRONG})
    assert response.status_code == 302
    assert _signed_in(client), "the browser that changed the password stays signed in"
    assert not _signed_in(phone), "another browser stays signed in after a password change"


def test_a_sign_in_unused_for_longer_than_the_limit_ends(app, client):
    email = _email(app)
    _sign_in(client, email)
    with app.app_context():
        days = app.config["SIGN_IN_IDLE_DAYS"]
        db.session.execute(update(SignIn).values(last_seen_at=utcnow() - timedelta(days=days, minutes=1)))
        db.session.commit()
    assert not _signed_in(client)


def test_a_deleted_account_keeps_no_sign_ins(app, client):
    email = _email(app)
    _sign_in(client, email)
    thief = app.test_client()
    _copy(client, thief)
    response = client.post("/account/delete", data={"password": TEST_PASSWORD})
    assert response.status_code == 302
    assert not _signed_in(thief)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.deleted_at.is_not(None)))
        assert db.session.scalar(select(func.count()).select_from(SignIn).where(SignIn.user_id == user.id)) == 0
