"""The groups services directly: counters, idempotence, invitations, permissions and the query budget."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import event, select

from forum.accounts.models import User
from forum.common import transaction
from forum.common.errors import NotFound, PermissionDenied, ValidationFailed
from forum.extensions import db
from forum.groups import services
from forum.groups.models import Group, Membership
from tests import factories
from tests.groups.support import active_count, group_row, membership_of


def _done() -> None:
    """End the unit of work, as a request's edge would (services only flush), before reading it elsewhere."""
    transaction.commit()


def _load(world):
    """The world's rows, in the current app context."""
    users = {name: db.session.get(User, getattr(world, name).id)
             for name in ("admin", "site_moderator", "resident", "member", "group_moderator")}
    slugs = (world.public, world.private)
    groups = {slug: db.session.scalar(select(Group).where(Group.slug == slug)) for slug in slugs}
    return users, groups


def test_get_readable_group_hides_private_groups_from_outsiders(app, world):
    with app.app_context():
        users, _ = _load(world)
        assert services.get_readable_group(world.public, AnonymousUserMixin()).slug == world.public
        for person in (AnonymousUserMixin(), users["resident"]):
            with pytest.raises(NotFound):
                services.get_readable_group(world.private, person)
        for name in ("member", "group_moderator", "site_moderator", "admin"):
            assert services.get_readable_group(world.private, users[name]).slug == world.private
        with pytest.raises(NotFound):
            services.get_readable_group("missing", users["admin"])


def test_join_leave_and_approve_move_the_counter(app, world):
    with app.app_context():
        users, groups = _load(world)
        services.join(world.public, users["resident"])
        services.join(world.public, users["resident"])
        _done()
        assert group_row(app, world.public)["member_count"] == 3
        assert services.leave(world.public, users["resident"])[1] == "active"
        assert services.leave(world.public, users["resident"])[1] is None
        _done()
        assert group_row(app, world.public)["member_count"] == 2
        token = services.invite_token(groups[world.private], users["group_moderator"])
        _, pending = services.join(world.private, users["resident"], invite=token)
        _done()
        assert pending.status == "pending" and group_row(app, world.private)["member_count"] == 2
        services.approve(groups[world.private], users["group_moderator"], pending.id)
        _done()
        assert group_row(app, world.private)["member_count"] == 3 == active_count(app, world.private)


def test_a_pending_request_becomes_membership_when_the_group_turns_public(app, world):
    with app.app_context():
        users, groups = _load(world)
        token = services.invite_token(groups[world.private], users["group_moderator"])
        services.join(world.private, users["resident"], invite=token)
        services.update_group(groups[world.private], users["admin"], "s", "d", private=False)
        services.join(world.private, users["resident"])
        _done()
        assert membership_of(app, world.private, users["resident"])["status"] == "active"
        assert group_row(app, world.private)["member_count"] == 3


def test_only_moderators_make_invitations_and_answer_requests(app, world):
    with app.app_context():
        users, groups = _load(world)
        with pytest.raises(PermissionDenied):
            services.invite_token(groups[world.private], users["member"])
        token = services.invite_token(groups[world.private], users["site_moderator"])
        _, pending = services.join(world.private, users["resident"], invite=token)
        with pytest.raises(PermissionDenied):
            services.approve(groups[world.private], users["member"], pending.id)
        with pytest.raises(PermissionDenied):
            services.reject(groups[world.private], users["resident"], pending.id)
        assert services.reject(groups[world.private], users["admin"], pending.id).id == users["resident"].id


def test_an_invitation_is_tied_to_its_group(app, world):
    with app.app_context():
        users, groups = _load(world)
        token = services.invite_token(groups[world.private], users["group_moderator"])
        assert services.invite_is_valid(groups[world.private], token)
        assert not services.invite_is_valid(groups[world.public], token)
        assert not services.invite_is_valid(groups[world.private], token + "x")
        assert not services.invite_is_valid(groups[world.private], None)


def test_anonymous_people_cannot_join_or_leave(app, world):
    with app.app_context():
        for action in (services.join, services.leave):
            with pytest.raises(PermissionDenied):
                action(world.public, AnonymousUserMixin())


def test_create_group_makes_a_unique_slug_and_renders_the_description(app, world):
    with app.app_context():
        users, _ = _load(world)
        group = services.create_group(users["admin"], "  Roads   and Paths ", "A  summary", "*Pot*holes")
        assert group.slug == "roads-and-paths" and group.name == "Roads and Paths" and group.summary == "A summary"
        assert group.description_html == "<p><em>Pot</em>holes</p>" and group.member_count == 0
        with pytest.raises(ValidationFailed) as error:
            services.create_group(users["admin"], "roads and paths!")
        assert error.value.field == "name"
        with pytest.raises(PermissionDenied):
            services.create_group(users["site_moderator"], "Another")


def test_update_group_ignores_privacy_from_group_moderators(app, world):
    with app.app_context():
        users, groups = _load(world)
        services.update_group(groups[world.public], users["group_moderator"], "New", "Text", private=True, position=0)
        _done()
        row = group_row(app, world.public)
        assert row["summary"] == "New" and row["is_private"] is False and row["position"] == 1
        with pytest.raises(PermissionDenied):
            services.update_group(groups[world.public], users["site_moderator"], "x", "y")
        with pytest.raises(ValidationFailed):
            services.update_group(groups[world.public], users["admin"], "x" * 301, "y")


def test_appoint_is_for_admins_and_members_only(app, world):
    with app.app_context():
        users, groups = _load(world)
        with pytest.raises(PermissionDenied):
            services.appoint(groups[world.public], users["site_moderator"], users["member"].id, "moderator")
        with pytest.raises(NotFound):
            services.appoint(groups[world.public], users["admin"], users["resident"].id, "moderator")
        with pytest.raises(ValidationFailed):
            services.appoint(groups[world.public], users["admin"], users["member"].id, "owner")
        appointed = services.appoint(groups[world.public], users["admin"], users["member"].id, "moderator")
        assert appointed.role == "moderator"


def test_add_member_by_display_name_turns_a_request_into_membership(app, world):
    with app.app_context():
        users, groups = _load(world)
        token = services.invite_token(groups[world.private], users["group_moderator"])
        services.join(world.private, users["resident"], invite=token)
        services.add_member(groups[world.private], users["group_moderator"], "Rita  Resident")
        _done()
        assert membership_of(app, world.private, users["resident"])["status"] == "active"
        assert group_row(app, world.private)["member_count"] == 3 == active_count(app, world.private)
        with pytest.raises(ValidationFailed):
            services.add_member(groups[world.private], users["group_moderator"], "Rita Resident")


def test_adding_someone_who_joins_at_that_moment_says_they_are_a_member(app, world):
    """The join's row lands between the moderator's check and insert: a clear message, not a 500, counted once."""
    import threading

    outcome: dict[str, object] = {}

    def moderator_adds() -> None:
        try:
            with app.app_context():
                users, groups = _load(world)
                services.add_member(groups[world.public], users["group_moderator"], "Rita Resident")
        except Exception as error:  # noqa: BLE001 - reported to the test below
            outcome["error"] = error

    with app.app_context():
        users, groups = _load(world)
        before = group_row(app, world.public)["member_count"]
        db.session.add(Membership(group_id=groups[world.public].id, user_id=users["resident"].id))
        db.session.flush()  # the resident's join, not yet committed
        other = threading.Thread(target=moderator_adds)
        other.start()
        other.join(timeout=1.0)
        db.session.execute(
            db.update(Group).where(Group.slug == world.public).values(member_count=Group.member_count + 1)
        )
        db.session.commit()
    other.join(timeout=20)
    assert not other.is_alive()
    assert isinstance(outcome.get("error"), ValidationFailed), outcome.get("error")
    assert "already a member" in outcome["error"].message
    assert group_row(app, world.public)["member_count"] == before + 1 == active_count(app, world.public)


def test_joining_twice_at_once_counts_the_first_click_only(app, world):
    """The first click's row lands between the second's check and insert: the second returns that membership
    (no error, no second row), and the member is counted once."""
    import threading

    outcome: dict[str, object] = {}

    def second_click() -> None:
        try:
            with app.app_context():
                users, _ = _load(world)
                _, membership = services.join(world.public, users["resident"])
                outcome["status"] = membership.status
        except Exception as error:  # noqa: BLE001 - reported to the test below
            outcome["error"] = error

    with app.app_context():
        users, groups = _load(world)
        before = group_row(app, world.public)["member_count"]
        services.join(world.public, users["resident"])  # the first click, not yet committed
        other = threading.Thread(target=second_click)
        other.start()
        other.join(timeout=1.0)
    other.join(timeout=20)
    assert not other.is_alive()
    assert outcome == {"status": "active"}, outcome
    assert group_row(app, world.public)["member_count"] == before + 1 == active_count(app, world.public)


def test_refusing_a_request_another_moderator_just_approved_keeps_the_member(app, world, monkeypatch):
    """The approval lands between the refusal's check and its delete: the member stays, and is counted."""
    import threading

    with app.app_context():
        users, groups = _load(world)
        token = services.invite_token(groups[world.private], users["group_moderator"])
        request_id = services.join(world.private, users["resident"], invite=token)[1].id
        _done()
        before = group_row(app, world.private)["member_count"]

    def approve_elsewhere() -> None:
        with app.app_context():
            users, groups = _load(world)
            services.approve(groups[world.private], users["admin"], request_id)

    checked = services._pending_request

    def check_then_someone_approves(*args):
        membership = checked(*args)
        if threading.current_thread() is threading.main_thread():  # the refusal, not the approval
            other = threading.Thread(target=approve_elsewhere)
            other.start()
            other.join(timeout=20)
        return membership

    monkeypatch.setattr(services, "_pending_request", check_then_someone_approves)
    with app.app_context():
        users, groups = _load(world)
        with pytest.raises(ValidationFailed, match="accepted by another moderator"):
            services.reject(groups[world.private], users["group_moderator"], request_id)
    assert membership_of(app, world.private, world.resident)["status"] == "active"
    assert group_row(app, world.private)["member_count"] == before + 1 == active_count(app, world.private)


def test_list_groups_and_members_use_a_fixed_number_of_queries(app, world):
    """The list pages never count or load per row (no N+1): 3 groups or 30, the same queries."""

    def queries(per_page_items: int) -> int:
        statements: list[str] = []
        with app.app_context():
            users, groups = _load(world)
            listener = lambda *args: statements.append(args[2])  # noqa: E731
            event.listen(db.engine, "before_cursor_execute", listener)
            try:
                page = services.list_groups(users["member"], 1, per_page=100)
                services.membership_map(page.items, users["member"])
                members = services.list_members(groups[world.public], 1)
                _ = [(g.name, g.member_count, g.thread_count) for g in page.items]
                _ = [m.user.display_name for m in members.items]
            finally:
                event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    small = queries(3)
    with app.app_context():
        people = [factories.make_user(f"Extra {n}") for n in range(20)]
        for n in range(27):
            factories.make_group(f"More {n:02}", members=tuple(people))
        for person in people:
            db.session.add(Membership(group_id=db.session.scalar(select(Group.id).where(Group.slug == world.public)),
                                      user_id=person.id))
        db.session.commit()
    assert queries(30) == small
