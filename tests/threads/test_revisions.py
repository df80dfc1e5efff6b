"""The differences the history page shows between two versions of a post (forum.threads.revisions)."""

from __future__ import annotations

from forum.threads.revisions import Piece, word_diff


def kinds(pieces: list[Piece]) -> list[tuple[str, str]]:
    return [(piece.kind, piece.text) for piece in pieces]


def test_the_same_text_has_no_difference():
    assert word_diff("Same words.\r\n", "Same words.") == []


def test_a_changed_phrase_reads_as_one_removal_and_one_addition():
    assert kinds(word_diff("Out for a fortnight.", "Out for three weeks.")) == [
        ("same", "Out for "), ("removed", "a fortnight"), ("added", "three weeks"), ("same", "."),
    ]


def test_punctuation_changes_on_its_own():
    assert kinds(word_diff("Fix it.", "Fix it!")) == [("same", "Fix it"), ("removed", "."), ("added", "!")]


def test_far_unchanged_text_becomes_a_gap_on_each_side():
    words = [f"w{n}" for n in range(60)]
    changed = list(words)
    changed[30] = "CHANGED"
    pieces = word_diff(" ".join(words), " ".join(changed), context=3)
    assert kinds(pieces) == [
        ("gap", "…"), ("same", "w27 w28 w29 "), ("removed", "w30"), ("added", "CHANGED"),
        ("same", " w31 w32 w33"), ("gap", "…"),
    ]
