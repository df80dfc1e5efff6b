"""Finding the post or comment a flag or an action is about, with its thread and group."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.common.errors import NotFound
from forum.extensions import db
from forum.groups import permissions
from forum.groups.models import Group
from forum.moderation.models import ItemType
from forum.moderation.services import scope
from forum.threads.models import Comment, Post, Thread


@dataclass
class Item:
    """A post or a comment, and where it lives."""

    kind: str
    obj: Post | Comment
    post: Post
    thread: Thread
    group: Group

    @property
    def id(self) -> int:
        return self.obj.id

    @property
    def author_id(self) -> int:
        return self.obj.author_id

    @property
    def state(self) -> str:
        return self.obj.state

    @property
    def opening(self) -> bool:
        """An opening post stands for its whole thread."""
        return self.kind == ItemType.POST and self.post.number == 1

    @property
    def noun(self) -> str:
        if self.kind == ItemType.COMMENT:
            return "comment"
        return "thread" if self.opening else "post"


def load_item(item_type: str, item_id: int) -> Item:
    """The item, with its post, thread and group loaded in one query; NotFound for anything else."""
    if item_type == ItemType.POST:
        post = db.session.scalar(
            select(Post)
            .options(joinedload(Post.thread).joinedload(Thread.group), joinedload(Post.author))
            .where(Post.id == item_id)
        )
        if post is not None:
            return Item(kind=item_type, obj=post, post=post, thread=post.thread, group=post.thread.group)
    elif item_type == ItemType.COMMENT:
        comment = db.session.scalar(
            select(Comment)
            .options(
                joinedload(Comment.post).joinedload(Post.thread).joinedload(Thread.group),
                joinedload(Comment.author),
            )
            .where(Comment.id == item_id)
        )
        if comment is not None:
            thread = comment.post.thread
            return Item(kind=item_type, obj=comment, post=comment.post, thread=thread, group=thread.group)
    raise NotFound("There is no such post or comment.")


def title_of(item: Any) -> str:
    """How an item is named in messages: "the thread “Bins”", "post 4 in “Bins”", "a comment in “Bins”"."""
    if item.kind == ItemType.COMMENT:
        return f"a comment on post {item.post.number} in “{item.thread.title}”"
    if item.opening:
        return f"the thread “{item.thread.title}”"
    return f"post {item.post.number} in “{item.thread.title}”"


def load_items(keys: list[tuple[str, int]]) -> dict[tuple[str, int], Item]:
    """Many items at once: one query for the posts, one for the comments, whatever their number."""
    post_ids = sorted({item_id for kind, item_id in keys if kind == ItemType.POST})
    comment_ids = sorted({item_id for kind, item_id in keys if kind == ItemType.COMMENT})
    found: dict[tuple[str, int], Item] = {}
    if post_ids:
        for post in db.session.scalars(
            select(Post)
            .options(joinedload(Post.thread).joinedload(Thread.group), joinedload(Post.author))
            .where(Post.id.in_(post_ids))
        ):
            found[(ItemType.POST, post.id)] = Item(ItemType.POST, post, post, post.thread, post.thread.group)
    if comment_ids:
        for comment in db.session.scalars(
            select(Comment)
            .options(
                joinedload(Comment.post).joinedload(Post.thread).joinedload(Thread.group),
                joinedload(Comment.author),
            )
            .where(Comment.id.in_(comment_ids))
        ):
            thread = comment.post.thread
            found[(ItemType.COMMENT, comment.id)] = Item(ItemType.COMMENT, comment, comment.post, thread, thread.group)
    return found


def item_for_moderation(item_type: str, item_id: int, moderator: Any) -> Item:
    """The item for a moderator's page or action: NotFound in a private group they cannot read, and
    PermissionDenied (403) in a group they do not moderate."""
    item = load_item(item_type, item_id)
    if not permissions.can_read(item.group, moderator):
        raise NotFound("There is no such post or comment.")
    scope.check_moderates(item.group, moderator)
    return item


def items_for_moderation(keys: list[tuple[str, int]], moderator: Any) -> list[Item]:
    """Several items (a bulk action), in the order given: NotFound if any is missing or unreadable to the
    moderator. Whether they moderate each one is checked by the action, before anything changes."""
    found = load_items(keys)
    items = []
    for key in dict.fromkeys(keys):
        item = found.get(key)
        if item is None or not permissions.can_read(item.group, moderator):
            raise NotFound("There is no such post or comment.")
        items.append(item)
    return items
