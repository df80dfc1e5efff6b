"""Atom feeds (forum.feeds): valid Atom read by a real parser (feedparser), only public content, each announced
by its page's <link rel="alternate">."""

from __future__ import annotations

import feedparser
import pytest

from forum.common import transaction
from forum.extensions import db
from forum.groups.models import Group
from forum.threads import services as thread_services
from forum.threads import visibility
from forum.threads.models import Post, Thread, Visibility
from tests.pages import read
from tests.query_counting import counting_queries
from tests.threads.support import make_world, sign_in

ATOM = "application/atom+xml; charset=utf-8"


@pytest.fixture
def world(app):
    world = make_world(app)
    with app.app_context():
        thread = db.session.get(Thread, world.thread_id)
        author = thread.author
        group = thread.group
        thread_services.reply(thread, author, "A **visible** reply with <b>markup</b> & ampersands.")
        held = thread_services.reply(thread, author, "A heldword reply.")
        visibility.change_post(held, state=Visibility.HELD)
        hidden = thread_services.reply(thread, author, "A hiddenword reply.")
        visibility.change_post(hidden, state=Visibility.HIDDEN, reason="Rude")
        withdrawn = thread_services.reply(thread, author, "A withdrawnword reply.")
        visibility.change_post(withdrawn, withdraw=True)
        held_thread = thread_services.start_thread(group, author, "Heldtitle thread", "Body.", "benches")
        visibility.change_post(held_thread_post(held_thread), state=Visibility.HELD)
        hidden_thread = thread_services.start_thread(group, author, "Hiddentitle thread", "Body.", "benches")
        visibility.change_post(held_thread_post(hidden_thread), state=Visibility.HIDDEN, reason="Rude")
        withdrawn_thread = thread_services.start_thread(group, author, "Withdrawntitle thread", "Body.", "benches")
        visibility.change_post(held_thread_post(withdrawn_thread), withdraw=True)
        transaction.commit()
    return world


def held_thread_post(thread: Thread) -> Post:
    return db.session.scalar(db.select(Post).where(Post.thread_id == thread.id, Post.number == 1))


FORBIDDEN = ("heldword", "hiddenword", "withdrawnword", "Heldtitle", "Hiddentitle", "Withdrawntitle",
             "Draft budget", "Secret numbers")


def fetch(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["Content-Type"] == ATOM
    text = response.get_data(as_text=True)
    for word in FORBIDDEN:
        assert word not in text, (url, word)
    feed = feedparser.parse(response.get_data())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.id and feed.feed.title and feed.feed.updated
    assert any(link.rel == "self" and link.href.startswith("http://localhost/") for link in feed.feed.links)
    for entry in feed.entries:
        assert entry.id.startswith("tag:localhost,") and entry.title and entry.updated
        assert entry.author and entry.link.startswith("http://localhost/")
        assert entry.content[0].type == "text/html"
    return feed


def test_site_feed(app, client, world):
    feed = fetch(client, "/feeds/site.atom")
    assert [e.title for e in feed.entries] == ["More benches in the park"]
    entry = feed.entries[0]
    assert entry.author == "Alice Author"
    assert entry.link == f"http://localhost/threads/{world.thread_id}/more-benches-in-the-park"
    assert "We need benches." in entry.content[0].value
    assert {t.term for t in entry.tags} == {"parks", "benches"}


def test_group_feed_and_a_private_groups_is_not_found(app, client, world):
    feed = fetch(client, f"/groups/{world.group_slug}/feed.atom")
    assert [e.title for e in feed.entries] == ["More benches in the park"]
    assert feed.feed.title == "Parks and green spaces: latest threads"
    assert client.get(f"/groups/{world.private_slug}/feed.atom").status_code == 404
    sign_in(client, world.member)  # even a member: feeds are for anonymous readers
    assert client.get(f"/groups/{world.private_slug}/feed.atom").status_code == 404
    assert client.get("/groups/no-such-group/feed.atom").status_code == 404


def test_tag_feed(app, client, world):
    feed = fetch(client, "/tags/benches/feed.atom")
    assert [e.title for e in feed.entries] == ["More benches in the park"]
    assert client.get("/tags/Benches/feed.atom").headers["Location"].endswith("/tags/benches/feed.atom")
    assert client.get("/tags/no-such-tag/feed.atom").status_code == 404


def test_a_tag_used_only_in_private_groups_has_no_feed(app, client, world):
    with app.app_context():
        private = db.session.scalar(db.select(Group).where(Group.slug == world.private_slug))
        thread_services.start_thread(private, db.session.get(Thread, world.private_thread_id).author,
                                     "Another secret", "Body.", "secrettag")
        transaction.commit()
    assert client.get("/tags/secrettag/feed.atom").status_code == 404


def test_thread_feed_holds_only_posts_everyone_sees(app, client, world):
    feed = fetch(client, f"/threads/{world.thread_id}/feed.atom")
    assert [e.title for e in feed.entries] == [
        "Re: More benches in the park (post 2)", "More benches in the park",  # newest first
    ]
    reply = feed.entries[0]
    assert reply.link.endswith(f"/threads/{world.thread_id}/more-benches-in-the-park#post-2")
    assert "<strong>visible</strong>" in reply.content[0].value
    assert "&amp; ampersands" in reply.content[0].value  # the stored HTML, escaped once in the XML
    assert client.get(f"/threads/{world.private_thread_id}/feed.atom").status_code == 404
    with app.app_context():
        held = db.session.scalar(db.select(Thread.id).where(Thread.title == "Heldtitle thread"))
    sign_in(client, world.author)
    assert client.get(f"/threads/{held}/feed.atom").status_code == 404
    assert client.get("/threads/999999/feed.atom").status_code == 404


def test_feeds_hold_a_bounded_number_of_entries_in_a_fixed_number_of_queries(app, client, world):
    app.config["FEED_ENTRIES"] = 3
    try:
        with app.app_context():
            thread = db.session.get(Thread, world.thread_id)
            for n in range(6):
                thread_services.start_thread(thread.group, thread.author, f"Extra thread {n}", "Body.", "benches")
                thread_services.reply(thread, thread.author, f"Extra reply {n}.")
            transaction.commit()
        for url in ("/feeds/site.atom", f"/groups/{world.group_slug}/feed.atom", "/tags/benches/feed.atom",
                    f"/threads/{world.thread_id}/feed.atom"):
            with counting_queries(app) as statements:
                feed = fetch(client, url)
            assert len(feed.entries) == 3, url
            assert len(statements) <= 4, (url, statements)
    finally:
        app.config.pop("FEED_ENTRIES")


def test_odd_characters_still_make_valid_xml(app, client, world):
    with app.app_context():
        thread = db.session.get(Thread, world.thread_id)
        thread_services.reply(thread, thread.author, "Control \x0b characters ]]> and <script>x</script> “quotes”.")
        transaction.commit()
    feed = fetch(client, f"/threads/{world.thread_id}/feed.atom")
    assert "“quotes”" in feed.entries[0].content[0].value
    assert "<script>" not in feed.entries[0].content[0].value


def alternates(client, url: str) -> list[tuple[str, str]]:
    page = read(client.get(url))
    return [(link["href"], link["title"]) for link in page.select('head link[rel="alternate"]')
            if link.get("type") == "application/atom+xml"]


def test_each_page_announces_its_feed_and_the_feed_is_there(app, client, world):
    pages = {
        "/": "http://localhost/feeds/site.atom",
        f"/groups/{world.group_slug}/": f"http://localhost/groups/{world.group_slug}/feed.atom",
        "/tags/benches/": "http://localhost/tags/benches/feed.atom",
        f"/threads/{world.thread_id}/": f"http://localhost/threads/{world.thread_id}/feed.atom",
    }
    for page_url, feed_url in pages.items():
        found = alternates(client, page_url)
        assert [href for href, _ in found] == [feed_url], page_url
        assert found[0][1]
        fetch(client, feed_url.removeprefix("http://localhost"))


def test_private_pages_announce_no_feed(app, client, world):
    sign_in(client, world.member)
    assert alternates(client, f"/groups/{world.private_slug}/") == []
    assert alternates(client, f"/threads/{world.private_thread_id}/") == []
