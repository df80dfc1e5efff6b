"""The home page: the forum's purpose, the groups a visitor may see (position first) and the latest activity."""

from __future__ import annotations

import re

from sqlalchemy import select

from forum.extensions import db
from forum.groups.models import Group
from tests import factories as f
from tests.listings.helpers import first_member, sign_in, text


def _group_names(page: str) -> list[str]:
    return re.findall(r'<h3 class="govuk-heading-m">\s*<a class="govuk-link" href="/groups/[^"]+">([^<]+)</a>', page)


def _latest_section(page: str) -> str:
    return page[page.index("Latest activity"):]


def test_visitors_read_the_purpose_and_the_public_groups_in_order(client, world):
    response = client.get("/")
    assert response.status_code == 200
    page = text(response)
    assert page.count("<h1") == 1
    assert "residents, civil servants and moderators" in page
    assert 'href="/budgets/">participatory budgets</a>' in page
    assert "Have your say on public money" not in page  # no budget is open
    assert _group_names(page) == ["Make a bigger difference", "Allotments"]
    assert "About Make a bigger difference" in page
    assert "2 threads" in page and "4 posts" in page and "2 members" in page


def test_groups_with_equal_positions_are_ordered_by_name(app, client, world):
    with app.app_context():
        f.make_group("Zebra crossings", position=10)
        f.make_group("Bins", position=10)
    assert _group_names(text(client.get("/"))) == [
        "Make a bigger difference", "Allotments", "Bins", "Zebra crossings",
    ]


def test_private_groups_and_their_activity_are_hidden_from_visitors_and_non_members(client, world):
    for who in (None, world.outsider):
        if who:
            sign_in(client, who)
        page = text(client.get("/"))
        assert "Staff room" not in page
        assert "Secret staffing plans" not in page
        # only the two public groups' counts appear: nothing counts the private group's thread or posts
        assert re.findall(r"(\d+) threads?,", page) == ["2", "1"]


def test_members_see_their_private_group_and_its_activity(client, world):
    sign_in(client, world.member)
    page = text(client.get("/"))
    assert "Staff room" in _group_names(page)[-1]
    assert "Private" in page
    assert "Secret staffing plans" in _latest_section(page)


def test_latest_activity_lists_the_ten_most_recently_active_threads(app, client, world):
    with app.app_context():
        group = db.session.scalar(select(Group).where(Group.slug == world.allotments))
        author = first_member(group)
        for n in range(11):
            f.make_thread(group, author, title=f"Recent thread {n:02d}")
    latest = _latest_section(text(client.get("/")))
    titles = re.findall(r'href="/threads/\d+/[^"]*">([^<]+)</a>', latest)
    assert titles == [f"Recent thread {n:02d}" for n in range(10, 0, -1)]
    assert "Allotments" in latest and "Last active <time datetime=" in latest and "by <a" in latest
    assert "Alice Member" in latest


def test_a_reply_brings_a_thread_to_the_top_with_its_last_poster(app, client, world):
    from forum.threads import services
    from forum.threads.models import Thread

    with app.app_context():
        thread = db.session.scalar(select(Thread).where(Thread.title == "Benches in the park"))
        officer = db.session.scalar(select(Thread).where(Thread.title == "Budget questions")).author
        services.reply(thread, officer, "I agree about the benches.")
    latest = _latest_section(text(client.get("/")))
    first = latest[: latest.index("</li>")]
    assert "Benches in the park" in first and "Carol Officer" in first


def test_budgets_open_for_voting_or_proposals_are_on_the_home_page(app, client, world):
    from tests.budgeting.support import make_budget

    with app.app_context():
        make_budget(phase="voting", title="Green Budget 2027")
        make_budget(phase="collecting", title="Play Streets 2028", area="Hillside")
        make_budget(phase="results", title="Old Budget 2025", area="Dale")
    page = text(client.get("/"))
    panel = page[page.index("Have your say on public money"):page.index(">Groups</h2>")]
    assert panel.index("Green Budget 2027") < panel.index("Play Streets 2028")
    assert "Voting is open." in panel and "£80,000 for Riverside" in panel
    assert "Old Budget 2025" not in page
