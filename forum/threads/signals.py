"""Signals other domains subscribe to without threads importing them (Flask's blinker signals).

``content_held`` is sent, inside the posting transaction, when a post or comment is held for review (new
accounts, pre-moderated groups, or a hidden item resubmitted by its author); moderation queues it.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: sender: the Post or Comment; keyword arguments ``group_id``, ``thread_id`` and ``resubmitted``.
content_held = _signals.signal("content-held")

#: sender: the Post or Comment, once it is first shown to everyone who can read its thread (written visible, or
#: approved by a moderator). Notifications fan out from here. Keyword arguments: ``approved`` (True when a
#: moderator released it from review).
published = _signals.signal("published")

#: sender: a Post or Comment whose text, state or withdrawal changed, or that was just written (shown or not).
#: Search keeps its index from here. No keyword arguments.
content_changed = _signals.signal("content-changed")
