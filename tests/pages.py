"""Read a page the way a person does: through its parsed document, not by searching the HTML for a string.

``read(response)`` parses a test client response (or an HTML string) with Beautiful Soup and the standard
library's parser; CSS selectors come from soupsieve. Every text it returns has its runs of white space made
one space and its ends trimmed, so a test compares what is shown, not how the template is indented.

How a test uses it::

    from tests.pages import read

    page = read(client.post("/register", data={"email": "bad"}))
    assert page.h1 == "Create an account"
    assert page.error_summary == ["Enter a display name", "Enter an email address in the correct format, ..."]
    assert page.field_error("email").startswith("Enter an email address")   # "Error:" prefix left out
    assert page.value("email") == "bad"                 # what the form shows again in the field
    assert "/login" in page.links()                     # every link's href (or page.links(".govuk-header a"))
    assert page.text(".govuk-notification-banner") == "Success Your post was published"
    assert page.texts(".govuk-summary-list__key") == ["Name", "Email"]
    assert "Nothing here yet" in page.visible_text      # the page's text, no tags, no scripts or styles

``text`` fails with the selector in the message when nothing matches; ``has(selector)`` and ``count(selector)``
ask without failing. For tests that still search the HTML as a string, ``raw_html(response)`` is the HTML as
sent and ``html_as_read(response)`` the HTML with entities decoded and white space squeezed (the support
modules' ``text`` and ``page`` helpers).
"""

from __future__ import annotations

import html as html_module
from typing import Any

from bs4 import BeautifulSoup, Tag

ERROR_PREFIX = "Error:"


def squeeze(text: str) -> str:
    """Runs of white space made one space, ends trimmed."""
    return " ".join(text.split())


def _html_of(source: Any) -> str:
    if isinstance(source, str):
        return source
    if isinstance(source, bytes):
        return source.decode()
    return source.get_data(as_text=True)  # a Flask/Werkzeug test response


def raw_html(source: Any) -> str:
    """The response's HTML as text, unparsed."""
    return _html_of(source)


def html_as_read(source: Any) -> str:
    """The page's HTML with entities decoded and runs of white space made one space."""
    return squeeze(html_module.unescape(_html_of(source)))


def text_of(element: Tag) -> str:
    return squeeze(element.get_text(" "))


class Document:
    """A parsed page. Build it with ``read(response)``."""

    def __init__(self, source: Any) -> None:
        self.html = _html_of(source)
        self.soup = BeautifulSoup(self.html, "html.parser")

    def __repr__(self) -> str:
        return f"<Document h1={self.h1!r}>"

    # Finding elements

    def select(self, selector: str) -> list[Tag]:
        return self.soup.select(selector)

    def one(self, selector: str) -> Tag:
        """The first element ``selector`` matches; fails, naming the selector and the page, if none does."""
        found = self.soup.select_one(selector)
        if found is None:
            raise AssertionError(f"nothing on the page {self.h1!r} matches {selector!r}")
        return found

    def has(self, selector: str) -> bool:
        return self.soup.select_one(selector) is not None

    def count(self, selector: str) -> int:
        return len(self.soup.select(selector))

    # Text

    def text(self, selector: str) -> str:
        """The text of the first element ``selector`` matches."""
        return text_of(self.one(selector))

    def texts(self, selector: str) -> list[str]:
        """The text of every element ``selector`` matches, in page order."""
        return [text_of(element) for element in self.soup.select(selector)]

    @property
    def h1(self) -> str | None:
        found = self.soup.find("h1")
        return text_of(found) if found else None

    @property
    def title(self) -> str | None:
        found = self.soup.find("title")
        return text_of(found) if found else None

    @property
    def visible_text(self) -> str:
        """Everything the page says, without tags, scripts, styles or templates."""
        soup = BeautifulSoup(self.html, "html.parser")
        for hidden in soup(["script", "style", "template", "head"]):
            hidden.decompose()
        return text_of(soup)

    # GOV.UK error messages

    @property
    def error_summary(self) -> list[str]:
        """The messages in the GOV.UK error summary, in order ([] when the page has none)."""
        return self.texts(".govuk-error-summary__list li")

    @property
    def error_links(self) -> dict[str, str]:
        """Each message in the error summary and the field it links to (``#email``)."""
        return {text_of(a): a.get("href", "") for a in self.soup.select(".govuk-error-summary__list a")}

    def _field(self, name: str) -> Tag | None:
        return self.soup.find(attrs={"name": name}) or self.soup.find(id=name)

    def field_error(self, name: str) -> str | None:
        """The error message shown by the field named ``name`` (by ``name`` or ``id``), without GOV.UK's
        visually hidden "Error:" prefix; None when the field shows none."""
        field = self._field(name)
        ids = [name]
        if field is not None and field.get("id"):
            ids.insert(0, field["id"])
        for field_id in ids:
            message = self.soup.find(id=f"{field_id}-error")
            if message is not None:
                return self._without_prefix(text_of(message))
        group = field.find_parent(class_="govuk-form-group") if field is not None else None
        message = group.select_one(".govuk-error-message") if group is not None else None
        return self._without_prefix(text_of(message)) if message is not None else None

    @staticmethod
    def _without_prefix(message: str) -> str:
        return message[len(ERROR_PREFIX):].strip() if message.startswith(ERROR_PREFIX) else message

    # Forms

    def value(self, name: str) -> str | list[str] | None:
        """What the field named ``name`` holds as shown: an input's value, a textarea's text, a select's chosen
        option; for radios the checked one's value, for checkboxes the list of checked values. None when the
        page has no such field (or no radio is checked)."""
        fields = self.soup.find_all(attrs={"name": name})
        if not fields:
            return None
        first = fields[0]
        if first.name == "textarea":
            # html.parser keeps the newline that browsers drop right after <textarea>
            return first.get_text().removeprefix("\n")
        if first.name == "select":
            chosen = first.find("option", selected=True) or first.find("option")
            return None if chosen is None else chosen.get("value", text_of(chosen))
        kind = (first.get("type") or "text").lower()
        if kind == "checkbox":
            return [f.get("value", "on") for f in fields if f.has_attr("checked")]
        if kind == "radio":
            checked = [f.get("value", "on") for f in fields if f.has_attr("checked")]
            return checked[0] if checked else None
        return first.get("value", "")

    def form(self, action: str | None = None) -> Tag:
        """The form posting to ``action`` (the first form when None)."""
        return self.one("form" if action is None else f'form[action="{action}"]')

    # Links

    def links(self, selector: str = "a") -> list[str]:
        """The href of every link ``selector`` matches (all links by default), in page order."""
        return [a["href"] for a in self.soup.select(selector) if a.has_attr("href")]

    def link(self, text: str) -> str:
        """The href of the first link whose text is ``text``."""
        for a in self.soup.find_all("a"):
            if text_of(a) == text and a.has_attr("href"):
                return a["href"]
        raise AssertionError(f"no link {text!r} on the page {self.h1!r}")


def read(source: Any) -> Document:
    """Parse a test client response (or HTML text)."""
    return Document(source)
