"""Starting threads, replying, commenting, editing and withdrawing. These change and flush; the request's
edge commits (``forum.common.transaction``), or drops everything when one of them refuses.

Counters (a thread's posts, a group's threads and posts) move with ``UPDATE ... SET n = n + 1`` in the same
transaction as the row they count, so concurrent writers never lose an increment, and the thread row's update
also serialises post numbering within a thread.
"""

from __future__ import annotations

import re
import unicodedata
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
from forum.threads import signals, spam, visibility
from forum.threads.models import Comment, Post, PostRevision, Thread, Visibility

TITLE_MAX = 200
BODY_MAX = 50_000
COMMENT_MAX = 2_000


def _check_text(body: str, field: str = "body", limit: int = BODY_MAX) -> str:
    if not body or not body.strip():
        raise ValidationFailed("Enter some text", field=field)
    if len(body) > limit:
        raise ValidationFailed(f"Text must be {limit:,} characters or fewer", field=field)
    if not _visible(markup.plain_text(body)):
        raise ValidationFailed("Enter some text that is not only formatting", field=field)
    return body


def _visible(text: str) -> bool:
    """Whether ``text`` holds a character one can see (zero-width spaces, soft hyphens and the like do not count)."""
    return any(unicodedata.category(ch)[0] in "LNPS" for ch in text)


def _check_title(title: str) -> str:
    title = normalise_space("".join(ch for ch in title or "" if unicodedata.category(ch) != "Cc"))
    if not _visible(title):
        raise ValidationFailed("Enter a title", field="title")
    if len(title) > TITLE_MAX:
        raise ValidationFailed(f"Title must be {TITLE_MAX} characters or fewer", field="title")
    return title


#: Words that follow a thread's id in its own routes (``/threads/<id>/reply``), so no slug may be one of them.
RESERVED_SLUGS = frozenset({"reply"})


def thread_slug(title: str) -> str:
    """The decorative slug after a thread's id, never one of the words its routes use."""
    slug = slugify(title)
    return f"{slug}-thread" if slug in RESERVED_SLUGS else slug


def _bump_thread(thread_id: int, author_id: int, shown: bool, opening: bool) -> int:
    """Count a new post in the thread and return its number (the row lock serialises concurrent replies).

    A post held for review takes its number now but is not activity anyone else can see yet.
    """
    values: dict[str, Any] = {"post_count": Thread.post_count + 1}
    if shown:
        values.update(last_activity_at=utcnow(), last_post_author_id=author_id)
        if not opening:
            values["visible_reply_count"] = Thread.visible_reply_count + 1
    db.session.execute(update(Thread).where(Thread.id == thread_id).values(**values))
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


def _new_post(thread: Thread, author: User, body: str, quoted_post_id: int | None = None,
              held: bool = False) -> Post:
    html = markup.render(body)
    spam.check_links(author, html)
    opening = thread.post_count == 0
    # A reply counts among the thread's shown replies even while the thread itself waits or is hidden, so that
    # publishing the thread later brings the right number of posts into its group's counts.
    number = _bump_thread(thread.id, author.id, shown=not held, opening=opening)
    spam.check_not_duplicate(author, body)  # after the first write: a copy sent at the same time waits here
    post = Post(
        thread_id=thread.id, number=number, author_id=author.id, body_source=body, body_html=html,
        quoted_post_id=quoted_post_id, state=Visibility.HELD if held else Visibility.VISIBLE,
    )
    db.session.add(post)
    db.session.flush()
    # The opening post's revisions carry the thread's title, so the history can show a changed title.
    db.session.add(PostRevision(post_id=post.id, number=1, body_source=body, body_html=html, editor_id=author.id,
                                title=thread.title if opening else None))
    if held:
        signals.content_held.send(post, group_id=thread.group_id, thread_id=thread.id, resubmitted=False)
    signals.content_changed.send(post)
    if not held and thread.state == Visibility.VISIBLE:
        signals.published.send(post, approved=False)
    return post


def start_thread(group: Group, author: User, title: str, body: str, tags: str | list[str] = "") -> Thread:
    """Start a thread in a group: the title, the opening post and up to five tags."""
    check_can_start_thread(group, author)
    title = _check_title(title)
    _check_text(body)
    names = tag_services.parse(tags) if isinstance(tags, str) else [tag_services.normalise(t) for t in tags if t]
    tag_services.check(names)
    held = visibility.should_hold(group, author)
    thread = Thread(
        group_id=group.id, author_id=author.id, title=title, slug=thread_slug(title), post_count=0,
        visible_reply_count=0, state=Visibility.HELD if held else Visibility.VISIBLE,
    )
    thread.tags = tag_services.get_or_create(names)
    db.session.add(thread)
    db.session.flush()
    _new_post(thread, author, body, held=held)
    if not held:
        _bump_group(group.id, threads=1, posts=1)
    return thread


def reply(thread: Thread, author: User, body: str, quoted_post_id: int | None = None) -> Post:
    """Add a post to the end of a thread."""
    check_can_reply(thread, author)
    _check_text(body)
    if quoted_post_id is not None:
        quoted = db.session.get(Post, quoted_post_id)
        if quoted is None or quoted.thread_id != thread.id or not quoted.is_shown:
            quoted_post_id = None
    held = visibility.should_hold(thread.group, author)
    post = _new_post(thread, author, body, quoted_post_id, held=held)
    if not held and thread.state == Visibility.VISIBLE:
        _bump_group(thread.group_id, posts=1)
    return post


def check_not_suspended(user: Any) -> None:
    """Refuse (403) a suspended person, saying until when and why (they can still read)."""
    if getattr(user, "is_authenticated", False) and user.is_suspended:
        until = user.suspended_until.strftime("%-d %B %Y at %-I:%M%p").replace("AM", "am").replace("PM", "pm")
        raise PermissionDenied(
            f"Your account is suspended until {until} (UTC), so you cannot post, comment, edit or flag. "
            f"The reason given: {user.suspension_reason or 'none'}. You can still read everything."
        )


def check_can_start_thread(group: Group, user: Any, membership: Any = None) -> None:
    """Refuse (403) someone who may read the group but not post in it, or who is suspended."""
    check_not_suspended(user)
    if not permissions.can_post(group, user, membership):
        raise PermissionDenied("Only members of this group can start a thread in it. Join the group first.")


def check_can_reply(thread: Thread, user: Any, membership: Any = None) -> None:
    """Refuse (403) a reply from a non-member or a suspended person, or to a locked thread."""
    check_not_suspended(user)
    if not permissions.can_post(thread.group, user, membership):
        raise PermissionDenied("Only members of this group can reply. Join the group first.")
    if thread.locked:
        raise PermissionDenied("This thread is locked: no more replies can be added.")


def check_can_comment(post: Post, user: Any, membership: Any = None) -> None:
    """Refuse (403) a comment from a non-member or a suspended person or on a locked thread; a withdrawn post
    takes none (404)."""
    check_not_suspended(user)
    if not permissions.can_post(post.thread.group, user, membership):
        raise PermissionDenied("Only members of this group can comment. Join the group first.")
    if post.thread.locked:
        raise PermissionDenied("This thread is locked: no more comments can be added.")
    if post.is_withdrawn:
        raise NotFound("That post was withdrawn.")


#: Characters Markdown gives a meaning to, escaped in a name written into a link's text.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~])")


def quote(post: Post, url: str) -> str:
    """The Markdown that starts a reply quoting ``post``: who wrote it, as a link to the post at ``url``, then
    its source as a blockquote. The credit is plain Markdown, so it stays in the reply's source and revisions."""
    lines = post.body_source.replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n")
    quoted = "\n".join(f"> {line}".rstrip() for line in lines)
    name = _MARKDOWN_SPECIAL.sub(r"\\\1", post.author.display_name)
    return f"[{name} wrote in post {post.number}]({url}):\n\n{quoted}\n\n"


def is_author(item: Post | Comment, user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and item.author_id == user.id)


def _check_author(item: Post | Comment, user: Any, action: str) -> None:
    """Refuse (403) anyone but the author: ``action`` says what, e.g. "withdraw this post"."""
    if not is_author(item, user):
        raise PermissionDenied(f"Only the author can {action}.")


def check_can_withdraw(item: Post | Comment, user: Any) -> None:
    """Refuse (403) anyone but the author (the confirmation page asks this before it shows)."""
    _check_author(item, user, f"withdraw this {'post' if isinstance(item, Post) else 'comment'}")


def can_edit(post: Post, user: Any) -> bool:
    return is_author(post, user) and not post.is_withdrawn


def can_see_history(post: Post, user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return is_author(post, user) or permissions.can_moderate(post.thread.group, user)


def edit_post(post: Post, editor: User, body: str, title: str | None = None, tags: str | None = None) -> Post:
    """Change a post's text, keeping the earlier text as a revision; the opening post may change title and tags.

    Everything is checked before anything changes, and a save that changes neither text nor title adds no
    revision (so the "edited" mark means the words changed).
    """
    if not can_edit(post, editor):
        raise PermissionDenied("Only the author can edit this post.")
    check_not_suspended(editor)
    _check_text(body)
    html = markup.render(body) if body != post.body_source else post.body_html
    if body != post.body_source:
        spam.check_links(editor, html)
    thread = post.thread
    opening = post.number == 1
    new_title = _check_title(title) if opening and title is not None else None
    names: list[str] | None = None
    if opening and tags is not None:
        names = tag_services.parse(tags)
        tag_services.check(names)
    if names is not None and names != [t.name for t in thread.tags]:
        thread.tags = tag_services.get_or_create(names)
    title_changed = new_title is not None and new_title != thread.title
    if title_changed:
        thread.title, thread.slug = new_title, thread_slug(new_title)
    if body != post.body_source or title_changed:
        post.revision_count += 1
        post.body_source, post.body_html, post.edited_at = body, html, utcnow()
        db.session.add(
            PostRevision(
                post_id=post.id, number=post.revision_count, body_source=body, body_html=html,
                editor_id=editor.id, title=thread.title if opening else None,
            )
        )
    if post.state == Visibility.HIDDEN:  # the author's edit resubmits a hidden post for review
        visibility.change_post(post, state=Visibility.HELD)
        signals.content_held.send(post, group_id=thread.group_id, thread_id=thread.id, resubmitted=True)
    signals.content_changed.send(post)
    return post


def withdraw_post(post: Post, user: User) -> None:
    """The author withdraws a post: it stays in place as a placeholder, its revisions kept."""
    _check_author(post, user, "withdraw this post")
    if post.withdrawn_at is None:
        visibility.change_post(post, withdraw=True)


def add_comment(post: Post, author: User, body: str) -> Comment:
    """A short comment beneath a post (comments do not nest)."""
    check_can_comment(post, author)
    _check_text(body, field="body", limit=COMMENT_MAX)
    html = markup.render(body)
    spam.check_links(author, html)
    held = visibility.should_hold(post.thread.group, author)
    comment = Comment(
        post_id=post.id, author_id=author.id, body_source=body, body_html=html,
        state=Visibility.HELD if held else Visibility.VISIBLE,
    )
    db.session.add(comment)
    db.session.flush()
    if held:
        signals.content_held.send(
            comment, group_id=post.thread.group_id, thread_id=post.thread_id, resubmitted=False
        )
    else:
        db.session.execute(update(Thread).where(Thread.id == post.thread_id).values(last_activity_at=utcnow()))
    signals.content_changed.send(comment)
    if not held and post.is_shown and post.thread.state == Visibility.VISIBLE:
        signals.published.send(comment, approved=False)
    return comment


def withdraw_comment(comment: Comment, user: User) -> None:
    """The author withdraws a comment: it stays in place as a placeholder."""
    _check_author(comment, user, "withdraw this comment")
    if comment.withdrawn_at is None:
        comment.withdrawn_at = utcnow()
        signals.content_changed.send(comment)
