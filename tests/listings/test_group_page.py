"""The group page: its description, counts, threads pinned first then by activity, tag filter, pagination."""

from __future__ import annotations

from sqlalchemy import select, update

from forum.extensions import db
from forum.groups.models import Group
from forum.threads.models import Thread
from tests import factories as f
from tests.listings.helpers import first_member, sign_in, text


def _titles_in_order(page: str, *titles: str) -> list[int]:
    return [page.index(t) for t in titles]


def test_anonymous_sees_a_public_group_with_its_threads(client, world):
    page = text(client.get(f"/groups/{world.bigger}/"))
    assert '<h1 class="govuk-heading-l">' in page and "Make a bigger difference" in page
    assert "About Make a bigger difference" in page
    assert "<strong>change</strong>" in page
    assert "2 threads" in page and "4 posts" in page and "2 members" in page
    assert "Benches in the park" in page and "Budget questions" in page
    assert "Waiting lists" not in page  # another group's thread
    assert "Carol Officer" in page and "Parks Department" in page  # authors and last posters with badges
    assert "2 replies" in page
    assert "<time datetime=" in page and "Last active" in page
    assert 'href="/tags/civil%20service/"' in page
    assert "Start a thread" not in page
    assert "Sign in to join" in page


def test_a_member_is_offered_to_start_a_thread(client, world):
    sign_in(client, world.member)
    page = text(client.get(f"/groups/{world.bigger}/"))
    assert "Start a thread" in page
    assert f'href="/groups/{world.bigger}/threads/new"' in page
    assert "Leave group" in page


def test_a_non_member_reads_a_public_group_but_may_not_start_a_thread(client, world):
    sign_in(client, world.outsider)
    response = client.get(f"/groups/{world.bigger}/")
    assert response.status_code == 200
    assert "Start a thread" not in text(response)
    assert "Join this group" in text(response)


def test_a_private_group_is_not_found_for_visitors_and_non_members(client, world):
    assert client.get(f"/groups/{world.private}/").status_code == 404
    sign_in(client, world.outsider)
    response = client.get(f"/groups/{world.private}/")
    assert response.status_code == 404
    assert "Secret staffing plans" not in text(response)


def test_a_private_group_shows_its_threads_to_members(client, world):
    sign_in(client, world.member)
    response = client.get(f"/groups/{world.private}/")
    assert response.status_code == 200
    assert "Secret staffing plans" in text(response)


def test_a_site_moderator_reads_a_private_group(app, client, world):
    with app.app_context():
        moderator = f.sign_in_id(f.make_user("Mo Derator", role="moderator"))
    sign_in(client, moderator)
    assert client.get(f"/groups/{world.private}/").status_code == 200


def test_an_unknown_group_is_not_found(client, world):
    assert client.get("/groups/no-such-group/").status_code == 404


def test_pinned_threads_come_first_then_the_most_recently_active(app, client, world):
    with app.app_context():
        group = db.session.scalar(select(Group).where(Group.slug == world.bigger))
        author = first_member(group)
        f.make_thread(group, author, title="Newest thread")
        db.session.execute(update(Thread).where(Thread.title == "Benches in the park").values(pinned=True))
        db.session.commit()
    page = text(client.get(f"/groups/{world.bigger}/"))
    positions = _titles_in_order(page, "Benches in the park", "Newest thread", "Budget questions")
    assert positions == sorted(positions)
    assert "Pinned" in page


def test_filtering_by_tag_shows_only_threads_with_that_tag(client, world):
    page = text(client.get(f"/groups/{world.bigger}/?tag=Civil+Service"))
    assert "Benches in the park" in page
    assert "Budget questions" not in page
    assert "Threads tagged “civil service”" in page
    assert f'href="/groups/{world.bigger}/"' in page and "Remove the filter" in page


def test_filtering_by_an_unused_tag_shows_no_threads(client, world):
    page = text(client.get(f"/groups/{world.bigger}/?tag=nothing-here"))
    assert "No threads in this group are tagged" in page
    assert "Benches in the park" not in page


def test_threads_are_paginated(app, client, world):
    app.config["THREADS_PER_PAGE"] = 2
    with app.app_context():
        group = db.session.scalar(select(Group).where(Group.slug == world.allotments))
        author = first_member(group)
        for n in range(3):
            f.make_thread(group, author, title=f"Extra thread {n}")
    first = text(client.get(f"/groups/{world.allotments}/"))
    assert "Extra thread 2" in first and "Extra thread 1" in first and "Waiting lists" not in first
    assert f'href="/groups/{world.allotments}/?page=2"' in first
    second = client.get(f"/groups/{world.allotments}/?page=2")
    assert second.status_code == 200
    assert "Waiting lists" in text(second) and "Extra thread 2" not in text(second)
    assert "– page 2" in text(second)


def test_pagination_keeps_the_tag_filter(app, client, world):
    app.config["THREADS_PER_PAGE"] = 1
    with app.app_context():
        group = db.session.scalar(select(Group).where(Group.slug == world.bigger))
        f.make_thread(group, first_member(group), title="More parks", tags="parks")
    page = text(client.get(f"/groups/{world.bigger}/?tag=parks"))
    assert f'href="/groups/{world.bigger}/?tag=parks&amp;page=2"' in page


def test_a_page_number_that_is_not_a_number_is_a_bad_request(client, world):
    assert client.get(f"/groups/{world.bigger}/?page=two").status_code == 400
    assert client.get(f"/groups/{world.bigger}/?page=0").status_code == 400


def test_a_page_past_the_end_is_not_found(client, world):
    assert client.get(f"/groups/{world.bigger}/?page=2").status_code == 404


def test_an_empty_group_invites_the_first_thread(app, client, world):
    with app.app_context():
        f.make_group("Quiet corner")
    response = client.get("/groups/quiet-corner/")
    assert response.status_code == 200
    assert "No one has started a thread here yet." in text(response)


def test_the_group_page_offers_its_tags_as_filters(client, world):
    page = text(client.get(f"/groups/{world.bigger}/"))
    assert "Filter by tag" in page
    assert f'href="/groups/{world.bigger}/?tag=civil+service"' in page
    assert f'href="/groups/{world.bigger}/?tag=budget"' in page
    assert "restructure" not in page  # a tag from another (private) group
    filtered = text(client.get(f"/groups/{world.bigger}/?tag=budget"))
    assert '<strong aria-current="true">budget</strong>' in filtered
