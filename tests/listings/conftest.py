"""Fixtures for the listing pages' tests: a small world of groups, people and threads."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.factories import sign_in_id


class World:
    """Plain values (no ORM objects, which expire when their app context ends) describing the test data."""

    def __init__(self, **values) -> None:
        self.__dict__.update(values)


@pytest.fixture
def world(app: Flask) -> World:
    """Two public groups and a private one, a member, a non-member, and tagged threads in each group.

    "Make a bigger difference" has position 0 and must come first although "Allotments" sorts before it.
    """
    from tests import factories as f

    with app.app_context():
        member = f.make_user("Alice Member", email="alice@example.org")
        outsider = f.make_user("Bob Outsider", email="bob@example.org")
        officer = f.make_user("Carol Officer", role="civil_servant", organisation="Parks Department",
                              email="carol@example.org")
        bigger = f.make_group("Make a bigger difference", members=(member, officer), position=0,
                              description="We talk about **change**.")
        allotments = f.make_group("Allotments", members=(member,), position=10)
        private = f.make_group("Staff room", private=True, members=(member, officer))
        f.make_thread(bigger, member, title="Benches in the park", tags="Civil Service, parks")
        f.make_thread(bigger, officer, title="Budget questions", tags="budget", replies=2)
        f.make_thread(allotments, member, title="Waiting lists", tags="parks")
        f.make_thread(private, officer, title="Secret staffing plans", tags="civil service, restructure",
                      body="Confidential reply text.")
        return World(
            member=sign_in_id(member), member_handle=member.handle,
            outsider=sign_in_id(outsider), outsider_handle=outsider.handle,
            officer=sign_in_id(officer), officer_handle=officer.handle, officer_email=officer.email,
            bigger=bigger.slug, allotments=allotments.slug, private=private.slug,
        )
