"""Budgets tell the people taking part: a phase change to voters and proposers, a review or the count to a
proposal's author."""

from __future__ import annotations

from forum.budgeting.models import Phase
from forum.budgeting.services import phases, proposals
from forum.common import transaction
from forum.extensions import db
from forum.notifications.models import Notification
from tests.budgeting.support import make_budget, store_ballot
from tests.factories import make_user


def texts_of(user_id: int) -> list[tuple[str, str]]:
    return [(n.kind, n.text) for n in db.session.scalars(
        db.select(Notification).where(Notification.recipient_id == user_id).order_by(Notification.id))]


def test_a_phase_change_tells_voters_and_proposers_not_the_staff_member(app):
    with app.app_context():
        proposer, voter, bystander = make_user("Pat Proposer"), make_user("Val Voter"), make_user("Bea Bystander")
        staff = make_user(role="civil_servant")
        setup = make_budget(phase=Phase.VOTING, costs=(10_000, 20_000), author=proposer)
        store_ballot(setup.pot, voter, [setup.ids[0]])
        ids = proposer.id, voter.id, bystander.id, staff.id
        phases.move_budget(setup.budget, staff, Phase.RESULTS)
        transaction.commit()
    with app.app_context():
        proposer_id, voter_id, bystander_id, staff_id = ids
        assert texts_of(voter_id) == [("budget_phase", "Green Budget 2027: now results")]
        assert sorted(texts_of(proposer_id)) == sorted([
            ("budget_phase", "Green Budget 2027: now results"),
            ("proposal_reviewed", "Your proposal “Project 1” was funded"),
            ("proposal_reviewed", "Your proposal “Project 2” was funded"),
        ])
        assert texts_of(bystander_id) == [] and texts_of(staff_id) == []


def test_a_review_tells_the_author_with_the_reason(app):
    with app.app_context():
        proposer, staff = make_user("Pat Proposer"), make_user(role="civil_servant")
        setup = make_budget(phase=Phase.REVIEW, costs=(10_000,), author=proposer)
        proposals.review_proposal(setup.proposals[0], staff, feasible=False, reason="Not council land")
        transaction.commit()
        note = db.session.scalar(db.select(Notification))
        assert note.text == "Your proposal “Project 1” was reviewed: it is not feasible (Not council land)"
        assert note.url == f"/budgets/proposals/{setup.ids[0]}" and note.proposal_id == setup.ids[0]
