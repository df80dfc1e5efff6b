"""Agreeing with a post and bookmarking threads and posts: small POST buttons on the thread page (they work
without JavaScript; the CSRF token is checked by forum.common.csrf before the view), and the bookmarks page."""

from __future__ import annotations

from flask import current_app, redirect, render_template, url_for
from flask_login import current_user, login_required

from forum.common.errors import NotFound
from forum.common.pagination import page_from_request
from forum.threads import bookmarks, queries, reactions
from forum.threads.views import post_url

BOOKMARKS_PER_PAGE_DEFAULT = 25


@login_required
def agree(post_id: int):
    """Agree with a post (a second press changes nothing), back to the post."""
    post, viewer = queries.readable_post(post_id, current_user)
    reactions.agree(post, viewer)
    return redirect(post_url(post.thread, post.number))


@login_required
def remove_agreement(post_id: int):
    """Take back an agreement, back to the post."""
    post, viewer = queries.readable_post(post_id, current_user)
    reactions.remove_agreement(post, viewer)
    return redirect(post_url(post.thread, post.number))


@login_required
def bookmark_thread(thread_id: int):
    thread, viewer = queries.readable_thread(thread_id, current_user)
    bookmarks.bookmark_thread(thread, viewer)
    return redirect(url_for("threads.show", thread_id=thread.id, slug=thread.slug))


@login_required
def unbookmark_thread(thread_id: int):
    """Remove a thread's bookmark; back to the thread while it can be read, else to the bookmarks page."""
    bookmarks.remove(current_user, thread_id=thread_id)
    try:  # a 404 here would roll the removal back
        thread, _ = queries.readable_thread(thread_id, current_user)
    except NotFound:
        return redirect(url_for("threads.bookmarks"))
    return redirect(url_for("threads.show", thread_id=thread.id, slug=thread.slug))


@login_required
def bookmark_post(post_id: int):
    post, viewer = queries.readable_post(post_id, current_user)
    bookmarks.bookmark_post(post, viewer)
    return redirect(post_url(post.thread, post.number))


@login_required
def unbookmark_post(post_id: int):
    bookmarks.remove(current_user, post_id=post_id)
    try:  # a 404 here would roll the removal back
        post, _ = queries.readable_post(post_id, current_user)
    except NotFound:
        return redirect(url_for("threads.bookmarks"))
    return redirect(post_url(post.thread, post.number))


@login_required
def remove_bookmark(bookmark_id: int):
    """The bookmarks page's Remove button."""
    bookmarks.remove(current_user, bookmark_id=bookmark_id)
    return redirect(url_for("threads.bookmarks"))


@login_required
def list_bookmarks():
    """The person's bookmarked threads and posts that they can still see, newest first."""
    number = page_from_request()
    per_page = current_app.config.get("BOOKMARKS_PER_PAGE", BOOKMARKS_PER_PAGE_DEFAULT)
    page = bookmarks.listing(current_user, number, per_page)

    def page_url(n: int) -> str:
        return url_for("threads.bookmarks", page=n if n > 1 else None)

    return render_template(
        "threads/bookmarks.html",
        page=page,
        pagination=page.govuk_params(page_url),
        post_url=post_url,
    )
