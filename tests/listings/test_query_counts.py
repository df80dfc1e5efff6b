"""List pages cost the same number of SQL queries however many threads they show (no N+1)."""

from __future__ import annotations

import pytest
from flask import Flask

from forum.extensions import db
from tests import factories as f
from tests.listings.helpers import sign_in
from tests.query_counting import counting_queries


def _add_threads(app: Flask, slug: str, how_many: int) -> None:
    """Threads by five different authors, each tagged, every other one replied to by someone else."""
    from sqlalchemy import select

    from forum.accounts.models import User
    from forum.groups.models import Group, Membership
    from forum.threads import services

    with app.app_context():
        group = db.session.scalar(select(Group).where(Group.slug == slug))
        people = list(db.session.scalars(select(User).join(Membership).where(Membership.group_id == group.id)))
        for n in range(how_many):
            thread = f.make_thread(group, people[n % len(people)], tags=f"topic {n % 7}, common")
            if n % 2:
                services.reply(thread, people[(n + 1) % len(people)], "A reply.")


def _count(app: Flask, client, url: str) -> int:
    client.get(url)  # warm up anything cached on first use
    with counting_queries(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def _counts(app: Flask, client, slug: str, handle: str) -> dict[str, int]:
    return {
        "group": _count(app, client, f"/groups/{slug}/"),
        "home": _count(app, client, "/"),
        "tag": _count(app, client, "/tags/common/"),
        "tags": _count(app, client, "/tags/"),
        "profile": _count(app, client, f"/users/{handle}/"),
    }


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "member"])
def test_the_list_pages_issue_the_same_queries_for_5_and_100_threads(app, client, signed_in):
    app.config["THREADS_PER_PAGE"] = 100
    with app.app_context():
        people = [f.make_user() for _ in range(5)]
        private = f.make_group(private=True, members=tuple(people))
        group = f.make_group(members=tuple(people))
        f.make_thread(private, people[0], tags="common")
        slug, handle, member = group.slug, people[0].handle, f.sign_in_id(people[0])
    if signed_in:
        sign_in(client, member)
    _add_threads(app, slug, 5)
    with_5 = _counts(app, client, slug, handle)
    _add_threads(app, slug, 95)
    with_100 = _counts(app, client, slug, handle)
    assert with_5 == with_100
    # the measure means something only if the page really lists every thread
    assert client.get(f"/groups/{slug}/").get_data(as_text=True).count("forum-thread-list__title") == 100
    print(f"queries per page ({'member' if signed_in else 'anonymous'}):", with_100)

