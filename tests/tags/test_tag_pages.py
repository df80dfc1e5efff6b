"""One tag system: /tags/ counts threads and proposals the viewer may see; a tag page lists both; nothing held,
hidden, withdrawn or private to others shows; no tag link a viewer is shown leads to a 404; the pages cost the
same number of queries however much they list."""

from __future__ import annotations

import re

import pytest

from forum.budgeting.models import Proposal
from forum.extensions import db
from forum.tag_pages import services
from forum.threads import services as thread_services
from tests.moderation import support as s
from tests.query_counting import counting_queries
from tests.tags.support import make_tag_world, tag


@pytest.fixture
def world(app):
    return make_tag_world(app)


def index_counts(client) -> dict[str, str]:
    page = s.page(client.get("/tags/"))
    return dict(re.findall(r'class="govuk-link forum-tag" href="[^"]+">([^<]+)</a> <span class="forum-meta">([^<]*)<',
                           page))


def test_the_index_counts_threads_and_proposals_and_leaves_out_withdrawn_and_private(client, world):
    assert index_counts(client) == {"play areas": "2 proposals", "benches": "1 thread, 1 proposal"}
    s.sign_in(client, world.people.author)  # a member of the private group
    assert index_counts(client) == {"play areas": "2 proposals", "benches": "1 thread, 1 proposal",
                                    "secret plans": "1 thread"}


def test_a_tag_page_lists_the_threads_and_the_proposals(client, world):
    page = s.page(client.get("/tags/benches/"))
    assert "1 thread" in page and "Benches by the pond" in page
    assert "1 spending proposal" in page
    assert f'href="/budgets/proposals/{world.proposal_ids[0]}">Project 1</a>' in page
    assert "Green Budget 2027" in page and "£10,000" in page
    page = s.page(client.get("/tags/play%20areas/"))
    assert "0 threads" in page and "There are no threads with this tag." in page
    assert "Project 1" in page and "Project 2" in page and "2 spending proposals" in page


def test_the_tag_feed_is_offered_only_when_it_exists(client, world):
    assert 'href="http://localhost/tags/benches/feed.atom"' in s.page(client.get("/tags/benches/"))
    assert client.get("/tags/benches/feed.atom").status_code == 200
    assert "feed.atom" not in s.page(client.get("/tags/play%20areas/"))  # threads only: no feed to offer
    s.sign_in(client, world.people.author)
    assert "feed.atom" not in s.page(client.get("/tags/secret%20plans/"))  # private: no public feed


def test_a_tag_only_on_a_withdrawn_proposal_has_a_page_saying_nothing_is_listed(client, world):
    response = client.get("/tags/old%20idea/")  # the withdrawn proposal's own page still shows the tag
    assert response.status_code == 200
    page = s.page(response)
    assert "Nothing you can see carries this tag at the moment." in page and "Project 3" not in page


def test_a_held_threads_tag_opens_for_its_author_and_moderators_and_stays_secret_from_others(app, client, world):
    people = world.people
    app.config["PREMODERATE_FIRST_POSTS"] = 2
    with app.app_context():
        held = thread_services.start_thread(s.group(people.parks_id), s.user(people.newcomer), "New bins",
                                            "Where are the bins?", "bins rota")
        db.session.commit()
        thread_id = held.id
    for who in (people.newcomer, people.parks_mod, people.sitemod):
        s.sign_in(client, who)
        thread_page = s.page(client.get(f"/threads/{thread_id}/"))
        assert 'href="/tags/bins%20rota/"' in thread_page
        response = client.get("/tags/bins%20rota/")
        assert response.status_code == 200, who
        assert "Nothing you can see carries this tag" in s.page(response) and "New bins" not in s.page(response)
    for who in (None, people.member, people.transport_mod):
        if who:
            s.sign_in(client, who)
        else:
            s.sign_out(client)
        assert client.get("/tags/bins%20rota/").status_code == 404
        assert "bins rota" not in s.page(client.get("/tags/"))


def test_a_private_groups_tag_is_not_found_for_outsiders(client, world):
    assert client.get("/tags/secret%20plans/").status_code == 404
    s.sign_in(client, world.people.outsider)
    assert client.get("/tags/secret%20plans/").status_code == 404
    s.sign_in(client, world.people.author)
    assert "Draft budget" in s.page(client.get("/tags/secret%20plans/"))


def test_every_tag_link_on_the_pages_a_viewer_opens_leads_somewhere(client, world):
    """No link ever leads to a 404: every /tags/ link on the index, a tag page, the thread and proposal pages."""
    for who in (None, world.people.member, world.people.author):
        if who:
            s.sign_in(client, who)
        pages = ["/tags/", "/tags/benches/", "/tags/play%20areas/", f"/threads/{world.people.thread_id}/",
                 *[f"/budgets/proposals/{pid}" for pid in world.proposal_ids]]
        for url in pages:
            for href in set(re.findall(r'href="(/tags/[^"#?]*)', s.page(client.get(url)))):
                assert client.get(href).status_code == 200, (who, url, href)


def test_each_list_pages_on_its_own(app, client, world):
    app.config["THREADS_PER_PAGE"] = 1
    first = s.page(client.get("/tags/play%20areas/"))
    assert "Project 2" in first and "Project 1" not in first  # newest first
    assert 'href="/tags/play%20areas/?proposals_page=2#proposals"' in first
    assert "Project 1" in s.page(client.get("/tags/play%20areas/?proposals_page=2"))
    assert client.get("/tags/play%20areas/?proposals_page=3").status_code == 404
    assert client.get("/tags/play%20areas/?page=2").status_code == 404
    assert client.get("/tags/play%20areas/?proposals_page=x").status_code == 400
    moved = client.get("/tags/Play%20Areas/?proposals_page=2")
    assert moved.status_code == 301 and moved.headers["Location"].endswith("/tags/play%20areas/?proposals_page=2")


def test_the_index_is_paginated_across_threads_and_proposals(app, client, world):
    app.config["TAGS_PER_PAGE"] = 1
    assert list(index_counts(client)) == ["benches"]  # 2 items; play areas has 2 too and comes after by name
    assert 'href="/tags/?page=2"' in s.page(client.get("/tags/"))
    assert client.get("/tags/?page=3").status_code == 404


def test_the_services_answer_for_a_viewer(app, world):
    with app.app_context():
        counts = {t.name: (t.threads, t.proposals) for t in services.tag_index(None, 1, 50).items}
        assert counts == {"benches": (1, 1), "play areas": (0, 2)}
        found = services.tag_page("play areas", None, 1, 1, 50)
        assert [p.title for p in found.proposals.items] == ["Project 2", "Project 1"] and not found.has_feed
        member = s.user(world.people.author)
        assert [t.title for t in services.tag_page("secret plans", member, 1, 1, 50).threads.items] == \
            ["Draft budget"]


def many_tagged(app, world, n: int) -> None:
    people = world.people
    with app.app_context():
        pot_id = db.session.get(Proposal, world.proposal_ids[0]).pot_id
        for k in range(n):
            thread = thread_services.start_thread(s.group(people.parks_id), s.user(people.member), f"More {k}",
                                                  "Text.", f"benches, topic {k}")
            thread_services.reply(thread, s.user(people.author), "A reply.")
            proposal = Proposal(pot_id=pot_id, title=f"Idea {k}", cost_pence=100_00, author_id=people.member.id)
            proposal.tags = tag(f"benches, topic {k}")
            db.session.add(proposal)
        db.session.commit()


def queries(app, client, url: str) -> int:
    client.get(url)
    with counting_queries(app) as statements:
        assert client.get(url).status_code == 200
    return len(statements)


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_tag_pages_cost_the_same_queries_for_few_and_many_items(app, client, world, who):
    if who == "member":
        s.sign_in(client, world.people.member)
    before = {url: queries(app, client, url) for url in ("/tags/", "/tags/benches/")}
    many_tagged(app, world, 12)
    after = {url: queries(app, client, url) for url in ("/tags/", "/tags/benches/")}
    assert before == after
    assert s.page(client.get("/tags/benches/")).count("Idea ") >= 12
