"""The join / leave control that the group page includes, for each kind of person."""

from __future__ import annotations

import pytest
from flask import render_template
from flask_login import login_user
from sqlalchemy import select

from forum.accounts import sign_ins
from forum.accounts.models import User
from forum.extensions import db
from forum.groups import services
from forum.groups.models import Group
from tests import factories


def _render(app, world, slug: str, who: str | None, invite: str | None = None, pending: bool = False) -> str:
    with app.test_request_context(f"/groups/{slug}/"):
        group = db.session.scalar(select(Group).where(Group.slug == slug))
        user = None
        if who:
            user = db.session.get(User, getattr(world, who).id)
            if pending:
                user = factories.make_user("Pending Pat")
                factories.add_member(group, user, status="pending")
            login_user(sign_ins.start(user))
        membership = services.get_membership(group, user) if user else None
        context = {"group": group, "membership": membership}
        if invite:
            context["invite"] = invite
        return render_template("groups/_membership.html", **context)


def test_anonymous_is_asked_to_sign_in_and_comes_back(app, world):
    html = _render(app, world, world.public, None)
    assert "Sign in to join" in html and "/login?next=/groups/make-a-bigger-difference/" in html
    assert "<button" not in html
    assert 'href="/groups/make-a-bigger-difference/members"' in html


def test_resident_sees_a_join_button(app, world):
    html = _render(app, world, world.public, "resident")
    assert "Join this group</button>" in html and 'action="/groups/make-a-bigger-difference/join"' in html
    assert 'name="next" value="/groups/make-a-bigger-difference/"' in html
    assert "Requests to join" not in html


def test_private_group_needs_an_invitation_to_ask(app, world):
    html = _render(app, world, world.private, "resident")
    assert "<button" not in html and "invite people" in html
    html = _render(app, world, world.private, "resident", invite="tok")
    assert "Ask to join</button>" in html and 'name="invite" value="tok"' in html
    assert "/members" not in html  # the invitation page links to nothing the person cannot read


def test_pending_request_can_be_withdrawn(app, world):
    html = _render(app, world, world.private, "resident", pending=True)
    assert "Request sent" in html and "Withdraw request</button>" in html and "/leave" in html


def test_member_sees_leave_and_no_moderation_links(app, world):
    html = _render(app, world, world.public, "member")
    assert "You are a member of this group" in html
    assert '>Leave group<span class="govuk-visually-hidden"> Make a bigger difference</span></a>' in html
    assert "Requests to join" not in html and "Edit the group" not in html


def test_group_moderator_sees_requests_and_edit(app, world):
    html = _render(app, world, world.private, "group_moderator")
    assert "You are a member and a moderator of this group" in html
    assert 'href="/groups/budget-working-party/requests"' in html and 'href="/groups/budget-working-party/edit"' in html


@pytest.mark.parametrize("role,edit", [("site_moderator", False), ("admin", True)])
def test_site_moderators_join_at_once_and_see_requests(app, world, role, edit):
    html = _render(app, world, world.private, role)
    assert "Join this group</button>" in html and "Requests to join" in html
    assert ("Edit the group" in html) is edit
