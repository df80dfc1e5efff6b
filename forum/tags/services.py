"""Normalising tags and finding or creating them."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select

from forum.common import database
from forum.common.errors import ValidationFailed
from forum.extensions import db
from forum.tags.models import Tag

MAX_TAGS = 5
MAX_TAG_LENGTH = 50


def normalise(name: str) -> str:
    """Lower case, single spaces, no stray punctuation at the ends: "  Civil  Service, " -> "civil service".

    Compatibility forms fold too ("ＰＡＲＫＳ" is "parks"), invisible characters (zero-width spaces, soft hyphens,
    control characters) are dropped so no tag is an empty link, and slashes never start, end or double up, since
    the name is the tag page's path ("/x" would be ``/tags//x/``, which is another address).
    """
    name = unicodedata.normalize("NFKC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf") or ch in "\t\n\r")
    name = re.sub(r"/+", "/", re.sub(r"\s+", " ", name))
    return name.strip(" .,;#/").casefold()


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


def check_text(text: str) -> None:
    """``check`` for a comma-separated tag field as typed (the forms' validator)."""
    check(parse(text))


def get_or_create(names: list[str]) -> list[Tag]:
    """The Tag rows for ``names`` (already normalised), creating the missing ones, in the same order.

    Missing tags are inserted with ``ON CONFLICT DO NOTHING``, so two people adding the same new tag at once
    both get the one row (on PostgreSQL the second insert waits for the first to commit, then finds it)
    instead of the second failing on the unique name.
    """
    if not names:
        return []
    existing = {t.name: t for t in db.session.scalars(select(Tag).where(Tag.name.in_(names)))}
    missing = [name for name in names if name not in existing]
    if missing:
        db.session.execute(
            database.insert(Tag)
            .values([{"name": name} for name in missing])
            .on_conflict_do_nothing(index_elements=["name"])
        )
        existing.update({t.name: t for t in db.session.scalars(select(Tag).where(Tag.name.in_(missing)))})
    return [existing[name] for name in names]
