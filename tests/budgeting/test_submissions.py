"""Residents propose, edit and withdraw projects (forum.budgeting.services.submissions): who, when, and every
field error; nothing changes when a field is wrong."""

from __future__ import annotations

import pytest

from forum.budgeting.models import Phase, Proposal, ProposalStatus
from forum.budgeting.services import budgets, submissions
from forum.budgeting.services.proposals import review_proposal
from forum.budgeting.services.submissions import ProposalText
from forum.common.errors import PermissionDenied, ValidationFailed
from forum.extensions import db
from tests.budgeting.support import make_budget
from tests.factories import make_user


def _text(**changes) -> ProposalText:
    fields = {"title": "Benches on the river path", "description": "Six *benches* for people who walk slowly.",
              "cost": "£12,500", "location": "River path", "tags": "Parks, benches"}
    return ProposalText(**{**fields, **changes})


def test_a_resident_proposes_with_every_field(app) -> None:
    with app.app_context():
        setup, author = make_budget(phase=Phase.COLLECTING, costs=()), make_user()
        proposal = submissions.propose(setup.budget, None, author, _text(location="  River   path "))
        assert (proposal.title, proposal.cost_pence, proposal.location) == (
            "Benches on the river path", 1_250_000, "River path")
        assert proposal.description_html == "<p>Six <em>benches</em> for people who walk slowly.</p>"
        assert [t.name for t in proposal.tags] == ["benches", "parks"]
        assert proposal.status == ProposalStatus.PROPOSED and proposal.author_id == author.id
        assert proposal.pot_id == setup.pot.id


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"cost": "£0"}, "cost", "more than £0"),
    ({"cost": "-5"}, "cost", "more than £0"),
    ({"cost": "lots"}, "cost", "in pounds"),
    ({"cost": "£80,000.01"}, "cost", r"not be more than the money in the pot \(£80,000\)"),
    ({"title": " \u200b "}, "title", "Enter a title"),
    ({"title": "x" * 201}, "title", "200 characters"),
    ({"description": "**  **"}, "description", "Describe the project"),
    ({"description": "x" * 10_001}, "description", "10,000 characters"),
    ({"location": "y" * 201}, "location", "200 characters"),
    ({"tags": "a, b, c, d, e, f"}, "tags", "no more than 5"),
])
def test_every_field_error_leaves_nothing_behind(app, changes: dict, field: str, message: str) -> None:
    with app.app_context():
        setup = make_budget(phase=Phase.COLLECTING, costs=())
        with pytest.raises(ValidationFailed, match=message) as refused:
            submissions.propose(setup.budget, None, make_user(), _text(**changes))
        assert refused.value.field == field
        assert db.session.scalar(db.select(db.func.count()).select_from(Proposal)) == 0


def test_a_budget_with_several_pots_needs_one_of_its_own(app) -> None:
    with app.app_context():
        setup, other = make_budget(phase=Phase.COLLECTING, costs=()), make_budget(area="Hill", title="Other")
        second = budgets.create_pot(setup.budget, budgets.create_area("Old Town"), "Old Town", "£5,000")
        author = make_user()
        for pot_id in (None, other.pot.id):
            with pytest.raises(ValidationFailed) as refused:
                submissions.propose(setup.budget, pot_id, author, _text(cost="£100"))
            assert refused.value.field == "pot"
        with pytest.raises(ValidationFailed, match=r"\(£5,000\)"):
            submissions.propose(setup.budget, second.id, author, _text(cost="£6,000"))
        assert submissions.propose(setup.budget, second.id, author, _text(cost="£100")).pot_id == second.id


@pytest.mark.parametrize("phase", [Phase.REVIEW, Phase.VOTING, Phase.RESULTS, Phase.DELIVERY])
def test_proposing_is_only_while_collecting(app, phase: str) -> None:
    with app.app_context():
        setup = make_budget(phase=phase, costs=())
        with pytest.raises(PermissionDenied, match="collecting proposals"):
            submissions.propose(setup.budget, None, make_user(), _text())


def test_the_author_edits_until_review_and_nobody_else_does(app) -> None:
    with app.app_context():
        author, other = make_user(), make_user()
        setup = make_budget(phase=Phase.COLLECTING, costs=(1_000,), author=author)
        proposal = setup.proposals[0]
        with pytest.raises(PermissionDenied, match="Only the person"):
            submissions.edit(proposal, other, None, _text())
        submissions.edit(proposal, author, None, _text(title="Benches by the weir", tags="weir"))
        assert proposal.title == "Benches by the weir" and [t.name for t in proposal.tags] == ["weir"]
        with pytest.raises(ValidationFailed):
            submissions.edit(proposal, author, None, _text(title="Changed", cost="£0"))
        db.session.expire_all()
        assert proposal.title == "Benches by the weir" and proposal.cost_pence == 1_250_000
        review_proposal(proposal, make_user(role="civil_servant"), True)
        assert not submissions.can_edit(proposal, author)
        with pytest.raises(PermissionDenied, match="no longer be changed"):
            submissions.edit(proposal, author, None, _text())


def test_the_author_withdraws_before_voting_only(app) -> None:
    with app.app_context():
        author = make_user()
        setup = make_budget(phase=Phase.REVIEW, costs=(1_000, 2_000), author=author)
        first, second = setup.proposals
        with pytest.raises(PermissionDenied):
            submissions.withdraw(first, make_user(role="admin"))
        submissions.withdraw(first, author)
        assert first.status == ProposalStatus.WITHDRAWN
        with pytest.raises(PermissionDenied, match="already been withdrawn"):
            submissions.withdraw(first, author)
        with pytest.raises(PermissionDenied, match="withdrawn, so it can no longer be changed"):
            submissions.edit(first, author, None, _text())
        setup.budget.phase = Phase.VOTING
        db.session.commit()
        assert not submissions.can_withdraw(second, author)
        with pytest.raises(PermissionDenied, match="before voting opens"):
            submissions.withdraw(second, author)


def test_a_suspended_resident_cannot_propose_or_edit_until_the_suspension_ends(app) -> None:
    from datetime import timedelta

    from forum.common.timefmt import utcnow

    with app.app_context():
        setup, author = make_budget(phase=Phase.COLLECTING, costs=()), make_user()
        proposal = submissions.propose(setup.budget, None, author, _text())
        author.suspended_until, author.suspension_reason = utcnow() + timedelta(days=3), "Repeated abuse"
        db.session.commit()
        with pytest.raises(PermissionDenied, match="suspended until .*Repeated abuse"):
            submissions.propose(setup.budget, None, author, _text(title="Another"))
        with pytest.raises(PermissionDenied, match="suspended"):
            submissions.edit(proposal, author, None, _text(title="Changed"))
        author.suspended_until = utcnow() - timedelta(minutes=1)
        db.session.commit()
        assert submissions.propose(setup.budget, None, author, _text(title="Another")).title == "Another"
