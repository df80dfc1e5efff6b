"""Small text helpers shared by domains."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str, max_length: int = 60) -> str:
    """A lowercase, hyphenated form of ``text`` for URLs ("Make a bigger difference" -> "make-a-bigger-difference")."""
    normal = unicodedata.normalize("NFKC", text).lower()
    slug = re.sub(r"[^\w]+", "-", normal, flags=re.UNICODE).strip("-_")
    return slug[:max_length].strip("-") or "item"


def normalise_space(text: str) -> str:
    """Collapse runs of white space to one space and trim the ends."""
    return re.sub(r"\s+", " ", text or "").strip()
