"""Reading and writing pabulib ``.pb`` files (pabulib.org), the open data format of participatory budgeting.

A file is UTF-8 text, ``;``-separated (read as CSV, so a quoted field may hold a ``;``), in three sections,
each a line ``META``, ``PROJECTS`` or ``VOTES`` followed by a header line: ``key;value``;
``project_id;cost;...``; ``voter_id;vote;...`` where ``vote`` lists project ids separated by commas and, for
cumulative ballots, ``points`` the matching points. Blank lines are skipped, as pabutools does.

Reading is all or nothing: the first problem raises :class:`PabulibError` naming the line and what is wrong.
Only ``approval`` and ``cumulative`` ballots are supported, with whole-number costs, budget and points.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from forum.budgeting.rules.election import Ballot, Election, ElectionError, Project

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
    text = text.strip()
    return [part.strip() for part in text.split(",")] if text and text.lower() != "none" else []


def loads(text: str) -> Election:
    """Parse the text of a ``.pb`` file."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    section = ""
    header: list[str] = []
    header_line = 0
    meta: dict[str, str] = {}
    projects: dict[str, Project] = {}
    ballots: list[Ballot] = []
    voters: set[str] = set()
    seen: list[str] = []
    budget = 0
    vote_type = ""
    for row in reader:
        line = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        name = row[0].strip().lower()
        if len(row) == 1 and name in SECTIONS:
            expected = SECTIONS[len(seen)] if len(seen) < len(SECTIONS) else None
            if name != expected:
                raise PabulibError(line, f"section {name.upper()} is out of place: expected {_expected(seen)}")
            if name == "projects":
                budget, vote_type = _check_meta(meta, line)
            seen.append(name)
            section = name
            header = [h.strip() for h in next(reader, [])]
            header_line = reader.line_num
            _check_header(section, header, header_line, vote_type)
            continue
        if not section:
            raise PabulibError(line, "the file must start with a line reading META")
        if len(row) != len(header):
            raise PabulibError(line, f"{len(row)} fields where the header on line {header_line} has {len(header)}")
        fields = dict(zip(header, (value.strip() for value in row), strict=True))
        if section == "meta":
            meta[fields["key"]] = fields["value"]
        elif section == "projects":
            pid = fields.pop("project_id")
            if not pid or "," in pid:
                raise PabulibError(line, f"project id {pid!r} must be non-empty and without commas")
            if pid in projects:
                raise PabulibError(line, f"project {pid} appears twice")
            cost = _whole(fields.pop("cost"), f"project {pid}: cost", line)
            projects[pid] = Project(pid, cost, fields)
        else:
            ballots.append(_ballot(fields, line, projects, voters, vote_type))
    if len(seen) < len(SECTIONS):
        raise PabulibError(0, f"the file ends before the {SECTIONS[len(seen)].upper()} section")
    try:
        return Election(list(projects.values()), budget, ballots, vote_type, meta)  # type: ignore[arg-type]
    except ElectionError as error:  # every check is made above: this is a safety net
        raise PabulibError(0, str(error)) from None


def _expected(seen: list[str]) -> str:
    return SECTIONS[len(seen)].upper() if len(seen) < len(SECTIONS) else "no more sections after VOTES"


def _check_meta(meta: dict[str, str], line: int) -> tuple[int, str]:
    if "budget" not in meta:
        raise PabulibError(line, "the META section has no budget")
    if "vote_type" not in meta:
        raise PabulibError(line, "the META section has no vote_type")
    budget = _whole(meta.pop("budget"), "the budget", line)
    vote_type = meta.pop("vote_type").strip().lower()
    if vote_type not in ("approval", "cumulative"):
        raise PabulibError(line, f"vote_type {vote_type!r} is not supported: only approval and cumulative are")
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


def _ballot(fields: dict[str, str], line: int, projects: dict[str, Project], voters: set[str], kind: str) -> Ballot:
    voter = fields.pop("voter_id")
    if not voter:
        raise PabulibError(line, "the voter id is empty")
    if voter in voters:
        raise PabulibError(line, f"voter {voter} has a second ballot")
    voters.add(voter)
    ids = _ids(fields.pop("vote"))
    for pid in ids:
        if pid not in projects:
            raise PabulibError(line, f"voter {voter} votes for {pid!r}, which is not in PROJECTS")
    if len(set(ids)) != len(ids):
        raise PabulibError(line, f"voter {voter} lists a project twice")
    if kind == "approval":
        return Ballot.approving(voter, ids, fields)
    points_text = _ids(fields.pop("points"))
    if len(points_text) != len(ids):
        raise PabulibError(line, f"voter {voter} has {len(ids)} projects but {len(points_text)} points")
    points = [_whole(p, f"voter {voter}: points", line) for p in points_text]
    return Ballot(voter, dict(zip(ids, points, strict=True)), fields)


def read(path: str | Path) -> Election:
    """Read a ``.pb`` file (see :func:`loads`)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise PabulibError(0, f"the file is not UTF-8 text ({error.reason} at byte {error.start})") from None
    return loads(text)


def dumps(election: Election, winners: Iterable[str] | None = None) -> str:
    """The ``.pb`` text of an election. With ``winners``, the ``selected`` column holds 1 for them, 0 for others."""
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
    writer.writerow(["VOTES"])
    writer.writerow(["voter_id", "vote", *points, *columns])
    for b in election.ballots:
        ids = list(b.points)
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
