"""Lists link to each thread's latest post and, for a signed-in reader, to the first post they have not read
(forum.threads.reading): the group page, a tag page, the home page; a profile links to each post itself."""

from __future__ import annotations

import re

import pytest

from forum.extensions import db
from forum.threads import services
from forum.threads.models import Post, Thread, ThreadRead
from tests import factories as f
from tests.factories import sign_in_id
from tests.listings.helpers import sign_in


@pytest.fixture
def place(app):
    """A public group with a reader, a writer and a thread of five posts, two to a page."""
    app.config["POSTS_PER_PAGE"] = 2
    with app.app_context():
        reader, writer = f.make_user("Rita Reader"), f.make_user("Walt Writer")
        group = f.make_group("Street lights", members=(reader, writer))
        thread = f.make_thread(group, writer, title="Broken lamp on Elm Road", tags="lights", replies=4)
        return {"reader": sign_in_id(reader), "writer_id": writer.id, "slug": group.slug, "thread": thread.id,
                "path": f"/threads/{thread.id}/broken-lamp-on-elm-road"}


def jump_links(page: str) -> dict[str, str]:
    """The list's "N new posts" and "latest post" links: visible text (before any hidden part) -> address."""
    found = re.findall(r'<a class="govuk-link[^"]*" href="([^"]+)">([^<]+)<span class="govuk-visually-hidden"> in “',
                       page)
    return {label.strip(): href for href, label in found}


def add_replies(app, place, how_many: int) -> None:
    with app.app_context():
        thread = db.session.get(Thread, place["thread"])
        writer = db.session.get(f.User, place["writer_id"])
        for n in range(how_many):
            services.reply(thread, writer, f"More news {n}.")
        db.session.commit()


def test_a_visitor_gets_a_link_to_the_latest_post_on_its_page(client, place):
    links = jump_links(client.get(f"/groups/{place['slug']}/").get_data(as_text=True))
    assert links == {"latest post": f"{place['path']}?page=3#post-5"}
    assert jump_links(client.get("/tags/lights/").get_data(as_text=True)) == links
    assert jump_links(client.get("/").get_data(as_text=True)) == links


def test_the_latest_post_is_one_everyone_can_see(app, client, place):
    with app.app_context():
        last = db.session.scalar(db.select(Post).where(Post.thread_id == place["thread"], Post.number == 5))
        services.withdraw_post(last, last.author)
        db.session.commit()
    links = jump_links(client.get(f"/groups/{place['slug']}/").get_data(as_text=True))
    assert links == {"latest post": f"{place['path']}?page=2#post-4"}


def test_a_reader_is_sent_to_the_first_post_they_have_not_read(app, client, place):
    sign_in(client, place["reader"])
    group_page = f"/groups/{place['slug']}/"
    assert "new post" not in client.get(group_page).get_data(as_text=True)  # never opened: nothing is "new"
    client.get(f"/threads/{place['thread']}/")  # page 1: posts 1 and 2
    links = jump_links(client.get(group_page).get_data(as_text=True))
    assert links == {"3 new posts": f"{place['path']}?page=2#post-3", "latest post": f"{place['path']}?page=3#post-5"}
    client.get(f"/threads/{place['thread']}/?page=3")  # the last page: everything read
    assert "new post" not in client.get(group_page).get_data(as_text=True)
    client.get(f"/threads/{place['thread']}/")  # going back to page 1 does not unread anything
    assert "new post" not in client.get(group_page).get_data(as_text=True)
    add_replies(app, place, 1)
    links = jump_links(client.get(group_page).get_data(as_text=True))
    assert links["1 new post"] == f"{place['path']}?page=3#post-6"
    with app.app_context():
        assert db.session.scalar(db.select(ThreadRead.last_read_post_number)) == 5


def test_a_view_that_moves_nothing_writes_nothing(app, client, place):
    from tests.query_counting import counting_queries

    sign_in(client, place["reader"])
    client.get(f"/threads/{place['thread']}/?page=3")
    with counting_queries(app) as statements:
        client.get(f"/threads/{place['thread']}/?page=2")
    assert not [s for s in statements if "thread_reads" in s and not s.lstrip().upper().startswith("SELECT")]


def test_a_profile_links_each_post_to_its_place_in_the_thread(client, place):
    with client.application.app_context():
        handle = db.session.get(f.User, place["writer_id"]).handle
    page = client.get(f"/users/{handle}/").get_data(as_text=True)
    assert f'href="{place["path"]}?page=3#post-5"' in page and f'href="{place["path"]}#post-1"' in page
