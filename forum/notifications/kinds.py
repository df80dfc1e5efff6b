"""The registry of notification types. A new type is one entry here (and a call to ``services.notify``).

Each kind says how the settings page labels it, how often it is emailed unless the person chose otherwise,
the one-line summary written when it is created (``str.format`` with ``actor``, ``title`` and ``extra``), and
whether muting a thread or group silences it (mentions always get through).
"""

from __future__ import annotations

from dataclasses import dataclass

IMMEDIATE, DAILY, NEVER = "immediate", "daily", "never"
CADENCES = (IMMEDIATE, DAILY, NEVER)
CADENCE_LABELS = {IMMEDIATE: "Email at once", DAILY: "In a daily digest email", NEVER: "Never email"}


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # on the settings page: "Replies to your threads"
    email: str  # default cadence: IMMEDIATE, DAILY or NEVER
    summary: str  # "{actor} replied to your thread “{title}”"
    mutable: bool = True  # muting the thread or group silences it

    def describe(self, actor: str = "Someone", title: str = "", extra: str = "") -> str:
        text = self.summary.format(actor=actor, title=title, extra=extra)
        return text if len(text) <= 300 else text[:299] + "…"


_ALL = (
    Kind("mention", "Someone mentions you (@your-name)", IMMEDIATE, "{actor} mentioned you in “{title}”",
         mutable=False),
    Kind("quote", "Someone quotes your post", IMMEDIATE, "{actor} quoted your post in “{title}”"),
    Kind("reply_to_post", "A comment on your post", IMMEDIATE, "{actor} commented on your post in “{title}”"),
    Kind("reply_to_thread", "A reply to your thread", IMMEDIATE, "{actor} replied to your thread “{title}”"),
    Kind("watched_thread_post", "New posts in threads you watch", DAILY, "{actor} wrote in “{title}”"),
    Kind("watched_group_thread", "New threads in groups you watch", DAILY,
         "{actor} started “{title}” in {extra}"),
    Kind("held_approved", "Your post waiting for review was published", IMMEDIATE,
         "Your post in “{title}” was approved and is now published", mutable=False),
    Kind("post_hidden", "A moderator hid your post", IMMEDIATE,
         "A moderator hid your post in “{title}”. The reason: {extra}", mutable=False),
    Kind("sanction", "A warning or suspension", IMMEDIATE, "{extra}", mutable=False),
    Kind("flag_outcome", "The outcome of your flag", IMMEDIATE,
         "Your flag on a post in “{title}” was {extra}", mutable=False),
    Kind("budget_phase", "A budget you take part in moves on", IMMEDIATE, "{title}: {extra}", mutable=False),
    Kind("proposal_reviewed", "Your spending proposal is reviewed or funded", IMMEDIATE,
         "Your proposal “{title}” {extra}", mutable=False),
)

KINDS: dict[str, Kind] = {kind.name: kind for kind in _ALL}

#: For one new post or comment a person gets one notification: the first of these that applies.
POST_PRIORITY = ("mention", "quote", "reply_to_post", "reply_to_thread", "watched_group_thread",
                 "watched_thread_post")


def get(name: str) -> Kind:
    return KINDS[name]
