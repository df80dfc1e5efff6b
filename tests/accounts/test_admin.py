"""The admin's user list and role pages: who may see them, what they show, what they refuse."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from forum.accounts.models import Role, User
from forum.extensions import db
from tests.accounts.support import person


@pytest.fixture
def admin(app, auth):
    someone = person(app, "Ada Admin", role=Role.ADMIN, email="ada@example.org")
    auth.login_as(someone)
    return someone


def test_anonymous_is_sent_to_sign_in(app, client):
    target = person(app)
    for url in ("/admin/users", f"/admin/users/{target.id}"):
        assert client.get(url).headers["Location"].startswith("/login?next=")
    response = client.post(f"/admin/users/{target.id}", data={"role": Role.ADMIN})
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.CIVIL_SERVANT, Role.MODERATOR])
def test_everyone_but_admins_gets_403(app, client, auth, role):
    me = person(app, role=role, organisation="Council" if role == Role.CIVIL_SERVANT else None)
    auth.login_as(me)
    assert client.get("/admin/users").status_code == 403
    assert client.get(f"/admin/users/{me.id}").status_code == 403
    assert client.post(f"/admin/users/{me.id}", data={"role": Role.ADMIN}).status_code == 403
    with app.app_context():
        assert db.session.get(User, me.id).role == role


def test_list_shows_roles_and_organisations_but_no_emails(app, client, admin):
    person(app, "Carl Civil", role=Role.CIVIL_SERVANT, organisation="Leeds City Council", email="carl@example.org")
    person(app, "Mo Moderator", role=Role.MODERATOR)
    html = client.get("/admin/users").get_data(as_text=True)
    for text in ("Ada Admin", "Administrator", "Carl Civil", "Civil servant", "Leeds City Council", "Moderator"):
        assert text in html
    assert "@example.org" not in html
    assert "Users" in client.get("/").get_data(as_text=True)  # the admin's navigation links here


def test_list_is_paginated_with_a_fixed_number_of_queries(app, client, admin):
    app.config["USERS_PER_PAGE"] = 3
    for n in range(7):
        person(app, f"Person {n}")
    queries: list[str] = []

    def count(*args):
        queries.append(args[2])

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    first = client.get("/admin/users").get_data(as_text=True)
    first_count, queries[:] = len(queries), []
    app.config["USERS_PER_PAGE"] = 8
    client.get("/admin/users")
    assert len(queries) == first_count
    assert 'href="/admin/users?page=2"' in first and "Ada Admin" in first
    app.config["USERS_PER_PAGE"] = 3
    last = client.get("/admin/users?page=3").get_data(as_text=True)
    assert "Person 6" in last and "Person 0" not in last
    assert client.get("/admin/users?page=9").status_code == 404
    assert client.get("/admin/users?page=nope").status_code == 400


def test_user_page_shows_the_email_and_grants_a_role(app, client, admin):
    target = person(app, "Carl", email="carl@example.org")
    page = client.get(f"/admin/users/{target.id}").get_data(as_text=True)
    assert "carl@example.org" in page and 'name="role"' in page and 'name="organisation"' in page
    response = client.post(f"/admin/users/{target.id}",
                           data={"role": Role.CIVIL_SERVANT, "organisation": "Leeds City Council"})
    assert response.headers["Location"] == f"/admin/users/{target.id}"
    assert "Carl is now: Civil servant" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        user = db.session.get(User, target.id)
        assert (user.role, user.organisation) == (Role.CIVIL_SERVANT, "Leeds City Council")


def test_civil_servant_needs_an_organisation(app, client, admin):
    target = person(app)
    html = client.post(f"/admin/users/{target.id}", data={"role": Role.CIVIL_SERVANT, "organisation": ""}
                       ).get_data(as_text=True)
    assert "Enter the organisation a civil servant works for" in html and 'href="#organisation"' in html
    with app.app_context():
        assert db.session.get(User, target.id).role == Role.RESIDENT


def test_bad_role_values_are_refused(app, client, admin):
    target = person(app)
    for data in ({}, {"role": "emperor"}):
        html = client.post(f"/admin/users/{target.id}", data=data).get_data(as_text=True)
        assert "Choose a role" in html
    long_name = "x" * 101
    html = client.post(f"/admin/users/{target.id}", data={"role": Role.CIVIL_SERVANT, "organisation": long_name}
                       ).get_data(as_text=True)
    assert "100 characters or fewer" in html and long_name in html


def test_an_admin_cannot_remove_their_own_admin_role(app, client, admin):
    html = client.post(f"/admin/users/{admin.id}", data={"role": Role.RESIDENT}).get_data(as_text=True)
    assert "You cannot remove your own administrator role" in html
    with app.app_context():
        assert db.session.get(User, admin.id).role == Role.ADMIN


def test_an_admin_can_demote_another_admin(app, client, admin):
    other = person(app, role=Role.ADMIN)
    client.post(f"/admin/users/{other.id}", data={"role": Role.MODERATOR})
    with app.app_context():
        assert db.session.get(User, other.id).role == Role.MODERATOR


def test_unknown_user_is_404(client, admin):
    assert client.get("/admin/users/999999").status_code == 404
