"""@mentions: the handles a post or comment mentions, read from its stored HTML.

The text pipeline (``forum.common.markup.MentionFilter``) links every ``@handle`` written outside links,
``code`` and ``pre`` to ``/users/<handle>/`` with the class ``forum-mention``; those links are the mentions.
Whether the person exists and may read the group is the fan-out job's business: a mention of someone who
cannot see the group notifies nobody, and the page shows the same link either way.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import unquote

from forum.common.markup import MENTION_CLASS

MAX_MENTIONS = 20
PREFIX = "/users/"


class _Mentions(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.handles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        href = values.get("href") or ""
        if tag == "a" and values.get("class") == MENTION_CLASS and href.startswith(PREFIX):
            handle = unquote(href[len(PREFIX):].rstrip("/"))
            if handle and handle not in self.handles:
                self.handles.append(handle)


def handles_in(html: str) -> list[str]:
    """The distinct handles mentioned in ``html`` (at most ``MAX_MENTIONS``), in order of first mention."""
    parser = _Mentions()
    parser.feed(html or "")
    parser.close()
    return parser.handles[:MAX_MENTIONS]
