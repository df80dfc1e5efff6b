"""Actions on one post: edit, see its history, withdraw it, comment beneath it, withdraw a comment."""

from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_login import current_user, login_required

from forum.common.confirm import confirm_page
from forum.common.decorators import form_checks_csrf
from forum.common.errors import PermissionDenied
from forum.threads import queries, revisions, services
from forum.threads.confirmations import withdraw_comment_confirmation, withdraw_post_confirmation
from forum.threads.forms import CommentForm, EditOpeningPostForm, EditPostForm
from forum.threads.models import Visibility
from forum.threads.views import posted, posting_page, url_of


@form_checks_csrf
@login_required
def edit(post_id: int):
    """The author edits a post (the opening post also its thread's title and tags); each save is a revision."""
    post, _viewer = queries.readable_post(post_id, current_user)
    if not services.can_edit(post, current_user):
        raise PermissionDenied("Only the author can edit this post.")
    services.check_not_suspended(current_user)
    thread, opening = post.thread, post.number == 1
    if opening:
        initial = {"body": post.body_source, "title": thread.title, "tags": ", ".join(t.name for t in thread.tags)}
        form = EditOpeningPostForm(data=initial)
    else:
        form = EditPostForm(data={"body": post.body_source})
    if form.validate_on_submit():
        title = form.title.data if opening else None
        tags = (form.tags.data or "") if opening else None
        services.edit_post(post, current_user, form.body.data, title=title, tags=tags)
        if post.state != Visibility.HELD:  # an edit of a hidden post resubmits it for review: posted() says so
            flash("Your changes were saved.", "success")
        return posted(post)
    return render_template("posts/edit.html", form=form, post=post, thread=thread, opening=opening)


@login_required
def history(post_id: int):
    """Every revision of a post, newest first, each with what changed from the one before: for its author and
    the group's moderators only."""
    post, _viewer = queries.readable_post(post_id, current_user)
    if not services.can_see_history(post, current_user):
        raise PermissionDenied("Only the author and moderators can see the earlier versions of a post.")
    changes = revisions.changes(queries.revisions(post))
    return render_template("posts/history.html", post=post, thread=post.thread, changes=changes)


@login_required
def withdraw(post_id: int):
    """The author withdraws a post, after a confirmation page (GET) saying what happens: a placeholder takes its
    place (its revisions are kept)."""
    post, _viewer = queries.readable_post(post_id, current_user)
    services.check_can_withdraw(post, current_user)
    if request.method == "GET":
        if post.is_withdrawn:
            return redirect(url_of(post))
        return confirm_page(withdraw_post_confirmation(post))
    services.withdraw_post(post, current_user)
    flash("Your post was withdrawn.", "success")
    return redirect(url_of(post))


@posting_page
def add_comment(post_id: int):
    """A short comment under a post; on a problem, a page with the form and the text kept."""
    post, viewer = queries.readable_post(post_id, current_user)
    services.check_can_comment(post, current_user, viewer.membership)
    form = CommentForm()
    if form.validate_on_submit():
        return posted(services.add_comment(post, current_user, form.body.data))
    return render_template("posts/comment.html", form=form, post=post, thread=post.thread)


@login_required
def withdraw_comment(comment_id: int):
    """The author withdraws a comment, after a confirmation page (GET): a placeholder takes its place."""
    comment, post, _viewer = queries.readable_comment(comment_id, current_user)
    services.check_can_withdraw(comment, current_user)
    if request.method == "GET":
        if comment.is_withdrawn:
            return redirect(url_of(comment))
        return confirm_page(withdraw_comment_confirmation(comment, post))
    services.withdraw_comment(comment, current_user)
    flash("Your comment was withdrawn.", "success")
    return redirect(url_of(comment))
