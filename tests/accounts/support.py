"""Helpers for the accounts tests: people as plain values, usable outside an app context."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from tests.factories import make_user

STRONG = "purple monkey dishwasher"


@dataclass(frozen=True)
class Person:
    id: int
    email: str
    handle: str
    display_name: str
    role: str


def person(app: Flask, *args, **kwargs) -> Person:
    """Make a user (through tests.factories) and return what tests need to know about them."""
    with app.app_context():
        user = make_user(*args, **kwargs)
        return Person(user.id, user.email, user.handle, user.display_name, user.role)
