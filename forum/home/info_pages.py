"""The pages the law and residents expect (privacy notice, accessibility statement, cookies, contact): each a
Markdown file the council replaces by putting its own in ``instance/pages/<name>.md``."""

from __future__ import annotations

import os
from dataclasses import dataclass

from forum.common import instance_text
from forum.common.errors import NotFound

DEFAULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pages")


@dataclass(frozen=True)
class InfoPage:
    name: str
    title: str


PAGES = {page.name: page for page in (
    InfoPage("privacy", "Privacy notice"),
    InfoPage("accessibility", "Accessibility statement"),
    InfoPage("cookies", "Cookies"),
    InfoPage("contact", "Contact us"),
)}


def page(name: str) -> tuple[InfoPage, str]:
    """The page's title and its text as safe HTML."""
    if name not in PAGES:
        raise NotFound("There is no such page.")
    return PAGES[name], instance_text.rendered(f"pages/{name}.md", os.path.join(DEFAULTS, f"{name}.md"))
