"""Counting a pot in the database gives what the rules module gives, stores it, and marks the proposals."""

from __future__ import annotations

import random
from contextlib import contextmanager

import pytest
from sqlalchemy import event, insert

from forum.budgeting.models import Ballot, BallotChoice, Channel, Pot, Proposal, ProposalStatus, Result
from forum.budgeting.rules import Ballot as RuleBallot
from forum.budgeting.rules import Election, Project, equal_shares_with_completion, greedy
from forum.budgeting.services import budgets
from forum.budgeting.services.results import compute_results, election_for, winners
from forum.extensions import db
from tests.factories import make_user

COSTS = [40_000, 30_000, 25_000, 20_000, 10_000, 5_000]  # pounds; the pot holds £80,000
VOTES = [[0, 1], [0, 2], [1, 3], [2, 3, 4], [4, 5], [0], [5], [3, 4], [1, 5], [0, 3]]  # proposal indexes


def _pot(rule: str = "greedy", ballot_kind: str = "approval") -> tuple[Pot, list[int]]:
    area = budgets.create_area("Riverside")
    extra = {"points_per_voter": 10} if ballot_kind == "cumulative" else {}
    budget = budgets.create_budget("Green Budget", results_rule=rule, ballot_kind=ballot_kind, **extra)
    pot = budgets.create_pot(budget, area, "Riverside", 8_000_000)
    ids = [budgets.create_proposal(pot, f"Project {n}", cost * 100).id for n, cost in enumerate(COSTS)]
    return pot, ids


def _vote(pot: Pot, ids: list[int], votes: list[list[int]], points: bool = False) -> None:
    voters = [make_user() for _ in votes]
    for n, (voter, chosen) in enumerate(zip(voters, votes, strict=True)):
        channel = Channel.PAPER if n % 3 == 2 else Channel.ONLINE
        ballot = Ballot(pot_id=pot.id, voter_id=voter.id, channel=channel)
        db.session.add(ballot)
        db.session.flush()
        for k, index in enumerate(chosen):
            db.session.add(BallotChoice(ballot_id=ballot.id, proposal_id=ids[index], points=k + 1 if points else 1))
    db.session.commit()


def _by_hand(ids: list[int], votes: list[list[int]], points: bool = False) -> Election:
    projects = [Project(str(pid), cost) for pid, cost in zip(ids, COSTS, strict=True)]
    ballots = [RuleBallot(f"v{n}", {str(ids[i]): (k + 1 if points else 1) for k, i in enumerate(chosen)})
               for n, chosen in enumerate(votes)]
    return Election(projects, 80_000, ballots, "cumulative" if points else "approval")


@pytest.mark.parametrize(("rule", "count"), [("greedy", greedy), ("mes", equal_shares_with_completion)])
def test_the_stored_result_equals_the_rules_module(app, rule: str, count) -> None:
    with app.app_context():
        pot, ids = _pot(rule)
        _vote(pot, ids, VOTES)
        expected = count(_by_hand(ids, VOTES))
        result = compute_results(pot)
        assert winners(pot) == [int(pid) for pid in expected.winners]
        assert result.rule == rule and result.voters == len(VOTES)
        assert result.total_spent_pence == expected.spent * 100
        lines = {line.proposal_id: line for line in result.lines}
        assert {pid: line.votes for pid, line in lines.items()} == {
            int(pid): pr.support for pid, pr in expected.projects.items()}
        funded = {int(pid) for pid in expected.winners}
        assert {p.id: p.status for p in db.session.query(Proposal)} == {
            pid: ProposalStatus.SELECTED if pid in funded else ProposalStatus.NOT_SELECTED for pid in ids}


def test_cumulative_points_are_counted_as_points(app) -> None:
    with app.app_context():
        pot, ids = _pot("mes", "cumulative")
        _vote(pot, ids, VOTES, points=True)
        expected = equal_shares_with_completion(_by_hand(ids, VOTES, points=True))
        compute_results(pot)
        assert winners(pot) == [int(pid) for pid in expected.winners]


def test_withdrawn_and_unfeasible_proposals_are_left_out_and_their_ballots_still_count(app) -> None:
    with app.app_context():
        pot, ids = _pot()
        _vote(pot, ids, VOTES)
        db.session.get(Proposal, ids[0]).status = ProposalStatus.WITHDRAWN
        db.session.get(Proposal, ids[3]).status = ProposalStatus.NOT_FEASIBLE
        db.session.commit()
        result = compute_results(pot)
        assert result.voters == len(VOTES)
        assert {line.proposal_id for line in result.lines} == set(ids) - {ids[0], ids[3]}
        assert db.session.get(Proposal, ids[0]).status == ProposalStatus.WITHDRAWN
        left = [[i for i in chosen if i not in (0, 3)] for chosen in VOTES]
        hand = _by_hand(ids, left)
        hand.projects = [p for p in hand.projects if p.id not in (str(ids[0]), str(ids[3]))]
        assert winners(pot) == [int(pid) for pid in greedy(hand).winners]


def test_counting_again_replaces_the_result(app) -> None:
    with app.app_context():
        pot, ids = _pot()
        _vote(pot, ids, VOTES)
        compute_results(pot)
        second = compute_results(pot, "mes")
        assert db.session.query(Result).one().rule == second.rule == "mes"
        assert len(second.lines) == len(ids)


def test_a_pot_with_no_ballots_funds_by_id_within_the_money(app) -> None:
    with app.app_context():
        pot, ids = _pot()
        result = compute_results(pot)
        assert result.voters == 0 and result.total_spent_pence <= pot.amount_pence


def test_a_pot_with_pence_is_counted_in_pence(app) -> None:
    with app.app_context():
        pot, ids = _pot()
        budgets.create_proposal(pot, "Odd cost", "£10.50")
        counted = election_for(pot)
        assert counted.pence_per_unit == 1 and counted.election.budget == 8_000_000


@contextmanager
def _count_queries():
    statements: list[str] = []

    def before(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def _bulk_ballots(pot: Pot, ids: list[int], start: int, count: int) -> None:
    rng = random.Random(start)
    db.session.execute(insert(Ballot), [{"pot_id": pot.id, "anonymous_key": f"k{n}", "channel": "imported"}
                                        for n in range(start, start + count)])
    keyed = {b.anonymous_key: b.id for b in db.session.query(Ballot).filter(Ballot.pot_id == pot.id)}
    db.session.execute(insert(BallotChoice), [
        {"ballot_id": keyed[f"k{n}"], "proposal_id": pid, "points": 1}
        for n in range(start, start + count) for pid in rng.sample(ids, 3)])
    db.session.commit()


def test_the_number_of_queries_does_not_grow_with_the_ballots(app) -> None:
    with app.app_context():
        pot, ids = _pot()
        _bulk_ballots(pot, ids, 0, 20)
        with _count_queries() as few:
            compute_results(pot)
        _bulk_ballots(pot, ids, 20, 2000)
        with _count_queries() as many:
            result = compute_results(pot)
        assert result.voters == 2020
        assert len(many) == len(few), "\n".join(s[:70] for s in few + ["----"] + many)


def test_the_result_keeps_the_figures_the_results_page_shows(app) -> None:
    with app.app_context():
        pot, ids = _pot("mes")
        _vote(pot, ids, VOTES)
        election = _by_hand(ids, VOTES)
        ours, other = equal_shares_with_completion(election), greedy(election)
        result = compute_results(pot)
        assert (result.online_voters, result.paper_voters, result.imported_voters) == (7, 3, 0)
        assert result.voters_with_funded == sum(
            1 for b in election.ballots if set(b.points) & set(ours.winners))
        assert (result.other_rule, result.other_spent_pence) == ("greedy", other.spent * 100)
        assert {line.proposal_id for line in result.lines if line.funded_by_other_rule} == {
            int(pid) for pid in other.winners}
