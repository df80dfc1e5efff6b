"""Loading a count from CSV (forum.places.importing): a good file loads exactly (pence, not floats) and loading it
again replaces rather than doubles; every kind of bad row is named with its line and reason, and nothing at all
is loaded from a file with any problem; through the web only budget staff may load one."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from forum.budgeting.services import budgets as budget_services
from forum.extensions import db
from forum.places import importing
from forum.places.models import AreaPopulation, SpendingLine
from tests import factories
from tests.pages import read
from tests.people import new_person, sign_in

HEADER = "area,year,body_type,body,purpose,description,amount,source,focus,illustrative"
GOOD = [
    "Northfield,2025-26,council,Birmingham City Council,10.2,Adult social care,\"£1,234,567.89\",Council accounts,"
    "treatment,no",
    "northfield,2025,nhs,NHS Birmingham,07.3,Hospital care,41200000,ICB allocations,,",
    "Selly Oak,2025/26,Police,West Midlands Police,3.1,Neighbourhood policing,9800000.5,Police budget,prevention,yes",
]


@pytest.fixture
def areas(app):
    with app.app_context():
        budget_services.create_area("Northfield")
        budget_services.create_area("Selly Oak")
        db.session.commit()


def _file(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join((header, *rows)).encode()


def _lines(app) -> list[tuple]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(SpendingLine.year, SpendingLine.body_kind, SpendingLine.purpose, SpendingLine.amount_pence,
                   SpendingLine.focus, SpendingLine.illustrative, SpendingLine.line_number)
            .order_by(SpendingLine.line_number))]


def _load(app, data: bytes) -> importing.Parsed:
    with app.app_context():
        parsed = importing.parse(data)
        if parsed.ok:
            importing.load(parsed, None)
        db.session.commit()
        return parsed


def test_a_good_file_loads_to_the_penny(app, areas):
    parsed = _load(app, _file(*GOOD))
    assert parsed.ok and parsed.kind == importing.SPENDING
    assert _lines(app) == [
        (2025, "council", "10.2", 123_456_789, "treatment", False, 2),
        (2025, "nhs", "07.3", 4_120_000_000, None, False, 3),
        (2025, "police", "03.1", 980_000_050, "prevention", True, 4),
    ]


def test_loading_again_replaces_that_area_and_year_and_leaves_the_others(app, areas):
    _load(app, _file(*GOOD, "Northfield,2024-25,council,Birmingham City Council,09.1,Primary schools,100,Accounts,,"))
    corrected = GOOD[1].replace("41200000", "41000000")
    _load(app, _file(corrected))
    lines = _lines(app)
    northfield_2025 = [line for line in lines if line[0] == 2025 and line[1] in ("council", "nhs")]
    assert northfield_2025 == [(2025, "nhs", "07.3", 4_100_000_000, None, False, 2)], "replaced, not doubled"
    assert (2025, "police", "03.1", 980_000_050, "prevention", True, 4) in lines, "Selly Oak is untouched"
    assert any(line[0] == 2024 for line in lines), "Northfield's other year is untouched"


BAD_ROWS = [
    ("Nowhere,2025-26,council,A council,10.2,Care,100,Accounts,,", "there is no area “Nowhere”"),
    ("Northfield,2025-27,council,A council,10.2,Care,100,Accounts,,", "does not run into the next one"),
    ("Northfield,20x5,council,A council,10.2,Care,100,Accounts,,", "is not a financial year like 2025-26"),
    ("Northfield,1850-51,council,A council,10.2,Care,100,Accounts,,", "outside 1990-91"),
    ("Northfield,2025-26,bank,A council,10.2,Care,100,Accounts,,", "body type “bank” is not one of"),
    ("Northfield,2025-26,council,,10.2,Care,100,Accounts,,", "the body is empty"),
    ("Northfield,2025-26,council,A council,99,Care,100,Accounts,,", "purpose “99” is not a COFOG code"),
    ("Northfield,2025-26,council,A council,7.9,Care,100,Accounts,,", "purpose “7.9” is not a COFOG code"),
    ("Northfield,2025-26,council,A council,10.2,,100,Accounts,,", "the description is empty"),
    ("Northfield,2025-26,council,A council,10.2,Care,lots,Accounts,,", "amount “lots” is not a number"),
    ("Northfield,2025-26,council,A council,10.2,Care,-5,Accounts,,", "is negative"),
    ("Northfield,2025-26,council,A council,10.2,Care,1.234,Accounts,,", "more than two decimal places"),
    ("Northfield,2025-26,council,A council,10.2,Care,NaN,Accounts,,", "is not a number of pounds"),
    ("Northfield,2025-26,council,A council,10.2,Care,1e15,Accounts,,", "more than any area spends"),
    ("Northfield,2025-26,council,A council,10.2,Care,100,,,", "the source is empty"),
    ("Northfield,2025-26,council,A council,10.2,Care,100,Accounts,maybe,", "focus “maybe” is not prevention"),
    ("Northfield,2025-26,council,A council,10.2,Care,100,Accounts,,perhaps", "write yes or no"),
    ("Northfield,2025-26,council,A council,10.2,=HYPERLINK(\"x\"),100,Accounts,,", "as a spreadsheet formula"),
    ("Northfield,2025-26,council," + "B" * 201 + ",10.2,Care,100,Accounts,,", "longer than 200 characters"),
    ("Northfield,2025-26,council,A council,10.2,Care,100", "it has 7 cells where the header has 10"),
    (GOOD[0], "it repeats line 2"),
]


@pytest.mark.parametrize("row,said", BAD_ROWS, ids=[said for _row, said in BAD_ROWS])
def test_every_bad_row_is_named_with_its_line_and_nothing_is_loaded(app, areas, row, said):
    parsed = _load(app, _file(GOOD[0], GOOD[1], row, GOOD[2]))
    assert not parsed.ok
    assert [(p.line, said in p.message) for p in parsed.problems] == [(4, True)], parsed.problems
    assert _lines(app) == [], "the good rows are not loaded either"


def test_a_row_with_several_problems_names_each_and_lines_count_quoted_line_breaks(app, areas):
    parsed = _load(app, _file('Northfield,2025-26,council,A council,10.2,"Care\nover two lines",100,Accounts,,',
                              "Nowhere,2025-27,bank,,99,Care,lots,,,"))
    assert [p.line for p in parsed.problems] == [4] * 7, parsed.problems


@pytest.mark.parametrize("data,said", [
    ("area,year,amount\nNorthfield,2025-26,£5".encode("cp1252"), "not UTF-8"),
    (b"", "the file is empty"),
    (b"area,year,cost\n", "neither an amount column"),
    (b"area,year,amount,source\n", "columns missing: body_type, body, purpose, description"),
    (HEADER.encode() + b",colour\n", "columns not known: colour"),
    (HEADER.encode() + b",area\n", "columns repeated: area"),
    (HEADER.encode() + b"\n\n", "a header but no rows"),
])
def test_a_file_that_cannot_be_a_count_says_why(app, areas, data, said):
    parsed = _load(app, data)
    assert not parsed.ok and said in parsed.problems[0].message and parsed.problems[0].line == 1 + ("no rows" in said)


def test_population_files(app, areas):
    header = "area,year,population,source"
    assert _load(app, _file("Northfield,2025-26,\"24,600\",ONS mid-year estimate", header=header)).ok
    bad = _load(app, _file("Northfield,2025-26,0,ONS", "Selly Oak,2025-26,12.5,ONS", "Selly Oak,2024-25,27000,ONS",
                           "selly-oak,2024-25,27100,ONS", header=header))
    assert [(p.line, p.message.split(" ")[0:2]) for p in bad.problems] == [
        (2, ["the", "population"]), (3, ["the", "population"]), (5, ["it", "repeats"])]
    with app.app_context():
        assert db.session.scalars(select(AreaPopulation.population)).all() == [24_600]


def _upload(client, data: bytes, name: str = "count.csv"):
    """POST the file as a browser would, encoded in memory (the test client spools a large body to a temporary
    file it never closes)."""
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), filename=name)})
    return client.post("/places/import", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_budget_staff_load_a_file_through_the_page(app, client, areas):
    sign_in(client, new_person(app, "Cal Servant", role="civil_servant"))
    assert read(client.get("/places/import")).has('input[type="file"][name="file"]')
    response = _upload(client, _file(*GOOD))
    assert response.status_code == 302 and response.headers["Location"].endswith("/places/northfield/?year=2025")
    page = read(client.get(response.headers["Location"]))
    banner = page.text(".govuk-notification-banner")
    assert "Loaded 3 spending rows for Northfield 2025-26, Selly Oak 2025-26." in banner
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SpendingLine)) == 3


def test_a_file_with_problems_comes_back_with_every_problem_listed(app, client, areas):
    sign_in(client, new_person(app, "Cal Servant", role="civil_servant"))
    page = read(_upload(client, _file(GOOD[0], BAD_ROWS[0][0], BAD_ROWS[9][0])))
    assert "The file has 2 problems, listed below: nothing was loaded" in page.text(".govuk-error-summary")
    assert page.texts("#problems tbody tr td:first-child") == ["3", "4"]
    assert _lines(app) == []
    empty = read(client.post("/places/import", data={}, content_type="multipart/form-data"))
    assert "Choose a CSV file to upload" in empty.text(".govuk-error-summary")


@pytest.mark.parametrize("role", [None, "resident", "moderator"])
def test_only_budget_staff_may_load_a_count(app, client, areas, role):
    if role:
        sign_in(client, new_person(app, role=role))
    assert client.get("/places/import").status_code == (302 if role is None else 403)
    assert _upload(client, _file(*GOOD)).status_code == (302 if role is None else 403)
    assert _lines(app) == []


def test_an_admin_may_load_one_too(app, client, areas):
    with app.app_context():
        admin = factories.make_user("Ada Admin", role="admin")
        session_id = factories.sign_in_id(admin)
    sign_in(client, session_id)
    assert _upload(client, _file(*GOOD)).status_code == 302


def test_a_city_sized_file_of_two_megabytes_loads_through_the_page(app, client, areas):
    """Above the 1 MB every other form takes: the import's own limit is 10 MB."""
    sign_in(client, new_person(app, "Cal Servant", role="civil_servant"))
    rows = [f"Northfield,2025-26,other,Body {n},0{1 + n % 9}.1,{'Line ' + str(n) + ' ' + 'x' * 250},{n}.25,Src,,"
            for n in range(1, 6001)]
    data = _file(*rows)
    assert len(data) > 1_800_000
    response = _upload(client, data)
    assert response.status_code == 302, response.status_code
    with app.app_context():
        total = db.session.scalar(select(func.sum(SpendingLine.amount_pence)))
    assert total == sum(n * 100 + 25 for n in range(1, 6001))
    too_big = _upload(client, b"x" * (11 * 1024 * 1024))
    assert too_big.status_code == 413
