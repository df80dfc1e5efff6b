"""The site-wide code of conduct: the council's own text in ``instance/house_rules.md`` when it exists,
otherwise the default that ships with the forum (``forum/moderation/house_rules.md``)."""

from __future__ import annotations

import os
from functools import lru_cache

from flask import current_app

from forum.common import markup

DEFAULT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "house_rules.md")


def source_path() -> str:
    own = os.path.join(current_app.instance_path, "house_rules.md")
    return own if os.path.isfile(own) else DEFAULT


def rules_html() -> str:
    """The code of conduct as safe HTML, through the forum's one text pipeline: rendered once per version of
    the file (a council editing ``instance/house_rules.md`` sees the change on the next request)."""
    path = source_path()
    return _rendered(path, os.stat(path).st_mtime_ns)


@lru_cache(maxsize=8)
def _rendered(path: str, modified: int) -> str:
    with open(path, encoding="utf-8") as handle:
        return markup.render(handle.read())
