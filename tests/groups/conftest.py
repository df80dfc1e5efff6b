"""The groups tests' world: an admin, a site moderator, a resident, a member and a group moderator, with one
public and one private group."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.groups.support import World, build_world


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)
