"""Addresses the moderation pages share: an item on its thread page, a thread's tools and a person's page."""

from __future__ import annotations

from typing import Any

from flask import url_for

from forum.moderation.models import ItemType
from forum.threads.views import post_url


def item_href(item: Any) -> str:
    """The thread page at the post or comment (moderators see held and hidden items there, marked)."""
    anchor = f"comment-{item.id}" if item.kind == ItemType.COMMENT else None
    return post_url(item.thread, item.post.number, anchor)


def thread_tools_href(thread_id: int) -> str:
    return url_for("moderation.thread", thread_id=thread_id)


def person_href(user_id: int) -> str:
    return url_for("moderation.person", user_id=user_id)
