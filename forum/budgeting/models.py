"""Participatory budgeting in the database: areas, budgets, pots, proposals, ballots and results.

Money is stored in whole pence, as 64-bit integers (a city's budget in pence passes 2**31), never as floats.
Times are naive UTC. Models never commit, nor do the services in :mod:`forum.budgeting.services`: the request,
command or job that calls them is one unit of work (:mod:`forum.common.transaction`).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.tags.models import Tag


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"


class Phase(StrEnum):
    """A budget's phases, in order (``list(Phase)``). Compare with the members, never with their values."""

    COLLECTING = "collecting"
    REVIEW = "review"
    VOTING = "voting"
    RESULTS = "results"
    DELIVERY = "delivery"

    @property
    def label(self) -> str:
        return PHASE_LABELS[self]


#: What people read for each phase (templates: ``PHASE_LABELS``).
PHASE_LABELS = {Phase.COLLECTING: "Collecting proposals", Phase.REVIEW: "Review", Phase.VOTING: "Voting",
                Phase.RESULTS: "Results", Phase.DELIVERY: "Delivery"}
#: Before voting opens: proposals can be withdrawn and reviewed, pots added and the voting settings changed.
BEFORE_VOTING = (Phase.COLLECTING, Phase.REVIEW)
#: Once the count is published (the results and delivery phases).
PUBLISHED = (Phase.RESULTS, Phase.DELIVERY)


class BallotKind:
    """The ballot forms pabulib knows: tick projects, spread points, rank projects, or choose one project."""

    APPROVAL = "approval"
    CUMULATIVE = "cumulative"
    ORDINAL = "ordinal"
    CHOOSE_ONE = "choose_one"
    ALL = (APPROVAL, CUMULATIVE, ORDINAL, CHOOSE_ONE)


class Eligibility:
    ANY_REGISTERED = "any_registered"
    VERIFIED_RESIDENTS = "verified_residents"
    ALL = (ANY_REGISTERED, VERIFIED_RESIDENTS)


class ResultsRule:
    """How a pot is counted: the city rules pabulib names (docs/budgeting-rules.md, "City rules").

    Greedy by votes skipping what does not fit (CONSUL); greedy stopping at the first project that does not fit;
    greedy among projects with at least ``Budget.min_score_threshold`` votes; the Method of Equal Shares with
    Wieliczka's completion.
    """

    GREEDY = "greedy"
    GREEDY_NO_SKIP = "greedy_no_skip"
    GREEDY_THRESHOLD = "greedy_threshold"
    MES = "mes"
    ALL = (GREEDY, GREEDY_NO_SKIP, GREEDY_THRESHOLD, MES)


class ProposalStatus:
    PROPOSED = "proposed"
    FEASIBLE = "feasible"
    NOT_FEASIBLE = "not_feasible"
    WITHDRAWN = "withdrawn"
    SELECTED = "selected"
    NOT_SELECTED = "not_selected"
    ALL = (PROPOSED, FEASIBLE, NOT_FEASIBLE, WITHDRAWN, SELECTED, NOT_SELECTED)
    # What goes on the ballot and into the count: anything not ruled out.
    COUNTED = (PROPOSED, FEASIBLE, SELECTED, NOT_SELECTED)
    LABELS = {PROPOSED: "Proposed", FEASIBLE: "Feasible", NOT_FEASIBLE: "Not feasible", SELECTED: "Funded",
              NOT_SELECTED: "Not funded", WITHDRAWN: "Withdrawn"}


class Channel:
    """How a ballot reached us: online by the voter, a paper ballot typed in by staff, or a pabulib import."""

    ONLINE = "online"
    PAPER = "paper"
    IMPORTED = "imported"
    ALL = (ONLINE, PAPER, IMPORTED)


class DeliveryStatus:
    """Where a funded proposal's delivery stands, as its updates report it."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DELIVERED = "delivered"
    ALL = (PLANNED, IN_PROGRESS, DELIVERED)


class VerificationMethod:
    """How a resident was verified for an area: by a member of staff, or by entering a code they were sent."""

    STAFF = "staff"
    CODE = "code"
    ALL = (STAFF, CODE)


class Area(db.Model):
    """A place money is spent in; an area may sit inside another (a ward inside a council area)."""

    __tablename__ = "budget_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("budget_areas.id"), index=True)

    parent: Mapped[Area | None] = relationship("Area", remote_side="Area.id")


class Budget(db.Model):
    """A participatory budget ("Green Budget 2027"): phases with dates, and the voting rule of its pots."""

    __tablename__ = "budgets"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    description_source: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    phase: Mapped[str] = mapped_column(String(20), default=Phase.COLLECTING)
    # When each phase starts (optional): the phase itself moves only when staff move it.
    collecting_from: Mapped[datetime | None] = mapped_column()
    review_from: Mapped[datetime | None] = mapped_column()
    voting_from: Mapped[datetime | None] = mapped_column()
    results_from: Mapped[datetime | None] = mapped_column()
    delivery_from: Mapped[datetime | None] = mapped_column()
    ballot_kind: Mapped[str] = mapped_column(String(20), default=BallotKind.APPROVAL)
    eligibility: Mapped[str] = mapped_column(String(20), default=Eligibility.ANY_REGISTERED)
    results_rule: Mapped[str] = mapped_column(String(20), default=ResultsRule.GREEDY)
    min_projects: Mapped[int | None] = mapped_column(Integer)
    max_projects: Mapped[int | None] = mapped_column(Integer)
    min_spend_pence: Mapped[int | None] = mapped_column(BigInteger)
    points_per_voter: Mapped[int | None] = mapped_column(Integer)
    # Greedy with a threshold: a project needs at least this score (votes, points) to be funded (pabulib's
    # ``min_project_score_threshold``).
    min_score_threshold: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[User | None] = relationship(User)
    pots: Mapped[list[Pot]] = relationship("Pot", back_populates="budget", order_by="Pot.id")

    __table_args__ = (
        CheckConstraint(_one_of("phase", tuple(Phase)), name="phase"),
        CheckConstraint(_one_of("ballot_kind", BallotKind.ALL), name="ballot_kind"),
        CheckConstraint(_one_of("eligibility", Eligibility.ALL), name="eligibility"),
        CheckConstraint(_one_of("results_rule", ResultsRule.ALL), name="results_rule"),
        Index("ix_budgets_phase", "phase"),
    )


class Pot(db.Model):
    """An amount of money of a budget for one area (CONSUL's heading, Decidim's budget)."""

    __tablename__ = "budget_pots"

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("budget_areas.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    # The META lines of an imported pabulib file other than budget and vote type, as JSON (kept for export).
    source_meta: Mapped[str | None] = mapped_column(Text)

    budget: Mapped[Budget] = relationship(Budget, back_populates="pots")
    area: Mapped[Area] = relationship(Area)

    __table_args__ = (CheckConstraint("amount_pence > 0", name="amount_positive"),)


proposal_tags = Table(
    "budget_proposal_tags",
    db.metadata,
    Column("proposal_id", ForeignKey("budget_proposals.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Proposal(db.Model):
    """A project proposed for a pot. Imported ones have no author and keep their pabulib id in ``external_id``."""

    __tablename__ = "budget_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    pot_id: Mapped[int] = mapped_column(ForeignKey("budget_pots.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    description_source: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    cost_pence: Mapped[int] = mapped_column(BigInteger)
    location: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default=ProposalStatus.PROPOSED)
    feasibility_reason: Mapped[str | None] = mapped_column(Text)
    # A civil servant's revision of the cost: the original stays here, ``cost_pence`` holds the current one.
    original_cost_pence: Mapped[int | None] = mapped_column(BigInteger)
    cost_revision_reason: Mapped[str | None] = mapped_column(Text)
    cost_revised_at: Mapped[datetime | None] = mapped_column()
    # Other columns of an imported pabulib project (name, category, ...), as JSON (kept for export).
    source_extra: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    pot: Mapped[Pot] = relationship(Pot)
    author: Mapped[User | None] = relationship(User)
    tags: Mapped[list[Tag]] = relationship(Tag, secondary=proposal_tags, order_by=Tag.name)

    __table_args__ = (
        CheckConstraint("cost_pence > 0", name="cost_positive"),
        CheckConstraint(_one_of("status", ProposalStatus.ALL), name="status"),
        UniqueConstraint("pot_id", "external_id", name="uq_budget_proposals_pot_external"),
        Index("ix_budget_proposals_pot_status", "pot_id", "status"),
    )


class Ballot(db.Model):
    """One voter's ballot for one pot. Paper and imported ballots have no voter but an ``anonymous_key``."""

    __tablename__ = "budget_ballots"

    id: Mapped[int] = mapped_column(primary_key=True)
    pot_id: Mapped[int] = mapped_column(ForeignKey("budget_pots.id", ondelete="CASCADE"))
    voter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    anonymous_key: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(20), default=Channel.ONLINE)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    pot: Mapped[Pot] = relationship(Pot)
    voter: Mapped[User | None] = relationship(User, foreign_keys=[voter_id])
    entered_by: Mapped[User | None] = relationship(User, foreign_keys=[entered_by_id])

    # The unique constraints lead with pot_id, so they also serve as the index for listing a pot's ballots.
    __table_args__ = (
        UniqueConstraint("pot_id", "voter_id", name="uq_budget_ballots_pot_voter"),
        UniqueConstraint("pot_id", "anonymous_key", name="uq_budget_ballots_pot_anonymous_key"),
        CheckConstraint(_one_of("channel", Channel.ALL), name="channel"),
        CheckConstraint("voter_id IS NOT NULL OR anonymous_key IS NOT NULL", name="someone"),
    )


class BallotChoice(db.Model):
    """A proposal on a ballot, with its points (1 on approval, ordinal and choose-1 ballots).

    On an ordinal ballot ``rank`` orders the choices (1 = first preference); the rules turn ranks into points
    (:mod:`forum.budgeting.rules.election`). A choose-1 ballot has exactly one choice.
    """

    __tablename__ = "budget_ballot_choices"

    ballot_id: Mapped[int] = mapped_column(ForeignKey("budget_ballots.id", ondelete="CASCADE"), primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("budget_proposals.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    points: Mapped[int] = mapped_column(Integer, default=1)
    rank: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint("points > 0", name="points_positive"),
        CheckConstraint("rank IS NULL OR rank > 0", name="rank_positive"),
    )


class Result(db.Model):
    """A pot's computed result: one per pot, replaced when recomputed."""

    __tablename__ = "budget_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    pot_id: Mapped[int] = mapped_column(ForeignKey("budget_pots.id", ondelete="CASCADE"), unique=True)
    rule: Mapped[str] = mapped_column(String(40))
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    total_spent_pence: Mapped[int] = mapped_column(BigInteger)
    voters: Mapped[int] = mapped_column(Integer)
    # Figures the results page shows, kept so that it never rereads the ballots: ballots by channel, voters
    # with at least one funded project, and the other rule's winners (ResultLine.funded_by_other_rule).
    online_voters: Mapped[int] = mapped_column(Integer, default=0)
    paper_voters: Mapped[int] = mapped_column(Integer, default=0)
    imported_voters: Mapped[int] = mapped_column(Integer, default=0)
    voters_with_funded: Mapped[int] = mapped_column(Integer, default=0)
    other_rule: Mapped[str | None] = mapped_column(String(40))
    other_spent_pence: Mapped[int | None] = mapped_column(BigInteger)
    other_voters_with_funded: Mapped[int | None] = mapped_column(Integer)

    pot: Mapped[Pot] = relationship(Pot)
    lines: Mapped[list[ResultLine]] = relationship(
        "ResultLine", order_by="ResultLine.rank", cascade="all, delete-orphan", passive_deletes=True
    )


class ResultLine(db.Model):
    """One counted proposal in a result: its votes (points), whether it was funded, when and by which stage."""

    __tablename__ = "budget_result_lines"

    result_id: Mapped[int] = mapped_column(ForeignKey("budget_results.id", ondelete="CASCADE"), primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("budget_proposals.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    votes: Mapped[int] = mapped_column(Integer)
    funded: Mapped[bool] = mapped_column(Boolean, default=False)
    rank: Mapped[int | None] = mapped_column(Integer)
    stage: Mapped[str | None] = mapped_column(String(20))
    funded_by_other_rule: Mapped[bool] = mapped_column(Boolean, default=False)

    proposal: Mapped[Proposal] = relationship(Proposal)


class ProposalThread(db.Model):
    """A discussion thread linked to a proposal; a thread may discuss several proposals, and a proposal have
    several threads. The threads domain knows nothing of proposals: it asks through
    :mod:`forum.threads.links`, which budgeting feeds from this table."""

    __tablename__ = "budget_proposal_threads"

    proposal_id: Mapped[int] = mapped_column(ForeignKey("budget_proposals.id", ondelete="CASCADE"), primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True,
                                           index=True)
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    proposal: Mapped[Proposal] = relationship(Proposal)


class ResidentVerification(db.Model):
    """A person verified as a resident of an area: who verified them (staff) or which code they entered, and
    when. Revoking keeps the row (``revoked_at``/``revoked_by``), so the record stays auditable."""

    __tablename__ = "budget_verifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    area_id: Mapped[int] = mapped_column(ForeignKey("budget_areas.id"), index=True)
    method: Mapped[str] = mapped_column(String(20))
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    code_id: Mapped[int | None] = mapped_column(ForeignKey("budget_verification_codes.id"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(User, foreign_keys=[user_id])
    area: Mapped[Area] = relationship(Area)
    verified_by: Mapped[User | None] = relationship(User, foreign_keys=[verified_by_id])
    revoked_by: Mapped[User | None] = relationship(User, foreign_keys=[revoked_by_id])

    __table_args__ = (
        UniqueConstraint("user_id", "area_id", name="uq_budget_verifications_user_area"),
        CheckConstraint(_one_of("method", VerificationMethod.ALL), name="method"),
    )


class VerificationCode(db.Model):
    """A one-time code for residents of an area (posted to addresses, handed out at events). Only a hash of
    the code is kept, as for a password; the codes themselves are shown once, as a CSV, when made."""

    __tablename__ = "budget_verification_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("budget_areas.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    batch: Mapped[str] = mapped_column(String(120), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    used_at: Mapped[datetime | None] = mapped_column()

    area: Mapped[Area] = relationship(Area)


class DeliveryUpdate(db.Model):
    """A public report on a funded proposal's delivery: planned, in progress or delivered, how far, and a note."""

    __tablename__ = "budget_delivery_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("budget_proposals.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20))
    percent_complete: Mapped[int] = mapped_column(Integer, default=0)
    happened_on: Mapped[date] = mapped_column(Date)
    note_source: Mapped[str] = mapped_column(Text, default="")
    note_html: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    proposal: Mapped[Proposal] = relationship(Proposal)
    author: Mapped[User | None] = relationship(User)

    __table_args__ = (
        CheckConstraint(_one_of("status", DeliveryStatus.ALL), name="status"),
        CheckConstraint("percent_complete BETWEEN 0 AND 100", name="percent_range"),
        Index("ix_budget_delivery_updates_proposal", "proposal_id", "happened_on"),
    )
