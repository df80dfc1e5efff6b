"""Starting threads, replying, editing, withdrawing and commenting (forum.threads.services)."""

from __future__ import annotations

import pytest

from forum.common import markup
from forum.common.errors import NotFound, PermissionDenied, ValidationFailed
from forum.extensions import db
from forum.threads import services
from forum.threads.models import Post, PostRevision
from tests import factories


@pytest.fixture
def setup(app):
    with app.app_context():
        author = factories.make_user("Writer")
        other = factories.make_user("Other")
        group = factories.make_group(members=(author, other))
        thread = factories.make_thread(group, author, title="Roads", body="Fix the potholes.", tags="roads")
        yield author, other, group, thread


def opening(thread) -> Post:
    return db.session.scalar(db.select(Post).where(Post.thread_id == thread.id, Post.number == 1))


def test_quote_makes_a_blockquote_with_attribution(setup):
    author, other, group, thread = setup
    post = services.reply(thread, other, "Line one\r\n\r\nLine two")
    assert services.quote(post, "/threads/1/roads#post-2") == (
        "[Other wrote in post 2](/threads/1/roads#post-2):\n\n> Line one\n>\n> Line two\n\n"
    )


def test_a_quote_credit_escapes_a_name_that_looks_like_markdown(setup):
    author, other, group, thread = setup
    other.display_name = "Ann [the *chair*]"
    post = services.reply(thread, other, "Hello")
    credit = services.quote(post, "/p").split("\n")[0]
    assert credit == r"[Ann \[the \*chair\*\] wrote in post 2](/p):"
    link = '<a href="/p" rel="nofollow ugc noopener">Ann [the *chair*] wrote in post 2</a>'
    assert markup.render(credit) == f"<p>{link}:</p>"


def test_reply_ignores_a_quote_from_another_thread(setup):
    author, other, group, thread = setup
    elsewhere = factories.make_thread(group, author, title="Elsewhere")
    post = services.reply(thread, other, "Hmm", quoted_post_id=opening(elsewhere).id)
    assert post.quoted_post_id is None
    post = services.reply(thread, other, "Yes", quoted_post_id=opening(thread).id)
    assert post.quoted_post_id == opening(thread).id


def test_posts_are_numbered_in_order(setup):
    author, other, group, thread = setup
    numbers = [services.reply(thread, who, "Text").number for who in (other, author, other)]
    assert numbers == [2, 3, 4]


def test_edit_keeps_every_revision(setup):
    author, other, group, thread = setup
    post = opening(thread)
    services.edit_post(post, author, "Fix the potholes now.")
    services.edit_post(post, author, "Fix the potholes now.", title="Roads and potholes")
    revisions = db.session.scalars(
        db.select(PostRevision).where(PostRevision.post_id == post.id).order_by(PostRevision.number)
    ).all()
    assert [(r.number, r.body_source, r.title) for r in revisions] == [
        (1, "Fix the potholes.", "Roads"),
        (2, "Fix the potholes now.", "Roads"),
        (3, "Fix the potholes now.", "Roads and potholes"),
    ]
    assert post.revision_count == 3 and post.edited_at is not None


def test_edit_checks_everything_before_changing_anything(setup):
    author, other, group, thread = setup
    post = opening(thread)
    with pytest.raises(ValidationFailed) as error:
        services.edit_post(post, author, "New body", title="New title", tags="a,b,c,d,e,f")
    assert error.value.field == "tags"
    # Services never roll back (the request's edge does): a refusal must come before any change, so the
    # session still holds the post and thread exactly as they were.
    assert opening(thread).body_source == "Fix the potholes." and thread.title == "Roads"
    assert not db.session.dirty and not db.session.new


def test_only_the_author_edits_or_withdraws(setup):
    author, other, group, thread = setup
    post = opening(thread)
    with pytest.raises(PermissionDenied):
        services.edit_post(post, other, "Mine now")
    with pytest.raises(PermissionDenied):
        services.withdraw_post(post, other)
    services.withdraw_post(post, author)
    assert post.is_withdrawn
    with pytest.raises(PermissionDenied):
        services.edit_post(post, author, "Back again")


def test_history_is_for_author_and_moderators(setup):
    author, other, group, thread = setup
    post = opening(thread)
    moderator = factories.make_user("Mod", role="moderator")
    assert services.can_see_history(post, author)
    assert services.can_see_history(post, moderator)
    assert not services.can_see_history(post, other)
    assert not services.can_see_history(post, None)


def test_comments_need_membership_an_open_thread_and_a_live_post(setup):
    author, other, group, thread = setup
    post = opening(thread)
    with pytest.raises(PermissionDenied):
        services.add_comment(post, factories.make_user("Stranger"), "Hi")
    with pytest.raises(ValidationFailed):
        services.add_comment(post, other, "x" * 2001)
    comment = services.add_comment(post, other, "Good point")
    with pytest.raises(PermissionDenied):
        services.withdraw_comment(comment, author)
    services.withdraw_comment(comment, other)
    assert comment.is_withdrawn
    thread.locked = True
    db.session.commit()
    with pytest.raises(PermissionDenied):
        services.add_comment(post, other, "Late")
    thread.locked = False
    services.withdraw_post(post, author)
    with pytest.raises(NotFound):
        services.add_comment(post, other, "On a withdrawn post")


def test_a_thread_slug_never_takes_a_route_word():
    assert services.thread_slug("Reply") == "reply-thread"
    assert services.thread_slug("Reply to the council") == "reply-to-the-council"


def test_start_thread_refuses_non_members_and_bad_input(setup):
    author, other, group, thread = setup
    with pytest.raises(PermissionDenied):
        services.start_thread(group, factories.make_user("Stranger"), "Title", "Body")
    for title, body, tags, field in [("", "Body", "", "title"), ("T" * 201, "Body", "", "title"),
                                     ("Title", "", "", "body"), ("Title", "B" * 50_001, "", "body"),
                                     ("Title", "Body", "1,2,3,4,5,6", "tags")]:
        with pytest.raises(ValidationFailed) as error:
            services.start_thread(group, author, title, body, tags)
        assert error.value.field == field
        db.session.rollback()
