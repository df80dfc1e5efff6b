"""The ballot page through the test client: building a ballot without JavaScript (Add, Remove, Submit, change),
refusals that keep the selection, the confirmation, closed voting, eligibility, points ballots, query counts."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.budgeting.models import (
    Ballot,
    Eligibility,
    Phase,
    Pot,
    ResidentVerification,
    VerificationMethod,
)
from forum.budgeting.services import budgets, proposal_listing, voting
from forum.extensions import db
from tests.budgeting.support import make_budget
from tests.factories import make_user
from tests.pages import read, text_of
from tests.query_counting import counting_queries


@dataclass
class Ballots:
    pot_id: int
    ids: list[int]
    voter_session: str
    voter_id: int

    @property
    def url(self) -> str:
        return f"/budgets/pots/{self.pot_id}/ballot"


def build(app: Flask, voter_name: str = "Vera Voter", **settings) -> Ballots:
    with app.app_context():
        setup = make_budget(**settings)
        voter = make_user(voter_name)
        return Ballots(setup.pot.id, setup.ids, voter.get_id(), voter.id)


def sign_in(client: FlaskClient, session_id: str) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True


def text(response) -> str:
    return response.get_data(as_text=True)


def chosen_inputs(page: str) -> list[int]:
    return sorted(int(v) for v in re.findall(r'<input type="hidden" name="chosen" value="(\d+)">', page))


def money_left(page: str) -> str:
    return re.search(r"data-ballot-left>([^<]+)<", page).group(1)


def stored(app: Flask, world: Ballots) -> dict[int, int] | None:
    with app.app_context():
        pot = db.session.get(Pot, world.pot_id)
        ballot, points = voting.current_ballot(pot, db.session.get(User, world.voter_id))
        return None if ballot is None else points


def post(client: FlaskClient, world: Ballots, chosen: list[int], **button: str | int):
    return client.post(world.url, data={"chosen": [str(c) for c in chosen], **{k: str(v) for k, v in button.items()}})


def set_phase(app: Flask, world: Ballots, phase: str) -> None:
    with app.app_context():
        db.session.get(Pot, world.pot_id).budget.phase = phase
        db.session.commit()


def test_visitors_see_the_proposals_and_a_sign_in_link(app, client) -> None:
    world = build(app)
    page = text(client.get(world.url))
    assert "Sign in to vote" in page and f'href="/login?next={world.url}"' in page
    for n, pid in enumerate(world.ids, start=1):
        assert f"Project {n}" in page and f'href="/budgets/proposals/{pid}"' in page
    assert "£40,000" in page and "Add<span" not in page and "Submit my vote" not in page and "Your ballot" not in page
    response = post(client, world, [], add=world.ids[0])
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_building_a_ballot_without_javascript_then_casting_and_changing_it(app, client) -> None:
    world = build(app)
    p1, p2, p3, p4, p5 = world.ids
    sign_in(client, world.voter_session)
    page = text(client.get(world.url))
    assert money_left(page) == "£80,000" and "0 proposals chosen" in page and "Submit my vote" in page

    page = text(post(client, world, [], add=p1))  # Project 1, £40,000
    assert chosen_inputs(page) == [p1] and money_left(page) == "£40,000"
    assert f'name="remove" value="{p1}"' in page and "Remove<span class=\"govuk-visually-hidden\"> Project 1" in page
    assert f'formaction="{world.url}#proposal-{p2}"' in page
    page = text(post(client, world, [p1], add=p2))  # + £30,000
    assert chosen_inputs(page) == [p1, p2] and money_left(page) == "£10,000" and "2 proposals chosen" in page
    page = text(post(client, world, [p1, p2], remove=p1))
    assert chosen_inputs(page) == [p2] and money_left(page) == "£50,000"
    page = text(post(client, world, [p2], add=p5))
    assert chosen_inputs(page) == [p2, p5] and money_left(page) == "£40,000"
    assert stored(app, world) is None  # nothing is stored while the ballot is being built

    response = post(client, world, [p2, p5], action="cast")
    assert response.status_code == 302 and response.headers["Location"].endswith(world.url + "/confirmation")
    assert stored(app, world) == {p2: 1, p5: 1}
    page = text(client.get(response.headers["Location"]))
    assert "Your vote has been recorded" in page and "govuk-panel" in page
    assert "Project 2" in page and "Project 5" in page and "Project 1</a>" not in page
    assert "Change your vote" in page and "£40,000 of the £80,000" in page

    page = text(client.get(world.url))  # coming back: the stored choices, and when they voted
    assert "You voted on" in page and "Update my vote" in page and chosen_inputs(page) == [p2, p5]
    page = text(post(client, world, [p2, p5], remove=p2))
    assert chosen_inputs(page) == [p5] and stored(app, world) == {p2: 1, p5: 1}
    response = post(client, world, [p5, p3], action="cast")
    assert stored(app, world) == {p3: 1, p5: 1}
    page = text(client.get(response.headers["Location"]))
    assert "Your vote has been updated" in page and "Project 3" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == 1


def test_an_addition_over_the_money_is_refused_and_the_selection_kept(app, client) -> None:
    world = build(app)
    p1, p2, p3, *_ = world.ids
    sign_in(client, world.voter_session)
    response = post(client, world, [p1, p2], add=p3)
    page = text(response)
    assert response.status_code == 200 and "govuk-error-summary" in page and "<title>Error:" in page
    assert "Project 3 costs £25,000, more than the £10,000 you have left" in page
    assert chosen_inputs(page) == [p1, p2] and money_left(page) == "£10,000"
    # The summary links to the Add button that was refused; the message is beside that button too.
    doc = read(response)
    message = "Project 3 costs £25,000, more than the £10,000 you have left. Remove a proposal first."
    assert doc.error_links == {message: f"#ballot-button-{p3}"}
    item = doc.one(f"#proposal-{p3}")
    assert "pb-ballot__item--error" in item["class"]
    assert text_of(item.select_one(".govuk-error-message")) == f"Error: {message}"
    button = item.select_one(f"#ballot-button-{p3}")
    assert button["name"] == "add" and button["aria-describedby"] == f"ballot-button-{p3}-error"
    assert doc.count(".govuk-error-message") == 1


def test_without_javascript_an_add_that_will_be_refused_comes_back_at_the_error_summary(app, client) -> None:
    """A browser keeps the button's #fragment: one that fits comes back at its proposal, one the rule refuses at
    the top of the main content, where the error summary is (not at the proposal, with the summary off screen)."""
    world = build(app)
    p1, p2, p3, p4, p5 = world.ids
    sign_in(client, world.voter_session)
    doc = read(post(client, world, [p1], add=p2))  # £10,000 left: Project 3 (£25,000) does not fit
    assert doc.one(f"#ballot-button-{p3}")["formaction"] == f"{world.url}#main-content"
    assert doc.one(f"#ballot-button-{p5}")["formaction"] == f"{world.url}#proposal-{p5}"  # £10,000: fits
    assert doc.one(f"#ballot-button-{p1}")["formaction"] == f"{world.url}#proposal-{p1}"  # Remove
    main = doc.one("#main-content")
    assert main.find(True)["class"][0] != "govuk-error-summary"  # nothing refused yet
    refused = read(post(client, world, [p1, p2], add=p3))
    assert "govuk-error-summary" in refused.one("#main-content").find(True)["class"]


def test_the_money_left_bar_shows_what_is_left_and_how_many_are_chosen(app, client) -> None:
    world = build(app)
    p1, *_ = world.ids
    sign_in(client, world.voter_session)
    doc = read(post(client, world, [], add=p1))
    bar = doc.one("[data-ballot-bar]")
    assert text_of(bar) == "£40,000 left of £80,000 1 proposal chosen"
    # It comes after the proposals and before the buttons that submit (it sticks to a phone's screen: ballot.css).
    items = doc.one(".pb-ballot__items")
    assert bar in items.find_all_next() and doc.one("[data-ballot-cast]") in bar.find_all_next()
    assert "pb-ballot-page" in doc.one("html")["class"]  # the page's scroll padding keeps focus clear of it
    assert doc.one("[data-ballot-stored]").string == "{}"  # nothing saved yet: the script warns before leaving


def test_a_refused_ballot_is_shown_again_as_it_was_and_the_stored_one_kept(app, client) -> None:
    world = build(app)
    p1, p2, p3, p4, p5 = world.ids
    sign_in(client, world.voter_session)
    post(client, world, [p5], action="cast")
    response = post(client, world, [p1, p2, p3], action="cast")  # as a page kept open in two tabs might send
    page = text(response)
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "Your choices cost £95,000, £15,000 more than the £80,000 in this pot" in page
    assert chosen_inputs(page) == [p1, p2, p3] and money_left(page) == "-£15,000"
    assert stored(app, world) == {p5: 1}
    page = text(post(client, world, [], action="cast"))
    assert "Choose at least one proposal" in page and stored(app, world) == {p5: 1}


def test_a_proposal_from_another_pot_or_withdrawn_is_refused_on_the_page(app, client) -> None:
    world = build(app)
    with app.app_context():
        pot = db.session.get(Pot, world.pot_id)
        other = budgets.create_pot(pot.budget, budgets.create_area("Hillside"), "Hillside", 5_000_000)
        stranger = budgets.create_proposal(other, "Hillside swings", 100_000).id
    sign_in(client, world.voter_session)
    page = text(post(client, world, [world.ids[4], stranger], action="cast"))
    assert "“Hillside swings” is a proposal for another pot (Hillside)" in page
    assert stored(app, world) is None
    page = text(post(client, world, [world.ids[4]], add=stranger))
    assert "That proposal is not on this ballot" in page and chosen_inputs(page) == [world.ids[4]]


def test_closed_voting_shows_the_ballot_without_buttons_and_refuses_a_change(app, client) -> None:
    world = build(app)
    sign_in(client, world.voter_session)
    post(client, world, [world.ids[0]], action="cast")
    set_phase(app, world, Phase.RESULTS)
    page = text(client.get(world.url))
    assert "Voting has closed" in page and "You voted on" in page
    assert "Add<span" not in page and "Remove<span" not in page and "Update my vote" not in page
    assert "1 proposal chosen" in page and "On your ballot" in page
    page = text(post(client, world, [world.ids[1]], action="cast"))
    assert "govuk-error-summary" in page and "Voting has closed" in page
    assert stored(app, world) == {world.ids[0]: 1}
    set_phase(app, world, Phase.REVIEW)
    assert "Voting has not opened yet" in text(client.get(world.url))


def test_an_unverified_resident_is_told_why_and_what_to_do_then_votes_once_verified(app, client) -> None:
    world = build(app, eligibility=Eligibility.VERIFIED_RESIDENTS)
    sign_in(client, world.voter_session)
    page = text(client.get(world.url))
    assert "You cannot vote in this pot yet" in page and "verified for Riverside" in page
    assert "verification code" in page and "Add<span" not in page and "Submit my vote" not in page
    assert 'href="/budgets/verify">Enter your verification code' in page
    response = post(client, world, [world.ids[0]], action="cast")
    assert response.status_code == 403 and "verified for Riverside" in text(response)
    assert stored(app, world) is None
    with app.app_context():
        pot = db.session.get(Pot, world.pot_id)
        db.session.add(ResidentVerification(user_id=world.voter_id, area_id=pot.area_id,
                                            method=VerificationMethod.STAFF))
        db.session.commit()
    page = text(client.get(world.url))
    assert "You cannot vote" not in page and "Add<span" in page
    assert post(client, world, [world.ids[0]], action="cast").status_code == 302
    assert stored(app, world) == {world.ids[0]: 1}


def test_a_points_ballot_without_javascript(app, client) -> None:
    world = build(app, ballot_kind="cumulative", points_per_voter=10)
    p1, p2, p3, p4, p5 = world.ids
    sign_in(client, world.voter_session)
    page = text(client.get(world.url))
    assert "Spread up to 10 points" in page and f'name="points_{p1}"' in page and "Update points left" in page
    page = text(client.post(world.url, data={f"points_{p1}": "4", f"points_{p2}": " 2 ", "action": "update"}))
    assert money_left(page) == "4" and "2 proposals chosen" in page and 'value="4"' in page
    assert stored(app, world) is None
    page = text(client.post(world.url, data={f"points_{p1}": "four", f"points_{p2}": "2", "action": "cast"}))
    assert "Enter the points for Project 1 as a whole number, like 3" in page
    assert f'href="#points_{p1}"' in page and 'value="four"' in page and stored(app, world) is None
    page = text(client.post(world.url, data={f"points_{p1}": "8", f"points_{p2}": "4", "action": "cast"}))
    assert "You gave 12 points, 2 more than the 10 you have to spread" in page and money_left(page) == "-2"
    response = client.post(world.url, data={f"points_{p1}": "7", f"points_{p3}": "3", f"points_{p4}": "0",
                                             "action": "cast"})
    assert response.status_code == 302 and stored(app, world) == {p1: 7, p3: 3}
    page = re.sub(r"\s+", " ", text(client.get(response.headers["Location"])))
    assert "Project 1</a>: 7 points" in page and "You gave 10 of your 10 points" in page
    page = text(client.get(world.url))
    assert re.search(rf'name="points_{p1}"[^>]*value="7"|value="7"[^>]*name="points_{p1}"', page)


def test_an_unknown_pot_is_a_404_and_the_confirmation_needs_a_ballot(app, client) -> None:
    world = build(app)
    assert client.get("/budgets/pots/999999/ballot").status_code == 404
    sign_in(client, world.voter_session)
    response = client.get(world.url + "/confirmation")
    assert response.status_code == 302 and response.headers["Location"].endswith(world.url)


def test_proposals_come_in_an_order_fixed_per_voter(app, client) -> None:
    world = build(app, costs=tuple(1_000 + n for n in range(12)))
    sign_in(client, world.voter_session)
    order = [int(pid) for pid in re.findall(r'id="proposal-(\d+)"', text(client.get(world.url)))]
    with client.session_transaction() as session:
        seed = session["budgeting_proposal_seed"]  # the proposal list's seed: both pages show one order
    assert order == sorted(world.ids, key=lambda pid: (proposal_listing.random_key(pid, seed), pid))
    assert [int(p) for p in re.findall(r'id="proposal-(\d+)"', text(client.get(world.url)))] == order


def _page_queries(app: Flask, client: FlaskClient, url: str) -> int:
    client.get(url)
    with counting_queries(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("eligibility", [Eligibility.ANY_REGISTERED, Eligibility.VERIFIED_RESIDENTS])
def test_the_ballot_page_query_count_does_not_grow_with_the_proposals(app, client, eligibility: str) -> None:
    small = build(app, eligibility=eligibility)
    big = build(app, "Victor Voter", eligibility=eligibility, costs=tuple(500 + n for n in range(60)), area="Hillside",
                title="Big budget")
    counts = {}
    for world in (small, big):
        with app.app_context():
            pot = db.session.get(Pot, world.pot_id)
            voter = db.session.get(User, world.voter_id)
            db.session.add(ResidentVerification(user_id=voter.id, area_id=pot.area_id,
                                                method=VerificationMethod.STAFF))
            db.session.commit()
            voting.cast_ballot(pot, voter, world.ids[-3:])
        sign_in(client, world.voter_session)
        counts[world.pot_id] = _page_queries(app, client, world.url)
    assert counts[small.pot_id] == counts[big.pot_id], counts
    # Two more than before moderation and notifications: the header's moderation link and unread count.
    assert counts[small.pot_id] <= (6 if eligibility == Eligibility.ANY_REGISTERED else 8), counts
    with client.session_transaction() as session:
        session.clear()
    assert _page_queries(app, client, small.url) == _page_queries(app, client, big.url)


@pytest.fixture
def csrf_on(app: Flask) -> None:
    app.config["WTF_CSRF_ENABLED"] = True


def test_an_expired_form_keeps_the_choices_and_says_so(app, client, csrf_on) -> None:
    world = build(app)
    p1, p2, *_ = world.ids
    sign_in(client, world.voter_session)
    response = post(client, world, [p1, p2], action="cast")  # no token, as after the session expired
    page = text(response)
    assert response.status_code == 200 and "Your session expired: what you entered is kept below" in page
    assert chosen_inputs(page) == [p1, p2] and stored(app, world) is None
