"""`flask --app forum users create-admin` and `users set-role`."""

from __future__ import annotations

from sqlalchemy import select
from werkzeug.security import check_password_hash

from forum.accounts.models import Role, User
from forum.extensions import db
from tests.accounts.support import STRONG, person


def stored(app, email: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email_key == email.lower()))
        if user is not None:
            db.session.expunge(user)
        return user


def test_create_admin_with_options(app, runner):
    result = runner.invoke(args=["users", "create-admin", "--display-name", "Ada Admin",
                                 "--email", "ada@example.org", "--password", STRONG])
    assert result.exit_code == 0, result.output
    assert "Created administrator Ada Admin <ada@example.org>" in result.output
    user = stored(app, "ada@example.org")
    assert user.role == Role.ADMIN and user.handle == "ada-admin"
    assert STRONG not in user.password_hash and check_password_hash(user.password_hash, STRONG)


def test_create_admin_prompts_for_what_is_missing_and_hides_the_password(app, runner):
    result = runner.invoke(args=["users", "create-admin"], input=f"Ada Admin\nada@example.org\n{STRONG}\n{STRONG}\n")
    assert result.exit_code == 0, result.output
    assert "Display name:" in result.output and "Repeat for confirmation:" in result.output
    assert STRONG not in result.output
    assert stored(app, "ada@example.org").role == Role.ADMIN


def test_create_admin_refuses_a_weak_password(app, runner):
    result = runner.invoke(args=["users", "create-admin", "--display-name", "Ada Admin",
                                 "--email", "ada@example.org", "--password", "password123"])
    assert result.exit_code != 0
    assert "too easy to guess" in result.output
    assert stored(app, "ada@example.org") is None


def test_create_admin_refuses_a_duplicate(app, runner):
    person(app, "Ada Admin", email="ada@example.org")
    result = runner.invoke(args=["users", "create-admin", "--display-name", "ADA admin",
                                 "--email", "ADA@example.org", "--password", STRONG])
    assert result.exit_code != 0
    assert "display name is already taken" in result.output and "already uses that email" in result.output
    with app.app_context():
        assert db.session.query(User).count() == 1


def test_set_role(app, runner):
    person(app, "Carl", email="carl@example.org")
    result = runner.invoke(args=["users", "set-role", "carl@example.org", "moderator"])
    assert result.exit_code == 0, result.output
    assert "Carl <carl@example.org> is now: Moderator." in result.output
    assert stored(app, "carl@example.org").role == Role.MODERATOR


def test_set_role_civil_servant_needs_an_organisation(app, runner):
    person(app, "Carl", email="carl@example.org")
    result = runner.invoke(args=["users", "set-role", "carl@example.org", "civil_servant"])
    assert result.exit_code != 0 and "Enter the organisation" in result.output
    result = runner.invoke(args=["users", "set-role", "carl@example.org", "civil_servant",
                                 "--organisation", "Leeds City Council"])
    assert result.exit_code == 0 and "(Leeds City Council)" in result.output
    assert stored(app, "carl@example.org").organisation == "Leeds City Council"


def test_set_role_refuses_unknown_people_and_roles(app, runner):
    result = runner.invoke(args=["users", "set-role", "nobody@example.org", "admin"])
    assert result.exit_code != 0 and "No account uses nobody@example.org" in result.output
    person(app, email="carl@example.org")
    result = runner.invoke(args=["users", "set-role", "carl@example.org", "emperor"])
    assert result.exit_code != 0 and "emperor" in result.output
