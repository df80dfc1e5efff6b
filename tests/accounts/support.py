"""Helpers for the accounts tests: people as plain values, usable outside an app context."""

from __future__ import annotations

from tests.people import Person
from tests.people import new_person as person

__all__ = ["STRONG", "Person", "person"]

STRONG = "purple monkey dishwasher"
