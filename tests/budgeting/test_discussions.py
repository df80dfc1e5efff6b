"""Threads linked to proposals: starting a discussion, linking and unlinking, the thread page's proposal panel,
the "Spending proposal" mark in thread lists, private threads kept private, and constant query counts."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from forum.budgeting.models import ProposalThread
from forum.budgeting.services import discussions
from forum.common.errors import ValidationFailed
from forum.extensions import db
from forum.threads import links
from forum.threads.models import Thread
from tests import factories
from tests.budgeting.support import make_budget
from tests.query_counting import counting_queries
from tests.threads.support import Person, person, sign_in, sign_out, thread_count


@dataclass
class World:
    member: Person  # member of the big group and of the private group
    outsider: Person  # member of no group
    staff: Person  # civil servant, member of nothing
    moderator: Person  # site moderator
    big_id: int  # "Make a bigger difference"
    other_id: int  # another public group the member is in
    closed_id: int  # a public group the member is not in
    private_id: int
    private_slug: str
    big_slug: str
    proposal_id: int
    second_id: int
    proposal_title: str


@pytest.fixture
def world(app) -> World:
    with app.app_context():
        member = factories.make_user("Meg Member")
        outsider = factories.make_user("Olive Outsider")
        staff = factories.make_user("Sam Staff", role="civil_servant", organisation="Council")
        moderator = factories.make_user("Maya Moderator", role="moderator")
        other = factories.make_group("Parks and green spaces", members=(member,), position=1)
        big = factories.make_group("Make a bigger difference", members=(member,), position=5)
        closed = factories.make_group("Allotments", position=9)
        private = factories.make_group("Budget working party", private=True, members=(member,))
        setup = make_budget(costs=(12_500, 30_000), area="Riverside", title="Green Budget 2027")
        first, second = setup.proposals
        return World(person(member), person(outsider), person(staff), person(moderator), big.id, other.id,
                     closed.id, private.id, private.slug, big.slug, first.id, second.id, first.title)


def discuss_url(world: World, proposal_id: int | None = None) -> str:
    return f"/budgets/proposals/{proposal_id or world.proposal_id}/discuss"


def linked_threads(app, proposal_id: int) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(ProposalThread.thread_id)
                                       .where(ProposalThread.proposal_id == proposal_id)
                                       .order_by(ProposalThread.thread_id)))


# Starting a discussion


def test_the_form_offers_the_groups_one_can_post_in_with_the_big_group_chosen(client, world):
    sign_in(client, world.member)
    page = client.get(discuss_url(world)).get_data(as_text=True)
    assert "Start a discussion" in page
    assert 'value="About: Project 1"' in page
    for name in ("Make a bigger difference", "Parks and green spaces", "Budget working party"):
        assert name in page
    assert "Allotments" not in page
    assert f'value="{world.big_id}" checked' in page
    assert 'checked' not in page.replace(f'value="{world.big_id}" checked', "")


def test_start_a_discussion_creates_the_thread_in_the_chosen_group_linked(app, client, world):
    sign_in(client, world.member)
    response = client.post(discuss_url(world), data={
        "group": str(world.other_id), "title": "About: Project 1", "body": "Is **£12,500** enough?",
        "tags": "parks, money"})
    assert response.status_code == 302
    with app.app_context():
        thread = db.session.scalar(select(Thread).where(Thread.title == "About: Project 1"))
        assert thread.group_id == world.other_id and thread.author_id == world.member.id
        assert [t.name for t in thread.tags] == ["money", "parks"]
        link = db.session.scalar(select(ProposalThread).where(ProposalThread.thread_id == thread.id))
        assert (link.proposal_id, link.linked_by_id) == (world.proposal_id, world.member.id)
        thread_id, slug = thread.id, thread.slug
    assert response.headers["Location"] == f"/threads/{thread_id}/{slug}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your discussion of “Project 1” has started." in page
    assert "<strong>£12,500</strong>" in page


def test_a_group_one_cannot_post_in_is_refused_with_the_text_kept(app, client, world):
    sign_in(client, world.member)
    before = thread_count(app)
    for group in (str(world.closed_id), "", "999999", "not-a-number"):
        data = {"group": group, "title": "My kept title", "body": "My kept body", "tags": "kept"}
        response = client.post(discuss_url(world), data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert page.count("Choose a group you can post in") == 2
        assert 'value="My kept title"' in page and "My kept body" in page and 'value="kept"' in page
    assert thread_count(app) == before
    assert linked_threads(app, world.proposal_id) == []


def test_the_service_refuses_a_group_one_cannot_post_in(app, world):
    from forum.accounts.models import User
    from forum.budgeting.models import Proposal

    with app.app_context():
        member = db.session.get(User, world.member.id)
        proposal = db.session.get(Proposal, world.proposal_id)
        with pytest.raises(ValidationFailed) as error:
            discussions.start_discussion(proposal, member, world.closed_id, "Title", "Body")
        assert error.value.field == "group"
        assert db.session.scalar(select(db.func.count(Thread.id))) == 0


def test_bad_title_or_body_keeps_every_word(app, client, world):
    sign_in(client, world.member)
    page = client.post(discuss_url(world), data={"group": str(world.big_id), "title": "", "body": "Kept body"}
                       ).get_data(as_text=True)
    assert "Enter a title" in page and "Kept body" in page and f'value="{world.big_id}" checked' in page
    page = client.post(discuss_url(world), data={"group": str(world.big_id), "title": "Kept", "body": "****"}
                       ).get_data(as_text=True)
    assert "Enter some text that is not only formatting" in page and 'value="Kept"' in page
    assert thread_count(app) == 0


def test_someone_in_no_group_is_told_how_to_join(client, world):
    sign_in(client, world.outsider)
    page = client.get(discuss_url(world)).get_data(as_text=True)
    assert "Join a group first" in page and 'href="/groups/"' in page
    assert "<form" not in page.split("<main")[1].split("</main>")[0]


def test_discussing_needs_sign_in_and_a_real_proposal(client, world):
    for method in (client.get, client.post):
        assert method(discuss_url(world)).headers["Location"].startswith("/login")
    sign_in(client, world.member)
    assert client.get(discuss_url(world, 99999)).status_code == 404


# Linking and unlinking existing threads


def make_thread(app, world: World, group_id: int | None = None, who: Person | None = None, title: str = "Benches"):
    from forum.accounts.models import User
    from forum.groups.models import Group

    with app.app_context():
        thread = factories.make_thread(db.session.get(Group, group_id or world.other_id),
                                       db.session.get(User, (who or world.member).id), title=title)
        return thread.id


def test_staff_link_a_thread_by_address_or_number_and_unlink_it(app, client, world):
    first = make_thread(app, world, title="Benches")
    second = make_thread(app, world, title="Trees")
    sign_in(client, world.staff)
    link_url = f"/budgets/proposals/{world.proposal_id}/threads/link"
    response = client.post(link_url, data={"thread": f"http://localhost/threads/{first}/benches?page=1"})
    assert response.status_code == 302 and response.headers["Location"] == f"/budgets/proposals/{world.proposal_id}"
    assert client.post(link_url, data={"thread": f" {second} "}).status_code == 302
    assert linked_threads(app, world.proposal_id) == [first, second]
    page = client.post(link_url, data={"thread": str(first)}).get_data(as_text=True)
    assert page.count("That thread is already linked to this proposal") == 2
    for junk in ("", "/threads/abc/", "999999"):
        page = client.post(link_url, data={"thread": junk}).get_data(as_text=True)
        assert 'class="govuk-error-summary"' in page, junk
    unlink = f"/budgets/proposals/{world.proposal_id}/threads/{first}/unlink"
    assert client.post(unlink).status_code == 302
    assert linked_threads(app, world.proposal_id) == [second]
    assert client.post(unlink).status_code == 404
    with app.app_context():
        assert db.session.get(Thread, first) is not None  # the thread itself stays


def test_authors_link_their_own_threads_only_and_cannot_unlink(app, client, world):
    mine = make_thread(app, world)
    theirs = make_thread(app, world, group_id=world.closed_id, who=world.moderator)
    private = make_thread(app, world, group_id=world.private_id, title="Secret")
    link_url = f"/budgets/proposals/{world.proposal_id}/threads/link"
    sign_in(client, world.member)
    assert client.post(link_url, data={"thread": str(mine)}).status_code == 302
    page = client.post(link_url, data={"thread": str(theirs)}).get_data(as_text=True)
    assert "You can link only threads you started" in page
    assert client.post(f"/budgets/proposals/{world.proposal_id}/threads/{mine}/unlink").status_code == 403
    sign_in(client, world.staff)  # staff cannot read the private group: it does not exist for them
    page = client.post(link_url, data={"thread": str(private)}).get_data(as_text=True)
    assert "There is no thread at that address or number" in page
    assert linked_threads(app, world.proposal_id) == [mine]
    sign_out(client)
    assert client.post(link_url, data={"thread": str(theirs)}).headers["Location"].startswith("/login")


# The thread page, thread lists and the proposal page


def link(app, proposal_id: int, thread_id: int) -> None:
    with app.app_context():
        db.session.add(ProposalThread(proposal_id=proposal_id, thread_id=thread_id))
        db.session.commit()


def test_the_thread_page_shows_each_proposal_it_discusses(app, client, world):
    thread_id = make_thread(app, world)
    plain_id = make_thread(app, world, title="Unrelated")
    link(app, world.proposal_id, thread_id)
    link(app, world.second_id, thread_id)
    page = client.get(f"/threads/{thread_id}/").get_data(as_text=True)
    assert "This thread discusses" in page
    assert f'href="/budgets/proposals/{world.proposal_id}">Project 1</a>' in page
    assert f'href="/budgets/proposals/{world.second_id}">Project 2</a>' in page
    for fact in ("£12,500", "£30,000", "Proposed", "Riverside", "Green Budget 2027", "Voting"):
        assert fact in page, fact
    assert "This thread discusses" not in client.get(f"/threads/{plain_id}/").get_data(as_text=True)


def test_the_links_come_in_one_query_whatever_the_number_of_threads(app, world):
    ids = [make_thread(app, world, title=f"Thread {n}") for n in range(6)]
    for n, thread_id in enumerate(ids[:4]):
        link(app, world.proposal_id if n % 2 else world.second_id, thread_id)
    link(app, world.proposal_id, ids[0])
    with app.test_request_context(), counting_queries(app) as statements:
        links.links_for(ids[:1])
    one_thread = len(statements)
    with app.test_request_context(), counting_queries(app) as statements:
        found = links.links_for(ids)
    # One query per domain that links threads: the proposals (here), and the lines of a place's count (issue 15).
    assert len(statements) == one_thread == 2
    assert sum("budget_proposal_threads" in statement for statement in statements) == 1
    assert sorted(found) == ids[:4]
    assert [lk.title for lk in found[ids[0]]] == ["Project 2", "Project 1"]
    assert found[ids[1]][0].marker == "Spending proposal"
    assert dict(found[ids[1]][0].facts)["Cost"] == "£12,500"


def test_group_and_tag_lists_mark_linked_threads(app, client, world):
    linked = make_thread(app, world, title="Linked one")
    make_thread(app, world, title="Plain one")
    link(app, world.proposal_id, linked)
    with app.app_context():
        from forum.accounts.models import User
        from forum.groups.models import Group

        tagged = factories.make_thread(db.session.get(Group, world.other_id), db.session.get(User, world.member.id),
                                       title="Tagged linked", tags="parks")
        db.session.add(ProposalThread(proposal_id=world.second_id, thread_id=tagged.id))
        db.session.commit()
        slug = db.session.get(Group, world.other_id).slug
    group_page = client.get(f"/groups/{slug}/").get_data(as_text=True)
    assert group_page.count("Spending proposal") == 2
    item = group_page.split(">Linked one</a>")[1].split("</h3>")[0]
    assert "Spending proposal" in item
    assert "Spending proposal" not in group_page.split(">Plain one</a>")[1].split("</h3>")[0]
    assert client.get("/tags/parks/").get_data(as_text=True).count("Spending proposal") == 1
    latest = client.get("/").get_data(as_text=True).split("Latest activity")[1]
    assert "Spending proposal" in latest.split(">Linked one</a>")[1].split("</h3>")[0]
    assert "Spending proposal" not in latest.split(">Plain one</a>")[1].split("</h3>")[0]


def test_private_threads_are_listed_only_to_those_who_can_read_them(app, client, world):
    public = make_thread(app, world, title="Open talk")
    private = make_thread(app, world, group_id=world.private_id, title="Secret talk")
    link(app, world.proposal_id, public)
    link(app, world.proposal_id, private)
    with app.app_context():
        from forum.accounts.models import User
        from forum.budgeting.models import Proposal

        proposal = db.session.get(Proposal, world.proposal_id)
        titles = {who: [t.title for t in discussions.readable_threads(proposal, user)]
                  for who, user in (("member", db.session.get(User, world.member.id)),
                                    ("outsider", db.session.get(User, world.outsider.id)),
                                    ("moderator", db.session.get(User, world.moderator.id)),
                                    ("anonymous", None))}
    assert sorted(titles["member"]) == sorted(titles["moderator"]) == ["Open talk", "Secret talk"]
    assert titles["outsider"] == titles["anonymous"] == ["Open talk"]
    proposal_url = f"/budgets/proposals/{world.proposal_id}"
    for who, secret_shown in ((None, False), (world.outsider, False), (world.member, True)):
        if who:
            sign_in(client, who)
        page = client.get(proposal_url).get_data(as_text=True)
        assert "Open talk" in page
        assert ("Secret talk" in page) is secret_shown
    assert f'href="/budgets/proposals/{world.proposal_id}/discuss"' in page
    assert "Start a discussion" in page and "Link an existing thread" in page


def test_the_proposal_page_partial_offers_sign_in_and_staff_unlink(app, client, world):
    thread_id = make_thread(app, world, title="Open talk")
    link(app, world.proposal_id, thread_id)
    page = client.get(f"/budgets/proposals/{world.proposal_id}").get_data(as_text=True)
    assert "Sign in to start a discussion" in page and "Unlink" not in page
    sign_in(client, world.staff)
    page = client.get(f"/budgets/proposals/{world.proposal_id}").get_data(as_text=True)
    assert f'action="/budgets/proposals/{world.proposal_id}/threads/{thread_id}/unlink"' in page
    assert html.escape("Unlink “Open talk”", quote=False) in page


def _count(app, client, url: str) -> int:
    client.get(url)
    with counting_queries(app) as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_query_counts_do_not_grow_with_linked_threads(app, client, world):
    app.config["THREADS_PER_PAGE"] = 100
    with app.app_context():
        from forum.groups.models import Group

        slug = db.session.get(Group, world.other_id).slug
    sign_in(client, world.member)
    urls = [f"/groups/{slug}/", "/", "/tags/common/", f"/budgets/proposals/{world.proposal_id}"]

    def add(n: int) -> int:
        last = 0
        for i in range(n):
            with app.app_context():
                from forum.accounts.models import User

                thread = factories.make_thread(db.session.get(Group, world.other_id),
                                               db.session.get(User, world.member.id), tags="common")
                db.session.add(ProposalThread(proposal_id=world.proposal_id, thread_id=thread.id))
                if i % 2:
                    db.session.add(ProposalThread(proposal_id=world.second_id, thread_id=thread.id))
                db.session.commit()
                last = thread.id
        return last

    last = add(3)
    small = [_count(app, client, url) for url in urls] + [_count(app, client, f"/threads/{last}/")]
    last = add(30)
    big = [_count(app, client, url) for url in urls] + [_count(app, client, f"/threads/{last}/")]
    assert small == big
