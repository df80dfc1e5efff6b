"""The notifications page, opening one, marking all read, the header count, watch buttons and settings."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.notifications import services
from forum.notifications.models import Notification, Preference, Watch
from tests.notifications.support import kinds_of, make_world
from tests.pages import read
from tests.people import sign_in


@pytest.fixture
def world(app):
    return make_world(app)


def replied(client, world, times=1):
    sign_in(client, world.member)
    for i in range(times):
        client.post(f"/threads/{world.thread_id}/reply", data={"body": f"Reply {i}."})


def test_the_page_lists_newest_first_marks_unread_and_links_to_the_exact_post(app, client, world):
    replied(client, world, times=2)
    sign_in(client, world.author)
    page = read(client.get("/notifications/"))
    assert page.h1 == "Notifications"
    items = page.select(".forum-notification")
    assert len(items) == 2 and all("forum-notification--unread" in li["class"] for li in items)
    with app.app_context():
        newest = db.session.scalar(db.select(Notification).order_by(Notification.id.desc()))
        assert newest.url.endswith("#post-3") and newest.text == "Bob Member replied to your thread “More benches”"
        newest_id = newest.id
    assert items[0].select_one("a")["href"] == f"/notifications/{newest_id}"
    response = client.get(f"/notifications/{newest_id}")
    assert response.status_code == 302 and response.headers["Location"].endswith("#post-3")
    page = read(client.get("/notifications/"))
    assert page.count(".forum-notification--unread") == 1


def test_the_link_goes_to_the_page_the_post_is_on(app, client, world):
    app.config["POSTS_PER_PAGE"] = 2
    replied(client, world, times=2)
    with app.app_context():
        urls = list(db.session.scalars(db.select(Notification.url).order_by(Notification.id)))
    assert urls[0].endswith("/more-benches#post-2") and urls[1].endswith("?page=2#post-3")


def test_someone_elses_notification_is_a_404(app, client, world):
    replied(client, world)
    with app.app_context():
        note_id = db.session.scalar(db.select(Notification.id))
    sign_in(client, world.other)
    assert client.get(f"/notifications/{note_id}").status_code == 404


def test_mark_all_read_and_the_header_count(app, client, world):
    replied(client, world, times=3)
    sign_in(client, world.author)
    header = read(client.get("/")).text(".govuk-service-navigation")
    assert "Notifications 3 unread" in header
    response = client.post("/notifications/read-all")
    assert response.status_code == 302
    assert "Notifications" in read(client.get("/")).text(".govuk-service-navigation")
    assert "unread" not in read(client.get("/")).text(".govuk-service-navigation")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).where(Notification.read_at.is_(None))) == 0


def test_the_page_needs_sign_in(client, world):
    assert client.get("/notifications/").status_code == 302
    assert client.post("/notifications/read-all").status_code == 302


def test_the_header_count_is_one_query(app, client, world):
    from tests.query_counting import counting_queries

    replied(client, world)
    sign_in(client, world.author)
    assert "1 unread" in read(client.get("/groups/")).text(".govuk-service-navigation")
    with counting_queries(app) as statements:
        client.get("/groups/")
    assert sum("FROM notifications" in s for s in statements) == 1


def test_watch_buttons_on_the_thread_and_group_pages(app, client, world):
    sign_in(client, world.other)
    page = read(client.get(f"/threads/{world.thread_id}/"))
    assert page.has(f"form[action='/notifications/watch/threads/{world.thread_id}']")
    assert "Watch this thread" in page.visible_text and "Mute this thread" in page.visible_text
    client.post(f"/notifications/watch/threads/{world.thread_id}", data={"level": "watching"})
    page = read(client.get(f"/threads/{world.thread_id}/"))
    assert "You are watching this thread." in page.visible_text
    assert "Stop watching this thread" in page.visible_text
    client.post(f"/notifications/watch/threads/{world.thread_id}", data={"level": "none"})
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Watch.id)).where(Watch.user_id == world.other.id)) == 0
    page = read(client.get(f"/groups/{world.group_slug}/"))
    assert "Watch this group" in page.visible_text
    response = client.post(f"/notifications/watch/groups/{world.group_slug}", data={"level": "muted"})
    assert response.headers["Location"] == f"/groups/{world.group_slug}/"
    assert "You muted this group" in read(client.get(f"/groups/{world.group_slug}/")).visible_text


def test_watching_a_private_group_one_cannot_read_is_a_404(client, world):
    sign_in(client, world.outsider)
    response = client.post(f"/notifications/watch/groups/{world.private_slug}", data={"level": "watching"})
    assert response.status_code == 404
    assert client.post(f"/notifications/watch/threads/{world.private_thread_id}",
                       data={"level": "watching"}).status_code == 404


def test_an_unknown_level_is_refused(client, world):
    sign_in(client, world.other)
    assert client.post(f"/notifications/watch/threads/{world.thread_id}", data={"level": "loud"}).status_code == 404


def test_settings_show_defaults_and_save_choices(app, client, world):
    sign_in(client, world.author)
    page = read(client.get("/notifications/settings"))
    assert page.value("reply_to_thread") == "immediate" and page.value("watched_thread_post") == "daily"
    data = {name: cadence for name, cadence in services.preferences_of_defaults().items()}
    data["reply_to_thread"] = "never"
    response = client.post("/notifications/settings", data=data)
    assert response.status_code == 302
    assert read(client.get("/notifications/settings")).value("reply_to_thread") == "never"
    replied(client, world)
    from forum.mail import transport

    assert kinds_of(app, world.author) == ["reply_to_thread"]
    assert transport.sent(app) == []
    with app.app_context():
        assert db.session.get(Preference, (world.author.id, "reply_to_thread")).cadence == "never"


def test_settings_refuse_a_missing_choice(client, world):
    sign_in(client, world.author)
    page = read(client.post("/notifications/settings", data={"mention": "immediate"}))
    assert page.error_summary
