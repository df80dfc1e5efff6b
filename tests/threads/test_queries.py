"""The thread page's reads: pages by post number, and a query count that does not grow with the thread."""

from __future__ import annotations

import re

import pytest

from forum.extensions import db
from forum.groups.models import Group
from forum.threads import queries
from forum.threads.models import Thread
from tests import factories
from tests.query_counting import counting_queries
from tests.threads.support import Person, person, sign_in


def build(app, replies: int, comments_per_post: int = 2, name: str = "A") -> tuple[int, Person, Person]:
    with app.app_context():
        author = factories.make_user(f"Writer {name}")
        commenter = factories.make_user(f"Commenter {name}", role="civil_servant", organisation="Treasury")
        group = factories.make_group(members=(author, commenter))
        thread = factories.make_thread(group, author, replies=replies, comments_per_post=comments_per_post)
        return thread.id, person(author), person(commenter)


def page_queries(app, client, url: str) -> int:
    client.get(url)  # warm up anything cached per process
    with counting_queries(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def test_thread_page_query_count_does_not_grow_with_posts_or_comments(app, client):
    small_id, small_author, small_reader = build(app, replies=9)
    big_id, big_author, big_reader = build(app, replies=199, comments_per_post=1, name="B")
    counts = {}
    # The author sees every action (edit, withdraw, withdraw comment); a member who wrote none sees the forms.
    for label, who_small, who_big in (("author", small_author, big_author), ("member", small_reader, big_reader)):
        sign_in(client, who_small)
        small = page_queries(app, client, f"/threads/{small_id}/")
        sign_in(client, who_big)
        big = page_queries(app, client, f"/threads/{big_id}/")
        last = page_queries(app, client, f"/threads/{big_id}/?page=10")
        assert small == big == last, label
        counts[label] = small
    with client.session_transaction() as session:
        session.clear()
    counts["visitor"] = page_queries(app, client, f"/threads/{small_id}/")
    assert counts["visitor"] == page_queries(app, client, f"/threads/{big_id}/")
    # 6, plus one for the proposals the thread discusses (forum.threads.links), plus one for someone who may
    # reply: whether they have posted in the group yet (the house rules come before their first post), plus
    # one for anyone signed in: the header's moderation link (forum/moderation/views/nav.py).
    # 5 to 9 before issue 11; +4 for a signed-in reader: agreements, bookmarks, unread count, watch state.
    # Issue 12: where a reader had read to comes with the thread, and a view that moves it on writes once
    # (forum.threads.reading); these are second views, which move nothing. Issue 14: signed in, one more for
    # the content and viewer versions the page is stored under (forum/common/own_pages.py).
    assert max(counts.values()) <= 14
    print(f"thread page queries (10 posts = 200 posts): {counts}")


def test_pages_hold_consecutive_post_numbers(app, client):
    app.config["POSTS_PER_PAGE"] = 4
    thread_id, author, _ = build(app, replies=9, comments_per_post=0)  # 10 posts: pages of 4, 4, 2
    pages = {}
    for n in (1, 2, 3):
        page = client.get(f"/threads/{thread_id}/?page={n}").get_data(as_text=True)
        pages[n] = [int(x) for x in re.findall(r'id="post-(\d+)"', page)]
    assert pages == {1: [1, 2, 3, 4], 2: [5, 6, 7, 8], 3: [9, 10]}
    assert client.get(f"/threads/{thread_id}/?page=4").status_code == 404
    page = client.get(f"/threads/{thread_id}/?page=2").get_data(as_text=True)
    assert "govuk-pagination" in page
    assert f'href="/threads/{thread_id}/thread-' in page and "page=3" in page
    assert "Page 2 of 3" in page


def test_thread_page_comments_come_with_their_post(app):
    thread_id, _, _ = build(app, replies=2, comments_per_post=2)
    with app.app_context():
        thread = db.session.get(Thread, thread_id)
        page = queries.thread_page(thread, 1, 20)
        assert [p.number for p in page.posts] == [1, 2, 3]
        for post in page.posts:
            assert [c.body_source for c in page.comments_for(post)] == [
                f"Comment 1 on post {post.number}.", f"Comment 2 on post {post.number}."]


def test_readable_thread_hides_private_threads(app):
    with app.app_context():
        author = factories.make_user()
        group = factories.make_group(private=True, members=(author,))
        thread = factories.make_thread(group, author)
        assert queries.readable_thread(thread.id, author)[0].id == thread.id
        with pytest.raises(queries.NotFound):
            queries.readable_thread(thread.id, None)
        with pytest.raises(queries.NotFound):
            queries.readable_group(db.session.get(Group, group.id).slug, factories.make_user())
