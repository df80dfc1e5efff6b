"""The database keeps budgeting's rules even when a service is bypassed: one ballot per voter per pot, money above
zero, statuses from the list."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from forum.budgeting.models import Area, Ballot, BallotChoice, Budget, Channel, Pot, Proposal
from forum.extensions import db
from tests.factories import make_user


def _pot() -> Pot:
    area = Area(name="Riverside", slug="riverside")
    budget = Budget(title="Green Budget 2027", slug="green-budget-2027")
    pot = Pot(budget=budget, area=area, title="Riverside pot", amount_pence=1_250_000)
    db.session.add(pot)
    db.session.commit()
    return pot


def _refused(row: object) -> None:
    db.session.add(row)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_second_ballot_by_the_same_voter_in_a_pot_is_refused(app) -> None:
    with app.app_context():
        pot, voter = _pot(), make_user()
        db.session.add(Ballot(pot_id=pot.id, voter_id=voter.id))
        db.session.commit()
        _refused(Ballot(pot_id=pot.id, voter_id=voter.id))
        assert db.session.query(Ballot).count() == 1


def test_the_same_voter_may_vote_in_two_pots_and_paper_ballots_need_no_voter(app) -> None:
    with app.app_context():
        pot, voter = _pot(), make_user()
        other = Pot(budget=pot.budget, area=pot.area, title="Another pot", amount_pence=100)
        db.session.add(other)
        db.session.add_all([
            Ballot(pot_id=pot.id, voter_id=voter.id), Ballot(pot=other, voter_id=voter.id),
            Ballot(pot_id=pot.id, anonymous_key="paper-1", channel=Channel.PAPER, entered_by_id=voter.id),
            Ballot(pot_id=pot.id, anonymous_key="paper-2", channel=Channel.PAPER, entered_by_id=voter.id),
        ])
        db.session.commit()
        assert db.session.query(Ballot).count() == 4


def test_a_ballot_with_neither_voter_nor_key_is_refused(app) -> None:
    with app.app_context():
        _refused(Ballot(pot_id=_pot().id, channel=Channel.PAPER))


@pytest.mark.parametrize("cost", [0, -500])
def test_a_proposal_costing_nothing_or_less_is_refused(app, cost: int) -> None:
    with app.app_context():
        _refused(Proposal(pot_id=_pot().id, title="Benches", cost_pence=cost))


@pytest.mark.parametrize("amount", [0, -1])
def test_a_pot_of_nothing_or_less_is_refused(app, amount: int) -> None:
    with app.app_context():
        pot = _pot()
        _refused(Pot(budget_id=pot.budget_id, area_id=pot.area_id, title="Empty", amount_pence=amount))


def test_an_unknown_status_or_phase_is_refused(app) -> None:
    with app.app_context():
        pot = _pot()
        _refused(Proposal(pot_id=pot.id, title="Benches", cost_pence=100, status="maybe"))
        _refused(Budget(title="Odd", slug="odd", phase="dreaming"))


def test_a_choice_is_once_per_proposal_on_a_ballot_with_points_above_zero(app) -> None:
    with app.app_context():
        pot = _pot()
        proposal = Proposal(pot=pot, title="Benches", cost_pence=100)
        ballot = Ballot(pot=pot, anonymous_key="a")
        db.session.add_all([proposal, ballot])
        db.session.commit()
        db.session.add(BallotChoice(ballot_id=ballot.id, proposal_id=proposal.id))
        db.session.commit()
        _refused(BallotChoice(ballot_id=ballot.id, proposal_id=proposal.id, points=2))
        db.session.execute(db.delete(BallotChoice))
        db.session.commit()
        _refused(BallotChoice(ballot_id=ballot.id, proposal_id=proposal.id, points=0))


def test_city_sized_money_fits(app) -> None:
    with app.app_context():
        pot = _pot()
        pot.amount_pence = 85_000_000_000  # £850 million: more than 2**31 pence
        db.session.commit()
        db.session.expire_all()
        assert db.session.get(Pot, pot.id).amount_pence == 85_000_000_000
