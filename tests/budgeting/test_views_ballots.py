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
from tests.factories import make_user, sign_in_id
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
        return Ballots(setup.pot.id, setup.ids, sign_in_id(voter), voter.id)


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


# Ranked (ordinal) and choose-1 ballots -------------------------------------------------------------------------


def cast_ranks(client: FlaskClient, world: Ballots, *ranks: int | None):
    data = {f"rank_{n}": "" if pid is None else str(pid) for n, pid in enumerate(ranks, start=1)}
    return client.post(world.url, data={**data, "action": "cast"})


def test_a_ranked_ballot_is_one_select_per_rank_and_is_cast_without_javascript(app, client) -> None:
    world = build(app, ballot_kind="ordinal", min_projects=3, max_projects=3)
    p1, p2, p3, p4, p5 = world.ids
    sign_in(client, world.voter_session)
    page = read(client.get(world.url))
    assert "Rank exactly 3 proposals in order of preference." in page.visible_text
    assert [text_of(label) for label in page.select(".pb-ranking label")] == ["1st choice", "2nd choice", "3rd choice"]
    assert page.texts("#rank_1 option") == ["Choose a proposal", "Project 1 (£40,000)", "Project 2 (£30,000)",
                                           "Project 3 (£25,000)", "Project 4 (£20,000)", "Project 5 (£10,000)"]
    # No money on a ranked ballot: neither "Your ballot" with money left nor the money-left bar.
    assert not page.has("[data-ballot-left]") and not page.has("[data-ballot-bar]")
    assert page.count("[data-ballot-item]") == 5 and page.has("#proposals")

    response = cast_ranks(client, world, p4, p1, p5)  # £95,000 in all: more than the pot, and fine
    assert response.status_code == 302 and response.headers["Location"].endswith(world.url + "/confirmation")
    assert stored(app, world) == {p4: 1, p1: 2, p5: 3}
    confirmation = read(client.get(response.headers["Location"]))
    assert confirmation.texts("[data-ballot-confirmed] li") == [
        "Project 4 (£20,000)", "Project 1 (£40,000)", "Project 5 (£10,000)"]  # in rank order

    page = read(client.get(world.url))  # coming back: the selects hold the stored ranking
    assert [page.value(f"rank_{n}") for n in (1, 2, 3)] == [str(p4), str(p1), str(p5)]
    assert page.text(f"#proposal-{p1} [data-ballot-on]") == "Your 2nd choice"
    assert "Update my vote" in page.visible_text
    cast_ranks(client, world, p2, p3, p4)  # changing the vote replaces it
    assert stored(app, world) == {p2: 1, p3: 2, p4: 3}
    assert "Your vote has been updated" in text(client.get(world.url + "/confirmation"))


def test_a_refused_ranking_names_each_rank_in_the_error_summary_and_keeps_what_was_chosen(app, client) -> None:
    world = build(app, ballot_kind="ordinal", min_projects=3, max_projects=3)
    p1, p2, p3, p4, p5 = world.ids
    sign_in(client, world.voter_session)
    cast_ranks(client, world, p1, p2, p3)
    page = read(cast_ranks(client, world, None, p5, p5))
    assert page.error_links == {
        "Choose your 1st choice, or move your later choices up: ranks are filled in order, without gaps": "#rank_1",
        "Choose a different proposal as your 3rd choice: Project 5 is already your 2nd choice": "#rank_3",
    }
    assert page.field_error("rank_1").startswith("Choose your 1st choice")
    assert page.field_error("rank_3").startswith("Choose a different proposal")
    assert page.field_error("rank_2") is None
    assert [page.value(f"rank_{n}") for n in (1, 2, 3)] == ["", str(p5), str(p5)]  # as the person chose
    assert page.title.startswith("Error:")
    assert stored(app, world) == {p1: 1, p2: 2, p3: 3}  # the stored ballot is kept

    page = read(cast_ranks(client, world, p4, p5, None))
    assert page.error_links == {"Choose your 3rd choice: rank exactly 3 proposals": "#rank_3"}
    for not_listed in ("999999", "nonsense"):  # what no select offers (a hand-made request)
        response = client.post(world.url, data={"rank_1": str(p1), "rank_2": not_listed, "rank_3": str(p3),
                                                "action": "cast"})
        assert read(response).error_links == {"Choose your 2nd choice from the list of proposals": "#rank_2"}
    assert stored(app, world) == {p1: 1, p2: 2, p3: 3}


def test_a_ranked_ballot_with_fewer_required_ranks_stores_only_those_filled(app, client) -> None:
    world = build(app, ballot_kind="ordinal", min_projects=1, max_projects=4)
    p1, p2, *_ = world.ids
    sign_in(client, world.voter_session)
    page = read(client.get(world.url))
    assert page.count("select[data-ballot-rank]") == 4 and "Rank up to 4 proposals" in page.visible_text
    assert cast_ranks(client, world, p2, None, None, None).status_code == 302
    assert stored(app, world) == {p2: 1}


def test_a_choose_one_ballot_is_radios_and_changing_it_replaces_the_vote(app, client) -> None:
    world = build(app, ballot_kind="choose_one")
    p1, p2, *_ = world.ids
    sign_in(client, world.voter_session)
    page = read(client.get(world.url))
    assert text_of(page.one(".govuk-radios").find_previous("legend")) == "Which proposal do you want funded?"
    assert page.count("input[type=radio][name=choices]") == 5 and page.value("choices") is None
    assert "£40,000" in page.text(".govuk-radios") and not page.has("[data-ballot-left]")

    response = client.post(world.url, data={"action": "cast"})
    page = read(response)
    assert page.error_links == {"Choose the proposal you want funded": "#choices"}
    assert page.one("#choices").get("type") == "radio"  # the summary's link lands on the first radio

    assert client.post(world.url, data={"choices": str(p1), "action": "cast"}).status_code == 302
    assert stored(app, world) == {p1: 1}
    assert read(client.get(world.url)).value("choices") == str(p1)
    confirmation = read(client.get(world.url + "/confirmation"))
    assert confirmation.texts("[data-ballot-confirmed] li") == ["Project 1 (£40,000)"]
    client.post(world.url, data={"choices": str(p2), "action": "cast"})
    assert stored(app, world) == {p2: 1}


@pytest.mark.parametrize("kind", ["ordinal", "choose_one"])
def test_new_ballot_forms_when_voting_is_closed_or_the_voter_is_not_eligible(app, client, kind: str) -> None:
    world = build(app, ballot_kind=kind, max_projects=2, eligibility=Eligibility.VERIFIED_RESIDENTS)
    p1, p2, *_ = world.ids
    sign_in(client, world.voter_session)
    page = read(client.get(world.url))
    assert "You cannot vote in this pot yet" in page.visible_text
    assert not page.has("select[data-ballot-rank]") and not page.has("input[type=radio]")
    assert page.count("[data-ballot-item]") == 5  # the proposals are still there to read
    refused = client.post(world.url, data={"rank_1": str(p1), "choices": str(p1), "action": "cast"})
    assert refused.status_code == 403 and stored(app, world) is None
    with app.app_context():
        pot = db.session.get(Pot, world.pot_id)
        db.session.add(ResidentVerification(user_id=world.voter_id, area_id=pot.area_id,
                                            method=VerificationMethod.STAFF))
        db.session.commit()
    assert client.post(world.url, data={"rank_1": str(p2), "choices": str(p2), "action": "cast"}).status_code == 302
    assert stored(app, world) == {p2: 1}
    set_phase(app, world, Phase.RESULTS)
    page = read(client.get(world.url))
    assert "Voting has closed" in page.visible_text and not page.has("button[data-ballot-cast]")
    assert page.text(f"#proposal-{p2} [data-ballot-on]") == ("Your 1st choice" if kind == "ordinal" else "Your choice")
    refused = read(client.post(world.url, data={"rank_1": str(p1), "choices": str(p1), "action": "cast"}))
    assert any("Voting has closed" in message for message in refused.error_summary)
    assert stored(app, world) == {p2: 1}


@pytest.mark.parametrize("kind", ["ordinal", "choose_one"])
def test_the_new_ballot_pages_query_count_does_not_grow_with_the_proposals(app, client, kind: str) -> None:
    small = build(app, ballot_kind=kind, max_projects=3)
    big = build(app, "Victor Voter", ballot_kind=kind, max_projects=3, costs=tuple(500 + n for n in range(60)),
                area="Hillside", title="Big budget")
    counts = {}
    for world in (small, big):
        with app.app_context():
            voting.cast_ballot(db.session.get(Pot, world.pot_id), db.session.get(User, world.voter_id),
                               world.ids[-1:])
        sign_in(client, world.voter_session)
        counts[world.pot_id] = _page_queries(app, client, world.url)
    assert counts[small.pot_id] == counts[big.pot_id], counts


def test_staff_choose_any_of_the_four_ballot_forms_before_voting_and_the_ranks_of_a_ranked_one(app, client) -> None:
    with app.app_context():
        setup = make_budget(phase="collecting")
        slug, pot_id = setup.budget.slug, setup.pot.id
        staff = sign_in_id(make_user("Carys Clerk", role="civil_servant", organisation="Riverside Council"))
    sign_in(client, staff)
    page = read(client.get(f"/budgets/{slug}/edit"))
    assert [radio["value"] for radio in page.select("input[name=ballot_kind]")] == [
        "approval", "cumulative", "ordinal", "choose_one"]
    settings = {"title": "Green Budget 2027", "description": "", "results_rule": "greedy",
                "eligibility": "any_registered"}
    refused = read(client.post(f"/budgets/{slug}/edit", data={**settings, "ballot_kind": "ordinal"}))
    assert refused.error_links == {"Enter how many projects each voter ranks, like 3": "#max_projects"}
    assert refused.value("ballot_kind") == "ordinal"
    response = client.post(f"/budgets/{slug}/edit", data={**settings, "ballot_kind": "ordinal",
                                                          "min_projects": "3", "max_projects": "3"})
    assert response.status_code == 302
    with app.app_context():
        budget = db.session.get(Pot, pot_id).budget
        assert (budget.ballot_kind, budget.min_projects, budget.max_projects) == ("ordinal", 3, 3)
    page = read(client.get(f"/budgets/{slug}"))
    assert "Each voter ranks projects in order of preference." in page.visible_text
    assert client.post(f"/budgets/{slug}/edit", data={**settings, "ballot_kind": "choose_one"}).status_code == 302
    with app.app_context():
        assert db.session.get(Pot, pot_id).budget.ballot_kind == "choose_one"
