"""Reading a count from CSV (docs/places.md describes the two files): every bad row named with its line and
reason, and nothing kept from a file with any error.

A spending file replaces, for each area and year it has lines for, every line of that area and year: loading a
corrected file again gives the corrected count, never a double one. A line already there (same body, purpose and
description) is updated in place, so the discussions linked to it stay linked. A population file sets the population of
each area and year it names. Both are checked whole before anything is written.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from forum.audit import services as audit
from forum.budgeting.models import Area
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.places import purposes
from forum.places.models import AreaPopulation, BodyKind, Focus, SpendingLine, financial_year

SPENDING, POPULATION = "spending", "population"
COLUMNS = {
    SPENDING: {"required": ("area", "year", "body_type", "body", "purpose", "description", "amount", "source"),
               "optional": ("focus", "illustrative")},
    POPULATION: {"required": ("area", "year", "population", "source"), "optional": ("illustrative",)},
}
MAX_ROWS = 50_000
MAX_POUNDS = Decimal(10) ** 12  # a trillion pounds: more than the whole country spends in a year
LENGTHS = {"body": 200, "description": 300, "source": 500}
# Text starting so is run as a formula by spreadsheets that open the exported file: refused at the door.
FORMULA_STARTS = ("=", "+", "@", "\t", "\r")
YES, NO = ("yes", "y", "true", "1"), ("", "no", "n", "false", "0")


@dataclass(frozen=True)
class Problem:
    line: int  # 1 is the header row
    message: str


@dataclass
class Parsed:
    kind: str | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _header(names: list[str]) -> list[str]:
    return [name.strip().lower().replace(" ", "_").replace("-", "_") for name in names]


def _kind_of(header: list[str]) -> str | None:
    if "population" in header:
        return POPULATION
    if "amount" in header:
        return SPENDING
    return None


def _year(text: str) -> int | str:
    """2025, "2025-26" or "2025/26" -> 2025; a message otherwise."""
    text = text.strip()
    first, sep, second = text.replace("/", "-").partition("-")
    if not first.isdigit() or len(first) != 4 or (sep and not second.isdigit()):
        return f"the year “{text}” is not a financial year like 2025-26"
    year = int(first)
    if sep and int(second) % 100 != (year + 1) % 100:
        return f"the year “{text}” does not run into the next one (2025-26 is one year)"
    if not 1990 <= year <= 2100:
        return f"the year “{text}” is outside 1990-91 to 2100-01"
    return year


def _pence(text: str) -> int | str:
    cleaned = text.strip().replace(",", "").replace("£", "").replace(" ", "")
    try:
        pounds = Decimal(cleaned)
    except InvalidOperation:
        return f"the amount “{text.strip()}” is not a number of pounds, like 1250000 or £1,250,000.50"
    if not pounds.is_finite():
        return f"the amount “{text.strip()}” is not a number of pounds"
    if pounds < 0:
        return f"the amount “{text.strip()}” is negative: a count holds what is spent, not income"
    if pounds != pounds.quantize(Decimal("0.01")):
        return f"the amount “{text.strip()}” has more than two decimal places"
    if pounds >= MAX_POUNDS:
        return f"the amount “{text.strip()}” is more than any area spends"
    return int(pounds * 100)


def _whole_number(text: str) -> int | None:
    cleaned = text.strip().replace(",", "").replace(" ", "")
    return int(cleaned) if cleaned.isdigit() else None


class _Reader:
    """Checks one row at a time; what it says goes into ``problems`` with the row's line."""

    def __init__(self, kind: str, areas: dict[str, Area]) -> None:
        self.kind, self.areas = kind, areas
        self.problems: list[Problem] = []
        self.seen: dict[tuple, int] = {}

    def row(self, line: int, values: dict[str, str]) -> dict[str, Any] | None:
        said: list[str] = []
        out: dict[str, Any] = {"line_number": line}
        area = self.areas.get(values["area"].strip().lower())
        if area is None:
            said.append(f"there is no area “{values['area'].strip()}” (use an area's name or its short name)")
        out["area"] = area
        year = _year(values["year"])
        if isinstance(year, str):
            said.append(year)
        out["year"] = year
        for name in ("source", *(("body", "description") if self.kind == SPENDING else ())):
            text = values[name].strip()
            if not text:
                said.append(f"the {name.replace('_', ' ')} is empty")
            elif len(text) > LENGTHS[name]:
                said.append(f"the {name} is longer than {LENGTHS[name]} characters")
            elif text[0] in FORMULA_STARTS:
                said.append(f"the {name} starts with “{text[0]}”, as a spreadsheet formula does")
            out[name] = text
        flag = values.get("illustrative", "").strip().lower()
        if flag not in YES + NO:
            said.append(f"illustrative is “{flag}”: write yes or no")
        out["illustrative"] = flag in YES
        if self.kind == SPENDING:
            self._spending(values, out, said)
        else:
            population = _whole_number(values["population"])
            if not population:
                said.append(f"the population “{values['population'].strip()}” is not a whole number above 0")
            elif population > 100_000_000:
                said.append(f"the population “{values['population'].strip()}” is more than any area has")
            out["population"] = population
        if not said:
            key = ((area.id, year, out["body"].lower(), out["purpose"], out["description"].lower())
                   if self.kind == SPENDING else (area.id, year))
            if key in self.seen:
                said.append(f"it repeats line {self.seen[key]}")
            self.seen.setdefault(key, line)
        for message in said:
            self.problems.append(Problem(line, message))
        return None if said else out

    def _spending(self, values: dict[str, str], out: dict[str, Any], said: list[str]) -> None:
        body_type = values["body_type"].strip().lower()
        kinds = {kind: kind for kind in BodyKind.ALL} | {label.lower(): kind for kind, label in
                                                           BodyKind.LABELS.items()}
        if body_type not in kinds:
            said.append(f"the body type “{values['body_type'].strip()}” is not one of {', '.join(BodyKind.ALL)}")
        out["body_kind"] = kinds.get(body_type)
        purpose = purposes.find(values["purpose"])
        if purpose is None:
            said.append(f"the purpose “{values['purpose'].strip()}” is not a COFOG code like 07 or 07.3")
        out["purpose"] = purpose.code if purpose else None
        amount = _pence(values["amount"])
        if isinstance(amount, str):
            said.append(amount)
        out["amount_pence"] = amount
        focus = values.get("focus", "").strip().lower()
        if focus and focus not in Focus.ALL:
            said.append(f"the focus “{focus}” is not prevention or treatment (or empty)")
        out["focus"] = focus or None


def parse(data: bytes) -> Parsed:
    """Read and check a whole file; ``Parsed.ok`` when every row is good."""
    result = Parsed()
    text = _decode(data)
    if text is None:
        result.problems.append(Problem(1, "the file is not UTF-8 text: in Excel, save it as “CSV UTF-8”"))
        return result
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = _header(next(reader))
    except StopIteration:
        result.problems.append(Problem(1, "the file is empty"))
        return result
    except csv.Error as error:
        result.problems.append(Problem(1, f"the header row cannot be read as CSV ({error})"))
        return result
    kind = result.kind = _kind_of(header)
    if kind is None:
        result.problems.append(Problem(1, "the header has neither an amount column (a spending file) nor a "
                                          "population column (a population file)"))
        return result
    wanted = COLUMNS[kind]
    missing = [name for name in wanted["required"] if name not in header]
    unknown = [name for name in header if name not in wanted["required"] + wanted["optional"]]
    repeated = sorted({name for name in header if header.count(name) > 1})
    for message, names in (("missing", missing), ("not known", unknown), ("repeated", repeated)):
        if names:
            result.problems.append(Problem(1, f"columns {message}: {', '.join(names)}"))
    if result.problems:
        return result
    areas = {}
    for area in db.session.scalars(select(Area)):
        areas[area.slug.lower()] = areas[area.name.lower()] = area
    checker = _Reader(kind, areas)
    line = reader.line_num
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(result.rows) + len({p.line for p in checker.problems}) >= MAX_ROWS:
                checker.problems.append(Problem(start, f"the file has more than {MAX_ROWS:,} rows: split it"))
                break
            if len(cells) != len(header):
                checker.problems.append(Problem(start, f"it has {len(cells)} cells where the header has "
                                                       f"{len(header)}"))
                continue
            row = checker.row(start, dict(zip(header, cells, strict=True)))
            if row is not None:
                result.rows.append(row)
    except csv.Error as error:
        checker.problems.append(Problem(line + 1, f"it cannot be read as CSV ({error})"))
    result.problems.extend(checker.problems)
    if not result.rows and not result.problems:
        result.problems.append(Problem(2, "the file has a header but no rows"))
    return result


@dataclass(frozen=True)
class Loaded:
    kind: str
    rows: int
    places: list[str]  # "Northfield 2025-26", each area and year the file held


def _key(body: str, purpose: str, description: str) -> tuple[str, str, str]:
    return body.lower(), purpose, description.lower()


def _replace_lines(rows: list[dict[str, Any]], pairs: list[tuple[int, int]], actor: Any) -> None:
    """Each area and year of the file gets exactly the file's lines. A line that was there before (same body,
    purpose and description) is updated in place, so the threads discussing it stay linked; the others go."""
    existing: dict[tuple, SpendingLine] = {}
    for area_id, year in pairs:
        for line in db.session.scalars(select(SpendingLine).where(SpendingLine.area_id == area_id,
                                                                 SpendingLine.year == year)):
            existing[(area_id, year, *_key(line.body, line.purpose, line.description))] = line
    for row in rows:
        values = {name: row[name] for name in ("body_kind", "body", "purpose", "description", "amount_pence",
                                                "focus", "source", "illustrative", "line_number")}
        line = existing.pop((row["area"].id, row["year"], *_key(row["body"], row["purpose"], row["description"])),
                            None)
        if line is None:
            db.session.add(SpendingLine(area_id=row["area"].id, year=row["year"],
                                        imported_by_id=getattr(actor, "id", None), **values))
        else:
            for name, value in values.items():
                setattr(line, name, value)
            line.imported_by_id, line.imported_at = getattr(actor, "id", None), utcnow()
    for gone in existing.values():
        db.session.delete(gone)


def load(parsed: Parsed, actor: Any) -> Loaded:
    """Write a checked file (``parsed.ok``): spending lines replace their areas' and years' lines."""
    if not parsed.ok:
        raise ValueError("only a file without problems is loaded")
    pairs = sorted({(row["area"].id, row["year"]): row["area"].name for row in parsed.rows}.items())
    places = [f"{name} {financial_year(year)}" for (_area, year), name in pairs]
    if parsed.kind == SPENDING:
        _replace_lines(parsed.rows, [pair for pair, _ in pairs], actor)
    else:
        for row in parsed.rows:
            db.session.merge(AreaPopulation(area_id=row["area"].id, year=row["year"], population=row["population"],
                                            source=row["source"]))
    db.session.flush()
    audit.record(actor, f"places.import_{parsed.kind}",
                 summary=f"{len(parsed.rows)} {parsed.kind} rows for {', '.join(places)}")
    return Loaded(parsed.kind, len(parsed.rows), places)
