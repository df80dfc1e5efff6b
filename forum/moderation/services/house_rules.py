"""The site-wide code of conduct: the council's own text in ``instance/house_rules.md`` when it exists,
otherwise the default that ships with the forum (``forum/moderation/house_rules.md``)."""

from __future__ import annotations

import os

from forum.common import instance_text

DEFAULT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "house_rules.md")


def source_path() -> str:
    return instance_text.source_path("house_rules.md", DEFAULT)


def rules_html() -> str:
    """The code of conduct as safe HTML (re-rendered when ``instance/house_rules.md`` changes)."""
    return instance_text.rendered("house_rules.md", DEFAULT)
