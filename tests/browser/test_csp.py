"""The strict CSP holds in a real browser: no console errors (a refused script or style shows up there), and
GOV.UK Frontend's JavaScript starts: the inline snippet allowed by its hash, the components from a file."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page

from tests import factories
from tests.browser.conftest import Session
from tests.browser.helpers import sign_in
from tests.factories import sign_in_id

pytestmark = pytest.mark.browser

JS_STATE = """() => {
  const modules = [...document.querySelectorAll('[data-module]')];
  const unstarted = modules
    .filter(el => !el.hasAttribute(`data-${el.dataset.module}-init`))
    .map(el => el.dataset.module);
  return {supported: document.body.classList.contains('govuk-frontend-supported'),
          modules: modules.length, unstarted};
}"""


@pytest.fixture
def app(module_app: Flask) -> Flask:
    return module_app


@pytest.fixture
def live_server(module_live_server: str) -> str:
    return module_live_server


@pytest.fixture(scope="module")
def seeded(module_app: Flask) -> dict:
    with module_app.app_context():
        author = factories.make_user("Sam Resident")
        group = factories.make_group("Parks and play areas", members=(author,))
        thread = factories.make_thread(group, author, "Fix the swings", tags="play areas", replies=2,
                                       comments_per_post=1)
        return {"thread": thread.id, "author": sign_in_id(author), "group": group.slug}


def assert_govuk_js_started(page: Page) -> None:
    state = page.evaluate(JS_STATE)
    assert state["supported"], "the inline GOV.UK snippet did not run (refused by the CSP?)"
    assert state["modules"] > 0
    assert state["unstarted"] == [], f"GOV.UK components not initialised: {state['unstarted']}"


@pytest.mark.parametrize(
    ("where", "signed_in"),
    [("home", False), ("home", True), ("thread", False), ("thread", True), ("new-thread-errors", True)],
)
def test_govuk_javascript_runs_under_the_csp_without_console_errors(
    where: str, signed_in: bool, app: Flask, seeded: dict, page: Page, browser_session: Session
) -> None:
    if signed_in:
        sign_in(app, page, browser_session.base_url, seeded["author"])
    if where == "home":
        page.goto("/")
    elif where == "thread":
        page.goto(f"/threads/{seeded['thread']}/")
    else:
        page.goto(f"/groups/{seeded['group']}/threads/new")
        with page.expect_navigation():
            page.get_by_role("button", name="Start the thread").click()
        # GOV.UK's error summary component moves focus to itself once it has started
        page.wait_for_function("() => document.activeElement.classList.contains('govuk-error-summary')")
    assert_govuk_js_started(page)
    browser_session.console.assert_clean()


def test_an_injected_inline_script_is_refused_and_reported(page: Page, browser_session: Session) -> None:
    page.goto("/")
    page.evaluate("""() => {
      const s = document.createElement('script');
      s.textContent = 'document.body.dataset.injected = "yes"';
      document.body.appendChild(s);
    }""")
    assert page.evaluate("document.body.dataset.injected") is None
    assert any("Content Security Policy" in e for e in browser_session.console.errors)
    browser_session.console.errors.clear()


def test_an_inline_style_attribute_is_refused_and_reported(page: Page, browser_session: Session) -> None:
    page.goto("/")
    page.evaluate("() => { document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>'); }")
    assert any("Content Security Policy" in e for e in browser_session.console.errors)
    browser_session.console.errors.clear()
