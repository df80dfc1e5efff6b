"""Issue 11, your account and your data: renaming, changing the email address through a signed link,
downloading everything as JSON and deleting the account (posts stay, as "A former member")."""

from __future__ import annotations

import json
import re

from sqlalchemy import func, select

from forum.accounts import services
from forum.accounts.models import User
from forum.audit.models import AuditEntry
from forum.budgeting.models import Ballot
from forum.extensions import db
from forum.groups.models import Membership
from forum.mail import transport
from forum.moderation.models import Flag
from forum.notifications.models import Notification
from tests import factories
from tests.budgeting.support import make_budget, store_ballot
from tests.conftest import TEST_PASSWORD
from tests.pages import read
from tests.people import person_of, sign_in, sign_out

NEW = "ann.new@example.org"


def _world(app):
    """Ann (who writes a thread, a reply and a comment, flags and votes) and Bob (who writes too)."""
    with app.app_context():
        ann = factories.make_user("Ann Smith", email="ann@example.org")
        bob = factories.make_user("Bob Jones", email="bob@example.org")
        group = factories.make_group("Housing", members=(ann, bob))
        thread = factories.make_thread(group, ann, title="Bins on Elm Street", body="Ann's opening words.")
        from forum.common import transaction
        from forum.threads import services as threads
        reply = threads.reply(thread, bob, "Bob's reply text.")
        threads.add_comment(reply, ann, "Ann's comment on Bob.")
        db.session.add(Flag(item_type="post", item_id=reply.id, flagger_id=ann.id, reason="spam", note="n"))
        transaction.commit()
        setup = make_budget(phase="voting")
        store_ballot(setup.pot, ann, [setup.ids[0]])
        return person_of(ann), person_of(bob), thread.id, group.slug


def _link(app, to: str) -> str:
    message = [m for m in transport.sent(app) if m["To"] == to][-1]
    return re.search(r"https?://\S+/account/email/\S+", message.get_content()).group(0)


# Display name --------------------------------------------------------------------------------------------------


def test_change_display_name(app, client):
    with app.app_context():
        ann = person_of(factories.make_user("Ann Smith"))
        factories.make_user("Bob Jones")
    sign_in(client, ann)
    page = read(client.post("/account/name", data={"display_name": "Bob  Jones"}))
    assert page.field_error("display_name") == services.NAME_TAKEN
    page = read(client.post("/account/name", data={"display_name": "A former member"}))
    assert page.field_error("display_name") == services.NAME_RESERVED
    page = read(client.post("/account/name", data={"display_name": "x"}))
    assert "between 2 and 50" in page.field_error("display_name")
    response = client.post("/account/name", data={"display_name": "  Annie   Smith "})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, ann.id)
        assert (user.display_name, user.handle) == ("Annie Smith", "annie-smith")
    # Only a change of case: her own handle is not "taken".
    assert client.post("/account/name", data={"display_name": "annie smith"}).status_code == 302


def test_registering_a_former_member_name_is_refused(app, client):
    page = read(client.post("/register", data={"display_name": "Former member 3", "email": "x@example.org",
                                               "password": "purple monkey dishwasher",
                                               "confirm_password": "purple monkey dishwasher"}))
    assert page.field_error("display_name") == services.NAME_RESERVED


# Email address ---------------------------------------------------------------------------------------------------


def test_email_change_needs_password_and_a_free_address(app, client):
    with app.app_context():
        ann = person_of(factories.make_user("Ann Smith", email="ann@example.org"))
        factories.make_user("Bob Jones", email="bob@example.org")
    sign_in(client, ann)
    page = read(client.post("/account/email", data={"email": NEW, "current_password": "wrong password here"}))
    assert page.field_error("current_password") == services.WRONG_PASSWORD
    page = read(client.post("/account/email", data={"email": "BOB@example.org", "current_password": TEST_PASSWORD}))
    assert page.field_error("email") == services.EMAIL_TAKEN  # what registering with it says, no more
    page = read(client.post("/account/email", data={"email": "ann@example.org", "current_password": TEST_PASSWORD}))
    assert page.field_error("email") == "That is already your email address"
    assert transport.sent(app) == []


def test_email_link_works_once_without_signing_in(app, client):
    with app.app_context():
        ann = person_of(factories.make_user("Ann Smith", email="ann@example.org"))
    sign_in(client, ann)
    page = read(client.post("/account/email", data={"email": NEW, "current_password": TEST_PASSWORD}))
    assert page.h1 == "Check your email" and NEW in page.visible_text
    notice = [m for m in transport.sent(app) if m["To"] == "ann@example.org"]
    assert len(notice) == 1 and "changing" in notice[0]["Subject"]
    link = _link(app, NEW)
    with app.app_context():
        assert db.session.get(User, ann.id).email == "ann@example.org"  # nothing changes before the link
    sign_out(client)
    path = link.split("localhost", 1)[-1] if "localhost" in link else re.sub(r"https?://[^/]+", "", link)
    page = read(client.get(path))
    assert page.h1 == "Confirm your new email address" and NEW in page.visible_text
    response = client.post(path)
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, ann.id)
        assert (user.email, user.email_key) == (NEW, NEW)
    # Used once: it no longer works.
    response = client.get(path)
    assert response.status_code == 410
    assert "already been used" in read(response).visible_text
    assert client.post(path).status_code == 410
    assert client.get("/account/email/not-a-token").status_code == 400


def test_email_link_expires(app, client):
    with app.app_context():
        ann = person_of(factories.make_user("Ann Smith", email="ann@example.org"))
    sign_in(client, ann)
    client.post("/account/email", data={"email": NEW, "current_password": TEST_PASSWORD})
    path = re.sub(r"https?://[^/]+", "", _link(app, NEW))
    app.config["EMAIL_CHANGE_MAX_AGE"] = -1
    response = client.get(path)
    assert response.status_code == 410 and "expired" in read(response).visible_text


def test_email_link_refused_when_the_address_was_taken_meanwhile(app, client):
    with app.app_context():
        ann = person_of(factories.make_user("Ann Smith", email="ann@example.org"))
    sign_in(client, ann)
    client.post("/account/email", data={"email": NEW, "current_password": TEST_PASSWORD})
    path = re.sub(r"https?://[^/]+", "", _link(app, NEW))
    with app.app_context():
        factories.make_user("Someone Else", email=NEW)
    assert client.post(path).status_code == 410
    with app.app_context():
        assert db.session.get(User, ann.id).email == "ann@example.org"


# Download ----------------------------------------------------------------------------------------------------------


def test_export_has_their_writing_and_not_others(app, client):
    ann, bob, thread_id, _slug = _world(app)
    sign_in(client, ann)
    assert read(client.get("/account/data")).h1 == "Download your data"
    response = client.post("/account/data")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="forum-data-ann-smith.json"'
    data = json.loads(response.get_data(as_text=True))
    assert data["profile"]["email"] == "ann@example.org"
    assert data["settings"]["role"] == "resident"
    assert [t["title"] for t in data["threads"]] == ["Bins on Elm Street"]
    assert [p["text"] for p in data["posts"]] == ["Ann's opening words."]
    assert data["posts"][0]["revisions"][0]["text"] == "Ann's opening words."
    assert [c["text"] for c in data["comments"]] == ["Ann's comment on Bob."]
    assert [m["group"] for m in data["memberships"]] == ["Housing"]
    assert [f["reason"] for f in data["flags"]] == ["spam"]
    assert len(data["ballots"]) == 1 and len(data["ballots"][0]["choices"]) == 1
    assert [n["kind"] for n in data["notifications"]] == ["reply_to_thread"]
    assert data["notification_settings"]["email"]["mention"] in ("immediate", "daily", "never")
    assert data["notification_settings"]["watching"] == [{"thread_id": thread_id, "group_id": None,
                                                          "level": "watching"}]
    assert "Bob's reply text." not in response.get_data(as_text=True)
    assert "bob@example.org" not in response.get_data(as_text=True)


def test_export_keeps_the_order_of_a_ranked_ballot(app, client):
    with app.app_context():
        from forum.budgeting.services import voting
        ann = factories.make_user("Ann Smith", email="ann@example.org")
        setup = make_budget(ballot_kind="ordinal", max_projects=3)
        voting.cast_ballot(setup.pot, ann, [setup.ids[2], setup.ids[0]])
        from forum.common import transaction
        transaction.commit()
        ann = person_of(ann)
    sign_in(client, ann)
    data = json.loads(client.post("/account/data").get_data(as_text=True))
    assert [(c["proposal"], c["rank"], c["points"]) for c in data["ballots"][0]["choices"]] == [
        ("Project 3", 1, 1), ("Project 1", 2, 1)]


def test_download_needs_sign_in(client):
    assert client.get("/account/data").status_code == 302
    assert client.post("/account/data").status_code == 302


# Deletion ---------------------------------------------------------------------------------------------------------


def test_delete_account(app, client):
    ann, bob, thread_id, slug = _world(app)
    sign_in(client, ann)
    page = read(client.get("/account/delete"))
    assert page.h1 == "Delete your account" and page.has(".govuk-warning-text")
    page = read(client.post("/account/delete", data={"password": "not my password"}))
    assert page.field_error("password") == services.WRONG_PASSWORD
    response = client.post("/account/delete", data={"password": TEST_PASSWORD})
    assert response.status_code == 302
    # Signed out, and the old session no longer works.
    assert client.get("/account").status_code == 302
    sign_in(client, ann)
    assert client.get("/account").status_code == 302
    # Cannot sign in again.
    page = read(client.post("/login", data={"email": "ann@example.org", "password": TEST_PASSWORD}))
    assert page.error_summary
    with app.app_context():
        user = db.session.get(User, ann.id)
        assert user.display_name == "A former member" and user.deleted_at is not None
        assert "ann" not in user.email and user.email.endswith(".invalid")
        assert user.bio_source == "" and user.organisation is None
        assert services.authenticate(user.email, TEST_PASSWORD) is None
        assert db.session.scalar(select(func.count()).select_from(Membership)
                                 .where(Membership.user_id == ann.id)) == 0
        assert db.session.scalar(select(func.count()).select_from(Ballot).where(Ballot.voter_id == ann.id)) == 0
        assert db.session.scalar(select(func.count()).select_from(Notification)
                                 .where(Notification.recipient_id == ann.id)) == 0
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "delete_account")).one()
        assert entry.subject_id == ann.id and "Ann" not in entry.summary and "ann@" not in entry.summary
    # Their posts stay, credited to a former member with no profile link.
    sign_in(client, bob)
    page = read(client.get(f"/threads/{thread_id}/"))
    assert "Ann's opening words." in page.visible_text
    assert "A former member" in page.visible_text
    assert "Ann Smith" not in page.visible_text
    assert not any("/users/former-member" in href or "/users/ann-smith" in href for href in page.links())
    assert client.get("/users/ann-smith/").status_code == 404
    # Another deletion gets its own placeholder (the handles and addresses stay unique).
    sign_out(client)
    sign_in(client, bob)
    assert client.post("/account/delete", data={"password": TEST_PASSWORD}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)
                                 .where(User.display_name == "A former member")) == 2


def test_ballot_in_closed_budget_is_kept(app, client):
    with app.app_context():
        ann = factories.make_user("Ann Smith")
        setup = make_budget(phase="results")
        store_ballot(setup.pot, ann, [setup.ids[0]])
        ann = person_of(ann)
    sign_in(client, ann)
    assert client.post("/account/delete", data={"password": TEST_PASSWORD}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Ballot).where(Ballot.voter_id == ann.id)) == 1


def test_last_admin_cannot_delete(app, client):
    with app.app_context():
        admin = person_of(factories.make_user("Ada Admin", role="admin"))
    sign_in(client, admin)
    page = read(client.get("/account/delete"))
    assert "only administrator" in page.visible_text and not page.has("input[name=password]")
    page = read(client.post("/account/delete", data={"password": TEST_PASSWORD}))
    assert "only administrator" in page.visible_text
    with app.app_context():
        assert db.session.get(User, admin.id).deleted_at is None
