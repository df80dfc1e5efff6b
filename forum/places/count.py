"""The count of one area in one year, as the area page shows it: totals by body and by purpose, per head, against
the year before, the prevention share, and the pots residents decide there with their share of the whole.

All arithmetic in whole pence and integers: a share is in hundredths of a percent (basis points), rounded half
up; per head is pence per person, rounded half up. One query for the lines of both years (grouped in the
database), one for the population, one for the pots: the page's query count does not grow with its lines.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Integer, func, select
from sqlalchemy.orm import contains_eager

from forum.budgeting.models import Area, Budget, Pot
from forum.extensions import db
from forum.places import purposes
from forum.places.models import AreaPopulation, BodyKind, SpendingLine, financial_year


def share_bp(part: int, whole: int) -> int | None:
    """``part`` of ``whole`` in hundredths of a percent (1234 is 12.34%), rounded half up; None without a whole."""
    if whole <= 0:
        return None
    return (part * 20000 + whole) // (2 * whole)


def per_head(pence: int, population: int | None) -> int | None:
    """Pence per person, rounded half up; None without a population."""
    if not population:
        return None
    return (pence * 2 + population) // (2 * population)


def year_of(moment: datetime | None) -> int | None:
    """The financial year (April to March) a moment falls in."""
    if moment is None:
        return None
    return moment.year if moment.month >= 4 else moment.year - 1


@dataclass
class Slice:
    key: str
    label: str
    pence: int = 0
    last_year_pence: int = 0
    share: int | None = None  # hundredths of a percent of the area's total
    per_head: int | None = None
    children: list[Slice] = field(default_factory=list)

    @property
    def change(self) -> int | None:
        """Against the year before, in hundredths of a percent (None when there was nothing to compare with)."""
        if not self.last_year_pence:
            return None
        return share_bp(self.pence - self.last_year_pence, self.last_year_pence)


@dataclass
class Focused:
    """Prevention against treatment within one purpose (or all of them): only lines marked either way count."""

    label: str
    prevention: int = 0
    treatment: int = 0

    @property
    def share(self) -> int | None:
        return share_bp(self.prevention, self.prevention + self.treatment)


@dataclass
class DecidedPot:
    pot: Pot
    share: int | None


@dataclass
class AreaCount:
    area: Area
    year: int
    years: list[int]
    total: int
    last_year_total: int
    population: AreaPopulation | None
    by_body: list[Slice]
    by_purpose: list[Slice]
    focus: list[Focused]
    focus_all: Focused
    pots: list[DecidedPot]
    illustrative: bool

    @property
    def year_label(self) -> str:
        return financial_year(self.year)

    @property
    def last_year_label(self) -> str:
        return financial_year(self.year - 1)

    @property
    def per_head(self) -> int | None:
        return per_head(self.total, self.population.population if self.population else None)

    @property
    def change(self) -> int | None:
        return share_bp(self.total - self.last_year_total, self.last_year_total) if self.last_year_total else None

    @property
    def decided(self) -> int:
        return sum(decided.pot.amount_pence for decided in self.pots)

    @property
    def decided_share(self) -> int | None:
        return share_bp(self.decided, self.total)


def years_counted(area: Area) -> list[int]:
    """The years an area has lines for, newest first."""
    return list(db.session.scalars(select(SpendingLine.year).where(SpendingLine.area_id == area.id)
                                   .group_by(SpendingLine.year).order_by(SpendingLine.year.desc())))


def _finish(slices: dict[str, Slice], total: int, population: int | None) -> list[Slice]:
    for item in slices.values():
        item.share = share_bp(item.pence, total)
        item.per_head = per_head(item.pence, population)
        item.children = _finish({child.key: child for child in item.children}, total, population)
    return sorted((s for s in slices.values() if s.pence or s.last_year_pence), key=lambda s: (-s.pence, s.label))


def count_for(area: Area, year: int | None = None) -> AreaCount | None:
    """The count of ``area`` in ``year`` (default: its latest counted year); None when it has no lines at all."""
    years = years_counted(area)
    if not years:
        return None
    year = year if year in years else years[0]
    rows = db.session.execute(
        select(SpendingLine.year, SpendingLine.body_kind, SpendingLine.purpose, SpendingLine.focus,
               func.sum(SpendingLine.amount_pence), func.max(SpendingLine.illustrative.cast(Integer)))
        .where(SpendingLine.area_id == area.id, SpendingLine.year.in_((year, year - 1)))
        .group_by(SpendingLine.year, SpendingLine.body_kind, SpendingLine.purpose, SpendingLine.focus)
    ).all()
    population = db.session.get(AreaPopulation, (area.id, year))
    people = population.population if population else None
    bodies: dict[str, Slice] = {}
    divisions: dict[str, Slice] = {}
    groups: dict[str, Slice] = {}
    focused: dict[str, Focused] = defaultdict(lambda: Focused(""))
    totals = {year: 0, year - 1: 0}
    illustrative = False
    for row_year, body_kind, code, focus, pence, made_up in rows:
        pence = int(pence or 0)
        totals[row_year] += pence
        current = row_year == year
        illustrative = illustrative or (current and bool(made_up))
        body = bodies.setdefault(body_kind, Slice(body_kind, BodyKind.LABELS.get(body_kind, body_kind)))
        division = purposes.division_of(code)
        top = divisions.setdefault(division.code, Slice(division.code, division.name))
        targets = [body, top]
        if code != division.code:
            group = groups.get(code)
            if group is None:
                group = groups[code] = Slice(code, purposes.PURPOSES[code].name)
                top.children.append(group)
            targets.append(group)
        for target in targets:
            if current:
                target.pence += pence
            else:
                target.last_year_pence += pence
        if current and focus:
            mark = focused[division.code]
            mark.label = division.name
            setattr(mark, focus, getattr(mark, focus) + pence)
    total = totals[year]
    focus_all = Focused("All purposes", sum(f.prevention for f in focused.values()),
                        sum(f.treatment for f in focused.values()))
    return AreaCount(
        area=area, year=year, years=years, total=total, last_year_total=totals[year - 1], population=population,
        by_body=_finish(bodies, total, people), by_purpose=_finish(divisions, total, people),
        focus=sorted(focused.values(), key=lambda f: -(f.prevention + f.treatment)), focus_all=focus_all,
        pots=_pots(area, year, total), illustrative=illustrative,
    )


def _pots(area: Area, year: int, total: int) -> list[DecidedPot]:
    """The pots of budgets for this area whose year (when voting opens, else when proposals open, else when the
    budget was made) is the count's year."""
    pots = db.session.scalars(select(Pot).join(Budget).options(contains_eager(Pot.budget))
                              .where(Pot.area_id == area.id).order_by(Pot.id)).all()
    found = []
    for pot in pots:
        budget = pot.budget
        if year_of(budget.voting_from or budget.collecting_from or budget.created_at) == year:
            found.append(DecidedPot(pot, share_bp(pot.amount_pence, total)))
    return found


def lines_page(area: Area, year: int, page: int, per_page: int) -> tuple[list[SpendingLine], int]:
    """The lines themselves, largest first, a page at a time, and how many there are."""
    where = (SpendingLine.area_id == area.id, SpendingLine.year == year)
    count = db.session.scalar(select(func.count()).select_from(SpendingLine).where(*where)) or 0
    lines = db.session.scalars(select(SpendingLine).where(*where)
                               .order_by(SpendingLine.amount_pence.desc(), SpendingLine.id)
                               .offset((page - 1) * per_page).limit(per_page)).all()
    return list(lines), count


def all_lines(area: Area) -> list[SpendingLine]:
    """Every line of an area, for the open-data export (year, then the order they were loaded in)."""
    return list(db.session.scalars(select(SpendingLine).where(SpendingLine.area_id == area.id)
                                   .order_by(SpendingLine.year.desc(), SpendingLine.line_number)))


def populations(area: Area) -> list[AreaPopulation]:
    return list(db.session.scalars(select(AreaPopulation).where(AreaPopulation.area_id == area.id)
                                   .order_by(AreaPopulation.year.desc())))


def counted_areas() -> list[tuple[Area, int, int, int | None]]:
    """Each area with a count: (area, latest year, its total, per head), by name."""
    latest = (select(SpendingLine.area_id, func.max(SpendingLine.year).label("year"))
              .group_by(SpendingLine.area_id).subquery())
    rows = db.session.execute(
        select(Area, latest.c.year, func.sum(SpendingLine.amount_pence), AreaPopulation.population)
        .join(latest, latest.c.area_id == Area.id)
        .join(SpendingLine, (SpendingLine.area_id == Area.id) & (SpendingLine.year == latest.c.year))
        .outerjoin(AreaPopulation, (AreaPopulation.area_id == Area.id) & (AreaPopulation.year == latest.c.year))
        .group_by(Area.id, latest.c.year, AreaPopulation.population).order_by(Area.name)
    ).all()
    return [(area, year, int(total or 0), per_head(int(total or 0), people)) for area, year, total, people in rows]

