"""What changed between consecutive revisions of a post, for its history page.

The difference is worked out on the source text the author typed (Markdown), word by word with
``difflib.SequenceMatcher``, so a changed word shows as that word removed and its replacement added, and long
runs of unchanged words shrink to a few words either side of each change. The opening post's revisions also
carry the thread's title, so a changed title shows too (tags are not kept in revisions: see docs/threads.md).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Literal

from forum.threads.models import PostRevision

#: Words (with the spaces between them) kept either side of a change; longer unchanged runs become a gap.
CONTEXT_WORDS = 12

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")

Kind = Literal["same", "added", "removed", "gap"]


@dataclass(frozen=True)
class Piece:
    """A run of text in a difference: unchanged, added, removed, or a gap where unchanged text was left out."""

    kind: Kind
    text: str = ""


@dataclass(frozen=True)
class Change:
    """One revision and how it differs from the one before it (none for the first)."""

    revision: PostRevision
    previous: PostRevision | None = None
    body: list[Piece] = field(default_factory=list)
    #: (before, after) when the title changed between the two revisions (both must have kept one).
    title: tuple[str, str] | None = None

    @property
    def text_changed(self) -> bool:
        return any(piece.kind in ("added", "removed") for piece in self.body)


def _unchanged(tokens: list[str], first: bool, last: bool, keep: int) -> list[Piece]:
    """An unchanged run, shortened to ``keep`` tokens beside each change next to it (a run at the start or the
    end of the text has a change on one side only)."""
    shown = keep * ((not first) + (not last))
    if len(tokens) <= shown + 1:
        return [Piece("same", "".join(tokens))]
    pieces: list[Piece] = []
    if not first:
        pieces.append(Piece("same", "".join(tokens[:keep])))
    pieces.append(Piece("gap", "…"))
    if not last:
        pieces.append(Piece("same", "".join(tokens[-keep:])))
    return pieces


@dataclass
class _Run:
    equal: bool
    old: list[str]
    new: list[str]


def _joined(runs: list[_Run]) -> list[_Run]:
    """Runs with each unchanged space between two changes folded into one change, so "a fortnight" becoming
    "three weeks" reads as one phrase removed and one added, not two words swapped one by one."""
    joined: list[_Run] = []
    for index, run in enumerate(runs):
        space_between = (
            run.equal and "".join(run.old).isspace() and 0 < index < len(runs) - 1 and not runs[index + 1].equal
        )
        if joined and not joined[-1].equal and (space_between or not run.equal):
            joined[-1].old += run.old
            joined[-1].new += run.new
        else:
            joined.append(_Run(run.equal, list(run.old), list(run.new)))
    return joined


def word_diff(old: str, new: str, context: int = CONTEXT_WORDS) -> list[Piece]:
    """The difference from ``old`` to ``new`` as pieces; an empty list when they are the same text."""
    old, new = _normalise(old), _normalise(new)
    if old == new:
        return []
    before, after = _TOKENS.findall(old), _TOKENS.findall(new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    runs = _joined([_Run(tag == "equal", before[i1:i2], after[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes()])
    keep = context * 2  # a word and the space after it are two tokens (punctuation is a token of its own)
    pieces: list[Piece] = []
    for index, run in enumerate(runs):
        if run.equal:
            pieces += _unchanged(run.old, index == 0, index == len(runs) - 1, keep)
            continue
        if run.old:
            pieces.append(Piece("removed", "".join(run.old)))
        if run.new:
            pieces.append(Piece("added", "".join(run.new)))
    return pieces


def _normalise(text: str) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def changes(revisions: list[PostRevision]) -> list[Change]:
    """Each revision (newest first, as given) with its difference from the one before it."""
    ordered = sorted(revisions, key=lambda revision: revision.number)
    result: list[Change] = []
    previous: PostRevision | None = None
    for revision in ordered:
        if previous is None:
            result.append(Change(revision))
        else:
            title = None
            if previous.title is not None and revision.title is not None and previous.title != revision.title:
                title = (previous.title, revision.title)
            result.append(Change(revision, previous, word_diff(previous.body_source, revision.body_source), title))
        previous = revision
    return result[::-1]
