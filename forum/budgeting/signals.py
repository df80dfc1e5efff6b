"""Signals other domains subscribe to without budgeting importing them (blinker, as forum.threads.signals)."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: sender: the Proposal, sent inside the transaction once it was proposed, edited or withdrawn (search keeps
#: its index from here). No keyword arguments.
proposal_changed = _signals.signal("proposal-changed")
