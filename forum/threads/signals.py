"""Signals other domains subscribe to without threads importing them (Flask's blinker signals).

``content_held`` is sent, inside the posting transaction, when a post or comment is held for review (new
accounts, pre-moderated groups, or a hidden item resubmitted by its author); moderation queues it.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: sender: the Post or Comment; keyword arguments ``group_id``, ``thread_id`` and ``resubmitted``.
content_held = _signals.signal("content-held")
