"""Starting threads, replying, commenting, editing and withdrawing. These own the transaction.

Counters (a thread's posts, a group's threads and posts) move with ``UPDATE ... SET n = n + 1`` in the same
transaction as the row they count, so concurrent writers never lose an increment, and the thread row's update
also serialises post numbering within a thread.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from forum.accounts.models import User
from forum.common import markup
from forum.common.errors import NotFound, PermissionDenied, ValidationFailed
from forum.common.text import normalise_space, slugify
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.groups import permissions
from forum.groups.models import Group
from forum.tags import services as tag_services
from forum.threads.models import Comment, Post, PostRevision, Thread

TITLE_MAX = 200
BODY_MAX = 50_000
COMMENT_MAX = 2_000


def _check_text(body: str, field: str = "body", limit: int = BODY_MAX) -> str:
    if not body or not body.strip():
        raise ValidationFailed("Enter some text", field=field)
    if len(body) > limit:
        raise ValidationFailed(f"Text must be {limit:,} characters or fewer", field=field)
    if not markup.plain_text(body):
        raise ValidationFailed("Enter some text that is not only formatting", field=field)
    return body


def _check_title(title: str) -> str:
    title = normalise_space(title)
    if not title:
        raise ValidationFailed("Enter a title", field="title")
    if len(title) > TITLE_MAX:
        raise ValidationFailed(f"Title must be {TITLE_MAX} characters or fewer", field="title")
    return title


def _bump_thread(thread_id: int, author_id: int) -> int:
    """Count a new post in the thread and return its number (the row lock serialises concurrent replies)."""
    now = utcnow()
    db.session.execute(
        update(Thread)
        .where(Thread.id == thread_id)
        .values(post_count=Thread.post_count + 1, last_activity_at=now, last_post_author_id=author_id)
    )
    return db.session.scalar(select(Thread.post_count).where(Thread.id == thread_id))


def _bump_group(group_id: int, threads: int = 0, posts: int = 0) -> None:
    db.session.execute(
        update(Group)
        .where(Group.id == group_id)
        .values(
            thread_count=Group.thread_count + threads,
            post_count=Group.post_count + posts,
            last_activity_at=utcnow(),
        )
    )


def _new_post(thread: Thread, author: User, body: str, quoted_post_id: int | None = None) -> Post:
    number = _bump_thread(thread.id, author.id)
    html = markup.render(body)
    post = Post(
        thread_id=thread.id, number=number, author_id=author.id, body_source=body, body_html=html,
        quoted_post_id=quoted_post_id,
    )
    db.session.add(post)
    db.session.flush()
    db.session.add(PostRevision(post_id=post.id, number=1, body_source=body, body_html=html, editor_id=author.id))
    return post


def start_thread(group: Group, author: User, title: str, body: str, tags: str | list[str] = "") -> Thread:
    """Start a thread in a group: the title, the opening post and up to five tags."""
    if not permissions.can_post(group, author):
        raise PermissionDenied("Join the group to start a thread in it.")
    title = _check_title(title)
    _check_text(body)
    names = tag_services.parse(tags) if isinstance(tags, str) else [tag_services.normalise(t) for t in tags if t]
    tag_services.check(names)
    thread = Thread(group_id=group.id, author_id=author.id, title=title, slug=slugify(title), post_count=0)
    thread.tags = tag_services.get_or_create(names)
    db.session.add(thread)
    db.session.flush()
    _new_post(thread, author, body)
    _bump_group(group.id, threads=1, posts=1)
    db.session.commit()
    return thread


def reply(thread: Thread, author: User, body: str, quoted_post_id: int | None = None) -> Post:
    """Add a post to the end of a thread."""
    if not permissions.can_post(thread.group, author):
        raise PermissionDenied("Join the group to reply.")
    if thread.locked:
        raise PermissionDenied("This thread is locked: no more replies can be added.")
    _check_text(body)
    if quoted_post_id is not None:
        quoted = db.session.get(Post, quoted_post_id)
        if quoted is None or quoted.thread_id != thread.id:
            quoted_post_id = None
    post = _new_post(thread, author, body, quoted_post_id)
    _bump_group(thread.group_id, posts=1)
    db.session.commit()
    return post


def can_edit(post: Post, user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and post.author_id == user.id and not post.is_withdrawn)


def can_see_history(post: Post, user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return post.author_id == user.id or permissions.can_moderate(post.thread.group, user)


def edit_post(post: Post, editor: User, body: str, title: str | None = None, tags: str | None = None) -> Post:
    """Change a post's text, keeping the earlier text as a revision; the opening post may change title and tags."""
    if not can_edit(post, editor):
        raise PermissionDenied("Only the author can edit this post.")
    _check_text(body)
    thread = post.thread
    if post.number == 1:
        if title is not None:
            thread.title = _check_title(title)
            thread.slug = slugify(thread.title)
        if tags is not None:
            names = tag_services.parse(tags)
            tag_services.check(names)
            thread.tags = tag_services.get_or_create(names)
    if body == post.body_source and (post.number != 1 or title is None):
        db.session.commit()
        return post
    html = markup.render(body)
    post.revision_count += 1
    post.body_source, post.body_html, post.edited_at = body, html, utcnow()
    db.session.add(
        PostRevision(
            post_id=post.id, number=post.revision_count, body_source=body, body_html=html, editor_id=editor.id,
            title=thread.title if post.number == 1 else None,
        )
    )
    db.session.commit()
    return post


def withdraw_post(post: Post, user: User) -> None:
    """The author withdraws a post: it stays in place as a placeholder, its revisions kept."""
    if not getattr(user, "is_authenticated", False) or post.author_id != user.id:
        raise PermissionDenied("Only the author can withdraw this post.")
    if post.withdrawn_at is None:
        post.withdrawn_at = utcnow()
    db.session.commit()


def add_comment(post: Post, author: User, body: str) -> Comment:
    """A short comment beneath a post (comments do not nest)."""
    if not permissions.can_post(post.thread.group, author):
        raise PermissionDenied("Join the group to comment.")
    if post.thread.locked:
        raise PermissionDenied("This thread is locked: no more comments can be added.")
    if post.is_withdrawn:
        raise NotFound("That post was withdrawn.")
    _check_text(body, field="body", limit=COMMENT_MAX)
    comment = Comment(post_id=post.id, author_id=author.id, body_source=body, body_html=markup.render(body))
    db.session.add(comment)
    db.session.execute(update(Thread).where(Thread.id == post.thread_id).values(last_activity_at=utcnow()))
    db.session.commit()
    return comment


def withdraw_comment(comment: Comment, user: User) -> None:
    if not getattr(user, "is_authenticated", False) or comment.author_id != user.id:
        raise PermissionDenied("Only the author can withdraw this comment.")
    if comment.withdrawn_at is None:
        comment.withdrawn_at = utcnow()
    db.session.commit()
