"""A budget's proposal list: filters by pot, status and tag; a random order fixed per visitor in review and
voting (the same on every page, different for another visitor), newest first while collecting, funded first
with results; pages; and a query count that does not grow with the number of proposals."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from forum.budgeting.models import Phase, Proposal, ProposalStatus
from forum.budgeting.services import budgets, proposal_listing
from forum.budgeting.services.results import compute_results
from forum.extensions import db
from forum.tags import services as tag_services
from tests.budgeting.support import make_budget, set_phase, store_ballot
from tests.factories import make_user
from tests.query_counting import counting_queries
from tests.threads.support import person, sign_in

ITEM = re.compile(r'pb-proposal__title">\s*<a class="govuk-link" href="/budgets/proposals/(\d+)"')


@dataclass
class Listed:
    slug: str
    ids: list[int]  # every proposal, in creation order
    pot_ids: list[int]


def build(app, count: int = 5, phase: str = Phase.VOTING, second_pot: int = 0, title: str = "Green Budget") -> Listed:
    """A budget with ``count`` proposals in its first pot (tagged "parks" and one of "a", "b", "c") and
    ``second_pot`` more in a second pot (tagged "schools")."""
    with app.app_context():
        setup = make_budget(phase=phase, costs=tuple(100 + n for n in range(count)), title=title,
                            area=f"{title} area")
        pots = [setup.pot]
        proposals = list(setup.proposals)
        for n, proposal in enumerate(proposals):
            proposal.tags = tag_services.get_or_create(["parks", "abc"[n % 3]])
        if second_pot:
            pot = budgets.create_pot(setup.budget, budgets.create_area(f"{title} hill"), "Hill", "£50,000")
            pots.append(pot)
            for n in range(second_pot):
                proposal = budgets.create_proposal(pot, f"School project {n}", "£1,000")
                proposal.tags = tag_services.get_or_create(["schools"])
                proposals.append(proposal)
        db.session.commit()
        return Listed(setup.budget.slug, [p.id for p in proposals], [p.id for p in pots])


def set_status(app, ids: list[int], status: str) -> None:
    with app.app_context():
        for proposal in db.session.scalars(db.select(Proposal).where(Proposal.id.in_(ids))):
            proposal.status = status
        db.session.commit()


def listed(client, url: str) -> list[int]:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return [int(x) for x in ITEM.findall(response.get_data(as_text=True))]


def every_page(client, url: str, pages: int) -> list[int]:
    joiner = "&" if "?" in url else "?"
    return [pid for n in range(1, pages + 1) for pid in listed(client, f"{url}{joiner}page={n}")]


def set_seed(client, seed: int) -> None:
    with client.session_transaction() as session:
        session["budgeting_proposal_seed"] = seed


def seed_of(client) -> int | None:
    with client.session_transaction() as session:
        return session.get("budgeting_proposal_seed")


# --- Order --------------------------------------------------------------------------------------------------


def test_voting_order_is_a_random_permutation_fixed_per_visitor_across_pages(app, client) -> None:
    data = build(app, count=45)  # pages of 20, 20 and 5
    url = f"/budgets/{data.slug}/proposals"
    first = every_page(client, url, 3)
    seed = seed_of(client)
    assert seed is not None, "the first visit keeps a seed in the session"
    assert sorted(first) == data.ids and len(set(first)) == 45, "every proposal once, none twice"
    assert first == sorted(data.ids, key=lambda pid: (proposal_listing.random_key(pid, seed), pid))
    assert first not in (data.ids, data.ids[::-1])
    assert every_page(client, url, 3) == first, "the same order on every visit"
    assert listed(client, f"{url}?page=2") == first[20:40]
    other = app.test_client()
    assert every_page(other, url, 3) != first and seed_of(other) != seed, "another visitor, another order"


@pytest.mark.parametrize("phase", [Phase.REVIEW, Phase.VOTING])
def test_seeds_give_the_same_order_on_both_databases_and_different_orders_to_different_visitors(
        app, client, phase: str) -> None:
    data = build(app, count=12, phase=phase)
    orders = []
    for seed in (1, 2, proposal_listing.PRIME - 1):
        set_seed(client, seed)
        order = listed(client, f"/budgets/{data.slug}/proposals")
        assert order == sorted(data.ids, key=lambda pid, s=seed: (proposal_listing.random_key(pid, s), pid))
        orders.append(order)
    assert len({tuple(o) for o in orders}) == 3


def test_a_tampered_seed_is_replaced(app, client) -> None:
    data = build(app, count=3)
    for bad in ("x", 0, proposal_listing.PRIME, -4):
        set_seed(client, bad)
        assert sorted(listed(client, f"/budgets/{data.slug}/proposals")) == data.ids
        assert 1 <= seed_of(client) < proposal_listing.PRIME


def test_while_collecting_the_newest_come_first_and_no_seed_is_kept(app, client) -> None:
    data = build(app, count=4, phase=Phase.COLLECTING)
    assert listed(client, f"/budgets/{data.slug}/proposals") == data.ids[::-1]
    assert seed_of(client) is None
    assert "Newest first" in client.get(f"/budgets/{data.slug}/proposals").get_data(as_text=True)


@pytest.mark.parametrize("phase", [Phase.RESULTS, Phase.DELIVERY])
def test_with_results_funded_projects_come_first_then_by_votes(app, client, phase: str) -> None:
    with app.app_context():
        setup = make_budget(phase=Phase.VOTING, costs=(40_000, 30_000, 25_000, 20_000, 10_000), amount=60_000)
        p1, p2, p3, p4, p5 = setup.ids
        for n, choices in enumerate([[p1, p2], [p1, p3], [p1, p4], [p2, p4], [p4], [p5]]):
            store_ballot(setup.pot, make_user(f"Voter {n}"), choices)
        set_phase(setup.budget, Phase.RESULTS)
        compute_results(setup.pot)
        set_phase(setup.budget, phase)
        slug = setup.budget.slug
    # Greedy by votes in £60,000: p1 (3 votes, £40k), p4 (3, £20k) funded; then p2 (2), p3 (1), p5 (1).
    page = client.get(f"/budgets/{slug}/proposals").get_data(as_text=True)
    assert [int(x) for x in ITEM.findall(page)] == [p1, p4, p2, p3, p5]
    assert "Funded projects first, then by votes." in page
    assert re.search(r"<dt>Votes</dt><dd>3</dd>", page)


# --- Filters ------------------------------------------------------------------------------------------------


def test_filters_by_pot_status_and_tag(app, client) -> None:
    data = build(app, count=6, phase=Phase.COLLECTING, second_pot=3)
    first_pot, second_pot = data.ids[:6], data.ids[6:]
    set_status(app, first_pot[:2], ProposalStatus.FEASIBLE)
    set_status(app, [first_pot[2]], ProposalStatus.WITHDRAWN)
    url = f"/budgets/{data.slug}/proposals"
    visible = [pid for pid in data.ids if pid != first_pot[2]]
    assert sorted(listed(client, url)) == visible, "withdrawn proposals are left out unless asked for"
    assert sorted(listed(client, f"{url}?pot={data.pot_ids[1]}")) == second_pot
    assert sorted(listed(client, f"{url}?pot={data.pot_ids[0]}&pot={data.pot_ids[1]}")) == visible
    assert sorted(listed(client, f"{url}?status=feasible")) == first_pot[:2]
    assert listed(client, f"{url}?status=withdrawn") == [first_pot[2]]
    assert sorted(listed(client, f"{url}?status=feasible&status=proposed&pot={data.pot_ids[1]}")) == second_pot
    assert sorted(listed(client, f"{url}?tag=schools")) == second_pot
    assert sorted(listed(client, f"{url}?tag=++PARKS+")) == [pid for pid in first_pot if pid != first_pot[2]]
    assert sorted(listed(client, f"{url}?tag=a&status=feasible")) == [first_pot[0]]
    assert listed(client, f"{url}?tag=nothing-has-this") == []


def test_unknown_filter_values_are_ignored(app, client) -> None:
    data = build(app, count=3, phase=Phase.COLLECTING)
    other = build(app, count=2, phase=Phase.COLLECTING, title="Other budget")
    url = f"/budgets/{data.slug}/proposals"
    for query in (f"pot={other.pot_ids[0]}", "pot=abc", "pot=99999999999999", "status=bogus", "pot=%C2%B2"):
        assert sorted(listed(client, f"{url}?{query}")) == data.ids, query


def test_the_filter_form_shows_what_was_chosen_and_pages_keep_the_filters(app, client) -> None:
    data = build(app, count=25, phase=Phase.COLLECTING, second_pot=1)
    url = f"/budgets/{data.slug}/proposals?pot={data.pot_ids[0]}&status=proposed&tag=parks"
    page = client.get(url).get_data(as_text=True)
    assert '<form method="get"' in page
    assert re.search(rf'name="pot" type="checkbox" value="{data.pot_ids[0]}" checked', page)
    assert re.search(r'name="status" type="checkbox" value="proposed" checked', page)
    assert re.search(r'<option value="parks" selected', page)
    assert "25 proposals matching your filters" in page and "Clear filters" in page
    assert f"pot={data.pot_ids[0]}&amp;status=proposed&amp;tag=parks&amp;page=2" in page
    assert len(listed(client, url + "&page=2")) == 5


def test_tags_link_to_the_filtered_list(app, client) -> None:
    data = build(app, count=1, phase=Phase.COLLECTING)
    page = client.get(f"/budgets/{data.slug}/proposals").get_data(as_text=True)
    assert f'href="/budgets/{data.slug}/proposals?tag=parks">parks</a>' in page


def test_pages_past_the_end_are_404_and_bad_pages_400(app, client) -> None:
    data = build(app, count=3)
    url = f"/budgets/{data.slug}/proposals"
    assert client.get(f"{url}?page=2").status_code == 404
    assert client.get(f"{url}?page=x").status_code == 400
    assert client.get("/budgets/no-such-budget/proposals").status_code == 404
    empty = build(app, count=0, title="Empty")
    page = client.get(f"/budgets/{empty.slug}/proposals").get_data(as_text=True)
    assert "0 proposals" in page and "There are no proposals" in page


def test_anyone_may_propose_while_collecting(app, client) -> None:
    collecting = build(app, count=0, phase=Phase.COLLECTING)
    voting = build(app, count=0, title="Voting budget")
    assert f'href="/budgets/{collecting.slug}/proposals/new"' in client.get(
        f"/budgets/{collecting.slug}/proposals").get_data(as_text=True)
    assert "Propose a project" not in client.get(f"/budgets/{voting.slug}/proposals").get_data(as_text=True)


# --- Queries ------------------------------------------------------------------------------------------------


def _queries(app, client, url: str) -> int:
    client.get(url)
    with counting_queries(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("phase", [Phase.COLLECTING, Phase.VOTING, Phase.RESULTS])
def test_the_list_query_count_does_not_grow_with_the_proposals(app, client, phase: str) -> None:
    small = build(app, count=2, phase=phase, second_pot=1, title="Small")
    big = build(app, count=60, phase=phase, second_pot=30, title="Big")
    if phase == Phase.RESULTS:
        with app.app_context():
            for slug in (small.slug, big.slug):
                budget = db.session.scalar(db.select(budgets.Budget).where(budgets.Budget.slug == slug))
                for pot in budget.pots:
                    compute_results(pot)
    counts = {}
    for who in ("visitor", "resident"):
        if who == "resident":
            with app.app_context():
                sign_in(client, person(make_user()))
        filters = "?tag=parks&status=proposed&status=not_selected&status=selected"
        counts[who] = {_queries(app, client, f"/budgets/{data.slug}/proposals{query}")
                       for data in (small, big) for query in ("", filters)}
        counts[who].add(_queries(app, client, f"/budgets/{big.slug}/proposals?page=2"))
        assert len(counts[who]) == 1, (who, counts[who])
    # 7, the header's moderation link and its unread-notifications count (signed in), and the content and
    # viewer versions a signed-in page is stored under (forum/common/own_pages.py)
    assert max(max(c) for c in counts.values()) <= 10, counts
    print(f"proposal list queries ({phase}, 3 = 90 proposals): {counts}")


def test_the_random_key_stays_exact_for_the_largest_ids(app, client) -> None:
    """Ids up to 2**31 - 1 (the URL converter's limit) with the largest multipliers: no overflow on either
    database, and the same order as Python's arithmetic."""
    data = build(app, count=0)
    ids = [2**31 - 1, 2**31 - 2, 2**31 - 1000, 1_000_000_007, 3]
    with app.app_context():
        for pid in ids:
            db.session.add(Proposal(id=pid, pot_id=data.pot_ids[0], title=f"P{pid}", cost_pence=100,
                                    status=ProposalStatus.PROPOSED))
        db.session.commit()
    for seed in (1, 7, proposal_listing.PRIME - 1):
        set_seed(client, seed)
        assert listed(client, f"/budgets/{data.slug}/proposals") == sorted(
            ids, key=lambda pid, s=seed: (proposal_listing.random_key(pid, s), pid))
