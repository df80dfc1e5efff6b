"""The strict CSP holds in a real browser: no console errors, and GOV.UK Frontend's JavaScript starts."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

JS_STARTED = """() => {
  const modules = [...document.querySelectorAll('[data-module]')];
  const unstarted = modules
    .filter(el => !el.hasAttribute(`data-${el.dataset.module}-init`))
    .map(el => el.dataset.module);
  return {supported: document.body.classList.contains('govuk-frontend-supported'),
          modules: modules.length, unstarted};
}"""


def assert_govuk_js_started(page) -> None:
    state = page.evaluate(JS_STARTED)
    assert state["supported"], "the inline GOV.UK snippet did not run (blocked by the CSP?)"
    assert state["modules"] > 0
    assert state["unstarted"] == [], f"GOV.UK components not initialised: {state['unstarted']}"


def test_home_page_runs_govuk_javascript_under_the_csp(page, browser_session) -> None:
    page.goto("/")
    assert_govuk_js_started(page)
    browser_session.console.assert_clean()


def test_an_injected_inline_script_is_refused_and_reported(page, browser_session) -> None:
    page.goto("/")
    page.evaluate("""() => {
      const s = document.createElement('script');
      s.textContent = 'document.body.dataset.injected = "yes"';
      document.body.appendChild(s);
    }""")
    assert page.evaluate("document.body.dataset.injected") is None
    assert any("Content Security Policy" in e for e in browser_session.console.errors)
    browser_session.console.errors.clear()
