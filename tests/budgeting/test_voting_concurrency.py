"""Ballots cast at the same moment, through the real pages: many voters at once lose no ballot and double none,
and one person submitting several times at once is left with exactly one ballot. Every request is served in
its own thread, with its own app context and database session (the test client runs the whole app per
request), released together by a barrier. Runs on PostgreSQL and SQLite alike."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.budgeting.models import Ballot, BallotChoice, Pot
from forum.budgeting.services import voting
from forum.extensions import db
from tests.budgeting.support import make_budget
from tests.factories import make_user, sign_in_id

VOTERS = 40


@pytest.fixture
def app_config() -> dict:
    # Enough connections for every thread at once, so they truly meet at the database.
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "pool_size": VOTERS + 5, "max_overflow": 5}}


def all_at_once(jobs: list[Callable[[], int]]) -> list[int | BaseException]:
    """Run ``jobs`` in threads released together; each one's result (a status code) or what it raised."""
    barrier = threading.Barrier(len(jobs))
    results: list[int | BaseException] = [0] * len(jobs)

    def run(n: int) -> None:
        barrier.wait()
        try:
            results[n] = jobs[n]()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            results[n] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def voter_post(app: Flask, session_id: str, url: str, chosen: list[int]) -> Callable[[], int]:
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True

    def post() -> int:
        return client.post(url, data={"chosen": [str(c) for c in chosen], "action": "cast"}).status_code

    return post


def test_many_voters_at_once_lose_no_ballot_and_double_none(app: Flask) -> None:
    with app.app_context():
        setup = make_budget(costs=(40_000, 30_000, 25_000, 20_000, 10_000))
        voters = [make_user(f"Voter {n}") for n in range(VOTERS)]
        sessions = [(v.id, sign_in_id(v)) for v in voters]
        pot_id, ids = setup.pot.id, setup.ids
    url = f"/budgets/pots/{pot_id}/ballot"
    expected = {voter_id: sorted(ids[n % 3 + 2:]) for n, (voter_id, _) in enumerate(sessions)}
    jobs = [voter_post(app, session_id, url, expected[voter_id]) for voter_id, session_id in sessions]
    results = all_at_once(jobs)
    assert results == [302] * VOTERS, results
    with app.app_context():
        rows = db.session.execute(select(Ballot.voter_id, BallotChoice.proposal_id)
                                  .join(BallotChoice, BallotChoice.ballot_id == Ballot.id)
                                  .where(Ballot.pot_id == pot_id)).all()
        stored: dict[int, list[int]] = {}
        for voter_id, proposal_id in rows:
            stored.setdefault(voter_id, []).append(proposal_id)
        assert {k: sorted(v) for k, v in stored.items()} == expected
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == VOTERS


@pytest.mark.parametrize("copies", [2, 8])
def test_one_person_submitting_at_once_is_left_with_one_ballot(app: Flask, copies: int) -> None:
    with app.app_context():
        setup = make_budget()
        voter = make_user("Impatient Ida")
        pot_id, ids, session_id, voter_id = setup.pot.id, setup.ids, sign_in_id(voter), voter.id
    url = f"/budgets/pots/{pot_id}/ballot"
    choices = [[ids[n % len(ids)]] for n in range(copies)]  # each submission different, so a mix would show
    for _round in range(3):  # a fresh ballot the first time, replacements after
        results = all_at_once([voter_post(app, session_id, url, chosen) for chosen in choices])
        assert results == [302] * copies, results
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(Ballot)) == 1
            ballot, points = voting.current_ballot(db.session.get(Pot, pot_id), db.session.get(User, voter_id))
            assert ballot is not None and list(points) in choices and list(points.values()) == [1]
            assert db.session.scalar(select(func.count()).select_from(BallotChoice)) == 1


def test_one_paper_entered_by_several_staff_at_once_is_recorded_once(app: Flask) -> None:
    with app.app_context():
        setup = make_budget()
        staff = [make_user(f"Clerk {n}", role="civil_servant") for n in range(6)]
        sessions, pot_id, ids = [sign_in_id(s) for s in staff], setup.pot.id, setup.ids
    url = f"/budgets/pots/{pot_id}/paper-ballots/new"

    def entry(session_id: str) -> Callable[[], int]:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = session_id
            session["_fresh"] = True
        return lambda: client.post(url, data={"reference": "RV-7", "choices": [str(ids[4])]}).status_code

    results = all_at_once([entry(s) for s in sessions])
    assert sorted(results) == [200] * 5 + [302], results  # one entered; the others told it already was
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == 1
