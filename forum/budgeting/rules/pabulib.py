"""Reading and writing pabulib ``.pb`` files (pabulib.org), the open data format of participatory budgeting.

A file is UTF-8 text, ``;``-separated (read as CSV, so a quoted field may hold a ``;``), in three sections,
each a line ``META``, ``PROJECTS`` or ``VOTES`` followed by a header line: ``key;value``;
``project_id;cost;...``; ``voter_id;vote;...`` where ``vote`` lists project ids separated by commas and, for
cumulative ballots, ``points`` the matching points. Blank lines are skipped, as pabutools does.

The four ballot forms (``vote_type``) are read: ``approval``, ``cumulative``, ``ordinal`` (``vote`` ranks the
projects, first preference first; each gets Borda points, ``max_length - position``, with ``max_length`` from
META or else the number of projects, see :func:`forum.budgeting.rules.election.borda_points`) and ``choose-1``
(one project, or none).

Reading is all or nothing: the first problem raises :class:`PabulibError` naming the line and what is wrong.
Costs, budget and points must be whole numbers. :func:`open_file` reads META and PROJECTS and then hands out
the ballots one at a time, so that a city's file (90,000 ballots) can be streamed into the database.
"""

from __future__ import annotations

import csv
import gc
import io
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from forum.budgeting.rules.election import VOTE_TYPES, Ballot, Election, ElectionError, Project, borda_points

SECTIONS = ("meta", "projects", "votes")


class PabulibError(ValueError):
    """A malformed pabulib file. ``line`` is the 1-based line number of the problem (0 if it is the whole file)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line
        self.message = message


def _whole(text: str, what: str, line: int, minimum: int = 1) -> int:
    text = text.strip()
    try:
        value = int(text)
    except ValueError:
        raise PabulibError(line, f"{what} {text!r} is not a whole number") from None
    if value < minimum:
        raise PabulibError(line, f"{what} {value} is below {minimum}")
    return value


def _ids(text: str) -> list[str]:
    if " " in text or "\t" in text:
        text = text.strip()
        parts = [part.strip() for part in text.split(",")]
    else:
        parts = text.split(",")
    return parts if text and text.lower() != "none" else []


@contextmanager
def paused_gc() -> Iterator[None]:
    """Hold Python's cyclic garbage collector while a city's ballots are read: the many small dicts they make
    set it off again and again, each time walking every object made so far (half the time of reading Lodz).
    Nothing made here forms cycles, so nothing is lost; the collector runs as usual afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _is_blank(row: list[str]) -> bool:
    return not row or (len(row) == 1 and not row[0].strip())


@dataclass
class PabulibFile:
    """A file whose META and PROJECTS are read; :meth:`ballots` reads VOTES, one ballot at a time.

    ``max_length`` is the number of places on an ordinal ballot (its first preference's Borda points).
    """

    meta: dict[str, str]
    budget: int
    vote_type: str
    projects: dict[str, Project]
    max_length: int
    _reader: Iterator[list[str]]
    _header: list[str]
    _header_line: int
    _line: object

    def ballots(self, keep_extra: bool = True) -> Iterator[Ballot]:
        """The ballots, in file order; ``keep_extra=False`` drops the voters' other columns (age, sex, ...)."""
        header, width, projects = self._header, len(self._header), self.projects
        vote_at, points_at = header.index("vote"), header.index("points") if "points" in header else -1
        extra_at = [(i, h) for i, h in enumerate(header) if h not in ("voter_id", "vote", "points")]
        kind, max_length = self.vote_type, self.max_length
        voters: set[str] = set()
        known = projects.keys()
        for row in self._reader:
            if len(row) != width:
                line = self._line_num()
                if _is_blank(row):
                    continue
                self._misplaced(row, line)
                raise PabulibError(line, f"{len(row)} fields where the header on line {self._header_line} "
                                         f"has {width}")
            voter = row[0].strip()
            if not voter or voter in voters:
                line = self._line_num()
                raise PabulibError(line, f"voter {voter} has a second ballot" if voter else "the voter id is empty")
            voters.add(voter)
            ids = _ids(row[vote_at])
            unique = set(ids)
            if len(unique) != len(ids) or not unique <= known:
                self._bad_vote(voter, ids)
            extra = {h: row[i].strip() for i, h in extra_at} if keep_extra else {}
            if kind == "approval":
                yield Ballot(voter, dict.fromkeys(ids, 1), extra)
            elif kind == "cumulative":
                yield Ballot(voter, _points(voter, ids, row[points_at], self._line_num()), extra)
            elif kind == "ordinal":
                if len(ids) > max_length:
                    raise PabulibError(self._line_num(), f"voter {voter} ranks {len(ids)} projects: "
                                                         f"at most {max_length}")
                yield Ballot(voter, borda_points(ids, max_length), extra)
            else:
                if len(ids) > 1:
                    raise PabulibError(self._line_num(), f"voter {voter} chooses {len(ids)} projects "
                                                         "on a choose-1 ballot")
                yield Ballot(voter, dict.fromkeys(ids, 1), extra)

    def _bad_vote(self, voter: str, ids: list[str]) -> None:
        line = self._line_num()
        for pid in ids:
            if pid not in self.projects:
                raise PabulibError(line, f"voter {voter} votes for {pid!r}, which is not in PROJECTS")
        raise PabulibError(line, f"voter {voter} lists a project twice")

    def _line_num(self) -> int:
        return self._line.line_num  # type: ignore[attr-defined]

    def _misplaced(self, row: list[str], line: int) -> None:
        if len(row) == 1 and row[0].strip().lower() in SECTIONS:
            raise PabulibError(line, f"section {row[0].strip().upper()} is out of place: "
                                     "expected no more sections after VOTES")


def _points(voter: str, ids: list[str], text: str, line: int) -> dict[str, int]:
    points_text = _ids(text)
    if len(points_text) != len(ids):
        raise PabulibError(line, f"voter {voter} has {len(ids)} projects but {len(points_text)} points")
    points = [_whole(p, f"voter {voter}: points", line) for p in points_text]
    return dict(zip(ids, points, strict=True))


def open_text(lines: Iterable[str]) -> PabulibFile:
    """Read META and PROJECTS from ``lines`` (a text file or an iterator of lines), up to the VOTES header."""
    reader = csv.reader(lines, delimiter=";")
    meta: dict[str, str] = {}
    projects: dict[str, Project] = {}
    seen: list[str] = []
    header: list[str] = []
    header_line = 0
    budget, vote_type = 0, ""
    first = True
    for row in reader:
        line = reader.line_num
        if first and row:
            row[0] = row[0].removeprefix("\ufeff")
            first = False
        if _is_blank(row):
            continue
        name = row[0].strip().lower()
        if len(row) == 1 and name in SECTIONS:
            expected = SECTIONS[len(seen)]
            if name != expected:
                raise PabulibError(line, f"section {name.upper()} is out of place: expected {expected.upper()}")
            if name == "projects":
                budget, vote_type = _check_meta(meta, line)
            seen.append(name)
            header = [h.strip() for h in next(reader, [])]
            header_line = reader.line_num
            _check_header(name, header, header_line, vote_type)
            if name == "votes":
                max_length = _max_length(meta, len(projects), header_line) if vote_type == "ordinal" else 0
                return PabulibFile(meta, budget, vote_type, projects, max_length, reader, header, header_line,
                                   reader)
            continue
        if not seen:
            raise PabulibError(line, "the file must start with a line reading META")
        if len(row) != len(header):
            raise PabulibError(line, f"{len(row)} fields where the header on line {header_line} has {len(header)}")
        if seen[-1] == "meta":
            meta[row[0].strip()] = row[1].strip()
            continue
        fields = dict(zip(header, (value.strip() for value in row), strict=True))
        pid = fields.pop("project_id")
        if not pid or "," in pid:
            raise PabulibError(line, f"project id {pid!r} must be non-empty and without commas")
        if pid in projects:
            raise PabulibError(line, f"project {pid} appears twice")
        cost = _whole(fields.pop("cost"), f"project {pid}: cost", line)
        projects[pid] = Project(pid, cost, fields)
    raise PabulibError(0, f"the file ends before the {SECTIONS[len(seen)].upper()} section")


def _max_length(meta: dict[str, str], projects: int, line: int) -> int:
    """The places on an ordinal ballot: META ``max_length``, by default the number of projects."""
    if "max_length" in meta:
        return _whole(meta["max_length"], "max_length", line)
    return max(projects, 1)


def loads(text: str) -> Election:
    """Parse the text of a ``.pb`` file."""
    return _election(open_text(io.StringIO(text, newline="")))


def _election(opened: PabulibFile) -> Election:
    ballots = list(opened.ballots())
    try:
        return Election(list(opened.projects.values()), opened.budget, ballots, opened.vote_type,  # type: ignore[arg-type]
                        opened.meta)
    except ElectionError as error:  # every check is made above: this is a safety net
        raise PabulibError(0, str(error)) from None


def _check_meta(meta: dict[str, str], line: int) -> tuple[int, str]:
    if "budget" not in meta:
        raise PabulibError(line, "the META section has no budget")
    if "vote_type" not in meta:
        raise PabulibError(line, "the META section has no vote_type")
    budget = _whole(meta.pop("budget"), "the budget", line)
    vote_type = meta.pop("vote_type").strip().lower()
    if vote_type not in VOTE_TYPES:
        raise PabulibError(line, f"vote_type {vote_type!r} is not supported: only {', '.join(VOTE_TYPES)} are")
    return budget, vote_type


def _check_header(section: str, header: list[str], line: int, vote_type: str) -> None:
    required = {
        "meta": ["key", "value"],
        "projects": ["project_id", "cost"],
        "votes": ["voter_id", "vote"] + (["points"] if vote_type == "cumulative" else []),
    }[section]
    if header[:2] != required[:2] or not set(required) <= set(header):
        wanted = ";".join(required) + ("" if section == "meta" else ";...")
        raise PabulibError(line, f"the {section.upper()} header must read {wanted}, not {';'.join(header)!r}")
    if section == "meta" and len(header) != 2:
        raise PabulibError(line, "the META header must read key;value")
    if len(set(header)) != len(header):
        raise PabulibError(line, f"the {section.upper()} header repeats a column")


def open_file(path: str | Path) -> tuple[PabulibFile, IO[str]]:
    """Open a ``.pb`` file and read its META and PROJECTS; the caller closes the returned file when done."""
    handle = Path(path).open(encoding="utf-8", newline="")
    try:
        return open_text(handle), handle
    except UnicodeDecodeError as error:
        handle.close()
        raise PabulibError(0, f"the file is not UTF-8 text ({error.reason} at byte {error.start})") from None
    except BaseException:
        handle.close()
        raise


def read(path: str | Path) -> Election:
    """Read a ``.pb`` file (see :func:`loads`)."""
    opened, handle = open_file(path)
    with handle, paused_gc():
        try:
            return _election(opened)
        except UnicodeDecodeError as error:
            raise PabulibError(0, f"the file is not UTF-8 text ({error.reason} at byte {error.start})") from None


def dumps(election: Election, winners: Iterable[str] | None = None) -> str:
    """The ``.pb`` text of an election. With ``winners``, the ``selected`` column holds 1 for them, 0 for others.

    An ordinal ballot is written as its ranking (``vote`` from the first preference), with the ``max_length``
    its Borda points were given from, so that reading the file back gives the same points.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    meta = dict(election.meta)
    meta.update(
        num_projects=str(len(election.projects)),
        num_votes=str(len(election.ballots)),
        budget=str(election.budget),
        vote_type=election.vote_type,
    )
    if election.vote_type == "ordinal":
        meta["max_length"] = str(max((max(b.points.values(), default=0) for b in election.ballots), default=0)
                                 or meta.get("max_length") or len(election.projects))
    writer.writerows(meta.items())
    chosen = None if winners is None else set(winners)
    columns = _columns(p.extra for p in election.projects)
    if chosen is not None and "selected" not in columns:
        columns.append("selected")
    writer.writerow(["PROJECTS"])
    writer.writerow(["project_id", "cost", *columns])
    for p in election.projects:
        extra = dict(p.extra)
        if chosen is not None:
            extra["selected"] = "1" if p.id in chosen else "0"
        writer.writerow([p.id, p.cost, *(extra.get(c, "") for c in columns)])
    columns = _columns(b.extra for b in election.ballots)
    points = ["points"] if election.vote_type == "cumulative" else []
    ranked = election.vote_type == "ordinal"
    writer.writerow(["VOTES"])
    writer.writerow(["voter_id", "vote", *points, *columns])
    for b in election.ballots:
        ids = b.ranked if ranked else list(b.points)
        shown = [",".join(str(b.points[pid]) for pid in ids)] if points else []
        writer.writerow([b.voter_id, ",".join(ids), *shown, *(b.extra.get(c, "") for c in columns)])
    return out.getvalue()


def _columns(extras: Iterable[dict[str, str]]) -> list[str]:
    columns: dict[str, None] = {}
    for extra in extras:
        columns.update(dict.fromkeys(extra))
    return list(columns)


def write(election: Election, path: str | Path, winners: Iterable[str] | None = None) -> None:
    """Write a ``.pb`` file (see :func:`dumps`)."""
    Path(path).write_text(dumps(election, winners), encoding="utf-8")
