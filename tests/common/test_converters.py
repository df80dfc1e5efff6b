"""Ids in URLs and forms: a number no row could have is a 404 (or ignored), never a 500 from the database.

Primary keys are 32-bit integers on PostgreSQL, which refuses a larger number in a query with an error.
"""

from __future__ import annotations

import pytest

from forum.common.converters import MAX_ID, parse_id
from forum.extensions import db
from tests import factories
from tests.threads.support import make_world, person, posts_of, sign_in

TOO_BIG = [str(MAX_ID + 1), "999999999999999999"]


@pytest.mark.parametrize("number", TOO_BIG)
def test_ids_beyond_the_database_integer_are_404_pages(app, client, number):
    world = make_world(app)
    with app.app_context():
        admin = person(factories.make_user("Ada Admin", role="admin"))
    sign_in(client, admin)
    for method, url in [
        ("GET", f"/threads/{number}/"),
        ("GET", f"/threads/{number}/reply"),
        ("GET", f"/posts/{number}/edit"),
        ("GET", f"/posts/{number}/history"),
        ("POST", f"/posts/{number}/withdraw"),
        ("POST", f"/posts/{number}/comments"),
        ("POST", f"/posts/comments/{number}/withdraw"),
        ("GET", f"/admin/users/{number}"),
        ("POST", f"/groups/{world.group_slug}/members/{number}/role"),
        ("POST", f"/groups/{world.group_slug}/requests/{number}/approve"),
        ("POST", f"/groups/{world.group_slug}/requests/{number}/reject"),
    ]:
        assert client.open(url, method=method).status_code == 404, url


@pytest.mark.parametrize("number", TOO_BIG)
def test_a_quote_beyond_the_database_integer_quotes_nothing(app, client, number):
    world = make_world(app)
    sign_in(client, world.member)
    page = client.get(f"/threads/{world.thread_id}/reply?quote={number}")
    assert page.status_code == 200 and "wrote in post" not in page.get_data(as_text=True)
    response = client.post(f"/threads/{world.thread_id}/reply", data={"body": "No quote here.", "quote": number})
    assert response.headers["Location"].startswith(f"/threads/{world.thread_id}/")
    assert posts_of(app, world.thread_id)[-1][1] == "No quote here."
    with app.app_context():
        from forum.threads.models import Post

        assert db.session.scalar(db.select(Post.quoted_post_id).order_by(Post.id.desc()).limit(1)) is None


def test_parse_id_accepts_only_ids_a_row_could_have():
    assert parse_id("42") == 42 and parse_id(str(MAX_ID)) == MAX_ID
    for raw in (None, "", "0", "-1", "²", "1.5", str(MAX_ID + 1), "9" * 30):
        assert parse_id(raw) is None
