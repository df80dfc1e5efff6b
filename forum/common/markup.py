"""The one text pipeline: every piece of user text becomes HTML here and nowhere else.

clean what Microsoft Word leaves in a paste -> Markdown -> bleach allow-list -> safe links.
The result is stored beside the source, so a page view never renders Markdown.
bleach is deprecated upstream (mozilla/bleach#698); it stays behind this module so it can be swapped.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import partial
from urllib.parse import quote

import bleach
import markdown
from bleach import html5lib_shim
from bleach.linkifier import LinkifyFilter

#: What a person may type, told beside every text area the pipeline renders.
MARKDOWN_HINT = (
    "You can use Markdown: a blank line starts a new paragraph, *italic*, **bold**, "
    "> at the start of a line for a quote, - for a list, and [words](https://example.org) for a link."
)


ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "del",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "th": ["align"], "td": ["align"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
HEADING_SHIFT = 2  # a page has its own h1 and h2; user headings start at h3

_CONDITIONAL_COMMENT = re.compile(r"<!--\[if[^\]]*\]>.*?<!\[endif\]-->", re.S | re.I)
_DOWNLEVEL_REVEALED = re.compile(r"<!\[(?:if[^\]]*|endif)\]>", re.I)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_WORD_BLOCK_ELEMENTS = re.compile(r"<(style|xml|script|w:[a-z]+|m:[a-z]+)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_OFFICE_TAGS = re.compile(r"</?(?:o|w|m|v|st1):[a-z]+\b[^>]*>", re.I)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
# A CSS rule as Word writes it: selectors then a { ... } body. Only rules that are Word's own are removed:
# @font-face/@page/@list, or selectors naming Mso classes, or bodies with mso- properties.
_CSS_RULE = re.compile(r"(?P<sel>@?[A-Za-z0-9_.#:\-\s,\"*]{1,300}?)\s*\{(?P<body>[^{}]*)\}", re.S)
_WORD_SETTING_TOKEN = re.compile(
    r"^(?:Normal|\d+(?:\.\d+)?|false|true|[A-Z]{2}-[A-Z]{2}|X-NONE|MicrosoftInternetExplorer\d|"
    r"DocumentNotSpecified|\d+(?:\.\d+)?\s*pt|Clean|Clean)$"
)
_BLOCK_START = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|#|>|\||```|~~~|    |\t)")
_SENTENCE_END = re.compile(r"[.!?:;\"”’)\]]\s*$")


def _is_word_css_rule(match: re.Match[str]) -> bool:
    selector, body = match.group("sel").strip(), match.group("body")
    return (
        selector.startswith("@")
        or "mso" in selector.lower()
        or "mso-" in body.lower()
        or bool(re.match(r"^(?:p|li|div|span|table|h\d)(?:\.|,|\s|$)", selector) and ":" in body)
    )


def _is_word_settings_line(line: str) -> bool:
    tokens = line.split()
    return len(tokens) >= 3 and all(_WORD_SETTING_TOKEN.match(t) for t in tokens)


def has_word_residue(text: str) -> bool:
    """True when the text carries the marks of a paste from Microsoft Word."""
    lowered = text.lower()
    return any(mark in lowered for mark in ("<!--[if", "mso-", "msonormal", "@font-face", "microsoftinternetexplorer"))


def unwrap_lines(text: str) -> str:
    """Rebuild paragraphs from text that was hard-wrapped, one paragraph per line-ending sentence.

    A paste of Word's text keeps its line wrapping and loses its blank lines. A line that does not end a
    sentence is joined to the next one; a line that ends one ends the paragraph, unless the next line starts
    a Markdown block (a list, a quote, a heading, code), which is left alone.
    """
    out: list[str] = []
    current: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            if current:
                out.append(" ".join(current))
                current = []
            continue
        if _BLOCK_START.match(raw):
            if current:
                out.append(" ".join(current))
                current = []
            out.append(raw.rstrip())
            continue
        current.append(line)
        if _SENTENCE_END.search(line):
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return "\n\n".join(out)


def clean_word_paste(text: str) -> str:
    """Remove what a paste from Microsoft Word leaves: conditional comments, style blocks, settings lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    word = has_word_residue(text)
    text = _CONDITIONAL_COMMENT.sub("", text)
    text = _DOWNLEVEL_REVEALED.sub("", text)
    text = _HTML_COMMENT.sub("", text)
    text = _WORD_BLOCK_ELEMENTS.sub("", text)
    text = _OFFICE_TAGS.sub("", text)
    if word:
        text = _CSS_COMMENT.sub("", text)
        text = _CSS_RULE.sub(lambda m: "" if _is_word_css_rule(m) else m.group(0), text)
        text = "\n".join(line for line in text.split("\n") if not _is_word_settings_line(line))
        text = text.replace("\u00a0", " ")
    text = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
    if word or _looks_hard_wrapped(text):
        text = unwrap_lines(text)
    return text.strip()


def _looks_hard_wrapped(text: str) -> bool:
    """Many lines and no blank line between any of them: a paste, not typed Markdown."""
    lines = text.split("\n")
    return len(lines) >= 8 and all(line.strip() for line in lines)


def _set_link_rel(attrs: dict, new: bool = False) -> dict:
    href_key = (None, "href")
    href = attrs.get(href_key, "")
    if not href:
        return attrs
    attrs[(None, "rel")] = LINK_REL
    attrs.pop((None, "target"), None)
    return attrs


def _demote_headings(html: str) -> str:
    def shift(match: re.Match[str]) -> str:
        level = min(int(match.group(2)) + HEADING_SHIFT, 6)
        return f"<{match.group(1)}h{level}{match.group(3)}>"

    return re.sub(r"<(/?)h([1-6])(\b[^>]*)>", shift, html)


#: An @mention (notifications, issue 11): ``@`` then a handle as ``forum.common.text.slugify`` makes them, not
#: preceded by a word character (so ``bob@example.org`` is no mention).
MENTION = re.compile(r"(?<![\w@/.+-])@(\w[\w-]{0,59})", re.UNICODE)
MENTION_CLASS = "forum-mention"


def mention_handle(typed: str) -> str:
    """The handle an @mention names: what was typed after the ``@``, as handles are written."""
    return unicodedata.normalize("NFKC", typed).lower().strip("-_")


class MentionFilter(html5lib_shim.Filter):
    """Link each @handle in text (not inside a link, ``code`` or ``pre``) to ``/users/<handle>/``.

    It runs after the sanitiser, on the token stream, so the serialiser escapes what it adds. Every handle that
    looks like one is linked, whether or not such a person exists: the profile address answers 404 alike for
    nobody and for no one, so the page reveals nothing, and rendering needs no query. Who is notified is the
    fan-out job's business (``forum.notifications.tasks``): only people who may read the group.
    """

    SKIP = frozenset({"a", "code", "pre"})

    def __iter__(self):
        depth = 0
        for token in super().__iter__():
            kind = token["type"]
            if kind in ("StartTag", "EndTag") and token["name"] in self.SKIP:
                depth += 1 if kind == "StartTag" else -1 if depth else 0
            if kind != "Characters" or depth or "@" not in token["data"]:
                yield token
                continue
            yield from self._split(token["data"])

    @staticmethod
    def _split(text: str):
        at = 0
        for match in MENTION.finditer(text):
            handle = mention_handle(match.group(1))
            if not handle:
                continue
            if match.start() > at:
                yield {"type": "Characters", "data": text[at:match.start()]}
            attrs = {(None, "href"): f"/users/{quote(handle)}/", (None, "class"): MENTION_CLASS}
            yield {"type": "StartTag", "namespace": None, "name": "a", "data": attrs}
            yield {"type": "Characters", "data": match.group(0)}
            yield {"type": "EndTag", "namespace": None, "name": "a"}
            at = match.end()
        if at < len(text):
            yield {"type": "Characters", "data": text[at:]}


_cleaners = threading.local()


def _cleaner() -> bleach.Cleaner:
    """This thread's cleaner. A ``bleach.Cleaner`` keeps its HTML parser's state between calls and is not
    thread-safe (bleach says so): shared by the threads of one process (gunicorn's gthread workers), two posts
    rendered at once came out empty, cut short or mixed, or raised."""
    cleaner = getattr(_cleaners, "cleaner", None)
    if cleaner is None:
        cleaner = _cleaners.cleaner = bleach.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
            filters=[partial(LinkifyFilter, callbacks=[_set_link_rel], skip_tags={"pre", "code"}), MentionFilter],
        )
    return cleaner


_markdown = partial(markdown.markdown, extensions=["fenced_code", "tables", "sane_lists"], output_format="html")


def render(text: str) -> str:
    """Turn user text (Markdown, perhaps a Word paste) into safe HTML for storage."""
    source = clean_word_paste(text or "")
    html = _markdown(source)
    html = _demote_headings(html)
    return _cleaner().clean(html).strip()


def plain_text(text: str) -> str:
    """The readable text of user input with all markup gone (for titles, excerpts, quotes)."""
    html = render(text)
    return re.sub(r"\s+", " ", bleach.clean(html, tags=set(), strip=True)).strip()
