"""What moderators' decisions tell the people concerned (notifications, issue 11; owned by notifications).

Each writes a notification in the deciding transaction through ``forum.notifications.services.notify``:
the author of a hidden post or comment (with the reason), a person warned or suspended, and everyone whose
open flag a decision closes. A held item's approval is told by the fan-out job (``threads.signals.published``
with ``approved=True``), which also tells everyone else concerned once the item is visible.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from forum.accounts.models import User
from forum.extensions import db
from forum.groups.models import Group
from forum.moderation.models import Flag, ItemType, Outcome
from forum.notifications import kinds
from forum.notifications import services as notifications
from forum.threads.models import Comment, Post

FLAG_OUTCOMES = {Outcome.UPHELD: "upheld: a moderator hid it",
                 Outcome.DISMISSED: "reviewed: a moderator kept it",
                 Outcome.APPROVED: "reviewed: a moderator published it"}


def _where(item_type: str, item_id: int) -> tuple[Post, Comment | None] | None:
    if item_type == ItemType.COMMENT:
        comment = db.session.get(Comment, item_id)
        return (comment.post, comment) if comment is not None else None
    post = db.session.get(Post, item_id)
    return (post, None) if post is not None else None


def _ids_and_url(post: Post, comment: Comment | None) -> tuple[dict[str, int | None], str]:
    thread = post.thread
    anchor = f"comment-{comment.id}" if comment is not None else None
    ids = {"group_id": thread.group_id, "thread_id": thread.id, "post_id": post.id,
           "comment_id": comment.id if comment is not None else None}
    return ids, notifications.post_path(thread, post.number, anchor)


def hidden(item: Any, moderator: Any, reason: str) -> None:
    """Tell the author their post or comment was hidden, and why (they still see it, and may edit it)."""
    ids, url = _ids_and_url(item.post, item.obj if item.kind == ItemType.COMMENT else None)
    text = kinds.get("post_hidden").describe(title=item.thread.title, extra=reason)
    notifications.notify(item.author_id, "post_hidden", text, url, actor=moderator, **ids)


def flags_decided(item_type: str, item_id: int, moderator: Any, outcome: str) -> None:
    """Tell each person whose flag on the item is still open what the decision was."""
    flaggers = list(db.session.scalars(
        select(Flag.flagger_id).where(Flag.item_type == item_type, Flag.item_id == item_id, Flag.outcome.is_(None))
    ))
    found = _where(item_type, item_id) if flaggers else None
    if not found:
        return
    post, comment = found
    ids, _ = _ids_and_url(post, comment)
    text = kinds.get("flag_outcome").describe(title=post.thread.title, extra=FLAG_OUTCOMES.get(outcome, outcome))
    url = notifications.link("community.my_flags")
    notifications.notify_many(flaggers, "flag_outcome", text, url, actor=moderator, **ids)


def warned(target: User, moderator: Any, reason: str, group: Group | None) -> None:
    where = f" about {group.name}" if group is not None else ""
    text = kinds.get("sanction").describe(extra=f"A moderator warned you{where}: {reason}")
    notifications.notify(target, "sanction", text, notifications.link("community.my_warnings"), actor=moderator,
                         group_id=group.id if group is not None else None)


def suspended(target: User, moderator: Any, days: int, reason: str) -> None:
    text = kinds.get("sanction").describe(
        extra=f"Your account is suspended for {days} day{'s' if days != 1 else ''}: {reason}")
    notifications.notify(target, "sanction", text, notifications.link("community.my_warnings"), actor=moderator)
