"""The tag index with the counts a viewer may see, and tag pages with their canonical addresses."""

from __future__ import annotations

import re

from sqlalchemy import select

from forum.extensions import db
from forum.groups.models import Group
from tests import factories as f
from tests.listings.helpers import first_member, sign_in, text


def _counts(page: str) -> dict[str, int]:
    """Tag name -> count as the index shows them, in page order."""
    pattern = r'class="govuk-link forum-tag" href="[^"]+">([^<]+)</a>\s*<span class="forum-meta">(\d+) thread'
    pairs = re.findall(pattern, page)
    return {name: int(count) for name, count in pairs}


def test_the_index_counts_only_public_threads_for_visitors(client, world):
    counts = _counts(text(client.get("/tags/")))
    assert counts == {"parks": 2, "budget": 1, "civil service": 1}
    assert list(counts) == ["parks", "budget", "civil service"]  # by count, then by name


def test_the_index_hides_private_tags_and_counts_from_non_members(client, world):
    sign_in(client, world.outsider)
    page = text(client.get("/tags/"))
    assert "restructure" not in page
    assert _counts(page)["civil service"] == 1


def test_the_index_counts_private_threads_for_members(client, world):
    sign_in(client, world.member)
    counts = _counts(text(client.get("/tags/")))
    assert counts["civil service"] == 2
    assert counts["restructure"] == 1


def test_the_index_is_paginated(app, client, world):
    app.config["TAGS_PER_PAGE"] = 2
    first = text(client.get("/tags/"))
    assert list(_counts(first)) == ["parks", "budget"]
    assert 'href="/tags/?page=2"' in first
    assert list(_counts(text(client.get("/tags/?page=2")))) == ["civil service"]
    assert client.get("/tags/?page=3").status_code == 404
    assert client.get("/tags/?page=x").status_code == 400


def test_a_tag_page_lists_the_visible_threads_with_their_groups(client, world):
    response = client.get("/tags/parks/")
    assert response.status_code == 200
    page = text(response)
    assert "<h1" in page and "parks" in page
    assert "Benches in the park" in page and "Waiting lists" in page
    assert "Budget questions" not in page
    assert f'href="/groups/{world.allotments}/"' in page  # each thread names its group
    assert page.index("Waiting lists") < page.index("Benches in the park")  # most recently active first


def test_a_tag_page_hides_private_threads_from_non_members(client, world):
    page = text(client.get("/tags/civil%20service/"))
    assert "Benches in the park" in page
    assert "Secret staffing plans" not in page
    sign_in(client, world.outsider)
    assert "Secret staffing plans" not in text(client.get("/tags/civil%20service/"))


def test_a_tag_page_shows_private_threads_to_members(client, world):
    sign_in(client, world.member)
    page = text(client.get("/tags/civil%20service/"))
    assert "Secret staffing plans" in page and "Benches in the park" in page


def test_a_tag_used_only_in_a_private_group_is_not_found_for_non_members(client, world):
    assert client.get("/tags/restructure/").status_code == 404
    sign_in(client, world.outsider)
    assert client.get("/tags/restructure/").status_code == 404
    sign_in(client, world.member)
    assert client.get("/tags/restructure/").status_code == 200


def test_a_differently_written_tag_redirects_to_its_canonical_address(client, world):
    response = client.get("/tags/Civil%20Service/")
    assert response.headers["Location"].endswith("/tags/civil%20service/")
    response = client.get("/tags/%20PARKS%20/?page=1")
    assert response.headers["Location"].endswith("/tags/parks/")


def test_an_unknown_tag_is_not_found(client, world):
    assert client.get("/tags/no-such-tag/").status_code == 404
    assert client.get("/tags/No%20Such%20Tag/", follow_redirects=True).status_code == 404


def test_a_tag_page_is_paginated(app, client, world):
    app.config["THREADS_PER_PAGE"] = 1
    first = text(client.get("/tags/parks/"))
    assert "Waiting lists" in first and "Benches in the park" not in first
    assert 'href="/tags/parks/?page=2"' in first
    assert "Benches in the park" in text(client.get("/tags/parks/?page=2"))
    assert client.get("/tags/parks/?page=3").status_code == 404
    assert client.get("/tags/parks/?page=-1").status_code == 400


def test_a_tag_with_a_slash_has_a_working_page(app, client, world):
    with app.app_context():
        group = db.session.scalar(select(Group).where(Group.slug == world.bigger))
        f.make_thread(group, first_member(group), title="Bus routes", tags="and/or")
    page = text(client.get("/"))
    assert "Bus routes" in page
    response = client.get("/tags/and/or/")
    assert response.status_code == 200 and "Bus routes" in text(response)
