"""The verification pages: staff list areas, verify and revoke residents, make codes; residents enter codes."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pytest
from sqlalchemy import select, text

from forum.budgeting.models import ResidentVerification, VerificationCode
from forum.budgeting.services import budgets, verification
from forum.budgeting.services.eligibility import may_vote
from forum.extensions import db
from tests import factories
from tests.budgeting.support import make_budget
from tests.query_counting import counting_queries
from tests.threads.support import Person, person, sign_in, sign_out


@dataclass
class World:
    staff: Person
    admin: Person
    moderator: Person
    resident: Person
    other: Person
    area_slug: str
    pot_id: int


@pytest.fixture
def world(app) -> World:
    with app.app_context():
        staff = factories.make_user("Sam Staff", role="civil_servant", organisation="Council")
        admin = factories.make_user("Ada Admin", role="admin")
        moderator = factories.make_user("Mo Moderator", role="moderator")
        resident = factories.make_user("Rita Resident", email="rita@example.org")
        other = factories.make_user("Olly Other")
        setup = make_budget(area="Riverside", eligibility="verified_residents")
        return World(person(staff), person(admin), person(moderator), person(resident), person(other),
                     setup.pot.area.slug, setup.pot.id)


def residents_url(world: World) -> str:
    return f"/budgets/areas/{world.area_slug}/residents"


def codes_url(world: World) -> str:
    return f"/budgets/areas/{world.area_slug}/codes"


def can_vote(app, who: Person, pot_id: int) -> bool:
    with app.app_context():
        from forum.accounts.models import User
        from forum.budgeting.models import Pot

        return may_vote(db.session.get(User, who.id), db.session.get(Pot, pot_id))


def staff_urls(world: World) -> list[str]:
    return ["/budgets/areas", residents_url(world), codes_url(world)]


def test_staff_pages_are_for_budget_staff_only(app, client, world):
    for url in staff_urls(world):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), url
    for who in (world.resident, world.moderator):
        sign_in(client, who)
        for url in staff_urls(world):
            assert client.get(url).status_code == 403, url
        assert client.post(residents_url(world), data={"person": "rita@example.org"}).status_code == 403
        assert client.post(codes_url(world), data={"count": "5", "batch": "x"}).status_code == 403
    for who in (world.staff, world.admin):
        sign_in(client, who)
        for url in staff_urls(world):
            assert client.get(url).status_code == 200, url
    with app.app_context():
        assert db.session.scalar(select(db.func.count(VerificationCode.id))) == 0
        assert db.session.scalar(select(db.func.count(ResidentVerification.id))) == 0


def test_verify_one_by_one_then_revoke_with_a_reason(app, client, world):
    sign_in(client, world.staff)
    response = client.post(residents_url(world), data={"person": "RITA@example.org", "note": "Bill seen"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Rita Resident is now verified as a resident of Riverside." in page
    assert "By Sam Staff" in page and "Bill seen" in page and "Verified" in page
    assert can_vote(app, world.resident, world.pot_id)

    page = client.post(residents_url(world), data={"person": "rita-resident"}).get_data(as_text=True)
    assert "Rita Resident is already verified as a resident of Riverside" in page
    assert 'class="govuk-error-summary"' in page and 'value="rita-resident"' in page

    with app.app_context():
        row_id = db.session.scalar(select(ResidentVerification.id))
    revoke_url = f"{residents_url(world)}/{row_id}/revoke"
    assert f'href="{revoke_url}"' in page
    page = client.post(revoke_url, data={"reason": ""}).get_data(as_text=True)
    assert "Explain why the verification is revoked" in page
    response = client.post(revoke_url, data={"reason": "Moved to Hillside"})
    assert response.status_code == 302
    page = client.get(residents_url(world)).get_data(as_text=True)
    assert "Revoked" in page and "Moved to Hillside" in page and "Rita Resident" in page
    assert not can_vote(app, world.resident, world.pot_id)
    assert "already revoked" in client.get(revoke_url).get_data(as_text=True)
    assert client.post(revoke_url, data={"reason": "again"}).status_code == 200  # shown, nothing changes


def test_verifying_an_unknown_person_is_a_field_error_with_the_text_kept(client, world):
    sign_in(client, world.staff)
    page = client.post(residents_url(world), data={"person": "nobody@example.org", "note": "kept note"})
    text_ = page.get_data(as_text=True)
    assert page.status_code == 200
    assert text_.count("There is no one with that email address or handle on the forum") == 2
    assert 'href="#person"' in text_ and 'value="nobody@example.org"' in text_ and 'value="kept note"' in text_


def test_unknown_area_and_verification_are_404(client, world):
    sign_in(client, world.staff)
    assert client.get("/budgets/areas/nowhere/residents").status_code == 404
    assert client.get("/budgets/areas/nowhere/codes").status_code == 404
    assert client.get(f"{residents_url(world)}/999/revoke").status_code == 404


def _download(client, world: World, count: int, batch: str) -> list[dict[str, str]]:
    response = client.post(codes_url(world), data={"count": str(count), "batch": batch})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="verification-codes-riverside-')
    assert response.headers["Cache-Control"] == "no-store"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_codes_download_once_as_csv_work_once_and_are_not_stored(app, client, world):
    sign_in(client, world.staff)
    page = client.get(codes_url(world)).get_data(as_text=True)
    assert "You get the codes once" in page and "cannot show them again" in page
    rows = _download(client, world, 25, "Letters May 2027")
    assert len(rows) == 25 and {(r["area"], r["batch"]) for r in rows} == {("Riverside", "Letters May 2027")}
    page = client.get(codes_url(world)).get_data(as_text=True)
    assert "Letters May 2027" in page and "Sam Staff" in page
    with app.app_context():
        dump = " ".join(str(v) for row in db.session.execute(text("SELECT * FROM budget_verification_codes"))
                        for v in row)
    assert not any(r["code"] in dump or r["code"].replace("-", "") in dump for r in rows)
    assert rows[0]["code"] not in page

    sign_in(client, world.resident)
    response = client.post("/budgets/verify", data={"code": rows[0]["code"].lower().replace("-", " ")})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You are verified as a resident of Riverside" in page
    assert can_vote(app, world.resident, world.pot_id)

    sign_in(client, world.other)
    page = client.post("/budgets/verify", data={"code": rows[0]["code"]}).get_data(as_text=True)
    assert page.count(verification.INVALID_CODE) == 2 and 'href="#code"' in page
    assert f'value="{rows[0]["code"]}"' in page
    assert not can_vote(app, world.other, world.pot_id)
    assert client.post("/budgets/verify", data={"code": rows[1]["code"]}).status_code == 302
    assert can_vote(app, world.other, world.pot_id)

    sign_in(client, world.staff)
    page = client.get("/budgets/areas").get_data(as_text=True)
    assert "Riverside" in page and ">25<" in page and ">2<" in page


@pytest.mark.parametrize(("data", "message"), [
    ({"count": "0", "batch": "x"}, "Enter a number of codes from 1 to 5,000"),
    ({"count": "5001", "batch": "x"}, "Enter a number of codes from 1 to 5,000"),
    ({"count": "many", "batch": "x"}, "Enter a number of codes from 1 to 5,000"),
    ({"count": "5", "batch": ""}, "Enter a name for this batch"),
])
def test_bad_code_requests_are_field_errors(app, client, world, data, message):
    sign_in(client, world.staff)
    response = client.post(codes_url(world), data=data)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(VerificationCode.id))) == 0


def test_enter_code_page_needs_sign_in_and_explains(client, world):
    for method in (client.get, client.post):
        response = method("/budgets/verify")
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    sign_in(client, world.resident)
    page = client.get("/budgets/verify").get_data(as_text=True)
    assert "Verification code" in page and "You are not verified as a resident of any area yet." in page
    page = client.post("/budgets/verify", data={"code": "  "}).get_data(as_text=True)
    assert "Enter the verification code you were sent" in page


def test_the_residents_page_query_count_does_not_grow(app, client, world):
    sign_in(client, world.staff)

    def count() -> int:
        client.get(residents_url(world))
        with counting_queries(app) as statements:
            assert client.get(residents_url(world)).status_code == 200
        return len(statements)

    def add(n: int) -> None:
        with app.app_context():
            from forum.accounts.models import User

            staff = db.session.get(User, world.staff.id)
            area = verification.area_by_slug(world.area_slug)
            for _ in range(n):
                row = verification.verify_resident(area, staff, factories.make_user().email)
            verification.revoke(row, staff, "Moved")
            budgets.create_area(f"Area {n}")

    add(2)
    small = count()
    add(30)
    assert count() == small
    sign_out(client)


@pytest.fixture
def app_config(request) -> dict:
    return getattr(request, "param", {})


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True, "RATELIMIT_VERIFY_CODE": "3 per hour"}],
                         indirect=True)
def test_entering_codes_is_rate_limited_per_person(client, world):
    sign_in(client, world.resident)
    for _ in range(3):
        assert client.post("/budgets/verify", data={"code": "ABCD-EFGH-JK"}).status_code == 200
    response = client.post("/budgets/verify", data={"code": "ABCD-EFGH-JK"})
    assert response.status_code == 429 and "Too many attempts" in response.get_data(as_text=True)
    sign_in(client, world.other)
    assert client.post("/budgets/verify", data={"code": "ABCD-EFGH-JK"}).status_code == 200
