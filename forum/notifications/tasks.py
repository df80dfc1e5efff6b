"""Jobs: the fan-out of a new post or comment, and the daily digest.

The request that publishes a post only queues ``fan_out`` (``after_commit``), so a post to a group with
thousands of watchers costs the writer no more than a post nobody watches. The job works out the recipients
when it runs and checks everything again then: the item still shown, its thread visible, each recipient able
to read the group (a private group's members; site moderators). Nobody is told about their own writing, and a
person gets one notification per item: the most specific kind (``kinds.POST_PRIORITY``). A muted thread or
group silences everything but mentions.
"""

from __future__ import annotations

from typing import Any

from huey import crontab
from sqlalchemy import or_, select

from forum.accounts.models import Role, User
from forum.extensions import db
from forum.groups.models import Group, Membership, MemberStatus
from forum.jobs import after_commit, periodic, task
from forum.notifications import kinds, mentions, services
from forum.notifications.models import Watch, WatchLevel
from forum.threads.models import Comment, Post, Thread, Visibility

POST, COMMENT = "post", "comment"


def on_published(sender: Any, approved: bool = False, **_: Any) -> None:
    """``threads.signals.published``: queue the fan-out once the publishing transaction commits."""
    item_type = COMMENT if isinstance(sender, Comment) else POST
    after_commit(fan_out, item_type, sender.id, bool(approved))


def _readers(group: Group, user_ids: set[int]) -> set[int]:
    """Those of ``user_ids`` who may read the group now, with an account (one query)."""
    if not user_ids:
        return set()
    query = select(User.id).where(User.id.in_(user_ids), User.deleted_at.is_(None))
    if group.is_private:
        members = select(Membership.user_id).where(Membership.group_id == group.id,
                                                   Membership.status == MemberStatus.ACTIVE)
        query = query.where(or_(User.id.in_(members), User.role.in_(list(Role.MODERATORS))))
    return set(db.session.scalars(query))


def _watches(thread: Thread) -> tuple[dict[int, str], dict[int, str]]:
    """Who watches or muted the thread, and the group: user id -> level, for each."""
    rows = db.session.execute(
        select(Watch.user_id, Watch.thread_id, Watch.level)
        .where(or_(Watch.thread_id == thread.id, Watch.group_id == thread.group_id))
    )
    on_thread: dict[int, str] = {}
    on_group: dict[int, str] = {}
    for user_id, thread_id, level in rows:
        (on_thread if thread_id is not None else on_group)[user_id] = level
    return on_thread, on_group


@task()
def fan_out(item_type: str, item_id: int, approved: bool = False) -> int:
    """Notify everyone concerned by a newly published post or comment; returns how many were written."""
    if item_type == COMMENT:
        comment = db.session.get(Comment, item_id)
        if comment is None or not comment.is_shown:
            return 0
        post, item = comment.post, comment
    else:
        comment, post = None, db.session.get(Post, item_id)
        item = post
    if post is None or not post.is_shown:
        return 0
    thread = post.thread
    if thread.state != Visibility.VISIBLE:
        return 0
    group = thread.group
    author_id = item.author_id
    services.watch_thread_if_new(author_id, thread.id)

    wanted: dict[int, str] = {}  # recipient -> kind, the most specific kept

    def offer(user_id: int | None, kind: str) -> None:
        if user_id is None:
            return
        current = wanted.get(user_id)
        if current is None or kinds.POST_PRIORITY.index(kind) < kinds.POST_PRIORITY.index(current):
            wanted[user_id] = kind

    on_thread, on_group = _watches(thread)
    handles = mentions.handles_in(item.body_html)
    if handles:
        for user_id in db.session.scalars(select(User.id).where(User.handle.in_(handles))):
            offer(user_id, "mention")
    if comment is not None:
        offer(post.author_id, "reply_to_post")
    elif post.number == 1:
        for user_id, level in on_group.items():
            if level == WatchLevel.WATCHING:
                offer(user_id, "watched_group_thread")
    else:
        if post.quoted_post_id is not None:
            quoted = db.session.get(Post, post.quoted_post_id)
            if quoted is not None and quoted.is_shown:
                offer(quoted.author_id, "quote")
        offer(thread.author_id, "reply_to_thread")
    if post.number != 1 or comment is not None:
        for user_id, level in on_thread.items():
            if level == WatchLevel.WATCHING:
                offer(user_id, "watched_thread_post")

    wanted.pop(author_id, None)
    readers = _readers(group, set(wanted))
    actor = db.session.get(User, author_id)
    actor_name = actor.display_name if actor is not None and actor.deleted_at is None else "A former member"
    if comment is not None:
        url = services.post_path(thread, post.number, anchor=f"comment-{comment.id}")
    else:
        url = services.post_path(thread, post.number)
    ids = {"group_id": group.id, "thread_id": thread.id, "post_id": post.id,
           "comment_id": comment.id if comment is not None else None}
    drafts = []
    for user_id, kind_name in wanted.items():
        kind = kinds.get(kind_name)
        if user_id not in readers:
            continue
        level = on_thread.get(user_id) or on_group.get(user_id)
        if kind.mutable and level == WatchLevel.MUTED:
            continue
        drafts.append(services.Draft(
            recipient_id=user_id, kind=kind_name, actor_id=author_id, url=url,
            text=kind.describe(actor=actor_name, title=thread.title, extra=group.name), **ids,
        ))
    if approved:
        drafts.append(services.Draft(
            recipient_id=author_id, kind="held_approved", url=url,
            text=kinds.get("held_approved").describe(title=thread.title), **ids,
        ))
    return len(services.write(drafts))


@task()
def notify_many_later(recipient_ids: list[int], kind: str, text: str, url: str, ids: dict[str, int | None]) -> int:
    """Write one notification for each of many people, outside the request (a budget moving on)."""
    return len(services.notify_many(recipient_ids, kind, text, url, **ids))


def queue_many(recipient_ids: list[int], kind: str, text: str, url: str, **ids: int | None) -> None:
    """Queue ``notify_many_later`` once this transaction commits (for domains above notifications)."""
    kinds.get(kind)
    after_commit(notify_many_later, sorted(set(recipient_ids)), kind, text, url, ids)


@periodic(crontab(hour=7, minute=0))
def daily_digest() -> int:
    """Every morning: each person's unread notifications of the kinds they take daily, in one email."""
    return services.send_digests()
