"""The voting service: every rule of a ballot, every refusal (with the stored ballot kept), changing a ballot,
and paper ballots entered by staff."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.budgeting.models import (
    Ballot,
    BallotChoice,
    Channel,
    Eligibility,
    Phase,
    ProposalStatus,
    ResidentVerification,
    VerificationMethod,
)
from forum.budgeting.services import budgets, voting
from forum.budgeting.services.ballots import stream_ballots
from forum.common.errors import PermissionDenied, ValidationFailed
from forum.extensions import db
from tests.budgeting.support import make_budget
from tests.factories import make_user

POUND = 100


def _stored(pot, voter) -> dict[int, int] | None:
    ballot, points = voting.current_ballot(pot, voter)
    return None if ballot is None else points


def _refused(pot, voter, choices, *words: str) -> ValidationFailed:
    """Casting ``choices`` is refused with a message holding every one of ``words``; nothing changes (the service
    checks before it writes, so not even this unit of work holds a change)."""
    before = _stored(pot, voter)
    with pytest.raises(ValidationFailed) as refusal:
        voting.cast_ballot(pot, voter, choices)
    for word in words:
        assert word in refusal.value.message, refusal.value.message
    assert refusal.value.field == voting.CHOICES
    assert _stored(pot, voter) == before
    return refusal.value


def test_an_approval_ballot_within_the_money_is_cast_and_read_back(app) -> None:
    with app.app_context():
        setup, voter = make_budget(), make_user()
        p1, p2, p3, p4, p5 = setup.ids
        ballot = voting.cast_ballot(setup.pot, voter, [p1, p2, p5])  # £40k + £30k + £10k = £80k: exactly the pot
        assert ballot.channel == Channel.ONLINE and ballot.voter_id == voter.id
        assert ballot.created_at == ballot.updated_at and not voting.was_changed(ballot)
        assert _stored(setup.pot, voter) == {p1: 1, p2: 1, p5: 1}
        [counted] = list(stream_ballots(setup.pot))
        assert counted.points == {p1: 1, p2: 1, p5: 1} and counted.channel == Channel.ONLINE


def test_casting_again_replaces_the_choices_and_keeps_one_ballot(app) -> None:
    with app.app_context():
        setup, voter = make_budget(), make_user()
        p1, p2, p3, p4, p5 = setup.ids
        first = voting.cast_ballot(setup.pot, voter, [p1, p2])
        first_id, first_cast = first.id, first.created_at
        again = voting.cast_ballot(setup.pot, voter, [p3, p4])
        assert again.id == first_id and again.created_at == first_cast
        assert again.updated_at >= first_cast
        assert _stored(setup.pot, voter) == {p3: 1, p4: 1}
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == 1
        assert db.session.scalar(select(func.count()).select_from(BallotChoice)) == 2


def test_over_the_money_is_refused_naming_the_overspend(app) -> None:
    with app.app_context():
        setup, voter = make_budget(), make_user()
        p1, p2, p3, p4, p5 = setup.ids
        voting.cast_ballot(setup.pot, voter, [p5])
        _refused(setup.pot, voter, [p1, p2, p3], "£95,000", "£15,000 more than the £80,000")


def test_a_proposal_from_another_pot_is_refused(app) -> None:
    with app.app_context():
        setup, voter = make_budget(), make_user()
        other_pot = budgets.create_pot(setup.budget, budgets.create_area("Hillside"), "Hillside", 50_000 * POUND)
        stranger = budgets.create_proposal(other_pot, "Hillside swings", 5_000 * POUND)
        _refused(setup.pot, voter, [setup.ids[4], stranger.id], "Hillside swings", "another pot", "Hillside")


@pytest.mark.parametrize(("status", "word"), [(ProposalStatus.WITHDRAWN, "withdrawn"),
                                              (ProposalStatus.NOT_FEASIBLE, "not feasible")])
def test_a_withdrawn_or_not_feasible_proposal_is_refused(app, status: str, word: str) -> None:
    with app.app_context():
        setup, voter = make_budget(), make_user()
        setup.proposals[3].status = status
        db.session.commit()
        voting.cast_ballot(setup.pot, voter, [setup.ids[4]])
        _refused(setup.pot, voter, [setup.ids[3]], "Project 4", word)
        assert setup.ids[3] not in [p.id for p in voting.ballot_proposals(setup.pot)]


def test_feasible_and_proposed_proposals_both_go_on_the_ballot(app) -> None:
    with app.app_context():
        setup, voter = make_budget(), make_user()
        setup.proposals[0].status = ProposalStatus.FEASIBLE
        db.session.commit()
        voting.cast_ballot(setup.pot, voter, [setup.ids[0], setup.ids[1]])
        assert _stored(setup.pot, voter) == {setup.ids[0]: 1, setup.ids[1]: 1}


def test_an_unknown_proposal_and_an_empty_ballot_are_refused(app) -> None:
    with app.app_context():
        setup, voter = make_budget(), make_user()
        _refused(setup.pot, voter, [999_999], "not a proposal")
        _refused(setup.pot, voter, [], "at least one proposal")


@pytest.mark.parametrize("phase", [Phase.COLLECTING, Phase.REVIEW, Phase.RESULTS, Phase.DELIVERY])
def test_voting_must_be_open(app, phase: str) -> None:
    with app.app_context():
        setup, voter = make_budget(), make_user()
        voting.cast_ballot(setup.pot, voter, [setup.ids[0]])
        setup.budget.phase = phase
        db.session.commit()
        word = "not opened" if phase in (Phase.COLLECTING, Phase.REVIEW) else "closed"
        _refused(setup.pot, voter, [setup.ids[1]], word)


def test_only_verified_residents_vote_in_a_verified_residents_budget(app) -> None:
    with app.app_context():
        setup = make_budget(eligibility=Eligibility.VERIFIED_RESIDENTS)
        resident, officer = make_user(), make_user(role="civil_servant")
        with pytest.raises(PermissionDenied) as refusal:
            voting.cast_ballot(setup.pot, resident, [setup.ids[0]])
        assert "Riverside" in refusal.value.message and "verification code" in refusal.value.message
        assert _stored(setup.pot, resident) is None
        assert voting.ineligible_message(resident, setup.pot) == refusal.value.message
        db.session.add(ResidentVerification(user_id=resident.id, area_id=setup.pot.area_id,
                                            method=VerificationMethod.STAFF, verified_by_id=officer.id))
        db.session.commit()
        assert voting.ineligible_message(resident, setup.pot) is None
        voting.cast_ballot(setup.pot, resident, [setup.ids[0]])
        assert _stored(setup.pot, resident) == {setup.ids[0]: 1}


def test_minimum_and_maximum_number_of_projects(app) -> None:
    with app.app_context():
        setup = make_budget(min_projects=2, max_projects=3, costs=(30_000, 20_000, 10_000, 10_000, 5_000))
        voter = make_user()
        p1, p2, p3, p4, p5 = setup.ids
        _refused(setup.pot, voter, [p5], "at least 2 proposals", "you chose 1")
        _refused(setup.pot, voter, [p2, p3, p4, p5], "no more than 3", "you chose 4")
        voting.cast_ballot(setup.pot, voter, [p4, p5])
        voting.cast_ballot(setup.pot, voter, [p3, p4, p5])
        assert _stored(setup.pot, voter) == {p3: 1, p4: 1, p5: 1}
        assert "Choose between 2 and 3 proposals." in voting.rules_in_words(setup.budget, setup.pot)


def test_minimum_spend(app) -> None:
    with app.app_context():
        setup, voter = make_budget(min_spend_pence=50_000 * POUND), make_user()
        p1, p2, p3, p4, p5 = setup.ids
        _refused(setup.pot, voter, [p4, p5], "at least £50,000", "they cost £30,000")
        voting.cast_ballot(setup.pot, voter, [p3, p4, p5])
        assert _stored(setup.pot, voter) == {p3: 1, p4: 1, p5: 1}


def test_approval_ballots_take_no_points(app) -> None:
    with app.app_context():
        setup, voter = make_budget(), make_user()
        _refused(setup.pot, voter, {setup.ids[0]: 3}, "points are not used")


def test_cumulative_points_up_to_the_allowance(app) -> None:
    with app.app_context():
        setup, voter = make_budget(ballot_kind="cumulative", points_per_voter=10), make_user()
        p1, p2, p3, p4, p5 = setup.ids
        voting.cast_ballot(setup.pot, voter, {p1: 6, p2: 3, p3: 1})  # cost is no limit on a points ballot
        assert _stored(setup.pot, voter) == {p1: 6, p2: 3, p3: 1}
        _refused(setup.pot, voter, {p1: 8, p2: 4}, "12 points", "2 more than the 10")
        _refused(setup.pot, voter, {p1: 0, p2: 4}, "whole numbers of 1 or more")
        _refused(setup.pot, voter, {p1: -2, p2: 4}, "whole numbers of 1 or more")
        _refused(setup.pot, voter, {p1: 2.5}, "whole numbers")
        _refused(setup.pot, voter, {}, "at least one proposal")
        voting.cast_ballot(setup.pot, voter, {p5: 10})
        assert _stored(setup.pot, voter) == {p5: 10}


def test_summary_adds_up_money_and_points(app) -> None:
    with app.app_context():
        setup = make_budget()
        p1, p2, p3, p4, p5 = setup.proposals
        proposals = voting.ballot_proposals(setup.pot)
        summary = voting.summarise(setup.pot, proposals, [p1.id, p5.id])
        assert [p.id for p in summary.chosen] == [p1.id, p5.id]
        assert (summary.spent_pence, summary.left_pence, summary.over) == (50_000 * POUND, 30_000 * POUND, False)
        assert voting.summarise(setup.pot, proposals, [p1.id, p2.id, p3.id]).over
        points = make_budget(ballot_kind="cumulative", points_per_voter=10, area="Hillside", title="Points")
        summary = voting.summarise(points.pot, voting.ballot_proposals(points.pot), {points.ids[0]: 4})
        assert (summary.points_used, summary.points_left, summary.over) == (4, 6, False)


def test_a_voter_sees_only_their_own_ballot(app) -> None:
    with app.app_context():
        setup, alice, bob = make_budget(), make_user(), make_user()
        voting.cast_ballot(setup.pot, alice, [setup.ids[0]])
        assert _stored(setup.pot, bob) is None
        voting.cast_ballot(setup.pot, bob, [setup.ids[1]])
        assert _stored(setup.pot, alice) == {setup.ids[0]: 1}
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == 2


# Paper ballots ------------------------------------------------------------------------------------------------


def test_staff_enter_a_paper_ballot_recorded_with_who_entered_it(app) -> None:
    with app.app_context():
        setup, officer = make_budget(eligibility=Eligibility.VERIFIED_RESIDENTS), make_user(role="civil_servant")
        ballot = voting.enter_paper_ballot(setup.pot, officer, "  rv  0042 ", [setup.ids[0], setup.ids[4]])
        assert (ballot.channel, ballot.voter_id, ballot.entered_by_id) == (Channel.PAPER, None, officer.id)
        assert ballot.anonymous_key == "paper:RV 0042"
        [counted] = list(stream_ballots(setup.pot))
        assert counted.channel == Channel.PAPER and counted.points == {setup.ids[0]: 1, setup.ids[4]: 1}
        listing = voting.paper_ballots(setup.pot, officer, 1)
        assert listing.total == 1
        [row] = listing.items
        assert (row.reference, row.entered_by.id, row.choices) == ("RV 0042", officer.id, 2)


def test_the_same_paper_cannot_be_entered_twice(app) -> None:
    with app.app_context():
        setup, officer, admin = make_budget(), make_user(role="civil_servant"), make_user(role="admin")
        voting.enter_paper_ballot(setup.pot, officer, "A17", [setup.ids[0]])
        with pytest.raises(ValidationFailed) as refusal:
            voting.enter_paper_ballot(setup.pot, admin, "a17", [setup.ids[1]])
        assert refusal.value.field == "reference" and "A17 has already been entered" in refusal.value.message
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == 1
        other = make_budget(area="Hillside", title="Other budget")
        voting.enter_paper_ballot(other.pot, officer, "A17", [other.ids[0]])  # unique per pot only


def test_paper_ballots_are_checked_like_online_ones(app) -> None:
    with app.app_context():
        setup, officer = make_budget(), make_user(role="admin")
        p1, p2, p3, p4, p5 = setup.ids
        for choices, words in (([p1, p2, p3], "more than the £80,000"), ([], "at least one")):
            with pytest.raises(ValidationFailed) as refusal:
                voting.enter_paper_ballot(setup.pot, officer, "B1", choices)
            assert words in refusal.value.message and refusal.value.field == voting.CHOICES
        for reference, words in (("   ", "Enter the reference"), ("x" * 51, "50 characters")):
            with pytest.raises(ValidationFailed) as refusal:
                voting.enter_paper_ballot(setup.pot, officer, reference, [p1])
            assert words in refusal.value.message and refusal.value.field == "reference"
        setup.budget.phase = Phase.RESULTS
        db.session.commit()
        with pytest.raises(ValidationFailed, match="closed"):
            voting.enter_paper_ballot(setup.pot, officer, "B1", [p1])
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == 0


def test_residents_and_moderators_cannot_enter_or_list_paper_ballots(app) -> None:
    with app.app_context():
        setup = make_budget()
        for role in ("resident", "moderator"):
            someone = make_user(role=role)
            with pytest.raises(PermissionDenied):
                voting.enter_paper_ballot(setup.pot, someone, "C1", [setup.ids[0]])
            with pytest.raises(PermissionDenied):
                voting.paper_ballots(setup.pot, someone, 1)
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == 0


def test_paper_ballots_list_in_pages_newest_first(app) -> None:
    with app.app_context():
        setup, officer = make_budget(), make_user(role="civil_servant")
        for n in range(7):
            voting.enter_paper_ballot(setup.pot, officer, f"P{n}", setup.ids[4 - n % 3:])
        voting.cast_ballot(setup.pot, make_user(), [setup.ids[0]])  # online: not on the list
        first, last = voting.paper_ballots(setup.pot, officer, 1, per_page=5), voting.paper_ballots(
            setup.pot, officer, 2, per_page=5)
        assert (first.total, first.pages) == (7, 2)
        assert [r.reference for r in first.items] == ["P6", "P5", "P4", "P3", "P2"]
        assert [(r.reference, r.choices) for r in last.items] == [("P1", 2), ("P0", 1)]


# Ranked (ordinal) and choose-1 ballots -------------------------------------------------------------------------


def _ranked_rows(pot) -> list[tuple[int, int, int | None]]:
    """(proposal id, points, rank) of every stored choice, by rank."""
    return [tuple(row) for row in db.session.execute(
        select(BallotChoice.proposal_id, BallotChoice.points, BallotChoice.rank)
        .join(Ballot, Ballot.id == BallotChoice.ballot_id).where(Ballot.pot_id == pot.id)
        .order_by(BallotChoice.rank))]


def _rank_refusals(pot, voter, slots) -> dict[str, str]:
    """Casting ``slots`` is refused; every problem by the field it is about (nothing stored changes)."""
    before = _stored(pot, voter)
    with pytest.raises(ValidationFailed) as refusal:
        voting.cast_ballot(pot, voter, slots)
    assert _stored(pot, voter) == before
    return {problem.field: problem.message for problem in refusal.value.problems}


def test_a_ranked_ballot_is_stored_one_choice_per_rank_with_points_1(app) -> None:
    with app.app_context():
        setup, voter = make_budget(ballot_kind="ordinal", min_projects=3, max_projects=3), make_user()
        p1, p2, p3, p4, p5 = setup.ids
        voting.cast_ballot(setup.pot, voter, [p4, p1, p5])
        assert _ranked_rows(setup.pot) == [(p4, 1, 1), (p1, 1, 2), (p5, 1, 3)]
        assert _stored(setup.pot, voter) == {p4: 1, p1: 2, p5: 3}  # a ranked ballot reads back as ranks
        [counted] = list(stream_ballots(setup.pot))
        assert counted.ranks == {p4: 1, p1: 2, p5: 3} and counted.points == {p4: 1, p1: 1, p5: 1}
        # Money is no limit on a ranked ballot: £40k + £30k + £25k is more than the £80k pot.
        voting.cast_ballot(setup.pot, voter, {p1: 1, p2: 2, p3: 3})
        assert _ranked_rows(setup.pot) == [(p1, 1, 1), (p2, 1, 2), (p3, 1, 3)]
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == 1


def test_a_ranked_ballot_refuses_a_proposal_twice_a_gap_and_too_few_by_their_rank(app) -> None:
    with app.app_context():
        setup, voter = make_budget(ballot_kind="ordinal", min_projects=3, max_projects=3), make_user()
        p1, p2, p3, p4, p5 = setup.ids
        voting.cast_ballot(setup.pot, voter, [p1, p2, p3])
        assert _rank_refusals(setup.pot, voter, [p1, p2, p1]) == {
            "rank_3": "Choose a different proposal as your 3rd choice: Project 1 is already your 1st choice"}
        assert _rank_refusals(setup.pot, voter, [p1, None, p3]) == {
            "rank_2": "Choose your 2nd choice, or move your later choices up: ranks are filled in order, "
                      "without gaps"}
        assert _rank_refusals(setup.pot, voter, [p1, p2, None]) == {
            "rank_3": "Choose your 3rd choice: rank exactly 3 proposals"}
        assert _rank_refusals(setup.pot, voter, [None, None, None]) == {
            "rank_1": "Choose your 1st choice: rank exactly 3 proposals"}
        # Every problem at once: a gap and the same proposal twice.
        both = _rank_refusals(setup.pot, voter, [None, p2, p2])
        assert set(both) == {"rank_1", "rank_3"}
        assert "without gaps" in both["rank_1"] and "Project 2 is already your 2nd choice" in both["rank_3"]
        # More ranks than the budget allows (a page never offers them; a hand-made request might).
        assert _rank_refusals(setup.pot, voter, [p1, p2, p3, p4]) == {
            "choices": "Rank no more than 3 proposals (you ranked 4)"}
        assert _stored(setup.pot, voter) == {p1: 1, p2: 2, p3: 3}


def test_a_ranked_ballot_between_the_fewest_and_the_most_ranks(app) -> None:
    with app.app_context():
        setup, voter = make_budget(ballot_kind="ordinal", min_projects=2, max_projects=4), make_user()
        p1, p2, p3, p4, p5 = setup.ids
        rule = voting.BallotRule.of(setup.pot, available=5)
        assert (rule.fewest_ranks, rule.most_ranks) == (2, 4)
        assert voting.rules_in_words(setup.budget, setup.pot)[0] == (
            "Rank between 2 and 4 proposals in order of preference.")
        assert _rank_refusals(setup.pot, voter, [p5]) == {"rank_2": "Choose your 2nd choice: rank at least 2 proposals"}
        voting.cast_ballot(setup.pot, voter, [p5, p3, None, None])  # empty ranks after the last are fine
        assert _stored(setup.pot, voter) == {p5: 1, p3: 2}


def test_a_ranked_ballot_offers_no_more_ranks_than_proposals(app) -> None:
    with app.app_context():
        setup = make_budget(ballot_kind="ordinal", max_projects=5, costs=(10_000, 20_000))
        rule = voting.BallotRule.of(setup.pot, available=2)
        assert (rule.fewest_ranks, rule.most_ranks) == (1, 2)
        assert voting.rules_in_words(setup.budget, setup.pot)[0] == "Rank up to 2 proposals in order of preference."
        kraków = make_budget(ballot_kind="ordinal", min_projects=3, max_projects=3, costs=(10_000, 20_000),
                             area="Old Town", title="Kraków 2024")
        assert voting.BallotRule.of(kraków.pot, available=2).fewest_ranks == 2


def test_ranked_ballots_check_every_proposal_like_other_ballots(app) -> None:
    with app.app_context():
        setup, voter = make_budget(ballot_kind="ordinal", max_projects=3), make_user()
        other = make_budget(area="Hillside", title="Blue Budget")
        refusal = _refused(setup.pot, voter, [setup.ids[0], other.ids[0]], "another pot")
        assert refusal.field == voting.CHOICES
        assert "Ranks must be whole numbers" in _refused(setup.pot, voter, {setup.ids[0]: 0}).message
        two = _rank_refusals(setup.pot, voter, {setup.ids[0]: 1, setup.ids[1]: 1})
        assert two == {"rank_1": "Give each proposal its own rank: two share your 1st choice"}


def test_a_choose_one_ballot_is_one_choice_and_changing_it_replaces_it(app) -> None:
    with app.app_context():
        setup, voter = make_budget(ballot_kind="choose_one"), make_user()
        p1, p2, *_ = setup.ids
        voting.cast_ballot(setup.pot, voter, [p1])
        assert _ranked_rows(setup.pot) == [(p1, 1, None)]
        voting.cast_ballot(setup.pot, voter, [p2])
        assert _stored(setup.pot, voter) == {p2: 1}
        assert db.session.scalar(select(func.count()).select_from(BallotChoice)) == 1
        _refused(setup.pot, voter, [], "Choose the proposal you want funded")
        _refused(setup.pot, voter, [p1, p2], "Choose only one proposal (you chose 2)")
        _refused(setup.pot, voter, {p1: 3}, "points are not used")
        assert voting.rules_in_words(setup.budget, setup.pot) == ["Choose the one proposal you most want funded."]
        assert _stored(setup.pot, voter) == {p2: 1}


@pytest.mark.parametrize("kind", ["ordinal", "choose_one"])
def test_new_ballot_forms_keep_eligibility_and_open_voting(app, kind: str) -> None:
    with app.app_context():
        setup = make_budget(ballot_kind=kind, eligibility=Eligibility.VERIFIED_RESIDENTS, max_projects=3)
        voter = make_user()
        with pytest.raises(PermissionDenied):
            voting.cast_ballot(setup.pot, voter, [setup.ids[0]])
        setup.budget.phase = Phase.RESULTS
        _refused(setup.pot, make_user("Other Voter"), [setup.ids[0]], "Voting has closed")


def test_paper_ballots_take_ranks_and_one_choice(app) -> None:
    with app.app_context():
        ranked = make_budget(ballot_kind="ordinal", min_projects=2, max_projects=3)
        staff = make_user("Carys Clerk", role="civil_servant", organisation="Riverside Council")
        p1, p2, p3, *_ = ranked.ids
        voting.enter_paper_ballot(ranked.pot, staff, "rv-1", [p3, p1, None])
        assert _ranked_rows(ranked.pot) == [(p3, 1, 1), (p1, 1, 2)]
        with pytest.raises(ValidationFailed) as refusal:
            voting.enter_paper_ballot(ranked.pot, staff, "rv-2", [p3, p3])
        assert refusal.value.field == "rank_2"
        one = make_budget(ballot_kind="choose_one", area="Hillside", title="Blue Budget")
        voting.enter_paper_ballot(one.pot, staff, "rv-1", [one.ids[2]])
        assert _ranked_rows(one.pot) == [(one.ids[2], 1, None)]
