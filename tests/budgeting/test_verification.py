"""Verifying residents (forum.budgeting.services.verification) and what it means for voting (may_vote)."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import select, text

from forum.budgeting.models import ResidentVerification, VerificationCode
from forum.budgeting.services import budgets, verification
from forum.budgeting.services.eligibility import check_may_vote, is_verified_for, may_vote
from forum.common.errors import PermissionDenied, ValidationFailed
from forum.common.transaction import unit_of_work
from forum.extensions import db
from tests import factories
from tests.budgeting.support import make_budget

CODE_SHAPE = re.compile(r"^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{2}$")


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def staff_and_area(name: str = "Riverside"):
    return factories.make_user("Sam Staff", role="civil_servant", organisation="Council"), budgets.create_area(name)


def test_staff_verify_a_person_by_email_or_handle_and_it_is_recorded(ctx):
    staff, area = staff_and_area()
    ann = factories.make_user("Ann Smith", email="Ann@Example.org")
    bob = factories.make_user("Bob Jones")
    row = verification.verify_resident(area, staff, "  ann@example.ORG ", note="Council tax bill seen")
    assert (row.user_id, row.method, row.verified_by_id, row.code_id) == (ann.id, "staff", staff.id, None)
    assert row.note == "Council tax bill seen" and row.created_at is not None and row.revoked_at is None
    assert verification.verify_resident(area, staff, "@bob-jones").user_id == bob.id
    assert verification.verify_resident(budgets.create_area("Hillside"), staff, "Bob Jones").user_id == bob.id
    assert is_verified_for(ann, area.id) and is_verified_for(bob, area.id)


@pytest.mark.parametrize("who", ["nobody@example.org", "no-such-person", "   "])
def test_verifying_someone_who_is_not_there_is_a_field_error(ctx, who):
    staff, area = staff_and_area()
    with pytest.raises(ValidationFailed) as error:
        verification.verify_resident(area, staff, who)
    assert error.value.field == "person"
    assert db.session.scalar(select(db.func.count(ResidentVerification.id))) == 0


def test_verifying_twice_says_so_and_keeps_one_row(ctx):
    staff, area = staff_and_area()
    ann = factories.make_user("Ann Smith")
    verification.verify_resident(area, staff, ann.email)
    with pytest.raises(ValidationFailed, match="Ann Smith is already verified as a resident of Riverside"):
        verification.verify_resident(area, staff, ann.email)


def test_only_budget_staff_verify_revoke_or_make_codes(ctx):
    _, area = staff_and_area()
    ann = factories.make_user("Ann Smith")
    for role in ("resident", "moderator"):
        someone = factories.make_user(role=role)
        with pytest.raises(PermissionDenied):
            verification.verify_resident(area, someone, ann.email)
        with pytest.raises(PermissionDenied):
            verification.generate_codes(area, someone, 3, "x")
    admin = factories.make_user(role="admin")
    row = verification.verify_resident(area, admin, ann.email)
    with pytest.raises(PermissionDenied):
        verification.revoke(row, ann, "I changed my mind")


def test_codes_are_readable_random_unique_and_only_their_hash_is_stored(ctx):
    staff, area = staff_and_area()
    codes = verification.generate_codes(area, staff, 300, "Letters, May")
    assert len(set(codes)) == 300
    assert all(CODE_SHAPE.match(code) for code in codes)
    stored = list(db.session.scalars(select(VerificationCode)))
    assert len(stored) == 300 and {c.batch for c in stored} == {"Letters, May"}
    hashes = {c.code_hash for c in stored}
    assert hashes == {hashlib.sha256(code.replace("-", "").encode()).hexdigest() for code in codes}
    # No column of any row holds a code, with or without its dashes.
    dump = " ".join(str(value) for row in db.session.execute(text("SELECT * FROM budget_verification_codes"))
                    for value in row)
    for code in codes[:50]:
        assert code not in dump and code.replace("-", "") not in dump


@pytest.mark.parametrize("count", [0, -1, 5001, None])
def test_number_of_codes_must_be_from_1_to_5000(ctx, count):
    staff, area = staff_and_area()
    with pytest.raises(ValidationFailed) as error:
        verification.generate_codes(area, staff, count, "x")
    assert error.value.field == "count"


def test_the_csv_lists_each_code_with_its_area_and_batch(ctx):
    staff, area = staff_and_area()
    codes = verification.generate_codes(area, staff, 3, "  Library  event ")
    lines = verification.codes_csv(codes, area, "  Library  event ").splitlines()
    assert lines[0] == "code,area,batch"
    assert lines[1:] == [f"{code},Riverside,Library event" for code in codes]


@pytest.mark.parametrize("typed", ["{c}", "{c_lower}", "  {c_plain} ", "{c_spaced}"])
def test_a_resident_enters_a_code_in_any_case_or_spacing(ctx, typed):
    staff, area = staff_and_area()
    [code] = verification.generate_codes(area, staff, 1, "x")
    resident = factories.make_user("Rita Resident")
    entry = typed.format(c=code, c_lower=code.lower(), c_plain=code.replace("-", ""),
                         c_spaced=" ".join(code.replace("-", "")))
    row = verification.redeem_code(resident, entry)
    assert (row.user_id, row.area_id, row.method, row.verified_by_id) == (resident.id, area.id, "code", None)
    used = db.session.scalar(select(VerificationCode))
    assert row.code_id == used.id and used.used_by_id == resident.id and used.used_at is not None
    assert is_verified_for(resident, area.id)


def test_wrong_and_used_codes_get_the_same_message(ctx):
    staff, area = staff_and_area()
    [code] = verification.generate_codes(area, staff, 1, "x")
    first, second = factories.make_user(), factories.make_user()
    verification.redeem_code(first, code)
    messages = set()
    for who, entry in ((second, code), (second, "ABCD-EFGH-JK"), (second, "0000000000"), (second, "short")):
        with pytest.raises(ValidationFailed) as error:
            verification.redeem_code(who, entry)
        assert error.value.field == "code"
        messages.add(error.value.message)
    assert messages == {verification.INVALID_CODE}
    assert not is_verified_for(second, area.id)


def test_an_already_verified_resident_does_not_use_up_a_code(ctx):
    staff, area = staff_and_area()
    codes = verification.generate_codes(area, staff, 2, "x")
    resident = factories.make_user()
    verification.redeem_code(resident, codes[0])
    with pytest.raises(ValidationFailed, match="already verified"):
        verification.redeem_code(resident, codes[1])
    assert db.session.scalar(select(db.func.count(VerificationCode.id)).where(VerificationCode.used_at.is_(None))) == 1


def test_revoking_keeps_the_record_and_stops_the_vote(ctx):
    staff, area = staff_and_area()
    setup = make_budget(area="Hillside", eligibility="verified_residents")
    resident = factories.make_user("Rita Resident")
    row = verification.verify_resident(setup.pot.area, staff, resident.email, note="Seen at the library")
    assert may_vote(resident, setup.pot)
    with pytest.raises(ValidationFailed) as error:
        verification.revoke(row, staff, "   ")
    assert error.value.field == "reason"
    verification.revoke(row, staff, "Moved away")
    kept = db.session.get(ResidentVerification, row.id)
    assert kept.revoked_at is not None and kept.revoked_by_id == staff.id
    day = kept.revoked_at.strftime("%-d %B %Y")
    assert kept.note == f"Seen at the library\nVerified {day} by Sam Staff; revoked {day} by Sam Staff: Moved away"
    assert not may_vote(resident, setup.pot)
    with pytest.raises(ValidationFailed, match="already revoked"):
        verification.revoke(kept, staff, "Again")


def test_after_revocation_a_code_does_not_reverify_but_staff_can(ctx):
    staff, area = staff_and_area()
    resident = factories.make_user("Rita Resident")
    row = verification.verify_resident(area, staff, resident.email)
    verification.revoke(row, staff, "Moved away")
    [code] = verification.generate_codes(area, staff, 1, "x")
    with pytest.raises(ValidationFailed, match="withdrawn by the council"):
        verification.redeem_code(resident, code)
    assert db.session.scalar(select(VerificationCode.used_at)) is None
    again = verification.verify_resident(area, staff, resident.email, note="Moved back")
    assert again.id == row.id and again.revoked_at is None and again.revoked_by_id is None
    assert "; revoked " in again.note and again.note.endswith("Verified again " + again.created_at.strftime("%-d %B %Y")
                                                         + " by Sam Staff: Moved back")
    assert is_verified_for(resident, area.id)


def test_verified_for_a_ward_votes_in_its_parent_areas_pot_not_the_reverse(ctx):
    staff = factories.make_user(role="civil_servant")
    city = make_budget(area="Cityshire", title="City budget", eligibility="verified_residents")
    ward = budgets.create_area("North Ward", parent=city.pot.area)
    ward_pot = budgets.create_pot(city.budget, ward, "North Ward", 10_000)
    ward_resident, city_resident = factories.make_user(), factories.make_user()
    verification.verify_resident(ward, staff, ward_resident.email)
    verification.verify_resident(city.pot.area, staff, city_resident.email)
    assert may_vote(ward_resident, city.pot) and may_vote(ward_resident, ward_pot)
    assert may_vote(city_resident, city.pot) and not may_vote(city_resident, ward_pot)
    with pytest.raises(PermissionDenied, match="Only residents verified for North Ward"):
        check_may_vote(city_resident, ward_pot)
    stranger = factories.make_user()
    assert not may_vote(stranger, city.pot)


def test_any_registered_budget_needs_no_verification(ctx):
    setup = make_budget(eligibility="any_registered")
    assert may_vote(factories.make_user(), setup.pot)


def test_area_summaries_count_current_verifications_and_codes(ctx):
    staff, area = staff_and_area()
    other = budgets.create_area("Hillside")
    people = [factories.make_user() for _ in range(3)]
    rows = [verification.verify_resident(area, staff, p.email) for p in people]
    verification.revoke(rows[0], staff, "Moved")
    codes = verification.generate_codes(area, staff, 4, "x")
    verification.redeem_code(factories.make_user(), codes[0])
    summary = {s.area.name: (s.verified, s.codes, s.codes_used) for s in verification.area_summaries()}
    assert summary == {"Riverside": (3, 4, 1), "Hillside": (0, 0, 0)}
    assert other.id


def test_two_people_entering_one_code_at_once_verify_one(app, backend):
    """On PostgreSQL, eight people race for one code: exactly one is verified and the code is used once."""
    if backend != "postgresql":
        pytest.skip("a real race needs concurrent connections (PostgreSQL)")
    import threading

    from forum.accounts.models import User

    with app.app_context():
        staff, area = staff_and_area()
        [code] = verification.generate_codes(area, staff, 1, "x")
        ids = [factories.make_user().id for _ in range(8)]
    barrier = threading.Barrier(len(ids))
    outcomes: list[str] = []

    def enter(user_id: int) -> None:
        with app.app_context():
            user = db.session.get(User, user_id)
            barrier.wait()
            try:
                with unit_of_work():  # what a request's edge does: commit the verification, or roll back
                    verification.redeem_code(user, code)
                outcomes.append("verified")
            except ValidationFailed as error:
                outcomes.append(error.message)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=enter, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == sorted(["verified"] + [verification.INVALID_CODE] * 7)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(ResidentVerification.id))) == 1
        used = db.session.scalar(select(VerificationCode))
        assert used.used_by_id == db.session.scalar(select(ResidentVerification.user_id))
