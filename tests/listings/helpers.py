"""Helpers shared by the listing tests."""

from __future__ import annotations

from flask.testing import FlaskClient


def sign_in(client: FlaskClient, session_id: str) -> None:
    """Sign in by setting the session (``session_id`` is ``user.get_id()``), independent of the login form."""
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True


def text(response) -> str:
    return response.get_data(as_text=True)


def first_member(group):
    """A member of ``group`` who may post there (call inside an app context)."""
    from sqlalchemy import select

    from forum.accounts.models import User
    from forum.extensions import db
    from forum.groups.models import Membership

    return db.session.scalar(
        select(User).join(Membership, Membership.user_id == User.id).where(Membership.group_id == group.id).limit(1)
    )
