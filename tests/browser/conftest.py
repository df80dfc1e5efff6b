"""Browser tests: the real app served on a live port, driven by Debian's Chromium through Playwright.

The app comes from the shared ``app`` fixture (so every test runs on SQLite and on PostgreSQL) with CSRF
switched on, because a real browser sends the token; a module whose tests only read may use ``module_app``
instead, seeded once per database. One Chromium per process (each pytest-xdist worker launches its own, once);
a fresh context (cookies, storage) per test; one live server per test (per module on ``module_app``).
Every page's console is recorded: a CSP violation or a script error fails the test. A missing Chromium is a
skip on a developer's machine and a failure under CI=true.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, sync_playwright
from werkzeug.serving import make_server

from tests.conftest import IN_CI, TEMPLATE_CACHE, SharedBytecodeCache, database_uri, release, shared_app

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Only the WCAG 2.2 A and AA rules; violations in full (passes and the rest summarised, which keeps it quick).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason}: under CI=true the browser tests must run")
    pytest.skip(reason)


class _Chromium:
    """One Playwright driver and one Chromium for the whole process. Playwright's sync API cannot start twice
    at once, and other folders re-export these fixtures (each re-export is a fixture of its own to pytest),
    so the browser lives here rather than in the fixture; pytest_sessionfinish closes it."""

    playwright: Playwright | None = None
    browser: Browser | None = None

    @classmethod
    def get(cls) -> Browser:
        if cls.browser is None:
            cls.playwright = sync_playwright().start()
            cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM)
        return cls.browser

    @classmethod
    def stop(cls) -> None:
        if cls.browser is not None:
            cls.browser.close()
        if cls.playwright is not None:
            cls.playwright.stop()
        cls.browser = cls.playwright = None


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _Chromium.stop()


@pytest.fixture(scope="session")
def chromium() -> Browser:
    """One headless Chromium for the whole run (launching takes most of a second)."""
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    return _Chromium.get()


# CSRF on, as in production; static files cached for the run, so each page view costs one request, not four.
BROWSER_CONFIG = {"WTF_CSRF_ENABLED": True, "SEND_FILE_MAX_AGE_DEFAULT": 3600}


@pytest.fixture
def app_config() -> dict:
    """The shared ``app`` fixture with CSRF on: the browser posts the real token."""
    return dict(BROWSER_CONFIG)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_app(request, postgres_url: str | None, sqlite_url: str) -> Iterator[Flask]:
    """One app per module and database, for modules whose tests only read what they seed once. Such a module
    overrides ``app`` and ``live_server``: ``def app(module_app): return module_app`` and
    ``def live_server(module_live_server): return module_live_server``. It is the same shared app as the
    ``app`` fixture's with these settings, emptied when the module starts."""
    app = shared_app(database_uri(request.param, postgres_url, sqlite_url), BROWSER_CONFIG)
    yield app
    release(app)


@pytest.fixture(scope="session")
def template_cache() -> SharedBytecodeCache:
    """Every app's compiled templates (tests.conftest sets the cache on each app it makes)."""
    return TEMPLATE_CACHE


@contextmanager
def serve(app: Flask, template_cache: SharedBytecodeCache) -> Iterator[str]:
    """Serve ``app`` on a free local port in a daemon thread; yields the base URL (no trailing slash)."""
    app.jinja_env.bytecode_cache = template_cache
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def live_server(app: Flask, template_cache: SharedBytecodeCache) -> Iterator[str]:
    """The test's app, served (a module on ``module_app`` overrides this with ``module_live_server``)."""
    with serve(app, template_cache) as url:
        yield url


@pytest.fixture(scope="module")
def module_live_server(module_app: Flask, template_cache: SharedBytecodeCache) -> Iterator[str]:
    with serve(module_app, template_cache) as url:
        yield url


@dataclass
class ConsoleLog:
    """Console errors and uncaught exceptions seen in a context's pages."""

    errors: list[str] = field(default_factory=list)
    # Documents expected to answer with an error status (a 404 page): Chromium logs their load as an error.
    expected_status_urls: set[str] = field(default_factory=set)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        if message.text.startswith("Failed to load resource") and url in self.expected_status_urls:
            return
        self.errors.append(f"{message.text} (at {url})")

    def on_page_error(self, error: Exception) -> None:
        self.errors.append(f"uncaught: {error}")

    def assert_clean(self) -> None:
        errors, self.errors = self.errors, []
        assert not errors, "console errors (a CSP violation or a script error):\n" + "\n".join(errors)


class Session:
    """A fresh browser context on the live server: ``new_page`` opens pages whose console is recorded."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.console = ConsoleLog()
        self._contexts: list[BrowserContext] = []

    def new_page(self, javascript: bool = True) -> Page:
        context = self.browser.new_context(base_url=self.base_url, java_script_enabled=javascript)
        context.set_default_timeout(10_000)
        self._contexts.append(context)
        page = context.new_page()
        page.on("console", self.console.on_console)
        page.on("pageerror", self.console.on_page_error)
        return page

    def expect_error_status(self, path: str) -> str:
        """Note that ``path`` answers with an error status on purpose; returns its full URL."""
        url = self.base_url + path
        self.console.expected_status_urls.add(url)
        return url

    def close(self) -> None:
        for context in self._contexts:
            context.close()


@pytest.fixture
def browser_session(chromium: Browser, live_server: str) -> Iterator[Session]:
    session = Session(chromium, live_server)
    yield session
    session.close()
    session.console.assert_clean()


@pytest.fixture
def page(browser_session: Session) -> Page:
    """A page with JavaScript on, in its own context."""
    return browser_session.new_page()


@pytest.fixture
def nojs_page(browser_session: Session) -> Page:
    """A page with JavaScript off, in its own context."""
    return browser_session.new_page(javascript=False)


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation.get('impact')}): {violation.get('help')}")
        for node in violation.get("nodes", []):
            lines.append(f"    {node.get('target')}: {(node.get('failureSummary') or '').splitlines()[-1:]}")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


@pytest.fixture
def check_a11y(axe: Axe) -> Callable[[Page], None]:
    """Run axe-core's WCAG 2.2 A and AA rules on the page as it is now and require zero violations."""

    def check(page: Page) -> None:
        results = axe.run(page, options=AXE_OPTIONS)
        violations = results.response["violations"]
        assert not violations, f"axe found violations on {page.url}:\n{format_violations(violations)}"

    return check
