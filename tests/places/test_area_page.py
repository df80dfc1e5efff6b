"""The count of a place on its page and as open data: totals by body and purpose, per head and shares worked in
pence and integers, the year before, the prevention share, the pots residents decide with their share; charts
followed by tables; a query count that does not grow with the lines; exports that load again as they are."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest
from sqlalchemy import event

from forum.budgeting.models import Area
from forum.budgeting.services import budgets as budget_services
from forum.common import page_cache
from forum.common.money import format_pence_short, format_share
from forum.extensions import db
from forum.places import count, importing, purposes
from tests import factories
from tests.pages import read

HEADER = "area,year,body_type,body,purpose,description,amount,source,focus,illustrative"


def _load(rows: list[str], header: str = HEADER) -> None:
    parsed = importing.parse("\n".join((header, *rows)).encode())
    assert parsed.ok, parsed.problems
    importing.load(parsed, None)


@pytest.fixture
def place(app):
    """Northfield: £3 spent this year (1.00 + 1.00 + 0.50 + 0.50) by three bodies, £2 last year; 3 people."""
    with app.app_context():
        area = budget_services.create_area("Northfield")
        _load([
            "Northfield,2025-26,council,Council,10.2,Care for older people,1.00,Accounts,treatment,",
            "Northfield,2025-26,nhs,NHS,07.3,Hospitals,1.00,ICB,treatment,",
            "Northfield,2025-26,nhs,NHS,07.4,Screening,0.50,ICB,prevention,",
            "Northfield,2025-26,police,Police,03.1,Patrols,0.50,Police,,",
            "Northfield,2024-25,council,Council,10.2,Care for older people,2.00,Accounts,,",
        ])
        _load(["Northfield,2025-26,3,Census"], header="area,year,population,source")
        staff = factories.make_user("Priya Staff", role="civil_servant")
        budget = budget_services.create_budget("Northfield decides", "A pot.", created_by=staff,
                                               voting_from=datetime(2025, 11, 1))
        budget_services.create_pot(budget, area, "Northfield", 75)  # 75p of £3: 25%
        old = budget_services.create_budget("Last year's pot", "Old.", created_by=staff,
                                            voting_from=datetime(2025, 3, 1))  # March 2025: the year 2024-25
        budget_services.create_pot(old, area, "Northfield", 10)
        db.session.commit()
        return area.slug


def test_shares_and_per_head_are_integers_rounded_half_up():
    assert count.share_bp(1, 3) == 3333 and count.share_bp(2, 3) == 6667 and count.share_bp(1, 8) == 1250
    assert count.share_bp(1, 0) is None and count.share_bp(0, 5) == 0
    assert count.per_head(100, 3) == 33 and count.per_head(200, 3) == 67 and count.per_head(5, 2) == 3
    assert count.per_head(10**15 + 1, 2) == 5 * 10**14 + 1, "no float anywhere near a city's budget"
    assert format_share(3) == "0.03%" and format_share(1250) == "12.5%" and format_share(1255) == "12.6%"
    assert format_share(-405, signed=True) == "−4.1%" and format_share(10000, signed=True) == "+100.0%"
    assert format_pence_short(331_800_000_00) == "£331.8m" and format_pence_short(1_250_000_000_00) == "£1.3bn"
    assert format_pence_short(45_000_00) == "£45k" and format_pence_short(9_999_00) == "£9,999"
    assert count.year_of(datetime(2026, 3, 31)) == 2025 and count.year_of(datetime(2026, 4, 1)) == 2026


def test_the_count_adds_up(app, place):
    with app.app_context():
        counted = count.count_for(db.session.query(Area).filter_by(slug=place).one())
        assert (counted.year, counted.years, counted.total, counted.last_year_total) == (2025, [2025, 2024], 300, 200)
        assert counted.per_head == 100 and counted.change == 5000  # +50.00%
        assert [(s.key, s.pence, s.share, s.per_head, s.last_year_pence) for s in counted.by_body] == [
            ("nhs", 150, 5000, 50, 0), ("council", 100, 3333, 33, 200), ("police", 50, 1667, 17, 0)]
        purposes = {s.key: s for s in counted.by_purpose}
        assert (purposes["07"].pence, [(c.key, c.pence) for c in purposes["07"].children]) == (
            150, [("07.3", 100), ("07.4", 50)])
        assert purposes["10"].last_year_pence == 200 and purposes["10"].change == -5000
        assert (counted.focus_all.prevention, counted.focus_all.treatment, counted.focus_all.share) == (50, 200, 2000)
        assert [(d.pot.amount_pence, d.share) for d in counted.pots] == [(75, 2500)], "only this year's pot"
        assert counted.decided == 75 and counted.decided_share == 2500


def test_the_area_page_shows_the_count_at_a_glance(app, client, place):
    page = read(client.get(f"/places/{place}/"))
    assert "Residents decide £0.75 of the £3 spent in Northfield in 2025-26: 25.0%." in page.text("#decided")
    summary = page.text(".govuk-summary-list")
    assert "£1, for 3 people" in summary and "+50.0% (from £2)" in summary
    assert "20.0% of the spending marked as prevention or treatment" in summary
    charts = page.select(".pb-bars[role=img]")
    assert len(charts) == 2
    for chart in charts:
        title, desc = chart["aria-labelledby"].split()
        assert page.text(f"#{title}") and "The table after the chart" in page.text(f"#{desc}")
        assert chart.find_next_sibling("table") is not None, "each chart is followed by its table"
    assert page.texts(".forum-count-lines tbody th .govuk-\\!-font-weight-bold") == [
        "Care for older people", "Hospitals", "Screening", "Patrols"], "this year's lines, largest first"
    assert "Other years: 2024-25" in page.text(".forum-year-links")
    assert "illustrative" not in page.text("main").lower()


def test_another_year_and_bad_years(app, client, place):
    last = read(client.get(f"/places/{place}/?year=2024"))
    assert "Public spending in Northfield" in last.text("h1") and "2024-25" in last.text(".govuk-caption-l")
    assert "Residents decide £0.10 of the £2 spent in Northfield in 2024-25: 5.0%." in last.text("#decided")
    assert client.get(f"/places/{place}/?year=20x4").status_code == 400
    assert client.get(f"/places/{place}/?year=1999").status_code == 404
    assert client.get("/places/nowhere/").status_code == 404


def test_an_area_without_a_count_says_so_and_the_index_lists_counted_areas(app, client, place):
    with app.app_context():
        budget_services.create_area("Quiet Ward")
        db.session.commit()
    assert "There is no count of public spending in Quiet Ward yet." in read(client.get("/places/quiet-ward/")).text(
        "main")
    index = read(client.get("/places/"))
    assert index.texts("tbody th") == ["Northfield"] and "£1" in index.text("tbody")


def test_illustrative_figures_are_labelled(app, client, place):
    with app.app_context():
        _load(["Northfield,2025-26,fire,Fire,03.2,Engines,1.00,Made up,,yes"])
        db.session.commit()
    assert "These figures are illustrative" in read(client.get(f"/places/{place}/")).text(".govuk-warning-text")


def test_the_page_query_count_does_not_grow_with_the_lines(app, client, place):
    def queries() -> int:
        statements: list[str] = []
        with app.app_context():
            engine = db.engine

        def listener(*args):
            statements.append(args[2])

        page_cache.clear(app)
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get(f"/places/{place}/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    few = queries()
    with app.app_context():
        codes = [code for code in purposes.PURPOSES if "." in code]
        _load([f"Northfield,2025-26,other,Body {n},{codes[n % len(codes)]},Line {n},{n}.00,Source {n},,"
               for n in range(1, 120)])
        db.session.commit()
    assert queries() == few <= 9, "area, years, lines by group, population, pots, a page of lines and its count"


def test_exports_load_again_as_they_are(app, client, place):
    spending = client.get(f"/places/{place}/spending.csv")
    assert spending.headers["Content-Disposition"] == 'attachment; filename="northfield-spending.csv"'
    rows = list(csv.DictReader(io.StringIO(spending.get_data(as_text=True))))
    assert len(rows) == 5 and rows[0]["amount"] in ("1.00", "0.50", "2.00")
    document = json.loads(client.get(f"/places/{place}/count.json").get_data())
    assert sum(line["amount_pence"] for line in document["lines"] if line["year"] == "2025-26") == 300
    assert document["populations"] == [{"year": "2025-26", "population": 3, "source": "Census"}]
    with app.app_context():
        before = count.count_for(db.session.query(Area).filter_by(slug=place).one())
        parsed = importing.parse(spending.get_data())
        assert parsed.ok, parsed.problems
        importing.load(parsed, None)
        db.session.commit()
        after = count.count_for(db.session.query(Area).filter_by(slug=place).one())
        assert (after.total, after.last_year_total, [(s.key, s.pence) for s in after.by_purpose]) == (
            before.total, before.last_year_total, [(s.key, s.pence) for s in before.by_purpose])
    population = client.get(f"/places/{place}/population.csv").get_data(as_text=True)
    assert population.splitlines() == ["area,year,population,source", "northfield,2025-26,3,Census"]
