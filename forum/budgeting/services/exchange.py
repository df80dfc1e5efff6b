"""Pabulib ``.pb`` files in and out: the open data format of participatory budgeting (pabulib.org).

Pabulib money is in whole units of the file's currency (zloty, francs, pounds); the forum keeps pence, so an
imported cost or budget of ``units`` is stored as ``units * 100`` pence, and a pot whose money is all whole
units is exported back in units (see :mod:`forum.budgeting.services.results` for the unit of the count).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text

from forum.budgeting.models import (
    Area,
    Ballot,
    BallotChoice,
    BallotKind,
    Budget,
    Channel,
    Phase,
    Pot,
    Proposal,
    ProposalStatus,
    Result,
    ResultsRule,
)
from forum.budgeting.rules import Election, ElectionError, PabulibError, dumps, open_file, paused_gc
from forum.budgeting.services.budgets import unique_slug
from forum.budgeting.services.results import CountedPot, count_and_store, count_both, election_for, winners
from forum.common.errors import ValidationFailed
from forum.common.text import normalise_space
from forum.common.timefmt import utcnow
from forum.extensions import db

CHUNK = 5000
Progress = Callable[[int, int], None]  # (ballots stored so far, ballots in the file)
#: ``--rule published``: count by the rule the file names.
PUBLISHED = "published"
#: pabulib's ``vote_type`` -> the budget's ballot kind.
KINDS = {"approval": BallotKind.APPROVAL, "cumulative": BallotKind.CUMULATIVE, "ordinal": BallotKind.ORDINAL,
         "choose-1": BallotKind.CHOOSE_ONE}
#: pabulib's ``rule`` -> ours. ``add1-comparison`` (Wieliczka) is the same count: the comparison step only
#: checks that the result beats greedy's, which it did there.
RULES = {"greedy": ResultsRule.GREEDY, "greedy-no-skip": ResultsRule.GREEDY_NO_SKIP,
         "greedy-threshold": ResultsRule.GREEDY_THRESHOLD, "equalshares/add1": ResultsRule.MES,
         "equalshares/add1-comparison": ResultsRule.MES}
THRESHOLD = "min_project_score_threshold"


class ImportFailed(ValidationFailed):
    """A pabulib file that cannot be imported; ``line`` is the line of the problem (0 for the whole file)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message, field="file")
        self.line = line


@dataclass
class Imported:
    """An imported pot, and how our count compares with the projects the file marks ``selected``."""

    pot: Pot
    rule: str
    official: set[str] | None  # the file's selected projects (pabulib ids), None if it marks none
    ours: set[str]

    @property
    def reproduces(self) -> bool | None:
        return None if self.official is None else self.official == self.ours


def _chunks(rows: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def published_rule(meta: dict[str, str]) -> str:
    """The rule the file names, as ours; refused (:class:`ImportFailed`) when we cannot count by it."""
    named = meta.get("rule", "").strip().lower()
    rule = RULES.get(named)
    if rule is None:
        known = ", ".join(RULES)
        raise ImportFailed(f"the file's rule {named or '(none)'!r} is not one we can count by "
                           f"(we can count by {known}); choose one with --rule")
    if rule == ResultsRule.GREEDY_THRESHOLD and not meta.get(THRESHOLD, "").strip().isdigit():
        raise ImportFailed(f"the file's rule is greedy-threshold but its META has no whole-number {THRESHOLD}")
    return rule


def rule_from_meta(meta: dict[str, str]) -> str:
    """The rule to count a file by when none is chosen: the file's own where we have it, else greedy."""
    try:
        return published_rule(meta)
    except ImportFailed:
        return ResultsRule.GREEDY


def _area(meta: dict[str, str]) -> Area:
    """The file's place as nested areas (country > unit > district), reusing areas already there."""
    area: Area | None = None
    for key in ("country", "unit", "district"):
        name = normalise_space(meta.get(key, ""))[:120]
        if not name:
            continue
        parent = Area.parent_id.is_(None) if area is None else Area.parent_id == area.id
        found = db.session.scalar(select(Area).where(Area.name == name, parent))
        if found is None:
            found = Area(name=name, parent=area, slug=unique_slug(Area, name))
            db.session.add(found)
            db.session.flush()
        area = found
    if area is None:
        area = Area(name="Imported", slug=unique_slug(Area, "imported"))
        db.session.add(area)
    return area


def _meta_whole(meta: dict[str, str], key: str) -> int | None:
    value = meta.get(key, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else None


def _budget(election: Election, rule: str, max_length: int) -> Budget:
    meta = election.meta
    title = normalise_space(meta.get("description") or " ".join(
        meta.get(k, "") for k in ("unit", "district", "instance")))[:200] or "Imported budget"
    kind = KINDS[election.vote_type]
    points = _meta_whole(meta, "max_sum_points")
    if kind == BallotKind.CUMULATIVE and not points:
        points = max((sum(b.points.values()) for b in election.ballots), default=1) or 1
    ranked_places = max_length if kind == BallotKind.ORDINAL else None
    budget = Budget(title=title, slug=unique_slug(Budget, title), phase=Phase.RESULTS, results_rule=rule,
                    ballot_kind=kind, points_per_voter=points if kind == BallotKind.CUMULATIVE else None,
                    max_projects=ranked_places or (1 if kind == BallotKind.CHOOSE_ONE else None),
                    min_score_threshold=_meta_whole(meta, THRESHOLD), description_source="", description_html="")
    db.session.add(budget)
    return budget


def _proposals(pot: Pot, election: Election) -> dict[str, int]:
    rows = []
    for project in election.projects:
        extra = project.extra  # ``selected`` stays: the official result, compared with ours after the count
        rows.append({"pot_id": pot.id, "external_id": project.id, "title": project.name[:200] or project.id,
                     "cost_pence": project.cost * 100, "status": ProposalStatus.FEASIBLE,
                     "description_source": "", "description_html": "", "created_at": utcnow(),
                     "source_extra": json.dumps(extra, ensure_ascii=False) if extra else None})
    for chunk in _chunks(rows):
        db.session.execute(insert(Proposal.__table__), chunk)
    query = select(Proposal.external_id, Proposal.id).where(Proposal.pot_id == pot.id)
    return {key: pid for key, pid in db.session.execute(query)}


def _ballots(pot: Pot, election: Election, proposal_ids: dict[str, int], progress: Progress | None) -> None:
    """Store the ballots in batches: their ids reserved at once, then each batch's ballots and choices in two
    bulk writes (COPY on PostgreSQL, the driver's executemany on SQLite): no ORM objects, no statement per row.

    On PostgreSQL most of the server's time goes on the foreign-key checks, fired row by row (Łódź: ~2.5 of
    ~4 s of server CPU for 90,000 ballots and 326,000 choices). Every row written here refers to the pot, the
    proposals and the ballot ids this transaction has just made, which no one else can see yet, so where the
    role may (:func:`_may_skip_row_checks`) the row-by-row checks are switched off for these writes only and the
    same references are checked once, as a set (:func:`_check_references`). Elsewhere the rows are checked
    one by one, as any write is."""
    now = utcnow()
    total, done = len(election.ballots), 0
    ranked = election.vote_type == "ordinal"
    reserved = _reserve_ids(total)
    ids = iter(reserved)
    unchecked = total > 0 and _may_skip_row_checks()
    if unchecked:
        db.session.execute(text("SET LOCAL session_replication_role = replica"))
    written = 0
    stamp = now.isoformat(" ")  # as SQLite's adapter and COPY write it, but once, not twice per ballot
    sqlite = db.session.connection().dialect.name == "sqlite"
    if sqlite:  # room in memory for the indexes being filled (the default cache spills them meanwhile)
        cache = db.session.scalar(text("PRAGMA cache_size"))
        db.session.execute(text(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}"))
    proposal = proposal_ids.__getitem__
    for chunk in _chunks(election.ballots):
        ballot_rows: list[tuple[Any, ...]] = []
        choices: list[tuple[Any, ...]] = []
        for ballot in chunk:
            bid = next(ids)
            ballot_rows.append((bid, pot.id, ballot.voter_id, Channel.IMPORTED, stamp, stamp))
            if ranked:
                choices.extend((bid, proposal(pid), 1, place) for place, pid in enumerate(ballot.ranked, 1))
            else:
                points = ballot.points
                choices.extend(zip(repeat(bid), map(proposal, points), points.values(), repeat(None)))
        bulk_insert(Ballot.__tablename__, BALLOT_COLUMNS, ballot_rows)
        bulk_insert(BallotChoice.__tablename__, CHOICE_COLUMNS, choices)
        written += len(choices)
        done += len(chunk)
        if progress:
            progress(done, total)
    if sqlite:
        db.session.execute(text(f"PRAGMA cache_size = {int(cache)}"))
    if unchecked:
        db.session.execute(text("SET LOCAL session_replication_role = origin"))
        _check_references(pot, reserved, proposal_ids.values(), written)
    if progress and not total:
        progress(0, 0)


def _may_skip_row_checks() -> bool:
    """PostgreSQL, and this role may set ``session_replication_role`` (a superuser, or granted it with ``GRANT
    SET ON PARAMETER session_replication_role TO <role>`` from PostgreSQL 15): asked first, as a refused SET
    would abort the import's transaction."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return False
    if (connection.dialect.server_version_info or (0,)) >= (15,):
        query = "SELECT has_parameter_privilege('session_replication_role', 'SET')"
    else:
        query = "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
    return bool(db.session.scalar(text(query)))


def _check_references(pot: Pot, ballot_ids: range | list[int], proposal_ids: Collection[int], choices: int) -> None:
    """The foreign keys of the rows just written without row-by-row checks, checked at once: the pot (made in
    this transaction, so every ballot of it is one just written) has them all, and every choice written names
    one of its proposals with a ballot id from those reserved (no one else can name a proposal no one else can
    see yet). Two queries without a join: a join is planned on the statistics of the tables as they were,
    perhaps nearly empty, and a plan looping over one side for each row of the other takes minutes on a city."""
    stored_ballots = db.session.scalar(select(func.count()).select_from(Ballot).where(Ballot.pot_id == pot.id))
    stored_choices = db.session.scalar(
        select(func.count()).select_from(BallotChoice)
        .where(BallotChoice.ballot_id.between(min(ballot_ids), max(ballot_ids)),
               BallotChoice.proposal_id.in_(list(proposal_ids))))
    if (stored_ballots, stored_choices) != (len(ballot_ids), choices):  # pragma: no cover - so by construction
        raise ImportFailed(f"the stored ballots do not match the file ({stored_ballots:,} of {len(ballot_ids):,} "
                           f"ballots, {stored_choices:,} of {choices:,} choices)")


IMPORT_CACHE_KIB = 65536  # SQLite's page cache while ballots are written (64 MiB; Lodz needs about 20)

BALLOT_COLUMNS = ("id", "pot_id", "anonymous_key", "channel", "created_at", "updated_at")
CHOICE_COLUMNS = ("ballot_id", "proposal_id", "points", "rank")


def _reserve_ids(count: int) -> range | list[int]:
    """``count`` new ballot ids. PostgreSQL: taken from the table's sequence, as an INSERT would. SQLite: the
    next ones after the largest, which no one else can take meanwhile (this transaction has already written,
    and SQLite lets one writer at a time)."""
    if not count:
        return []
    if db.session.connection().dialect.name == "postgresql":
        # the sequence named once: pg_get_serial_sequence for every row costs the server 6 times the nextvals
        sequence = db.session.scalar(text("SELECT pg_get_serial_sequence(:table, 'id')"),
                                     {"table": Ballot.__tablename__})
        query = text("SELECT nextval(CAST(:sequence AS regclass)) FROM generate_series(1, :n)")
        return db.session.scalars(query, {"sequence": sequence, "n": count}).all()
    largest = db.session.scalar(select(func.coalesce(func.max(Ballot.id), 0)))
    return range(largest + 1, largest + 1 + count)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_field(value: Any) -> str:
    """A value in COPY's text format: ``\\N`` for NULL, tabs, newlines and backslashes escaped."""
    if value is None:
        return "\\N"
    if isinstance(value, int):
        return str(value)
    return str(value).translate(_COPY_ESCAPES)


def _copy_column(values: tuple[Any, ...]) -> Iterable[str]:
    """One column in COPY's text format, converted at C speed where it holds only whole numbers or only text."""
    kinds = set(map(type, values))
    if kinds <= {int}:
        return map(str, values)
    if kinds <= {str}:
        return map(str.translate, values, repeat(_COPY_ESCAPES))
    if kinds <= {type(None)}:
        return repeat("\\N", len(values))
    return map(_copy_field, values)


def _copy_text(rows: list[tuple[Any, ...]]) -> str:
    """``rows`` in COPY's text format: a city's ballots are hundreds of thousands of values, so each column is
    converted as a whole rather than value by value."""
    columns = [_copy_column(column) for column in zip(*rows, strict=True)]
    return "\n".join(map("\t".join, zip(*columns, strict=True))) + "\n"


def bulk_insert(table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Write ``rows`` into ``table`` in the current transaction, as fast as the database allows: COPY with
    psycopg, the driver's executemany otherwise. For trusted names only (our tables and columns)."""
    if not rows:
        return
    connection = db.session.connection()
    raw = connection.connection.driver_connection
    names = ", ".join(columns)
    if connection.dialect.name == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # type: ignore[union-attr]
            copy.write(_copy_text(rows))
        return
    cursor = raw.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})", rows)
    finally:
        cursor.close()


def _read(path: str | Path) -> tuple[Election, int]:
    try:
        opened, handle = open_file(path)
        with handle, paused_gc():
            ballots = list(opened.ballots(keep_extra=False))
            election = Election(list(opened.projects.values()), opened.budget, ballots,
                                opened.vote_type, opened.meta)  # type: ignore[arg-type]
    except PabulibError as error:
        raise ImportFailed(str(error), error.line) from None
    except UnicodeDecodeError as error:
        raise ImportFailed(f"the file is not UTF-8 text ({error.reason} at byte {error.start})") from None
    except ElectionError as error:
        raise ImportFailed(str(error)) from None
    except OSError as error:
        raise ImportFailed(f"the file cannot be read: {error.strerror or error}") from None
    return election, opened.max_length


def import_pabulib(path: str | Path, rule: str | None = None, progress: Progress | None = None) -> Pot:
    """Import a ``.pb`` file as a budget in its results phase with one pot, then count it by ``rule``
    (see :func:`import_election`)."""
    return import_election(path, rule, progress).pot


def import_election(path: str | Path, rule: str | None = None, progress: Progress | None = None) -> Imported:
    """Import a ``.pb`` file as a budget in its results phase with one pot, count it by ``rule``, and compare
    our winners with the projects the file marks ``selected``.

    ``rule``: one of ours; ``"published"`` for the file's own (refused, nothing imported, when we do not have
    it: ``greedy-custom``, ``greedy-exclusive``, plain ``equalshares``...); by default the file's own where we
    have it, else greedy. The whole file is read and checked before anything is stored, and the import runs
    in the caller's unit of work (``flask budgets import`` is one), so nothing of a failed import is kept.
    """
    if rule is not None and rule != PUBLISHED and rule not in ResultsRule.ALL:
        raise ValidationFailed(f"Choose a rule: {', '.join((*ResultsRule.ALL, PUBLISHED))}", field="rule")
    election, max_length = _read(path)
    rule = published_rule(election.meta) if rule == PUBLISHED else rule or rule_from_meta(election.meta)
    with paused_gc():
        budget = _budget(election, rule, max_length)
        pot = Pot(budget=budget, area=_area(election.meta), title=budget.title, amount_pence=election.budget * 100,
                  source_meta=json.dumps(election.meta, ensure_ascii=False))
        db.session.add(pot)
        db.session.flush()
        proposal_ids = _proposals(pot, election)
        counted = CountedPot(election, proposal_ids, 100, {Channel.IMPORTED: len(election.ballots)},
                             budget.min_score_threshold)
        if db.session.connection().dialect.name == "postgresql":
            # the count needs only the file: it runs while the server writes the ballots (the client mostly
            # waits on it then). Not on SQLite, whose writes hold the interpreter between rows: a second
            # thread there would hold them up
            with ThreadPoolExecutor(max_workers=1) as aside:
                counting = aside.submit(count_both, counted, rule)
                _ballots(pot, election, proposal_ids, progress)
                outcomes = counting.result()
        else:
            _ballots(pot, election, proposal_ids, progress)
            outcomes = count_both(counted, rule)
        count_and_store(pot, rule, counted=counted, outcomes=outcomes)
    official = {p.id for p in election.projects if p.extra.get("selected", "").strip() == "1"}
    marked = any("selected" in p.extra for p in election.projects)
    keys = {pid: key for key, pid in proposal_ids.items()}
    ours = {keys[pid] for pid in winners(pot)}
    return Imported(pot, rule, official if marked else None, ours)


def export_pabulib(pot: Pot) -> str:
    """The pot's election as ``.pb`` text: its ballot form (ranked ballots as rankings), the budget's rule (and
    score threshold) in META, anonymous voter ids, and, once counted, a ``selected`` column holding 1 for the
    proposals our stored result funds and 0 for the others."""
    counted = election_for(pot, with_extra=True)
    keys = {pid: key for key, pid in counted.proposal_ids.items()}
    funded = winners(pot)
    chosen = [keys[pid] for pid in funded if pid in keys] if funded or _has_result(pot) else None
    meta = counted.election.meta
    rule = pot.budget.results_rule
    if RULES.get(meta.get("rule", "").strip().lower()) != rule:
        meta["rule"] = RULE_NAMES[rule]
    if pot.budget.min_score_threshold is not None:
        meta[THRESHOLD] = str(pot.budget.min_score_threshold)
    return dumps(counted.election, chosen)


#: Our rule -> the name pabulib gives it.
RULE_NAMES = {ResultsRule.GREEDY: "greedy", ResultsRule.GREEDY_NO_SKIP: "greedy-no-skip",
              ResultsRule.GREEDY_THRESHOLD: "greedy-threshold", ResultsRule.MES: "equalshares/add1"}


def _has_result(pot: Pot) -> bool:
    return db.session.scalar(select(Result.id).where(Result.pot_id == pot.id)) is not None
