"""Who a test acts as: people as plain values, and signing them in and out without the sign-in form.

Rows from ``tests.factories`` expire once their app context closes, so a test keeps a ``Person``: the plain
facts about a user (id, the session id Flask-Login stores, names, role) that it can use anywhere.

    from tests.people import new_person, person_of, sign_in, sign_out

    alice = new_person(app, "Alice Author")          # a user made in a unit of work of its own
    with app.app_context():
        bob = person_of(factories.make_user("Bob"))  # the plain facts of a user made in a bigger setup
    sign_in(client, alice)                            # the session the sign-in form would set
    sign_out(client)

The support modules of each test package re-export these under the names their tests use (``person``,
``sign_in``...), next to that package's own world builders.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient

from tests.factories import make_user, sign_in_id


@dataclass(frozen=True)
class Person:
    id: int
    session_id: str  # sign_in_id(user): what Flask-Login keeps in the session
    display_name: str
    email: str = ""
    handle: str = ""
    role: str = "resident"

    @property
    def name(self) -> str:
        return self.display_name


def person_of(user) -> Person:
    """The plain facts of a user row (call inside the app context that loaded it)."""
    return Person(id=user.id, session_id=sign_in_id(user), display_name=user.display_name, email=user.email,
                  handle=user.handle, role=user.role)


def new_person(app: Flask, *args, **kwargs) -> Person:
    """Make a user (``tests.factories.make_user``'s arguments) in a unit of work of its own."""
    with app.app_context():
        return person_of(make_user(*args, **kwargs))


def session_id_of(who: Person | str) -> str:
    return who if isinstance(who, str) else who.session_id


def sign_in(client: FlaskClient, who: Person | str | None) -> None:
    """Sign in by setting the session, as Flask-Login's cookie would after the sign-in form. ``who`` is a Person
    or a session id (``sign_in_id(user)``); None stays anonymous."""
    if who is None:
        return
    with client.session_transaction() as session:
        session["_user_id"] = session_id_of(who)
        session["_fresh"] = True


def sign_out(client: FlaskClient) -> None:
    with client.session_transaction() as session:
        session.clear()


def session_cookie(app: Flask, who: Person | str) -> dict:
    """The signed session cookie (name and value) a browser holds once ``who`` has signed in."""
    serializer = app.session_interface.get_signing_serializer(app)
    return {"name": app.config["SESSION_COOKIE_NAME"],
            "value": serializer.dumps({"_user_id": session_id_of(who), "_fresh": True})}
