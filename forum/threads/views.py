"""The thread page, starting a thread in a group, and replying (with or without a quote)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Response, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.accounts import services as account_services
from forum.common import ratelimits
from forum.common.converters import parse_id
from forum.common.decorators import form_checks_csrf
from forum.common.errors import ERROR_TITLES
from forum.common.pagination import page_from_request
from forum.extensions import limiter
from forum.threads import bookmarks, links, queries, reactions, reading, services
from forum.threads.forms import CommentForm, ReplyForm, ThreadForm
from forum.threads.models import Comment, Post, Thread, Visibility

ERROR_429 = ERROR_TITLES[429]
POSTED_FIELDS = ("title", "body", "tags", "quote")


def _slow_down(limit: Any) -> Response:
    """Over the posting limit: a 429 page that gives the person their text back, ready to send again later."""
    fields = {name: request.form.get(name, "") for name in POSTED_FIELDS if name in request.form}
    page = render_template("threads/slow_down.html", fields=fields, action=request.path, title_text=ERROR_429)
    return make_response(page, 429)


def posting_limit_with(on_breach: Callable[[Any], Response]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The shared posting limit, with its own over-the-limit page (which must give back what was typed)."""
    return limiter.shared_limit(
        lambda: current_app.config["RATELIMIT_POSTING"],
        scope="posting",
        key_func=ratelimits.per_person,
        methods=["POST"],
        deduct_when=ratelimits.went_through,
        on_breach=on_breach,
    )


#: New threads, replies and comments (and budget proposals) share one budget per person (RATELIMIT_POSTING).
posting_limit = posting_limit_with(_slow_down)


def posting_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """A page whose form posts new text (a thread, a reply, a comment): for signed-in people, within the
    posting limit, and its form checks the CSRF token itself (an expired one shows the text again)."""
    return form_checks_csrf(posting_limit(login_required(view)))


#: What happens next, the same whatever waits and why.
HELD_NEXT = "Only you can see it until then, and you will get a notification once a moderator has looked at it."


def held_message(item: Thread | Post | Comment) -> str:
    """Thanks, what waits (thread, post or comment), why it waits, and what happens next."""
    what = "thread" if isinstance(item, Thread) else "comment" if isinstance(item, Comment) else "post"
    group = item.group if isinstance(item, Thread) else item.thread.group if isinstance(item, Post) \
        else item.post.thread.group
    if group.premoderated:
        why = f"In {group.name} a moderator reads every post and comment before it appears."
    else:
        first = current_app.config.get("PREMODERATE_FIRST_POSTS", 0)
        why = f"A moderator reads the first {first} posts and comments of a new account before they appear."
    return f"Thanks — your {what} is awaiting review. {why} {HELD_NEXT}"


def tell_if_held(item: Thread | Post | Comment) -> None:
    """After posting: say so when what was just posted waits for a moderator (pre-moderation), and why."""
    if item.state == Visibility.HELD:
        flash(held_message(item), "info")


def posted(item: Thread | Post | Comment) -> Response:
    """After posting: to what was just posted, saying so when it waits for a moderator."""
    tell_if_held(item)
    return redirect(url_of(item))


def first_post_in(group: Any) -> bool:
    """Whether the signed-in person has not posted or commented in this group yet (they see its house rules)."""
    return not queries.has_posted_in(group, current_user)


def post_url(thread: Thread, number: int, anchor: str | None = None) -> str:
    """The address of the thread page that shows post ``number``, pointing at that post (or ``anchor``)."""
    page = queries.page_of_post(number, current_app.config["POSTS_PER_PAGE"])
    return url_for(
        "threads.show", thread_id=thread.id, slug=thread.slug, page=page if page > 1 else None,
        _anchor=anchor or f"post-{number}",
    )


def url_of(item: Thread | Post | Comment) -> str:
    """Where a thread, a post or a comment is shown (the page of the thread with the post on it)."""
    if isinstance(item, Thread):
        return url_for("threads.show", thread_id=item.id, slug=item.slug)
    if isinstance(item, Comment):
        return post_url(item.post.thread, item.post.number, anchor=f"comment-{item.id}")
    return post_url(item.thread, item.number)


@dataclass(frozen=True)
class ListedPlace:
    """Where a list of threads links for one thread: its latest post, and the reader's first new one."""

    latest_url: str | None
    first_unread_url: str | None
    unread: int


def thread_places(threads: Iterable[Thread]) -> dict[int, ListedPlace]:
    """The template global lists call with the threads they show: one query for the whole list
    (``forum.threads.reading.places``), so a list's query count does not grow with its length."""
    threads = list(threads)
    found = reading.places((thread.id for thread in threads), current_user)
    result = {}
    for thread in threads:
        place = found.get(thread.id)
        if place is None:
            continue
        result[thread.id] = ListedPlace(
            latest_url=post_url(thread, place.latest) if place.latest else None,
            first_unread_url=post_url(thread, place.first_unread) if place.first_unread else None,
            unread=place.unread,
        )
    return result


@posting_page
def new_thread(slug: str):
    """Start a thread: members only (a private group's outsiders get a 404, a public group's a 403)."""
    group, viewer = queries.readable_group(slug, current_user)
    services.check_can_start_thread(group, current_user, viewer.membership)
    form = ThreadForm()
    if form.validate_on_submit():
        return posted(services.start_thread(group, current_user, form.title.data, form.body.data, form.tags.data or ""))
    return render_template("threads/new.html", form=form, group=group, first_post=first_post_in(group))


def show(thread_id: int, slug: str | None = None):
    """A page of the thread's posts; the slug is decoration, the canonical link names the real one."""
    number = page_from_request()
    thread, viewer = queries.readable_thread(thread_id, current_user, with_tags=True)
    per_page = current_app.config["POSTS_PER_PAGE"]
    page = queries.thread_page(thread, number, per_page, viewer)
    reading.advance(thread, current_user, viewer.last_read, min(number * per_page, thread.post_count))
    suspension = account_services.suspension_notice(current_user)
    may_write = viewer.can_post and not thread.locked and suspension is None

    def page_url(n: int, **extra: Any) -> str:
        return url_for("threads.show", thread_id=thread.id, slug=thread.slug, page=n if n > 1 else None, **extra)

    return render_template(
        "threads/show.html",
        thread=thread,
        viewer=viewer,
        thread_page=page,
        thread_links=links.links_for([thread.id]).get(thread.id, []),
        canonical_url=page_url(number, _external=True),
        pagination=page.page.govuk_params(page_url),
        # Only for people signed in: a form carries a CSRF token in the session, which keeps a page out of the
        # shared cache for readers (forum/common/page_cache.py).
        reply_form=ReplyForm(formdata=None) if current_user.is_authenticated else None,
        comment_form=CommentForm(formdata=None) if current_user.is_authenticated else None,
        suspension=suspension,
        may_write=may_write,
        first_post=may_write and first_post_in(thread.group),
        agreements=reactions.agreements(page.posts, current_user),
        marks=bookmarks.marks_on_page(thread, page.posts, current_user),
    )


def _quote_id() -> int | None:
    """The ``quote`` query parameter: absent is None, anything but a post id is a 400."""
    raw = request.args.get("quote")
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit()):
        abort(400, "The post to quote must be given by its number.")
    return parse_id(raw)  # a number no post could have quotes nothing


def must_join_to_reply(thread: Thread, viewer: queries.Viewer) -> bool:
    """Whether joining the group is all that stands between a signed-in reader and a reply (not a suspension,
    not a lock): they get "Join the group to reply" and the join button instead of a refusal."""
    return viewer.signed_in and not viewer.can_post and not thread.locked and not viewer.user.is_suspended


@posting_page
def reply(thread_id: int):
    """The reply page: a quote prefilled on GET; on POST the reply, or the form again with every word kept.
    A reader who only needs to join the group gets the join button instead (joining brings them back here)."""
    thread, viewer = queries.readable_thread(thread_id, current_user)
    if request.method == "GET" and must_join_to_reply(thread, viewer):
        return render_template("threads/join_to_reply.html", thread=thread, membership=viewer.membership)
    services.check_can_reply(thread, current_user, viewer.membership)
    form = ReplyForm()
    if request.method == "GET":
        quote_id = _quote_id()
        quoted = queries.post_in_thread(thread, quote_id) if quote_id else None
        if quoted is not None:
            form.body.data, form.quote.data = services.quote(quoted, url_of(quoted)), str(quoted.id)
    elif form.validate_on_submit():
        return posted(services.reply(thread, current_user, form.body.data, quoted_post_id=parse_id(form.quote.data)))
    return render_template("threads/reply.html", form=form, thread=thread, first_post=first_post_in(thread.group))
