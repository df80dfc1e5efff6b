"""What the audit log calls the thing each entry acted on: "post 3 in “Parks budget”", a person's display name,
a group's name, a budget's or a proposal's title, never "post 35".

Every name on a page comes from one query: a UNION ALL with one branch per kind of item on the page. Budgets,
proposals and areas belong to budgeting, a package moderation may not import (they sit side by side in the
import layers), so their branches read those tables by name from the shared metadata; only their id and title
(or name) columns are used.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, String, cast, literal, null, select, union_all

from forum.accounts.models import User
from forum.audit.models import AuditEntry
from forum.extensions import db
from forum.groups.models import Group
from forum.moderation.models import ItemType
from forum.threads.models import Comment, Post, Thread

#: Budgeting's tables this module names items from, and the column that names a row.
_BUDGETING = {"budget": ("budgets", "title"), "proposal": ("budget_proposals", "title"),
              "area": ("budget_areas", "name")}


def _branch(kind: str, ids: list[int]) -> Any:
    """(kind, id, number, title) for the items of one kind: number is the post's number for posts and
    comments, else NULL."""
    tag = literal(kind, String)
    no_number = cast(null(), Integer)
    if kind == ItemType.POST:
        return (select(tag, Post.id, Post.number, Thread.title).join(Thread, Thread.id == Post.thread_id)
                .where(Post.id.in_(ids)))
    if kind == ItemType.COMMENT:
        return (select(tag, Comment.id, Post.number, Thread.title).join(Post, Post.id == Comment.post_id)
                .join(Thread, Thread.id == Post.thread_id).where(Comment.id.in_(ids)))
    if kind == "thread":
        return select(tag, Thread.id, no_number, Thread.title).where(Thread.id.in_(ids))
    if kind == "user":
        return select(tag, User.id, no_number, User.display_name).where(User.id.in_(ids))
    if kind == "group":
        return select(tag, Group.id, no_number, Group.name).where(Group.id.in_(ids))
    table_name, column = _BUDGETING[kind]
    table = db.metadata.tables.get(table_name)
    if table is None:
        return None
    return select(tag, table.c.id, no_number, table.c[column]).where(table.c.id.in_(ids))


def _words(kind: str, number: int | None, title: str) -> str:
    if kind == ItemType.POST:
        return f"the thread “{title}”" if number == 1 else f"post {number} in “{title}”"
    if kind == ItemType.COMMENT:
        return f"a comment on post {number} in “{title}”"
    if kind == "thread":
        return f"the thread “{title}”"
    if kind in ("user", "group", "area"):
        return title
    return f"the {kind} “{title}”"


def _named(kind: str) -> bool:
    return kind in ItemType.ALL or kind in ("thread", "user", "group") or kind in _BUDGETING


def names_for(entries: list[AuditEntry]) -> dict[tuple[str, int], str]:
    """(item_type, item_id) -> what the log calls it, for every entry that names an item; one query."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        if entry.item_type and entry.item_id is not None:
            wanted.setdefault(entry.item_type, set()).add(entry.item_id)
    branches = [b for kind, ids in sorted(wanted.items())
                if _named(kind) and (b := _branch(kind, sorted(ids))) is not None]
    found: dict[tuple[str, int], str] = {}
    if branches:
        query = branches[0] if len(branches) == 1 else union_all(*branches)
        for kind, item_id, number, title in db.session.execute(query):
            found[(kind, item_id)] = _words(kind, number, title)
    for kind, ids in wanted.items():
        for item_id in ids:  # deleted since, or a kind with no name: say what it was
            found.setdefault((kind, item_id), f"a {kind} no longer there" if _named(kind) else f"{kind} {item_id}")
    return found
