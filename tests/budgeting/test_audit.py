"""Budget staff's actions are in the audit log moderators and admins read (issue 5): creating a budget, moving
its phase, reviewing proposals, verifying residents, revoking a verification and making codes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.audit.models import Action, AuditEntry
from forum.budgeting.models import Phase
from forum.budgeting.services import budgets, phases, verification
from forum.budgeting.services.proposals import review_proposal
from forum.common.errors import ValidationFailed
from forum.extensions import db
from tests.budgeting.support import make_budget
from tests.factories import make_user, sign_in_id


def _entries() -> list[tuple[str, int | None, int | None, str, str]]:
    rows = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    return [(e.action, e.actor_id, e.subject_id, e.reason, e.summary) for e in rows]


def test_each_staff_action_writes_one_entry_naming_who_what_and_whom(app) -> None:
    with app.app_context():
        staff = make_user("Priya Staff", role="civil_servant", organisation="Council")
        resident = make_user("Rita Resident")
        budget = budgets.create_budget("Parks 2027", created_by=staff)
        setup = make_budget(phase=Phase.REVIEW, costs=(10_000,))
        proposal = setup.proposals[0]
        review_proposal(proposal, staff, feasible=False, reason="The land is not the council's")
        phases.move_budget(setup.budget, staff, Phase.VOTING)
        row = verification.verify_resident(setup.pot.area, staff, resident.email, note="Seen a council tax bill")
        verification.revoke(row, staff, "Moved away")
        verification.generate_codes(setup.pot.area, staff, 3, batch="Library")
        entries = _entries()
        staff_id, resident_id, title = staff.id, resident.id, budget.title
    assert [e[0] for e in entries] == [
        Action.CREATE_BUDGET, Action.REVIEW_PROPOSAL, Action.MOVE_PHASE, Action.VERIFY_RESIDENT,
        Action.REVOKE_VERIFICATION, Action.MAKE_CODES,
    ]
    assert all(actor == staff_id for _, actor, *_ in entries)
    assert entries[0][4] == "Parks 2027" == title
    assert entries[1][3] == "The land is not the council's" and entries[1][4].endswith("Not feasible")
    assert entries[2][4].endswith("Review → Voting")
    assert entries[3][2] == resident_id and entries[4][3] == "Moved away"
    assert entries[5][4].startswith("3 codes for")


def test_a_refused_move_writes_nothing_and_the_log_page_shows_the_moves(app, client) -> None:
    with app.app_context():
        staff = make_user("Priya Staff", role="civil_servant", organisation="Council")
        moderator = make_user("Mo Derator", role="moderator")
        setup = make_budget(phase=Phase.VOTING, costs=(10_000,))
        with pytest.raises(ValidationFailed, match="cannot go back"):
            phases.move_budget(setup.budget, staff, Phase.COLLECTING)
        assert _entries() == []
        phases.move_budget(setup.budget, staff, Phase.RESULTS)
        session_id = sign_in_id(moderator)
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    page = client.get("/moderation/log?action=move_phase").get_data(as_text=True)
    assert "Moved budget to another phase" in page and "Voting → Results" in page
