"""An illustrative count of public spending in Northfield and Selly Oak (marked illustrative on every line, and so
on the page), loaded through the same CSV import staff use: this year and last, with populations.

The shape follows HM Treasury's Country and Regional Analysis and the Total Place pilots: benefits and pensions,
the NHS, schools, the council's care and services, police and fire, about £10,000 a head. The prevention and
treatment marks echo Birmingham's finding that almost all health and employment money treats problems.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy import select

from forum.budgeting.models import Area
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.places import count, importing
from forum.places.models import LineThread, SpendingLine
from forum.threads.models import Thread

SOURCE = "Illustrative figures for the demo, shaped like HM Treasury's Country and Regional Analysis (not real data)"
COUNCIL = "Birmingham City Council"
NHS = "NHS Birmingham and Solihull Integrated Care Board"
# (body type, body, purpose, description, thousands of pounds in Northfield this year, focus)
LINES: list[tuple[str, str, str, str, int, str]] = [
    ("dwp", "Department for Work and Pensions", "10.2", "State Pension paid to residents", 78_000, ""),
    ("dwp", "Department for Work and Pensions", "10.5", "Universal Credit for people out of work", 21_500, "treatment"),
    ("dwp", "Department for Work and Pensions", "04.1", "Jobcentre work coaches and employment support", 1_400,
     "prevention"),
    ("dwp", "Department for Work and Pensions", "10.1", "Disability and carers' benefits", 19_800, ""),
    ("dwp", "Department for Work and Pensions", "10.6", "Housing Benefit", 14_600, ""),
    ("nhs", NHS, "07.3", "Hospital care for residents", 41_200, "treatment"),
    ("nhs", NHS, "07.2", "GP practices and community clinics", 12_600, "treatment"),
    ("nhs", NHS, "07.1", "Prescriptions", 6_300, "treatment"),
    ("nhs", NHS, "07.4", "Vaccination and screening", 900, "prevention"),
    ("council", COUNCIL, "07.4", "Public health: stop smoking, drug and alcohol services, health visitors", 2_100,
     "prevention"),
    ("schools", "Northfield's schools and academies", "09.1", "Primary schools", 24_500, ""),
    ("schools", "Northfield's schools and academies", "09.2", "Secondary schools", 22_800, ""),
    ("council", COUNCIL, "09.6", "Home-to-school transport and free school meals", 2_200, ""),
    ("council", COUNCIL, "10.2", "Adult social care for older people", 16_400, "treatment"),
    ("council", COUNCIL, "10.1", "Adult social care for people with disabilities", 12_100, "treatment"),
    ("council", COUNCIL, "10.4", "Children's social care and children in care", 11_700, "treatment"),
    ("council", COUNCIL, "10.4", "Family hubs and early help", 1_600, "prevention"),
    ("council", COUNCIL, "10.7", "Temporary accommodation for homeless households", 3_400, "treatment"),
    ("council", COUNCIL, "10.7", "Homelessness prevention advice", 800, "prevention"),
    ("council", COUNCIL, "06.1", "Council housing repairs and improvements", 8_900, ""),
    ("council", COUNCIL, "05.1", "Bin collections and recycling", 3_100, ""),
    ("council", COUNCIL, "04.5", "Roads, pavements and street repairs", 4_200, ""),
    ("other", "Transport for West Midlands", "04.5", "Buses and local rail", 3_600, ""),
    ("council", COUNCIL, "06.4", "Street lighting", 700, ""),
    ("council", COUNCIL, "08.1", "Parks, leisure centres and sport", 1_900, ""),
    ("council", COUNCIL, "08.2", "Libraries and community arts", 900, ""),
    ("police", "West Midlands Police", "03.1", "Neighbourhood and response policing", 9_800, "treatment"),
    ("police", "West Midlands Police", "03.1", "Youth diversion and crime prevention", 600, "prevention"),
    ("fire", "West Midlands Fire Service", "03.2", "Fire and rescue response", 2_400, "treatment"),
    ("fire", "West Midlands Fire Service", "03.2", "Home fire safety visits", 300, "prevention"),
    ("council", COUNCIL, "01.3", "Council tax, benefits administration and elections", 1_500, ""),
]
# Selly Oak: more students (a university next door), fewer pensioners; populations are illustrative too.
PLACES = {"Northfield": (24_600, 1.0), "Selly Oak": (27_300, 0.93)}
EXTRA = {"Selly Oak": [("other", "Student Loans Company", "09.4", "Student support for residents", 14_200, "")]}


def _rows(place: str, year: int) -> list[list[Any]]:
    _people, scale = PLACES[place]
    rows = []
    for number, (kind, body, purpose, description, thousands, focus) in enumerate(LINES + EXTRA.get(place, [])):
        if place == "Selly Oak" and purpose == "10.2":
            thousands = thousands * 6 // 10
        # Last year: a little less, by a different step on each line, so the comparison shows movement.
        this_year = year == count.year_of(utcnow())
        factor = 1.0 if this_year else 0.93 + (number % 7) / 100
        pounds = round(thousands * 1000 * scale * factor)
        rows.append([place, f"{year}-{(year + 1) % 100:02d}", kind, body.replace("Northfield", place), purpose,
                     description, pounds, SOURCE, focus, "yes"])
    return rows


def csv_files() -> tuple[bytes, bytes]:
    """The demo's spending file and population file, as staff would upload them."""
    year = count.year_of(utcnow())
    spending, population = io.StringIO(), io.StringIO()
    writer = csv.writer(spending)
    writer.writerow(importing.COLUMNS[importing.SPENDING]["required"]
                    + importing.COLUMNS[importing.SPENDING]["optional"])
    for place in PLACES:
        for each_year in (year, year - 1):
            writer.writerows(_rows(place, each_year))
    people = csv.writer(population)
    people.writerow(importing.COLUMNS[importing.POPULATION]["required"])
    for place, (residents, _scale) in PLACES.items():
        for each_year, drift in ((year, 0), (year - 1, -150)):
            people.writerow([place, f"{each_year}-{(each_year + 1) % 100:02d}", residents + drift,
                             "Illustrative: a ward-sized population for the demo"])
    return spending.getvalue().encode(), population.getvalue().encode()


# The demo's threads that discuss a line of Northfield's count this year: thread title -> line descriptions.
DISCUSSED = {
    "Mapping every pound in Northfield": ["Hospital care for residents", "Family hubs and early help"],
    "Library opening hours": ["Libraries and community arts"],
    "Leadership lessons from the Total Place pilots": ["Jobcentre work coaches and employment support"],
}


def load_count() -> None:
    """Load both files through the staff import (which checks them whole), then link the demo's threads about
    Northfield's spending to the lines they discuss."""
    for data in csv_files():
        parsed = importing.parse(data)
        if not parsed.ok:
            raise RuntimeError(f"the demo's count has problems: {parsed.problems[:3]}")
        importing.load(parsed, None)
    year = count.year_of(utcnow())
    for title, descriptions in DISCUSSED.items():
        thread = db.session.scalar(select(Thread).where(Thread.title == title))
        lines = db.session.scalars(select(SpendingLine).join(Area).where(
            Area.name == "Northfield", SpendingLine.year == year, SpendingLine.description.in_(descriptions)))
        for line in lines:
            if thread is not None:
                db.session.add(LineThread(line_id=line.id, thread_id=thread.id, linked_by_id=thread.author_id))
    db.session.flush()
