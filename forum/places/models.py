"""The count of a place ("Total Place"): what every public body spends in an area, on what, in which year, and how
many people live there. Money in whole pence (64-bit), never floats. Models never commit.

A year is a UK financial year, stored as the calendar year it starts in (2025 is 2025-26, April to March).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.budgeting.models import Area
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.threads.models import Thread


class BodyKind:
    """The kinds of public body a line is spent by (the Total Place pilots' partners)."""

    COUNCIL = "council"
    NHS = "nhs"
    POLICE = "police"
    FIRE = "fire"
    SCHOOLS = "schools"
    DWP = "dwp"
    OTHER = "other"
    LABELS = {
        COUNCIL: "Councils", NHS: "NHS", POLICE: "Police", FIRE: "Fire and rescue", SCHOOLS: "Schools",
        DWP: "Department for Work and Pensions", OTHER: "Other public bodies",
    }
    ALL = tuple(LABELS)


class Focus:
    """Whether a line keeps a problem from arising or deals with it once it has (the Birmingham pilot's question)."""

    PREVENTION = "prevention"
    TREATMENT = "treatment"
    ALL = (PREVENTION, TREATMENT)


def financial_year(year: int) -> str:
    """2025 -> "2025-26"."""
    return f"{year}-{(year + 1) % 100:02d}"


class SpendingLine(db.Model):
    """One line of the count: a body's spending in an area on one purpose in one year, with its source."""

    __tablename__ = "spending_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("budget_areas.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    body_kind: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(8))  # a COFOG code (forum.places.purposes)
    description: Mapped[str] = mapped_column(String(300))
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    focus: Mapped[str | None] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(500))
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    line_number: Mapped[int] = mapped_column(Integer)  # where it was in the file it came from
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)

    area: Mapped[Area] = relationship(Area)
    imported_by: Mapped[User | None] = relationship(User)

    __table_args__ = (
        CheckConstraint("amount_pence >= 0", name="amount_not_negative"),
        CheckConstraint(f"body_kind IN ({', '.join(repr(k) for k in BodyKind.ALL)})", name="body_kind"),
        CheckConstraint("focus IS NULL OR focus IN ('prevention', 'treatment')", name="focus"),
        Index("ix_spending_lines_area_year", "area_id", "year", "purpose"),
    )

    @property
    def year_label(self) -> str:
        return financial_year(self.year)


class AreaPopulation(db.Model):
    """How many people live in an area in a year (for figures per head), and where the number comes from."""

    __tablename__ = "area_populations"

    area_id: Mapped[int] = mapped_column(ForeignKey("budget_areas.id", ondelete="CASCADE"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    population: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(500))

    __table_args__ = (CheckConstraint("population > 0", name="population_positive"),)


class LineThread(db.Model):
    """A thread that discusses a line of the count ("discuss this", or linked afterwards)."""

    __tablename__ = "spending_line_threads"

    line_id: Mapped[int] = mapped_column(ForeignKey("spending_lines.id", ondelete="CASCADE"), primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True,
                                           index=True)
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    thread: Mapped[Thread] = relationship(Thread)
