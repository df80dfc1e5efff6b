"""Account services: the rules behind registration, sign-in, resets and roles."""

from __future__ import annotations

import pytest

from forum.accounts import services, sign_ins
from forum.accounts.models import Role, User
from forum.common.errors import NotFound, ValidationFailed
from forum.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.factories import make_user, sign_in_id

STRONG = "purple monkey dishwasher"


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("short", "at least 10 characters"),
        ("password123", "too easy to guess"),
        ("aaaaaaaaaaaa", "too easy to guess"),
        ("Ann Smith rules ok", "must not contain your display name"),
        ("annsmith-rules-ok", "must not contain your display name"),
        ("ann.s1978 is my name", "must not contain your display name or email"),
        ("x" * 201 + "abcd", "200 characters or fewer"),
    ],
)
def test_password_problem_names_what_is_wrong(password, expected):
    assert expected in services.password_problem(password, "Ann Smith", "ann.s1978@example.org")


def test_a_long_uncommon_password_is_accepted():
    assert services.password_problem(STRONG, "Ann Smith", "ann@example.org") is None


def test_create_user_stores_a_hash_and_folds_the_name_and_email(app):
    with app.app_context():
        user = services.create_user("  Ann   Smith ", " Ann@Example.ORG ", STRONG)
        assert (user.display_name, user.handle, user.email, user.email_key) == (
            "Ann Smith", "ann-smith", "Ann@Example.ORG", "ann@example.org")
        assert user.role == Role.RESIDENT
        assert STRONG not in user.password_hash
        assert user.password_hash.startswith("pbkdf2:sha256")


def test_duplicate_name_email_and_weak_password_are_reported_together(app):
    with app.app_context():
        make_user("Ann Smith", email="ann@example.org")
        with pytest.raises(services.FormRefused) as caught:
            services.create_user("ann-SMITH", "ANN@example.org", "password")
        fields = {problem.field for problem in caught.value.errors}
        assert fields == {"display_name", "email", "password"}
        assert db.session.query(User).count() == 1


@pytest.mark.parametrize(("name", "email", "field", "message"), [
    ("Ann Other", "ann@example.org", "email", "already uses that email address"),
    ("Ann Smith", "another@example.org", "display_name", "display name is already taken"),
])
def test_a_name_or_address_taken_at_the_same_moment_is_a_field_error(app, name, email, field, message):
    """The other account's row lands between the checks and the insert: a refusal by the right field, not a 500."""
    import threading

    outcome: dict[str, object] = {}

    def second_person() -> None:
        try:
            with app.app_context():
                services.create_user(name, email, STRONG)
        except Exception as error:  # noqa: BLE001 - reported to the test below
            outcome["error"] = error

    with app.app_context():
        services.create_user("Ann Smith", "ann@example.org", STRONG)  # not yet committed
        other = threading.Thread(target=second_person)
        other.start()
        other.join(timeout=1.0)
    other.join(timeout=20)
    assert not other.is_alive()
    refusal = outcome.get("error")
    assert isinstance(refusal, ValidationFailed) and refusal.field == field and message in refusal.message, refusal
    with app.app_context():
        assert db.session.query(User).count() == 1


def test_a_display_name_without_letters_or_numbers_is_refused(app):
    with app.app_context(), pytest.raises(ValidationFailed, match="letters or numbers"):
        services.create_user("!!!", "bang@example.org", STRONG)


@pytest.mark.parametrize("name", ["Bob\x01", "\u202enimdA ecnO", "Ann\u200bSmith"])
def test_a_display_name_with_control_or_invisible_characters_is_refused(app, name):
    """A right-to-left override or a zero-width space lets one name pass for another."""
    with app.app_context(), pytest.raises(ValidationFailed, match="invisible or control characters"):
        services.create_user(name, "sneaky@example.org", STRONG)


def test_authenticate_is_case_blind_on_email_and_exact_on_password(app):
    with app.app_context():
        make_user("Ann Smith", email="ann@example.org")
        assert services.authenticate("ANN@example.org ", TEST_PASSWORD).handle == "ann-smith"
        assert services.authenticate("ann@example.org", TEST_PASSWORD.upper()) is None
        assert services.authenticate("nobody@example.org", TEST_PASSWORD) is None


def test_reset_token_names_the_user_and_dies_with_the_password(app):
    with app.app_context():
        user = make_user("Ann Smith")
        token = services.make_reset_token(user)
        assert services.user_for_reset_token(token).id == user.id
        services.reset_password(token, STRONG)
        with pytest.raises(services.ResetLinkInvalid, match="already been used"):
            services.user_for_reset_token(token)
        with pytest.raises(services.ResetLinkInvalid, match="not valid"):
            services.user_for_reset_token(token[:-3] + "abc")


def test_reset_password_refuses_a_weak_password_and_keeps_the_old_one(app):
    with app.app_context():
        user = make_user("Ann Smith")
        old_hash = user.password_hash
        with pytest.raises(ValidationFailed, match="at least 10"):
            services.reset_password(services.make_reset_token(user), "weak")
        assert db.session.get(User, user.id).password_hash == old_hash


def test_update_bio_goes_through_the_text_pipeline(app):
    with app.app_context():
        user = make_user()
        services.update_bio(user, "I **cycle** to work. <script>alert(1)</script>")
        assert "<strong>cycle</strong>" in user.bio_html
        assert "<script" not in user.bio_html
        with pytest.raises(ValidationFailed, match="5,000"):
            services.update_bio(user, "x" * 5001)


def test_change_password_needs_the_current_one(app):
    with app.app_context():
        user = make_user()
        with pytest.raises(ValidationFailed) as caught:
            services.change_password(user, "wrong password", STRONG)
        assert caught.value.field == "current_password"
        with pytest.raises(ValidationFailed, match="different"):
            services.change_password(user, TEST_PASSWORD, TEST_PASSWORD)
        services.change_password(user, TEST_PASSWORD, STRONG)
        assert services.authenticate(user.email, STRONG) is not None


def test_set_role_rules(app):
    with app.app_context():
        admin = make_user("Admin", role=Role.ADMIN)
        person = make_user("Person")
        with pytest.raises(ValidationFailed, match="organisation") as caught:
            services.set_role(person, Role.CIVIL_SERVANT, "  ", actor=admin)
        assert caught.value.field == "organisation"
        services.set_role(person, Role.CIVIL_SERVANT, " Leeds  City Council ", actor=admin)
        assert (person.role, person.organisation) == (Role.CIVIL_SERVANT, "Leeds City Council")
        with pytest.raises(ValidationFailed, match="your own administrator role"):
            services.set_role(admin, Role.MODERATOR, actor=admin)
        with pytest.raises(ValidationFailed, match="Choose a role"):
            services.set_role(person, "emperor", actor=admin)
        assert db.session.get(User, admin.id).role == Role.ADMIN


def test_list_users_pages_and_refuses_pages_past_the_end(app):
    with app.app_context():
        for n in range(5):
            make_user(f"Person {n}")
        page = services.list_users(2, 2)
        assert [u.display_name for u in page.items] == ["Person 2", "Person 3"]
        assert (page.total, page.pages) == (5, 3)
        with pytest.raises(NotFound):
            services.list_users(4, 2)


def test_a_session_loads_its_account_only_while_its_sign_in_lasts(app):
    with app.app_context():
        user, other = make_user(), make_user()
        session_id = sign_in_id(user)
        token = session_id.partition(":")[2]
        assert sign_ins.load(session_id).id == user.id
        assert sign_ins.load(f"{other.id}:{token}") is None  # another account's id with this token
        assert sign_ins.load(f"{user.id}:wrongtoken") is None
        assert sign_ins.load("abc") is None
        assert sign_ins.load("9" * 30) is None
        sign_ins.end(sign_ins.load(session_id))
        assert sign_ins.load(session_id) is None
