"""Normalising tags and finding or creating them."""

from __future__ import annotations

import re

from sqlalchemy import select

from forum.common.errors import ValidationFailed
from forum.extensions import db
from forum.tags.models import Tag

MAX_TAGS = 5
MAX_TAG_LENGTH = 50


def normalise(name: str) -> str:
    """Lower case, single spaces, no stray punctuation at the ends: "  Civil  Service, " -> "civil service"."""
    name = re.sub(r"\s+", " ", name.replace("\u00a0", " ")).strip().strip(".,;#").strip().lower()
    return name


def parse(text: str) -> list[str]:
    """Split a comma-separated tag field into distinct normalised names, in the order given."""
    seen: list[str] = []
    for part in (text or "").split(","):
        name = normalise(part)
        if name and name not in seen:
            seen.append(name)
    return seen


def check(names: list[str]) -> None:
    """Refuse more than five tags, or one that is too long."""
    if len(names) > MAX_TAGS:
        raise ValidationFailed(f"Enter no more than {MAX_TAGS} tags (you entered {len(names)})", field="tags")
    for name in names:
        if len(name) > MAX_TAG_LENGTH:
            raise ValidationFailed(f"Each tag must be {MAX_TAG_LENGTH} characters or fewer", field="tags")


def get_or_create(names: list[str]) -> list[Tag]:
    """The Tag rows for ``names`` (already normalised), creating the missing ones, in the same order."""
    if not names:
        return []
    existing = {t.name: t for t in db.session.scalars(select(Tag).where(Tag.name.in_(names)))}
    tags = []
    for name in names:
        tag = existing.get(name)
        if tag is None:
            tag = Tag(name=name)
            db.session.add(tag)
            existing[name] = tag
        tags.append(tag)
    return tags
