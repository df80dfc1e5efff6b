"""Ways to drive a page: with the mouse (Playwright's locators) or with the keyboard alone.

Both drivers offer the same verbs, named after what a person does, so one journey runs either way:
``fill(label, text)``, ``press(button)``, ``follow(link)``, ``open(summary)``. ``within`` narrows a verb to
the part of the page a CSS selector names (one post on the thread page, say).
"""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Locator, Page

from tests.people import Person, session_cookie

MAX_TABS = 200

# JavaScript predicates on the focused element. Each takes (el, arg) where arg = {name, within}.
_IN_SCOPE = "(!arg.within || !!el.closest(arg.within))"
_NORMALISE = "(s => (s || '').replace(/\\s+/g, ' ').trim())"
FIELD_LABELLED = f"""(el, arg) => {_IN_SCOPE} && !!el.labels &&
  [...el.labels].some(label => {_NORMALISE}(label.textContent) === arg.name)"""
BUTTON_NAMED = f"""(el, arg) => {_IN_SCOPE} &&
  el.matches('button, input[type=submit], [role=button]') &&
  {_NORMALISE}(el.tagName === 'INPUT' ? el.value : el.textContent) === arg.name"""
LINK_NAMED = f"""(el, arg) => {_IN_SCOPE} && el.tagName === 'A' && {_NORMALISE}(el.textContent) === arg.name"""
SUMMARY_NAMED = f"""(el, arg) => {_IN_SCOPE} && el.tagName === 'SUMMARY' &&
  {_NORMALISE}(el.textContent) === arg.name"""


def focused_matches(page: Page, predicate: str, arg: dict | None = None) -> bool:
    script = f"(arg) => {{ const el = document.activeElement; return !!el && ({predicate})(el, arg); }}"
    return bool(page.evaluate(script, arg or {}))


def describe_focus(page: Page) -> str:
    return page.evaluate(
        "() => { const el = document.activeElement; if (!el) return 'nothing';"
        " return el.outerHTML.slice(0, 160); }"
    )


# The look of an element and everything inside it (a <details> summary shows focus on its text).
_LOOK = """el => [el, ...el.querySelectorAll('*')].map(node => {
  const s = getComputedStyle(node);
  return [s.outlineStyle, s.outlineColor, s.outlineWidth, s.boxShadow, s.backgroundColor, s.color,
          s.textDecorationLine, s.textDecorationThickness].join('|');
}).join(';')"""


def assert_focus_visible(page: Page) -> None:
    """WCAG 2.4.7: the focused element looks different from when it is not focused. Shift+Tab away to see it
    unfocused, then Tab back."""
    focused = page.evaluate(
        f"() => {{ window.__focusTarget = document.activeElement; return ({_LOOK})(document.activeElement); }}"
    )
    page.keyboard.press("Shift+Tab")
    unfocused = page.evaluate(f"() => ({_LOOK})(window.__focusTarget)")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement === window.__focusTarget"), "Tab did not come back"
    assert focused != unfocused, f"focus is not visible on {describe_focus(page)}"


def tab_to(page: Page, predicate: str, arg: dict | None = None, max_tabs: int = MAX_TABS) -> None:
    """Press Tab until the focused element satisfies ``predicate`` (a JS ``(el, arg) => bool``), at most
    ``max_tabs`` times; fail with what was focused last if it never does."""
    for _ in range(max_tabs + 1):
        if focused_matches(page, predicate, arg):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {arg} within {max_tabs} presses (focus ended on {describe_focus(page)})")


def sign_in(app: Flask, page: Page, base_url: str, who: Person | str) -> None:
    """Give the browser a signed-in session cookie (what /login sets), without a trip through the form. ``who``
    is a session id (``sign_in_id(user)``) or a Person."""
    page.context.add_cookies([{**session_cookie(app, who), "url": base_url}])


class MouseDriver:
    """Clicks and fills through Playwright's accessible locators (label text, role and name)."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def _scope(self, within: str | None) -> Page | Locator:
        return self.page.locator(within) if within else self.page

    def fill(self, label: str, text: str, within: str | None = None) -> None:
        self._scope(within).get_by_label(label, exact=True).fill(text)

    def press(self, name: str, within: str | None = None) -> None:
        with self.page.expect_navigation():
            self._scope(within).get_by_role("button", name=name, exact=True).first.click()

    def follow(self, name: str, within: str | None = None) -> None:
        with self.page.expect_navigation():
            self._scope(within).get_by_role("link", name=name, exact=True).first.click()

    def open(self, summary: str, within: str | None = None) -> None:
        self._scope(within).locator("summary", has_text=summary).first.click()


class KeyboardDriver:
    """Only the keyboard: Tab to move focus, typing to write, Enter and Space to act; and wherever focus
    lands on something it acts on, the focus can be seen."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def _tab_to(self, predicate: str, name: str, within: str | None) -> None:
        tab_to(self.page, predicate, {"name": name, "within": within})
        assert_focus_visible(self.page)

    def fill(self, label: str, text: str, within: str | None = None) -> None:
        self._tab_to(FIELD_LABELLED, label, within)
        self.page.keyboard.press("ControlOrMeta+A")  # replace what an edit form holds
        self.page.keyboard.type(text)

    def press(self, name: str, within: str | None = None) -> None:
        self._tab_to(BUTTON_NAMED, name, within)
        with self.page.expect_navigation():
            self.page.keyboard.press("Space" if self._is_button() else "Enter")

    def follow(self, name: str, within: str | None = None) -> None:
        self._tab_to(LINK_NAMED, name, within)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def open(self, summary: str, within: str | None = None) -> None:
        self._tab_to(SUMMARY_NAMED, summary, within)
        self.page.keyboard.press("Enter")

    def _is_button(self) -> bool:
        return bool(self.page.evaluate("() => document.activeElement.matches('button, input[type=submit]')"))


Driver = MouseDriver | KeyboardDriver
