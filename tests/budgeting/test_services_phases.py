"""Moving a budget through its phases (forum.budgeting.services.phases): forward only, staff only, and the
move to results queues a count of every pot, run by the job once the move commits (tests run jobs at commit)."""

from __future__ import annotations

import pytest

from forum.accounts.models import User
from forum.budgeting.count_models import PotCount
from forum.budgeting.models import Budget, Phase, Proposal, Result
from forum.budgeting.services import budgets, counting, phases
from forum.common import transaction
from forum.common.errors import PermissionDenied, ValidationFailed
from forum.common.transaction import unit_of_work
from forum.extensions import db
from tests.budgeting.support import make_budget, store_ballot
from tests.factories import make_user


def test_phases_move_forward_one_step_or_several(app) -> None:
    with app.app_context():
        budget = make_budget(phase=Phase.COLLECTING).budget
        staff = make_user(role="civil_servant")
        assert phases.allowed_moves(budget) == [Phase.REVIEW, Phase.VOTING, Phase.RESULTS, Phase.DELIVERY]
        phases.move_budget(budget, staff, Phase.REVIEW)
        assert phases.allowed_moves(budget) == [Phase.COLLECTING, Phase.VOTING, Phase.RESULTS, Phase.DELIVERY]
        phases.move_budget(budget, staff, Phase.COLLECTING)  # review may reopen proposals
        phases.move_budget(budget, staff, Phase.VOTING)
        assert phases.allowed_moves(budget) == [Phase.RESULTS, Phase.DELIVERY]
        for back in (Phase.COLLECTING, Phase.REVIEW, Phase.VOTING, "dreaming"):
            with pytest.raises(ValidationFailed):
                phases.move_budget(budget, staff, back)
        assert db.session.get(type(budget), budget.id).phase == Phase.VOTING


@pytest.mark.parametrize("role", ["resident", "moderator"])
def test_only_civil_servants_and_admins_move_phases(app, role: str) -> None:
    with app.app_context():
        budget = make_budget(phase=Phase.COLLECTING).budget
        with pytest.raises(PermissionDenied):
            phases.move_budget(budget, make_user(role=role), Phase.REVIEW)
        assert budget.phase == Phase.COLLECTING


def test_moving_to_results_queues_a_count_of_every_pot(app) -> None:
    with app.app_context():
        setup = make_budget(phase=Phase.VOTING, results_rule="greedy")
        second = budgets.create_pot(setup.budget, budgets.create_area("Hillside"), "Hillside", 1_000_000)
        hill = budgets.create_proposal(second, "Benches", 500_000)
        store_ballot(setup.pot, make_user(), [setup.ids[1]])
        store_ballot(second, make_user(), [hill.id])
        phases.move_budget(setup.budget, make_user(role="admin"), Phase.DELIVERY)
        # Nothing is counted in the move itself: each pot's count waits for the commit.
        assert db.session.scalar(db.select(db.func.count()).select_from(Result)) == 0
        states = db.session.scalars(db.select(PotCount.state).order_by(PotCount.pot_id)).all()
        assert states == ["queued", "queued"]
        transaction.commit()  # the move's edge: the count jobs run now
        assert db.session.scalar(db.select(db.func.count()).select_from(Result)) == 2
        assert db.session.get(Proposal, hill.id).status == "selected"
        assert db.session.get(Proposal, setup.ids[1]).status == "selected"
        assert db.session.scalars(db.select(PotCount.state)).all() == ["done", "done"]


def test_a_failed_count_does_not_undo_the_move(app, monkeypatch) -> None:
    with app.app_context():
        setup = make_budget(phase=Phase.VOTING)
        store_ballot(setup.pot, make_user(), [setup.ids[0]])
        budget_id, pot_id, admin_id = setup.budget.id, setup.pot.id, make_user(role="admin").id

    def broken(*args, **kwargs):
        raise RuntimeError("the count failed")

    monkeypatch.setattr(counting, "count_and_store", broken)
    with app.app_context(), unit_of_work():  # the move's unit of work, as a request's edge runs it
        phases.move_budget(db.session.get(Budget, budget_id), db.session.get(User, admin_id), Phase.RESULTS)
    with app.app_context():
        assert db.session.get(Budget, budget_id).phase == Phase.RESULTS
        assert db.session.scalar(db.select(db.func.count()).select_from(Result)) == 0
        count = db.session.get(PotCount, pot_id)
        assert count.state == "failed" and count.error == "RuntimeError: the count failed"
