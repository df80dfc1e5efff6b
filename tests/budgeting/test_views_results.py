"""A pot's results page, its pabulib download and the staff recount (forum.budgeting.views.results).

The election is the one of tests/budgeting/test_result_pages.py, counted by hand there: greedy funds projects
1, 2 and 5 (£80,000), equal shares 1, 3 and 5 (£75,000); 8 of 9 voters have a funded project under greedy,
all 9 under equal shares; 5 ballots came online, 3 on paper and 1 imported.
"""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import insert, select

from forum.budgeting.models import Ballot, BallotChoice, Channel, Pot, Result
from forum.budgeting.rules import loads
from forum.budgeting.services.exchange import export_pabulib
from forum.budgeting.services.results import compute_results
from forum.common.timefmt import utcnow
from forum.extensions import db
from tests.budgeting.support import make_budget, store_ballot
from tests.budgeting.test_result_pages import build_pot
from tests.factories import make_user, sign_in_id
from tests.query_counting import counting_queries


def text_of(response) -> str:
    """The page's words, as a reader meets them on a wide screen: tags dropped, spaces collapsed, and without the
    column names that each table cell shows only on a phone."""
    body = re.sub(r'<span class="pb-table__label">[^<]*</span>', " ", response.get_data(as_text=True))
    words = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html.unescape(words)).strip()


def section(page: str, start: str, end: str) -> str:
    """The words from the first ``start`` to the next ``end``."""
    begin = page.index(start)
    return page[begin:page.index(end, begin)]


def row_of(page: str, title: str) -> str:
    """The words of the table row that starts with ``title`` (the first table that has one)."""
    start = page.index(f" {title} ")
    return page[start:start + 80]


def results_url(pot_id: int) -> str:
    return f"/budgets/pots/{pot_id}/results"


@pytest.fixture
def greedy_pot(app) -> tuple[int, list[int]]:
    with app.app_context():
        setup = build_pot("greedy")
        return setup.pot.id, setup.ids


@pytest.fixture
def mes_pot(app) -> tuple[int, list[int]]:
    with app.app_context():
        setup = build_pot("mes")
        return setup.pot.id, setup.ids


def sign_in(client, role: str, app) -> None:
    with app.app_context():
        user_id = sign_in_id(make_user(role=role))
    with client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True


def test_greedy_results_list_funded_and_unfunded_with_money_and_voters(client, greedy_pot) -> None:
    pot_id, ids = greedy_pot
    response = client.get(results_url(pot_id))
    assert response.status_code == 200
    page = text_of(response)
    assert "Results: Riverside" in page
    assert "3 of 5 proposals funded, spending £80,000 of £80,000." in page
    for figure in ("Money in the pot £80,000", "Spent £80,000", "Money left £0", "Voters 9", "Voted online 5",
                   "Voted on paper 3", "Imported ballots 1"):
        assert figure in page, figure
    funded = section(page, "Funded proposals", "Proposals not funded")
    assert "1 Project 1 6 £40,000 £40,000 2 Project 2 4 £30,000 £70,000 3 Project 5 2 £10,000 £80,000" in funded
    unfunded = section(page, "Proposals not funded", "How the winners were chosen")
    assert "Project 3 3 £25,000 Project 4 2 £20,000" in unfunded
    body = response.get_data(as_text=True)
    for pid in ids:
        assert f'href="/budgets/proposals/{pid}"' in body


def test_greedy_page_explains_the_rule_and_what_equal_shares_would_do(client, greedy_pot) -> None:
    page = text_of(client.get(results_url(greedy_pot[0])))
    assert "How the winners were chosen: most votes first" in page
    assert "most votes first, skipping any that no longer fit" in page
    assert "Equal shares would also have funded Project 3, and would not have funded Project 2." in page
    assert "Equal shares would have spent £75,000, leaving £5,000; most votes first spent £80,000." in page
    assert row_of(page, "Project 2 (the rules differ)").startswith(
        " Project 2 (the rules differ) 4 £30,000 Funded Not funded")
    assert row_of(page, "Project 3 (the rules differ)").startswith(
        " Project 3 (the rules differ) 3 £25,000 Not funded Funded")
    assert "Project 1 (the rules differ)" not in page and "Project 5 (the rules differ)" not in page


def test_mes_page_explains_equal_shares_and_what_greedy_would_do(client, mes_pot) -> None:
    response = client.get(results_url(mes_pot[0]))
    page = text_of(response)
    assert "How the winners were chosen: equal shares" in page
    assert "Every voter gets an equal share of the pot's money: £80,000 shared between 9 voters is about £8,888.89" \
           in page
    assert "can pay for it together" in page and "the shares are raised a little at a time" in page
    assert "Any money still left goes to the proposals with most votes that still fit" in page
    assert 'href="https://equalshares.net/"' in response.get_data(as_text=True)
    assert "Here 3 proposals were funded by equal shares (steps 1 to 3) and 0 by the final step." in page
    assert "Most votes first would also have funded Project 2, and would not have funded Project 3." in page
    funded = section(page, "Funded proposals", "Proposals not funded")
    assert "1 Project 1 6 £40,000 £40,000 Equal shares 2 Project 3 3 £25,000 £65,000 Equal shares" in funded


def test_fairness_figures_for_each_rule(client, greedy_pot, mes_pot) -> None:
    greedy = text_of(client.get(results_url(greedy_pot[0])))
    assert "Voters with at least one project they chose funded 88.9% (8 of 9)" in greedy
    assert "Spending per voter £8,888.89" in greedy
    assert "Spending per voter by equal shares £8,333.33" in greedy
    assert "The same, had equal shares been used 100% (9 of 9)" in greedy
    mes = text_of(client.get(results_url(mes_pot[0])))
    assert "Voters with at least one project they chose funded 100% (9 of 9)" in mes
    assert "The same, had most votes first been used 88.9% (8 of 9)" in mes
    assert "Spending per voter £8,333.33" in mes and "Spending per voter by most votes first £8,888.89" in mes


def test_charts_are_named_images_with_a_description_and_a_table(client, greedy_pot) -> None:
    body = client.get(results_url(greedy_pot[0])).get_data(as_text=True)
    assert body.count('class="pb-bars" role="img"') == 2
    title = '<p class="govuk-visually-hidden" id="votes-chart-title">Bar chart of the votes for each proposal</p>'
    assert title in body
    assert 'aria-labelledby="money-chart-title money-chart-desc"' in body
    assert "style=" not in body.split("<main")[1]  # the CSP forbids inline styles
    assert "Each proposal under both rules, most votes first" in body
    assert "Money spent and left under each rule, of £80,000" in body
    # The votes chart: a green bar for each funded proposal, and the longest bar for the most votes.
    assert body.count('fill="#00703c"') == 3 + 1 + 2 + 1  # funded bars, legend; money bars, legend
    assert '<rect x="0" y="0" width="1000" height="22" fill="#00703c"/>' in body


def test_table_cells_name_their_column_for_small_screens(client, greedy_pot) -> None:
    """On a phone the tables' rows stack (results.css), so each figure carries its column's name."""
    body = client.get(results_url(greedy_pot[0])).get_data(as_text=True)
    assert body.count('class="govuk-table pb-table--stack') == 4
    assert '<span class="pb-table__label">Running total</span>' in body
    assert '<span class="pb-table__label">Most votes first (used)</span>' in body


def test_cumulative_budgets_speak_of_points(app, client) -> None:
    with app.app_context():
        setup = make_budget(phase="results", ballot_kind="cumulative", results_rule="mes")
        store_ballot(setup.pot, None, {setup.ids[0]: 7, setup.ids[4]: 3}, anonymous_key="a")
        store_ballot(setup.pot, None, {setup.ids[1]: 10}, channel=Channel.PAPER, anonymous_key="b")
        compute_results(setup.pot)
        pot_id = setup.pot.id
    page = text_of(client.get(results_url(pot_id)))
    assert "Points" in page and "most points first" in page.lower()
    assert "asks least of each supporter for each point they gave it" in page
    assert "Voted online 1" in page and "Voted on paper 1" in page and "Imported ballots" not in page


@pytest.mark.parametrize("phase", ["collecting", "review", "voting"])
def test_before_voting_closes_the_page_says_results_come_then(app, client, phase) -> None:
    with app.app_context():
        pot_id = build_pot(phase=phase, count=False).pot.id
    response = client.get(results_url(pot_id))
    assert response.status_code == 200
    page = text_of(response)
    assert "Results come when voting closes." in page
    assert "Funded proposals" not in page
    assert ("Voting is open now" in page) == (phase == "voting")
    assert client.get(f"{results_url(pot_id)[:-len('/results')]}/results.pb").status_code == 404


def test_closed_but_not_counted_says_so_and_offers_staff_the_count(app, client) -> None:
    with app.app_context():
        pot_id = build_pot(count=False).pot.id
    page = text_of(client.get(results_url(pot_id)))
    assert "the votes for this pot have not been counted yet" in page
    assert "Count the votes" not in page
    assert client.get(f"/budgets/pots/{pot_id}/results.pb").status_code == 404
    sign_in(client, "civil_servant", app)
    assert "Count the votes" in text_of(client.get(results_url(pot_id)))
    assert client.get(f"/budgets/pots/{pot_id}/count").headers["Location"].endswith(results_url(pot_id))
    response = client.post(f"/budgets/pots/{pot_id}/count")
    assert response.headers["Location"].endswith(results_url(pot_id))
    page = text_of(client.get(results_url(pot_id)))  # tests run jobs at commit: the count job has run
    assert "The votes are being counted: the result is shown on this page as soon as it is stored." in page
    assert "3 of 5 proposals funded" in page


def test_an_unknown_pot_is_a_404(client) -> None:
    assert client.get(results_url(4242)).status_code == 404
    assert client.get("/budgets/pots/4242/results.pb").status_code == 404
    assert client.get("/budgets/pots/99999999999/results").status_code == 404


def test_the_download_is_the_pabulib_export_with_our_winners_selected(app, client, greedy_pot) -> None:
    pot_id, ids = greedy_pot
    response = client.get(f"/budgets/pots/{pot_id}/results.pb")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="green-budget-2027-riverside-pot-{pot_id}.pb"'
    with app.app_context():
        assert response.get_data(as_text=True) == export_pabulib(db.session.get(Pot, pot_id))
    election = loads(response.get_data(as_text=True))
    selected = {p.id: p.extra["selected"] for p in election.projects}
    assert selected == {str(pid): ("1" if n in (0, 1, 4) else "0") for n, pid in enumerate(ids)}
    assert sorted(b.voter_id for b in election.ballots) == [f"v{n}" for n in range(9)]  # anonymous keys only
    assert f'href="/budgets/pots/{pot_id}/results.pb"' in client.get(results_url(pot_id)).get_data(as_text=True)


def test_online_voters_are_anonymous_in_the_download(app, client) -> None:
    with app.app_context():
        setup = make_budget(phase="results")
        voter = make_user("Rita Resident")
        store_ballot(setup.pot, voter, [setup.ids[0]])
        compute_results(setup.pot)
        pot_id, email = setup.pot.id, voter.email
    text = client.get(f"/budgets/pots/{pot_id}/results.pb").get_data(as_text=True)
    assert "Rita" not in text and email not in text
    assert loads(text).ballots[0].voter_id.startswith("b")


def test_count_pot_is_for_staff_only(app, client, greedy_pot) -> None:
    pot_id = greedy_pot[0]
    url = f"/budgets/pots/{pot_id}/count"
    anonymous = client.post(url)
    assert "/login" in anonymous.headers["Location"]
    sign_in(client, "resident", app)
    assert client.post(url).status_code == 403
    assert "Count the votes again" not in text_of(client.get(results_url(pot_id)))
    sign_in(client, "admin", app)
    assert "Count the votes again" in text_of(client.get(results_url(pot_id)))


def test_a_recount_reads_the_ballots_again(app, client, greedy_pot) -> None:
    pot_id, ids = greedy_pot
    with app.app_context():
        pot = db.session.get(Pot, pot_id)
        for n in range(3):  # three late paper ballots for project 3
            store_ballot(pot, None, [ids[2]], channel=Channel.PAPER, anonymous_key=f"late{n}")
    assert "Voted on paper 3" in text_of(client.get(results_url(pot_id)))  # the page never recounts by itself
    sign_in(client, "civil_servant", app)
    assert f'href="/budgets/pots/{pot_id}/count"' in client.get(results_url(pot_id)).get_data(as_text=True)
    asked = client.get(f"/budgets/pots/{pot_id}/count").get_data(as_text=True)
    assert "Count the votes again?" in asked and "the funded proposals may change" in asked
    assert f'action="/budgets/pots/{pot_id}/count"' in asked
    assert "Voted on paper 3" in text_of(client.get(results_url(pot_id)))  # asking counted nothing
    client.post(f"/budgets/pots/{pot_id}/count")
    page = text_of(client.get(results_url(pot_id)))
    assert "The votes are being counted" in page
    assert "Voters 12" in page and "Voted on paper 6" in page


def test_no_recount_once_delivery_has_started(app, client, greedy_pot) -> None:
    pot_id = greedy_pot[0]
    with app.app_context():
        pot = db.session.get(Pot, pot_id)
        pot.budget.phase = "delivery"
        db.session.commit()
        computed = db.session.scalar(select(Result.computed_at).where(Result.pot_id == pot_id))
    sign_in(client, "admin", app)
    page = text_of(client.get(results_url(pot_id)))
    assert "3 of 5 proposals funded" in page and "Count the votes again" not in page
    client.post(f"/budgets/pots/{pot_id}/count")
    assert "only be counted again while the budget is in its results phase" in text_of(client.get(results_url(pot_id)))
    with app.app_context():
        assert db.session.scalar(select(Result.computed_at).where(Result.pot_id == pot_id)) == computed


def _pot_of_size(proposals: int, ballots: int, title: str) -> int:
    """A counted pot with ``proposals`` proposals and ``ballots`` ballots, written in bulk."""
    setup = make_budget(phase="results", costs=tuple(1_000 + 100 * n for n in range(proposals)),
                        amount=50_000, title=title, area=title)
    now = utcnow()
    db.session.execute(insert(Ballot.__table__), [
        {"pot_id": setup.pot.id, "anonymous_key": f"k{n}", "channel": Channel.PAPER if n % 4 else Channel.ONLINE,
         "created_at": now, "updated_at": now} for n in range(ballots)])
    ballot_ids = list(db.session.scalars(select(Ballot.id).where(Ballot.pot_id == setup.pot.id)))
    db.session.execute(insert(BallotChoice.__table__), [
        {"ballot_id": bid, "proposal_id": setup.ids[index], "points": 1}
        for n, bid in enumerate(ballot_ids) for index in {n % proposals, (7 * n + 3) % proposals}])
    db.session.commit()
    compute_results(setup.pot)
    return setup.pot.id


def page_queries(app, client, url: str) -> int:
    client.get(url)
    with counting_queries(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def test_the_page_query_count_does_not_grow_with_proposals_or_ballots(app, client) -> None:
    with app.app_context():
        small = _pot_of_size(5, 10, "Small")
        big = _pot_of_size(60, 1000, "Big")
    assert " of 60 proposals funded" in text_of(client.get(results_url(big)))
    counts = {"visitor": (page_queries(app, client, results_url(small)), page_queries(app, client, results_url(big)))}
    sign_in(client, "civil_servant", app)
    counts["staff"] = (page_queries(app, client, results_url(small)), page_queries(app, client, results_url(big)))
    assert counts["visitor"][0] == counts["visitor"][1] and counts["staff"][0] == counts["staff"][1], counts
    # 5, the header's moderation link, and (signed in) the versions the page is stored under (own_pages)
    assert max(max(pair) for pair in counts.values()) <= 7, counts
    print(f"results page queries (5 proposals, 10 ballots = 60 proposals, 1000 ballots): {counts}")


def test_equal_shares_names_the_final_step_and_agreement_between_the_rules(app, client) -> None:
    """Equal shares funds projects 4 and 5, then the final step funds project 1: what greedy funds too."""
    with app.app_context():
        setup = make_budget(phase="results", results_rule="mes")
        for n, chosen in enumerate([[1], [4, 3], [1, 3, 0], [0, 3, 2], [2, 3, 0]]):
            store_ballot(setup.pot, None, [setup.ids[i] for i in chosen], anonymous_key=f"v{n}")
        compute_results(setup.pot)
        pot_id = setup.pot.id
    page = text_of(client.get(results_url(pot_id)))
    funded = section(page, "Funded proposals", "Proposals not funded")
    assert ("1 Project 4 4 £20,000 £20,000 Equal shares 2 Project 5 1 £10,000 £30,000 Equal shares "
            "3 Project 1 3 £40,000 £70,000 Final step: most votes") in funded
    assert "Here 2 proposals were funded by equal shares (steps 1 to 3) and 1 by the final step." in page
    assert "Both rules fund the same proposals." in page and "(the rules differ)" not in page
