"""Text a council edits in the instance folder (``instance/<name>.md``), else the default the forum ships with,
rendered through the one text pipeline once per version of the file: an edit shows on the next request."""

from __future__ import annotations

import os
from functools import lru_cache

from flask import current_app

from forum.common import markup


def source_path(name: str, default: str) -> str:
    """The council's ``instance/<name>`` when it exists, else ``default``."""
    own = os.path.join(current_app.instance_path, name)
    return own if os.path.isfile(own) else default


def rendered(name: str, default: str) -> str:
    path = source_path(name, default)
    return _rendered(path, os.stat(path).st_mtime_ns)


@lru_cache(maxsize=32)
def _rendered(path: str, modified: int) -> str:
    with open(path, encoding="utf-8") as handle:
        return markup.render(handle.read())
