"""Editing, history, withdrawing and comments (forum.threads.post_views)."""

from __future__ import annotations

import html

import pytest

from forum.extensions import db
from forum.threads.models import Comment, Post, PostRevision, Thread
from tests.threads.support import comments_of, make_world, sign_in, sign_out


@pytest.fixture
def world(app):
    return make_world(app)


def add_reply(app, client, world, who, body="A reply.") -> int:
    sign_in(client, who)
    client.post(f"/threads/{world.thread_id}/reply", data={"body": body})
    with app.app_context():
        return db.session.scalar(db.select(Post.id).where(Post.thread_id == world.thread_id)
                                 .order_by(Post.number.desc()).limit(1))


# --- Editing -------------------------------------------------------------------------------------------------


def test_author_edits_a_reply_and_the_post_shows_edited(app, client, world):
    post_id = add_reply(app, client, world, world.member, "Frist draft.")
    page = client.get(f"/posts/{post_id}/edit").get_data(as_text=True)
    assert "Frist draft." in page and 'id="title"' not in page
    response = client.post(f"/posts/{post_id}/edit", data={"body": "First draft."})
    assert response.headers["Location"].endswith("#post-2")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "First draft." in page and "Frist" not in page
    assert f'href="/posts/{post_id}/history"' in page and "Edited" in page and "see what changed" in page
    assert "govuk-notification-banner--success" in page and "Your changes were saved." in page


def test_opening_post_edit_changes_title_and_tags(app, client, world):
    sign_in(client, world.author)
    page = client.get(f"/posts/{world.opening_post_id}/edit").get_data(as_text=True)
    assert 'value="More benches in the park"' in page and 'value="benches, parks"' in page
    client.post(f"/posts/{world.opening_post_id}/edit",
                data={"title": "Benches and shade", "body": "We need benches.", "tags": "shade"})
    with app.app_context():
        thread = db.session.get(Thread, world.thread_id)
        assert thread.title == "Benches and shade" and thread.slug == "benches-and-shade"
        assert [t.name for t in thread.tags] == ["shade"]
        revisions = db.session.scalars(db.select(PostRevision).where(
            PostRevision.post_id == world.opening_post_id).order_by(PostRevision.number)).all()
        assert [(r.number, r.title) for r in revisions] == [(1, "More benches in the park"), (2, "Benches and shade")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "body": "Kept body", "tags": "kept tag"}, "Enter a title"),
        ({"title": "Kept title", "body": "", "tags": "kept tag"}, "Enter the text of your post"),
        ({"title": "Kept title", "body": "Kept body", "tags": "a,b,c,d,e,f"}, "Enter no more than 5 tags"),
        ({"title": "t" * 201, "body": "Kept body", "tags": ""}, "Title must be 200 characters or fewer"),
    ],
)
def test_bad_edit_keeps_the_text_and_changes_nothing(app, client, world, data, message):
    sign_in(client, world.author)
    response = client.post(f"/posts/{world.opening_post_id}/edit", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page and "<title>Error: " in page
    for value in data.values():
        assert html.escape(value) in page
    with app.app_context():
        assert db.session.get(Post, world.opening_post_id).revision_count == 1
        assert db.session.get(Thread, world.thread_id).title == "More benches in the park"


def test_saving_without_changes_adds_no_revision(app, client, world):
    sign_in(client, world.author)
    client.post(f"/posts/{world.opening_post_id}/edit",
                data={"title": "More benches in the park", "body": "We need benches.", "tags": "parks, benches"})
    with app.app_context():
        assert db.session.get(Post, world.opening_post_id).revision_count == 1


def test_editing_someone_elses_post_by_changing_the_id_is_403(app, client, world):
    sign_in(client, world.member)
    assert client.get(f"/posts/{world.opening_post_id}/edit").status_code == 403
    response = client.post(f"/posts/{world.opening_post_id}/edit", data={"body": "Hijacked", "title": "Mine"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Post, world.opening_post_id).body_source == "We need benches."


def test_moderators_cannot_edit_others_posts_either(client, world):
    sign_in(client, world.moderator)
    assert client.get(f"/posts/{world.opening_post_id}/edit").status_code == 403


def test_withdrawn_post_cannot_be_edited(client, world):
    sign_in(client, world.author)
    client.post(f"/posts/{world.opening_post_id}/withdraw")
    assert client.get(f"/posts/{world.opening_post_id}/edit").status_code == 403


def test_anonymous_edit_goes_to_sign_in(client, world):
    assert client.get(f"/posts/{world.opening_post_id}/edit").headers["Location"].startswith("/login")


# --- History -------------------------------------------------------------------------------------------------


def test_history_lists_every_revision_for_author_and_moderator(app, client, world):
    sign_in(client, world.author)
    client.post(f"/posts/{world.opening_post_id}/edit",
                data={"title": "More benches in the park", "body": "We need *more* benches.", "tags": ""})
    client.post(f"/posts/{world.opening_post_id}/edit",
                data={"title": "More benches in the park", "body": "We need shade too.", "tags": ""})
    for who in (world.author, world.moderator):
        sign_in(client, who)
        response = client.get(f"/posts/{world.opening_post_id}/history")
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Version 3 (current)" in page and "Version 2" in page and "Version 1" in page
        assert "We need benches." in page and "We need <em>more</em> benches." in page
        assert "We need shade too." in page
        assert page.count("Alice Author") >= 3 and page.count("<time datetime=") >= 3
        assert "Changes from version 2" in page and "Changes from version 1" in page


def _history(client, post_id: int) -> str:
    return client.get(f"/posts/{post_id}/history").get_data(as_text=True)


def test_history_marks_the_words_added_and_removed_between_versions(client, world):
    sign_in(client, world.author)
    client.post(f"/posts/{world.opening_post_id}/edit",
                data={"title": "More benches in the park", "body": "We need more benches by the pond.", "tags": ""})
    page = _history(client, world.opening_post_id)
    diff = page[page.index('id="diff-2"'):]
    diff = diff[: diff.index("</p>")]
    hidden = '<span class="govuk-visually-hidden">{}</span>'
    added = "<ins>" + hidden.format("[added: ") + "{}" + hidden.format("]") + "</ins>"
    assert diff.count("<ins>") == 2 and "<del>" not in diff
    assert "We need " + added.format("more ") + "benches" + added.format(" by the pond") + "." in diff
    assert "The text did not change" not in page


def test_history_shows_a_changed_title_and_an_unchanged_text(client, world):
    sign_in(client, world.author)
    client.post(f"/posts/{world.opening_post_id}/edit",
                data={"title": "Benches and shade", "body": "We need benches.", "tags": "parks"})
    page = _history(client, world.opening_post_id)
    assert "[removed: </span>More benches in the park" in page and "[added: </span>Benches and shade" in page
    assert "The text did not change, only the title." in page


def test_history_of_a_long_post_leaves_out_unchanged_text_far_from_the_change(app, client, world):
    words = " ".join(f"word{n}" for n in range(200))
    post_id = add_reply(app, client, world, world.member, words)
    client.post(f"/posts/{post_id}/edit", data={"body": words.replace("word100", "changed")})
    page = _history(client, post_id)
    diff = page[page.index('id="diff-2"'):]
    diff = diff[: diff.index("</p>")]
    assert "word100" in diff and "changed" in diff and "word95" in diff and "word105" in diff
    assert "word10 " not in diff and "word190" not in diff and diff.count("unchanged text left out") == 2


def test_group_moderator_sees_history(app, client, world):
    from forum.groups.models import Group, MemberRole
    from tests import factories

    with app.app_context():
        group = db.session.scalar(db.select(Group).where(Group.slug == world.group_slug))
        factories.add_member(group, db.session.get(factories.User, world.outsider.id), role=MemberRole.MODERATOR)
    sign_in(client, world.outsider)
    assert client.get(f"/posts/{world.opening_post_id}/history").status_code == 200


def test_history_is_403_for_other_readers(client, world):
    sign_in(client, world.member)
    assert client.get(f"/posts/{world.opening_post_id}/history").status_code == 403


def test_edited_mark_for_other_readers_is_not_a_link(client, world):
    sign_in(client, world.author)
    client.post(f"/posts/{world.opening_post_id}/edit",
                data={"title": "More benches in the park", "body": "Changed.", "tags": ""})
    sign_in(client, world.member)
    page = client.get(f"/threads/{world.thread_id}/").get_data(as_text=True)
    assert "Edited" in page and f"/posts/{world.opening_post_id}/history" not in page


# --- Withdrawing ---------------------------------------------------------------------------------------------


def test_author_withdraws_a_post(app, client, world):
    post_id = add_reply(app, client, world, world.member, "Regrettable words.")
    response = client.post(f"/posts/{post_id}/withdraw")
    assert response.headers["Location"].endswith("#post-2")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The author withdrew this post." in page and "Regrettable words." not in page
    with app.app_context():
        assert db.session.get(Post, post_id).withdrawn_at is not None


def test_withdrawing_a_post_asks_first_and_says_what_happens(app, client, world):
    post_id = add_reply(app, client, world, world.member, "Regrettable words.")
    thread_page = client.get(f"/threads/{world.thread_id}/").get_data(as_text=True)
    assert f'href="/posts/{post_id}/withdraw"' in thread_page  # a link to the confirmation, not a form
    assert f'action="/posts/{post_id}/withdraw"' not in thread_page
    response = client.get(f"/posts/{post_id}/withdraw")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Withdraw your post?" in page
    assert "Regrettable words." in page  # which post
    assert "“The author withdrew this post.”" in page and "You cannot undo this" in page
    assert "you and the group’s moderators can still read them" in page
    assert f'action="/posts/{post_id}/withdraw"' in page and "Keep the post" in page
    with app.app_context():
        assert db.session.get(Post, post_id).withdrawn_at is None  # asking changed nothing
    client.post(f"/posts/{post_id}/withdraw")
    assert client.get(f"/posts/{post_id}/withdraw").headers["Location"].endswith("#post-2")  # nothing to ask


def test_withdrawing_the_opening_post_says_the_thread_stays(client, world):
    sign_in(client, world.author)
    page = client.get(f"/posts/{world.opening_post_id}/withdraw").get_data(as_text=True)
    assert "Your opening post is replaced" in page and "The thread stays" in page


def test_others_cannot_withdraw_a_post(app, client, world):
    for who in (world.member, world.moderator):
        sign_in(client, who)
        assert client.get(f"/posts/{world.opening_post_id}/withdraw").status_code == 403
        assert client.post(f"/posts/{world.opening_post_id}/withdraw").status_code == 403
    with app.app_context():
        assert db.session.get(Post, world.opening_post_id).withdrawn_at is None


# --- Comments ------------------------------------------------------------------------------------------------


def test_member_comments_under_a_post(app, client, world):
    sign_in(client, world.member)
    response = client.post(f"/posts/{world.opening_post_id}/comments", data={"body": "Where exactly?"})
    assert "#comment-" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Where exactly?" in page and "Bob Member" in page
    assert comments_of(app, world.opening_post_id) == ["Where exactly?"]


@pytest.mark.parametrize(("body", "message"), [("", "Enter the text of your comment"),
                                               ("c" * 2001, "Text must be 2,000 characters or fewer")])
def test_bad_comment_re_renders_with_the_text(app, client, world, body, message):
    sign_in(client, world.member)
    response = client.post(f"/posts/{world.opening_post_id}/comments", data={"body": body})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.count(message) == 2 and "<title>Error: " in page
    assert body in page
    assert comments_of(app, world.opening_post_id) == []


def test_non_members_cannot_comment(app, client, world):
    sign_in(client, world.outsider)
    assert client.post(f"/posts/{world.opening_post_id}/comments", data={"body": "Hi"}).status_code == 403
    assert client.post(f"/posts/{world.private_post_id}/comments", data={"body": "Hi"}).status_code == 404
    assert comments_of(app, world.opening_post_id) == []


def test_anonymous_comment_goes_to_sign_in(client, world):
    response = client.post(f"/posts/{world.opening_post_id}/comments", data={"body": "Hi"})
    assert response.headers["Location"].startswith("/login")


def test_author_withdraws_a_comment_and_others_cannot(app, client, world):
    sign_in(client, world.member)
    client.post(f"/posts/{world.opening_post_id}/comments", data={"body": "Hasty remark."})
    with app.app_context():
        comment_id = db.session.scalar(db.select(Comment.id))
    sign_in(client, world.author)
    assert client.get(f"/posts/comments/{comment_id}/withdraw").status_code == 403
    assert client.post(f"/posts/comments/{comment_id}/withdraw").status_code == 403
    sign_in(client, world.member)
    thread_page = client.get(f"/threads/{world.thread_id}/").get_data(as_text=True)
    assert f'href="/posts/comments/{comment_id}/withdraw"' in thread_page
    confirm = client.get(f"/posts/comments/{comment_id}/withdraw").get_data(as_text=True)
    assert "<title>Withdraw your comment?" in confirm and "Hasty remark." in confirm
    assert "“The author withdrew this comment.”" in confirm and "Keep the comment" in confirm
    assert comments_of(app, world.opening_post_id) == ["Hasty remark."]
    response = client.post(f"/posts/comments/{comment_id}/withdraw")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The author withdrew this comment." in page and "Hasty remark." not in page
    assert "Your comment was withdrawn." in page


def test_withdrawn_post_takes_no_comments(client, world):
    sign_in(client, world.author)
    client.post(f"/posts/{world.opening_post_id}/withdraw")
    assert client.post(f"/posts/{world.opening_post_id}/comments", data={"body": "Hi"}).status_code == 404


# --- Private groups ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/posts/{p}/edit"), ("post", "/posts/{p}/edit"), ("get", "/posts/{p}/history"),
     ("get", "/posts/{p}/withdraw"), ("post", "/posts/{p}/withdraw"), ("post", "/posts/{p}/comments")],
)
def test_private_group_post_actions_are_404_for_non_members(client, world, method, path):
    sign_in(client, world.outsider)
    response = getattr(client, method)(path.format(p=world.private_post_id), data={"body": "x"})
    assert response.status_code == 404


def test_private_comment_withdraw_is_404_for_non_members(app, client, world):
    sign_in(client, world.member)
    client.post(f"/posts/{world.private_post_id}/comments", data={"body": "Inside."})
    with app.app_context():
        comment_id = db.session.scalar(db.select(Comment.id))
    sign_in(client, world.outsider)
    assert client.get(f"/posts/comments/{comment_id}/withdraw").status_code == 404
    assert client.post(f"/posts/comments/{comment_id}/withdraw").status_code == 404


@pytest.mark.parametrize("path", ["/posts/0/edit", "/posts/999999/history", "/posts/abc/edit",
                                  "/posts/123456789012345678901/history"])
def test_unknown_posts_are_404(client, world, path):
    sign_in(client, world.author)
    assert client.get(path).status_code == 404


def test_lists_do_not_name_the_author_of_a_withdrawn_last_post(app, client, world):
    """The placeholder names nobody, so "Last active ... by" must not name them either."""
    sign_in(client, world.member)
    client.post(f"/threads/{world.thread_id}/reply", data={"body": "A reply I will take back."})
    group_page = f"/groups/{world.group_slug}/"
    assert client.get(group_page).get_data(as_text=True).count("Bob Member") == 2  # header, last poster
    with app.app_context():
        reply_id = db.session.scalar(db.select(Post.id).where(Post.thread_id == world.thread_id, Post.number == 2))
    client.post(f"/posts/{reply_id}/withdraw")
    sign_out(client)  # the header names whoever is signed in
    for url in (group_page, "/", "/tags/parks/"):
        page = client.get(url).get_data(as_text=True)
        assert "More benches in the park" in page
        assert "Bob Member" not in page, url
        assert "Alice Author" in page  # the last post still standing is hers
    with app.app_context():
        assert db.session.get(Thread, world.thread_id).last_post_author_id == world.author.id
