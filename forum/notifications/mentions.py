"""@mentions: the handles a post or comment mentions, read from its stored (already safe) HTML.

Only text outside links, ``code`` and ``pre`` counts, so ``@name`` in a code sample or inside an address
mentions nobody. A handle is what ``forum.common.text.slugify`` makes of a display name: lowercase letters,
digits, ``_`` and ``-``. Whether the person exists, and may read the group, the fan-out job decides: a
mention of someone who cannot see the group notifies nobody, and the page shows the same text either way.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

MENTION = re.compile(r"(?<![\w@/.+-])@(\w[\w-]{0,59})", re.UNICODE)
_SKIP = {"a", "code", "pre"}
MAX_MENTIONS = 20


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIP:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


def handles_in(html: str) -> list[str]:
    """The distinct handles mentioned in ``html`` (at most ``MAX_MENTIONS``), in order of first mention."""
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    found: list[str] = []
    for match in MENTION.finditer(" ".join(parser.parts)):
        handle = unicodedata.normalize("NFKC", match.group(1)).lower().strip("-_")
        if handle and handle not in found:
            found.append(handle)
        if len(found) >= MAX_MENTIONS:
            break
    return found
