"""Search (forum.search): ranking, permissions, upkeep as content changes, odd query text, filters, pages,
the empty page and the re-index command; every test runs on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.budgeting.services import submissions
from forum.common import transaction
from forum.extensions import db
from forum.search import services
from forum.search.backends import words
from forum.search.models import SearchDocument
from forum.threads import services as thread_services
from forum.threads import visibility
from forum.threads.models import Post, Visibility
from tests import factories
from tests.budgeting.support import make_budget
from tests.pages import read
from tests.people import person_of, sign_in


def opening(thread) -> Post:
    return db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.number == 1))


def found(app, query: str, user=None, **filters) -> list[str]:
    """The titles (thread or proposal) and kinds of what ``user`` finds, best first."""
    with app.test_request_context():
        results = services.search(query, services.Filters(**filters), user)
        return [f"{hit.kind}:{hit.title.striptags()}" for hit in results.hits]


@pytest.fixture
def world(app):
    with app.test_request_context():
        author = factories.make_user("Writer")
        member = factories.make_user("Member")
        public = factories.make_group("Streets", members=(author,))
        private = factories.make_group("Council staff", private=True, members=(author, member))
        yield {"author": author, "member": member, "public": public, "private": private}


def test_words_are_plain_whatever_the_syntax():
    assert words('"bike" NEAR(lanes, 3) -cars* (AND OR') == ["bike", "near", "lanes", "3", "cars", "and", "or"]
    assert words("  ") == []


def test_a_title_match_ranks_above_a_body_match(app, world):
    with app.test_request_context():
        factories.make_thread(world["public"], world["author"], title="About the market",
                              body="We should plant trees along the river.")
        factories.make_thread(world["public"], world["author"], title="Trees for every street",
                              body="Shade and cleaner air.")
    assert found(app, "trees") == ["post:Trees for every street", "post:About the market"]


def test_replies_comments_and_proposals_are_found_with_highlighted_words(app, world):
    with app.test_request_context():
        thread = factories.make_thread(world["public"], world["author"], title="Parking", body="Opening words.")
        post = thread_services.reply(thread, world["author"], "Cyclists need **safe** lanes & <b>crossings</b>.")
        thread_services.add_comment(post, world["author"], "More lanes near the school.")
        make_budget(phase="collecting", costs=(100,))
        transaction.commit()
        results = services.search("lanes project", services.Filters(), None)
        assert results.hits == []
        results = services.search("lanes", services.Filters(), None)
        kinds = sorted(hit.kind for hit in results.hits)
        assert kinds == ["comment", "post"]
        reply = next(hit for hit in results.hits if hit.kind == "post")
        assert "<mark>lanes</mark>" in reply.snippet
        assert "&amp;" in reply.snippet and "<b>" not in reply.snippet
        assert reply.url.endswith("#post-2")
        assert found(app, "about project 1") == ["proposal:Project 1"]


def test_private_held_hidden_and_withdrawn_are_not_found(app, world):
    with app.test_request_context():
        factories.make_thread(world["private"], world["author"], title="Secret budget", body="Staff only.")
        thread = factories.make_thread(world["public"], world["author"], title="Open", body="Hello.")
        held = thread_services.reply(thread, world["author"], "A held walrus.")
        visibility.change_post(held, state=Visibility.HELD)
        hidden = thread_services.reply(thread, world["author"], "A hidden walrus.")
        visibility.change_post(hidden, state=Visibility.HIDDEN, reason="Rude")
        withdrawn = thread_services.reply(thread, world["author"], "A withdrawn walrus.")
        thread_services.withdraw_post(withdrawn, world["author"]) if hasattr(thread_services, "withdraw_post") \
            else visibility.change_post(withdrawn, withdraw=True)
        comment = thread_services.add_comment(opening(thread), world["author"], "A withdrawn walrus comment.")
        thread_services.withdraw_comment(comment, world["author"])
        member, outsider = world["member"], factories.make_user("Outsider")
        transaction.commit()
        assert found(app, "secret", member) == ["post:Secret budget"]
        assert found(app, "secret", outsider) == []
        assert found(app, "secret", None) == []
        assert found(app, "walrus", member) == []

        visibility.change_post(held, state=Visibility.VISIBLE)  # a moderator approves it
        transaction.commit()
        assert found(app, "walrus") == ["post:Open"]
        visibility.change_post(held, state=Visibility.HIDDEN, reason="Spam")  # and hides it later
        transaction.commit()
        assert found(app, "walrus") == []


def test_hiding_the_opening_post_hides_the_whole_thread(app, world):
    with app.test_request_context():
        thread = factories.make_thread(world["public"], world["author"], title="Otters", body="Otters here.")
        thread_services.reply(thread, world["author"], "More otters.")
        assert len(found(app, "otters")) == 2
        visibility.change_post(opening(thread), state=Visibility.HIDDEN, reason="Off topic")
        transaction.commit()
        assert found(app, "otters") == []
        visibility.change_post(opening(thread), state=Visibility.VISIBLE)
        transaction.commit()
        assert len(found(app, "otters")) == 2


def test_the_index_follows_edits_of_text_and_title(app, world):
    with app.test_request_context():
        thread = factories.make_thread(world["public"], world["author"], title="Bins", body="Collect on Monday.")
        thread_services.edit_post(opening(thread), world["author"], "Collect on Friday.", title="Recycling")
        transaction.commit()
        assert found(app, "monday") == []
        assert found(app, "friday") == ["post:Recycling"]
        assert found(app, "recycling") == ["post:Recycling"]


def test_proposals_follow_edits_and_withdrawal(app, world):
    with app.test_request_context():
        setup = make_budget(phase="collecting", costs=(100,))
        author = world["author"]
        text = submissions.ProposalText("Skate park", "A place for skaters.", "500", "", "")
        proposal = submissions.propose(setup.budget, setup.pot.id, author, text)
        transaction.commit()
        assert found(app, "skaters") == ["proposal:Skate park"]
        submissions.edit(proposal, author, setup.pot.id,
                         submissions.ProposalText("Skate park", "Ramps for boarders.", "500", "", ""))
        transaction.commit()
        assert found(app, "skaters") == [] and found(app, "boarders") == ["proposal:Skate park"]
        submissions.withdraw(proposal, author)
        transaction.commit()
        assert found(app, "boarders") == []


@pytest.mark.parametrize("query", [
    '"unbalanced', "trees*", "NEAR(trees market)", "-trees", "(((", ")", "AND", "OR trees", "trees AND OR NOT",
    "a:b", "^trees", "{trees}", "'", "\\", "%", "_", "trees NEAR/2 market", "☃", "<script>alert(1)</script>",
])
def test_search_syntax_is_searched_as_words_and_never_fails(app, world, client, query):
    with app.test_request_context():
        factories.make_thread(world["public"], world["author"], title="Trees", body="In the market.")
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    assert "<script>alert" not in response.get_data(as_text=True)


def test_filters_by_group_tag_author_and_date(app, world):
    with app.test_request_context():
        other = factories.make_user("Other")
        second = factories.make_group("Parks", members=(other,))
        factories.make_thread(world["public"], world["author"], title="Benches", body="Benches here.", tags="seats")
        factories.make_thread(second, other, title="Bench repair", body="Benches there.")
        transaction.commit()
        assert len(found(app, "benches")) == 2
        assert found(app, "benches", group="parks") == ["post:Bench repair"]
        assert found(app, "benches", tag="Seats") == ["post:Benches"]
        assert found(app, "benches", author="@other") == ["post:Bench repair"]
        assert found(app, "benches", author="writer") == ["post:Benches"]
        from datetime import date, timedelta

        today = date.today()
        assert len(found(app, "benches", date_from=today - timedelta(days=1), date_to=today + timedelta(days=1))) == 2
        assert found(app, "benches", date_to=today - timedelta(days=1)) == []
        assert found(app, "benches", group="council-staff") == []  # a private group stays private


def test_results_come_a_page_at_a_time(app, world, client):
    with app.test_request_context():
        thread = factories.make_thread(world["public"], world["author"], title="Lamps", body="Lamps one.")
        for n in range(services.PER_PAGE + 4):
            thread_services.reply(thread, world["author"], f"Street lamps, number {n}.")
        transaction.commit()
        first = services.search("lamps", services.Filters(), None, 1)
        second = services.search("lamps", services.Filters(), None, 2)
        assert first.page.total == services.PER_PAGE + 5 and len(first.hits) == services.PER_PAGE
        assert len(second.hits) == 5
    page = read(client.get("/search?q=lamps&page=2"))
    assert page.count(".forum-search-result") == 5
    assert client.get("/search?q=lamps&page=x").status_code == 400


def test_the_page_says_when_nothing_matches_and_suggests_fewer_filters(app, world, client):
    page = read(client.get("/search?q=nothing+here"))
    assert "No results" in page.visible_text
    assert "Try fewer or different words" in page.visible_text
    page = read(client.get("/search?q=nothing&tag=roads&from=2020-01-01"))
    assert "Try removing some filters" in page.visible_text
    assert page.link("search without filters") == "/search?q=nothing"
    page = read(client.get("/search?q=x&from=not-a-date"))
    assert "Enter a real date" in page.visible_text


def test_the_results_page_links_and_highlights(app, world, client):
    with app.test_request_context():
        thread = factories.make_thread(world["private"], world["author"], title="Staff rota", body="The rota.")
        member = person_of(world["member"])
        thread_id = thread.id
    sign_in(client, member)
    page = read(client.get("/search?q=rota"))
    assert page.count(".forum-search-result") == 1
    assert page.one(".forum-search-result a")["href"].startswith(f"/threads/{thread_id}/")
    assert page.text(".forum-search-result mark") == "rota"
    assert page.one("#site-search")["value"] == "rota"  # the header box keeps the words


def test_reindex_command_rebuilds_everything(app, world):
    with app.test_request_context():
        thread = factories.make_thread(world["public"], world["author"], title="Ponds", body="Ducks.")
        factories.make_thread(world["public"], world["author"], title="Hidden ponds", body="Ducks.")
        hidden = db.session.scalar(select(Post).where(Post.thread_id != thread.id))
        visibility.change_post(hidden, state=Visibility.HIDDEN, reason="x")
        make_budget(phase="collecting", costs=(100, 200))
        db.session.execute(SearchDocument.__table__.delete())
        transaction.commit()
        assert found(app, "ducks") == []
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexed 3 items." in result.output
    assert found(app, "ducks") == ["post:Ponds"]
    assert found(app, "project") != []


def test_reindex_can_be_left_to_a_job(app, world):
    with app.test_request_context():
        factories.make_thread(world["public"], world["author"], title="Geese", body="Honk.")
        db.session.execute(SearchDocument.__table__.delete())
        transaction.commit()
    result = app.test_cli_runner().invoke(args=["search", "reindex", "--queue"])
    assert result.exit_code == 0, result.output
    assert found(app, "honk") == ["post:Geese"]  # the tests' job engine runs a job as soon as it is queued
