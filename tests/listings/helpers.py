"""Helpers shared by the listing tests (``sign_in`` takes a session id, ``sign_in_id(user)``, or a Person)."""

from __future__ import annotations

from tests.pages import raw_html as text
from tests.people import sign_in

__all__ = ["first_member", "sign_in", "text"]


def first_member(group):
    """A member of ``group`` who may post there (call inside an app context)."""
    from sqlalchemy import select

    from forum.accounts.models import User
    from forum.extensions import db
    from forum.groups.models import Membership

    return db.session.scalar(
        select(User).join(Membership, Membership.user_id == User.id).where(Membership.group_id == group.id).limit(1)
    )
