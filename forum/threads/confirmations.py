"""What the confirmation pages for withdrawing a post or a comment say (``forum.common.confirm``).

Each sentence is what really happens: the item stays in its place as a placeholder ("The author withdrew
this post."), its text is kept in the database where the group's moderators can still read it (and, for a
post, its author and moderators its earlier versions on the history page), and nothing brings it back.
"""

from __future__ import annotations

from flask import url_for

from forum.common import markup
from forum.common.confirm import Confirmation
from forum.threads.models import Comment, Post
from forum.threads.views import url_of

#: How much of the text the confirmation page quotes, so the author sees which one they are withdrawing.
EXCERPT = 160


def _excerpt(source: str) -> str:
    text = markup.plain_text(source)
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def _crumbs(post: Post) -> list[dict[str, str]]:
    thread = post.thread
    return [
        {"text": "Groups", "href": url_for("groups.list")},
        {"text": thread.group.name, "href": url_for("threads.group", slug=thread.group.slug)},
        {"text": thread.title, "href": url_for("threads.show", thread_id=thread.id, slug=thread.slug)},
    ]


def withdraw_post_confirmation(post: Post) -> Confirmation:
    """"Withdraw your post?", saying what stays in its place and who can still read it."""
    what = "opening post" if post.number == 1 else f"post {post.number}"
    consequences = [
        f"Your {what} is replaced in the thread by a note: “The author withdrew this post.”",
        "The comments under it, and quotes of it in other posts, stay.",
        "Its text and earlier versions are kept: you and the group’s moderators can still read them.",
    ]
    if post.number == 1:
        consequences.insert(1, "The thread stays, with its title, tags and replies.")
    return Confirmation(
        heading="Withdraw your post?",
        caption=post.thread.title,
        subject=_excerpt(post.body_source),
        consequences=consequences,
        warning="You cannot undo this or edit the post afterwards.",
        action=url_for("posts.withdraw", post_id=post.id),
        button="Withdraw post",
        cancel=url_of(post),
        cancel_text="Keep the post",
        breadcrumbs=_crumbs(post),
    )


def withdraw_comment_confirmation(comment: Comment, post: Post) -> Confirmation:
    """"Withdraw your comment?", saying what stays in its place."""
    on = "the opening post" if post.number == 1 else f"post {post.number}"
    return Confirmation(
        heading="Withdraw your comment?",
        caption=post.thread.title,
        subject=_excerpt(comment.body_source),
        consequences=[
            f"Your comment on {on} is replaced by a note: “The author withdrew this comment.”",
            "Its text is kept for the group’s moderators.",
        ],
        action=url_for("posts.withdraw_comment", comment_id=comment.id),
        button="Withdraw comment",
        cancel=url_of(comment),
        cancel_text="Keep the comment",
        breadcrumbs=_crumbs(post),
    )
