"""The thread page, starting a thread, and replying (forum.threads.views)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from forum.extensions import db
from forum.threads.models import Thread
from tests.threads.support import first_post_id, make_world, posts_of, sign_in, thread_count

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def world(app):
    return make_world(app)


def new_thread_url(world) -> str:
    return f"/groups/{world.group_slug}/threads/new"


# --- Starting a thread -------------------------------------------------------------------------------------


def test_member_starts_a_thread_with_tags_and_lands_on_it(app, client, world):
    sign_in(client, world.member)
    assert client.get(new_thread_url(world)).status_code == 200
    response = client.post(new_thread_url(world), data={
        "title": "  Open the library on Sundays ", "body": "The library should *open* on Sundays.",
        "tags": "Libraries, Opening  Hours",
    })
    with app.app_context():
        thread = db.session.scalar(db.select(Thread).where(Thread.title == "Open the library on Sundays"))
        assert [t.name for t in thread.tags] == ["libraries", "opening hours"]
        thread_id = thread.id
    assert response.headers["Location"] == f"/threads/{thread_id}/open-the-library-on-sundays"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<h1 class=\"govuk-heading-l\">Open the library on Sundays</h1>" in page
    assert "<em>open</em>" in page
    assert "opening hours" in page


def test_new_thread_page_explains_markdown(client, world):
    sign_in(client, world.member)
    page = client.get(new_thread_url(world)).get_data(as_text=True)
    assert "Markdown" in page
    assert "Up to 5, separated by commas" in page


def test_anonymous_person_is_sent_to_sign_in_before_starting_a_thread(client, world):
    for method in (client.get, client.post):
        response = method(new_thread_url(world))
        assert response.headers["Location"].startswith("/login")


def test_non_member_may_not_start_a_thread(app, client, world):
    sign_in(client, world.outsider)
    assert client.get(new_thread_url(world)).status_code == 403
    before = thread_count(app)
    response = client.post(new_thread_url(world), data={"title": "Hello", "body": "Text"})
    assert response.status_code == 403
    assert thread_count(app) == before


def test_private_group_new_thread_page_is_a_404_for_non_members(client, world):
    sign_in(client, world.outsider)
    assert client.get(f"/groups/{world.private_slug}/threads/new").status_code == 404
    assert client.post(f"/groups/{world.private_slug}/threads/new", data={"title": "x", "body": "y"}).status_code == 404
    assert client.get("/groups/no-such-group/threads/new").status_code == 404


def test_site_moderator_may_start_a_thread_anywhere(client, world):
    sign_in(client, world.moderator)
    response = client.post(new_thread_url(world), data={"title": "House rules", "body": "Be kind."})
    assert response.headers["Location"].startswith("/threads/")


@pytest.mark.parametrize(
    ("data", "message", "field"),
    [
        ({"title": "", "body": "Body kept here"}, "Enter a title", "title"),
        ({"title": "   ", "body": "Body kept here"}, "Enter a title", "title"),
        ({"title": "\u200b\u00ad\u2060", "body": "Body kept here"}, "Enter a title", "title"),
        ({"title": "Title kept here", "body": "\u200b \u00ad"}, "Enter some text that is not only formatting", "body"),
        ({"title": "T" * 201, "body": "Body kept here"}, "Title must be 200 characters or fewer", "title"),
        ({"title": "Title kept here", "body": ""}, "Enter the text of your post", "body"),
        ({"title": "Title kept here", "body": "b" * 50_001}, "Text must be 50,000 characters or fewer", "body"),
        ({"title": "Title kept here", "body": "Body kept here", "tags": "a, b, c, d, e, f"},
         "Enter no more than 5 tags (you entered 6)", "tags"),
        ({"title": "Title kept here", "body": "Body kept here", "tags": "x" * 51}, "50 characters or fewer", "tags"),
    ],
)
def test_bad_thread_input_shows_errors_and_keeps_every_word(app, client, world, data, message, field):
    sign_in(client, world.member)
    before = thread_count(app)
    data = {"title": "", "body": "", "tags": "budget, parks", **data}
    response = client.post(new_thread_url(world), data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count(message) == 2  # in the summary and by the field
    assert "<title>Error: " in page
    assert 'class="govuk-error-summary"' in page
    assert f'href="#{field}"' in page
    for value in data.values():
        if value.strip():
            assert html.escape(value) in page
    assert thread_count(app) == before


def test_only_formatting_is_not_a_post(client, world):
    sign_in(client, world.member)
    page = client.post(new_thread_url(world), data={"title": "A title", "body": "****"}).get_data(as_text=True)
    assert "Enter some text that is not only formatting" in page
    assert "A title" in page


def test_expired_form_keeps_the_text_and_asks_to_submit_again(app, client, world):
    app.config["WTF_CSRF_ENABLED"] = True
    sign_in(client, world.member)
    response = client.post(new_thread_url(world), data={
        "csrf_token": "stale", "title": "An hour of writing", "body": "Every word of it.", "tags": "care",
    })
    page = response.get_data(as_text=True)
    assert "Your session expired: what you entered is kept below; check it and submit again" in page
    assert "An hour of writing" in page and "Every word of it." in page and 'value="care"' in page


def test_word_paste_becomes_clean_paragraphs(client, world):
    word_paste = (
        "<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->\n"
        "<!--[if gte mso 10]><style>/* Style Definitions */ table.MsoNormalTable {mso-style-name:\"Table Normal\";}"
        "</style><![endif]-->\n"
        "@font-face {font-family:Calibri; panose-1:2 15 5 2 2 2 4 3 2 4;}\n"
        "p.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0cm; mso-pagination:widow-orphan; font-size:11.0pt;}\n"
        "Normal 0 false false false EN-GB X-NONE X-NONE\n"
        "Recent reports have praised Total Place and\n"
        "participatory budgeting.\n"
        "Over recent\n"
        "weeks, evaluation reports have been published.\n"
    )
    sign_in(client, world.member)
    response = client.post(new_thread_url(world), data={"title": "Pasted from Word", "body": word_paste})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    body = page.split('forum-post__body">', 1)[1].split("</div>", 1)[0]
    assert "<p>Recent reports have praised Total Place and participatory budgeting.</p>" in body
    assert "<p>Over recent weeks, evaluation reports have been published.</p>" in body
    for residue in ("mso", "Mso", "@font-face", "[if", "endif", "panose", "X-NONE", "{", "}"):
        assert residue not in body


def test_the_seed_article_pasted_from_word_reads_as_clean_paragraphs_on_the_thread_page(client, world):
    article = (ROOT / "forum" / "demo" / "seed-article.txt").read_text(encoding="utf-8")
    word = (
        "<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->\n"
        "<style>\n@font-face {font-family:Calibri;}\n"
        "p.MsoNormal, li.MsoNormal {margin:0cm; mso-pagination:widow-orphan;}\n</style>\n"
        "Normal 0 false false false EN-GB X-NONE X-NONE\n"
    )
    sign_in(client, world.member)
    response = client.post(new_thread_url(world), data={"title": "Total Place", "body": word + article})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    body = page.split('forum-post__body">', 1)[1].split("</div>", 1)[0]
    assert body.count("<p>") >= 10
    assert "<p>The two schemes in question are Total Place, the bid to analyse" in body
    for residue in ("mso", "Mso", "@font-face", "[if", "endif", "X-NONE", "{", "<style", "&lt;"):
        assert residue not in body


# --- The thread page -----------------------------------------------------------------------------------------


def test_visitor_reads_a_public_thread_with_breadcrumb_tags_and_posts(client, world):
    response = client.get(f"/threads/{world.thread_id}/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r"<h1[^>]*>More benches in the park</h1>", page)
    assert f'href="/groups/{world.group_slug}/"' in page and "Parks and green spaces" in page
    assert 'href="/tags/parks/"' in page and 'href="/tags/benches/"' in page
    assert "We need benches." in page
    assert "Alice Author" in page
    assert "<time datetime=" in page
    assert "Sign in to reply" in page
    assert "Reply with quote" not in page and "Add a comment" not in page


def test_slug_is_decorative_and_the_page_names_its_canonical_address(client, world):
    for suffix in ("", "more-benches-in-the-park", "wrong-words"):
        response = client.get(f"/threads/{world.thread_id}/{suffix}")
        assert response.status_code == 200
        assert (f'<link rel="canonical" href="http://localhost/threads/{world.thread_id}/more-benches-in-the-park">'
                in response.get_data(as_text=True))


def test_a_thread_titled_reply_does_not_lose_its_page_to_the_reply_form(app, client, world):
    sign_in(client, world.member)
    response = client.post(new_thread_url(world), data={"title": "Reply", "body": "A thread called Reply."})
    assert response.headers["Location"].endswith("/reply-thread")
    assert client.get(response.headers["Location"]).status_code == 200


def test_member_sees_reply_form_quote_and_comment_actions(client, world):
    sign_in(client, world.member)
    page = client.get(f"/threads/{world.thread_id}/").get_data(as_text=True)
    assert f'action="/threads/{world.thread_id}/reply"' in page
    assert f"/threads/{world.thread_id}/reply?quote={world.opening_post_id}" in page
    assert f'action="/posts/{world.opening_post_id}/comments"' in page
    assert f"/posts/{world.opening_post_id}/edit" not in page  # not the author
    assert "Withdraw this post" not in page


def test_author_sees_edit_and_withdraw(client, world):
    sign_in(client, world.author)
    page = client.get(f"/threads/{world.thread_id}/").get_data(as_text=True)
    assert f"/posts/{world.opening_post_id}/edit" in page
    assert f'href="/posts/{world.opening_post_id}/withdraw"' in page  # the confirmation page asks first


def test_signed_in_non_member_is_asked_to_join(client, world):
    sign_in(client, world.outsider)
    page = client.get(f"/threads/{world.thread_id}/").get_data(as_text=True)
    assert "Join the group to reply" in page and "Only members of Parks and green spaces can reply." in page
    assert f'action="/groups/{world.group_slug}/join"' in page  # the join button itself, back to the reply box
    assert f'name="next" value="/threads/{world.thread_id}/more-benches-in-the-park#reply"' in page
    assert f'action="/threads/{world.thread_id}/reply"' not in page


def test_locked_thread_says_so_and_takes_no_reply(app, client, world):
    with app.app_context():
        db.session.get(Thread, world.thread_id).locked = True
        db.session.commit()
    sign_in(client, world.member)
    page = client.get(f"/threads/{world.thread_id}/").get_data(as_text=True)
    assert "This thread is locked" in page
    assert f'action="/threads/{world.thread_id}/reply"' not in page
    assert client.post(f"/threads/{world.thread_id}/reply", data={"body": "Let me in"}).status_code == 403
    assert len(posts_of(app, world.thread_id)) == 1


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_private_thread_is_a_404_for_non_members(client, world, who):
    if who == "outsider":
        sign_in(client, world.outsider)
    assert client.get(f"/threads/{world.private_thread_id}/").status_code == 404
    assert client.get(f"/threads/{world.private_thread_id}/draft-budget").status_code == 404


def test_private_thread_is_readable_by_members_and_site_moderators(client, world):
    for who in (world.member, world.moderator):
        sign_in(client, who)
        assert "Secret numbers." in client.get(f"/threads/{world.private_thread_id}/").get_data(as_text=True)


@pytest.mark.parametrize("url", ["/threads/999999/", "/threads/0/", "/threads/abc/", "/threads/99999999999999999999/"])
def test_unknown_or_malformed_thread_ids_are_404(client, world, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("page", ["x", "-1", "0", "1.5", ""])
def test_a_page_number_that_is_not_a_number_is_400(client, world, page):
    assert client.get(f"/threads/{world.thread_id}/?page={page}").status_code == 400


def test_a_page_past_the_end_is_404(client, world):
    assert client.get(f"/threads/{world.thread_id}/?page=2").status_code == 404


def test_withdrawn_post_shows_a_placeholder_and_no_text(app, client, world):
    sign_in(client, world.author)
    client.post(f"/posts/{world.opening_post_id}/withdraw")
    page = client.get(f"/threads/{world.thread_id}/").get_data(as_text=True)
    assert "The author withdrew this post." in page
    assert "We need benches." not in page


def test_script_in_title_body_tags_and_comments_is_never_run(app, client, world):
    sign_in(client, world.member)
    response = client.post(new_thread_url(world), data={
        "title": "<script>alert(1)</script> Title", "tags": "<b>bold</b>",
        "body": "<script>alert(2)</script> [click](javascript:alert(3)) <img src=x onerror=alert(4)>",
    })
    location = response.headers["Location"]
    with app.app_context():
        thread_id = db.session.scalar(db.select(Thread.id).order_by(Thread.id.desc()).limit(1))
        post_id = first_post_id(thread_id)
    comment = client.post(f"/posts/{post_id}/comments", data={"body": "<script>alert(5)</script> Comment"})
    assert "#comment-" in comment.headers["Location"]
    page = client.get(location).get_data(as_text=True)
    assert "<script>alert" not in page and "javascript:" not in page and "onerror" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Title" in page
