"""Paper ballots through the test client: staff only, one entry per paper, checked like online ballots, listed
in pages, and counted with the online ballots but apart from them in the results."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.budgeting.models import Ballot, Channel, Phase, Pot
from forum.budgeting.services import voting
from forum.budgeting.services.ballots import stream_ballots
from forum.budgeting.services.results import compute_results
from forum.extensions import db
from tests.budgeting.support import make_budget
from tests.factories import make_user, sign_in_id
from tests.pages import read
from tests.query_counting import counting_queries


@dataclass
class World:
    pot_id: int
    ids: list[int]
    officer: str
    officer_name: str
    resident: str

    @property
    def list_url(self) -> str:
        return f"/budgets/pots/{self.pot_id}/paper-ballots"

    @property
    def new_url(self) -> str:
        return f"/budgets/pots/{self.pot_id}/paper-ballots/new"


def build(app: Flask, **settings) -> World:
    with app.app_context():
        setup = make_budget(**settings)
        officer = make_user("Carys Clerk", role="civil_servant", organisation="Riverside Council")
        resident = make_user("Rita Resident")
        return World(setup.pot.id, setup.ids, sign_in_id(officer), officer.display_name, sign_in_id(resident))


def sign_in(client: FlaskClient, session_id: str) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True


def ballots(app: Flask) -> list[tuple[str | None, str, int | None]]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(Ballot.anonymous_key, Ballot.channel, Ballot.entered_by_id).order_by(Ballot.id))]


def test_residents_get_403_and_visitors_are_sent_to_sign_in(app, client) -> None:
    world = build(app)
    for url in (world.list_url, world.new_url):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    sign_in(client, world.resident)
    assert client.get(world.list_url).status_code == 403
    assert client.get(world.new_url).status_code == 403
    response = client.post(world.new_url, data={"reference": "R1", "choices": [str(world.ids[0])]})
    assert response.status_code == 403 and ballots(app) == []


def test_staff_enter_a_paper_ballot_and_see_it_listed(app, client) -> None:
    world = build(app)
    sign_in(client, world.officer)
    page = client.get(world.new_url).get_data(as_text=True)
    assert "Enter a paper ballot" in page and "Project 1 (£40,000)" in page and 'name="reference"' in page
    response = client.post(world.new_url, data={"reference": " rv-0042 ",
                                                "choices": [str(world.ids[0]), str(world.ids[4])]})
    assert response.status_code == 302 and response.headers["Location"].endswith(world.new_url)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Paper ballot RV-0042 entered" in page
    with app.app_context():
        officer_id = db.session.scalar(select(User.id).where(User.display_name == world.officer_name))
    assert ballots(app) == [("paper:RV-0042", Channel.PAPER, officer_id)]
    page = re.sub(r"\s+", " ", client.get(world.list_url).get_data(as_text=True))
    assert "1 paper ballot" in page and "RV-0042" in page and "Carys Clerk" in page
    assert re.search(r'govuk-table__cell--numeric">\s*2\s*<', page)


def test_the_same_paper_cannot_be_entered_twice(app, client) -> None:
    world = build(app)
    sign_in(client, world.officer)
    client.post(world.new_url, data={"reference": "A17", "choices": [str(world.ids[0])]})
    response = client.post(world.new_url, data={"reference": "a17", "choices": [str(world.ids[1])]})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "Paper ballot A17 has already been entered for this pot" in page and 'href="#reference"' in page
    assert 'value="a17"' in page  # the form comes back as typed, with the ticks kept
    assert re.search(rf'value="{world.ids[1]}" checked', page)
    assert len(ballots(app)) == 1


def test_paper_choices_are_checked_and_a_reference_is_needed(app, client) -> None:
    world = build(app)
    p1, p2, p3, *_ = world.ids
    sign_in(client, world.officer)
    page = client.post(world.new_url, data={"reference": "B1", "choices": [str(p1), str(p2), str(p3)]}).get_data(
        as_text=True)
    assert "more than the £80,000 in this pot" in page and 'href="#choices"' in page
    page = client.post(world.new_url, data={"reference": "", "choices": [str(p1)]}).get_data(as_text=True)
    assert "Enter the reference number printed on the paper ballot" in page
    page = client.post(world.new_url, data={"reference": "B2"}).get_data(as_text=True)
    assert "Choose at least one proposal" in page
    assert ballots(app) == []


def test_paper_ballots_are_entered_only_while_voting_is_open(app, client) -> None:
    world = build(app, phase=Phase.RESULTS)
    sign_in(client, world.officer)
    page = client.get(world.new_url).get_data(as_text=True)
    assert "Paper ballots can only be entered while voting is open" in page and 'name="reference"' not in page
    page = client.post(world.new_url, data={"reference": "C1", "choices": [str(world.ids[0])]}).get_data(
        as_text=True)
    assert "govuk-error-summary" in page and "Voting has closed" in page and ballots(app) == []
    assert "Enter a paper ballot</a>" not in client.get(world.list_url).get_data(as_text=True)


def test_a_points_paper_ballot(app, client) -> None:
    world = build(app, ballot_kind="cumulative", points_per_voter=10)
    p1, p2, *_ = world.ids
    sign_in(client, world.officer)
    page = client.get(world.new_url).get_data(as_text=True)
    assert f'name="points_{p1}"' in page and "Up to 10 points on each paper" in page
    page = client.post(world.new_url, data={"reference": "D1", f"points_{p1}": "9", f"points_{p2}": "3"}).get_data(
        as_text=True)
    assert "You gave 12 points" in page and 'href="#choices"' in page and 'id="choices"' in page
    response = client.post(world.new_url, data={"reference": "D1", f"points_{p1}": "7", f"points_{p2}": "3"})
    assert response.status_code == 302
    with app.app_context():
        [counted] = list(stream_ballots(db.session.get(Pot, world.pot_id)))
        assert (counted.anonymous_key, counted.channel, counted.points) == ("paper:D1", Channel.PAPER, {p1: 7, p2: 3})


def test_paper_ballots_are_counted_with_online_ones_and_shown_apart(app, client) -> None:
    world = build(app)
    sign_in(client, world.officer)
    client.post(world.new_url, data={"reference": "E1", "choices": [str(world.ids[4])]})
    client.post(world.new_url, data={"reference": "E2", "choices": [str(world.ids[4]), str(world.ids[3])]})
    with app.app_context():
        pot = db.session.get(Pot, world.pot_id)
        voting.cast_ballot(pot, make_user(), [world.ids[0]])
        pot.budget.phase = Phase.RESULTS
        db.session.commit()
        result = compute_results(pot)
        assert (result.voters, result.online_voters, result.paper_voters) == (3, 1, 2)
        votes = {line.proposal_id: line.votes for line in result.lines}
        assert (votes[world.ids[4]], votes[world.ids[3]], votes[world.ids[0]]) == (2, 1, 1)


def test_the_paper_list_is_paginated_with_a_steady_query_count(app, client) -> None:
    world = build(app)
    with app.app_context():
        pot = db.session.get(Pot, world.pot_id)
        officer = db.session.scalar(select(User).where(User.display_name == world.officer_name))
        for n in range(30):
            voting.enter_paper_ballot(pot, officer, f"F{n:02d}", world.ids[4 - n % 3:])
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == 30
    sign_in(client, world.officer)
    first = client.get(world.list_url).get_data(as_text=True)
    assert "30 paper ballots" in first and "F29" in first and "F04" not in first and "govuk-pagination" in first
    second = client.get(world.list_url + "?page=2").get_data(as_text=True)
    assert "F04" in second and "F00" in second and "F29" not in second
    assert client.get(world.list_url + "?page=3").status_code == 404
    with counting_queries(app) as one:
        client.get(world.list_url + "?page=2")
    with counting_queries(app) as other:
        client.get(world.list_url)
    assert len(one) == len(other)


@pytest.mark.parametrize("path", ["/paper-ballots", "/paper-ballots/new", "/ballot"])
def test_an_unknown_pot_is_a_404(app, client, path: str) -> None:
    world = build(app)
    sign_in(client, world.officer)
    assert client.get(f"/budgets/pots/999999{path}").status_code == 404


def test_staff_enter_a_ranked_paper_ballot_rank_by_rank(app, client) -> None:
    world = build(app, ballot_kind="ordinal", min_projects=2, max_projects=3)
    p1, p2, p3, *_ = world.ids
    sign_in(client, world.officer)
    page = read(client.get(world.new_url))
    assert [page.text(f'label[for="rank_{n}"]') for n in (1, 2, 3)] == ["1st choice", "2nd choice", "3rd choice"]
    assert "Rank between 2 and 3 proposals" in page.visible_text
    refused = read(client.post(world.new_url, data={"reference": "K1", "rank_1": str(p3), "rank_2": str(p3)}))
    assert refused.error_links == {
        "Choose a different proposal as your 2nd choice: Project 3 is already your 1st choice": "#rank_2"}
    assert refused.value("reference") == "K1" and refused.value("rank_1") == str(p3)
    refused = read(client.post(world.new_url, data={"reference": "K1", "rank_1": str(p3)}))
    assert refused.error_links == {"Choose your 2nd choice: rank at least 2 proposals": "#rank_2"}
    response = client.post(world.new_url, data={"reference": "K1", "rank_1": str(p3), "rank_2": str(p1),
                                                "rank_3": ""})
    assert response.status_code == 302
    with app.app_context():
        [paper] = list(stream_ballots(db.session.get(Pot, world.pot_id)))
        assert paper.channel == Channel.PAPER and paper.ranks == {p3: 1, p1: 2}


def test_staff_enter_a_choose_one_paper_ballot(app, client) -> None:
    world = build(app, ballot_kind="choose_one")
    p1, p2, *_ = world.ids
    sign_in(client, world.officer)
    page = read(client.get(world.new_url))
    assert page.count("input[type=radio][name=choices]") == 5 and "One proposal is marked on each paper" in \
        page.visible_text
    refused = read(client.post(world.new_url, data={"reference": "W1"}))
    assert refused.error_links == {"Choose the proposal marked on the paper": "#choices"}
    assert client.post(world.new_url, data={"reference": "W1", "choices": str(p2)}).status_code == 302
    with app.app_context():
        [paper] = list(stream_ballots(db.session.get(Pot, world.pot_id)))
        assert paper.points == {p2: 1} and paper.ranks == {}
