"""Browser tests: the real app served on a live port, driven by Debian's Chromium through Playwright.

The app comes from the shared ``app`` fixture (so every test runs on SQLite and on PostgreSQL) with CSRF
switched on, because a real browser sends the token; a module whose tests only read may use ``module_app``
instead, seeded once per database. One Chromium per process (each pytest-xdist worker launches its own, once);
one live server per process on a fixed port, serving the current test's app; contexts and pages kept from test
to test but handed out cleared (no cookies, storage, routes or extra pages), each with a cookie jar of its own.
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
from werkzeug.wsgi import ClosingIterator

from tests.conftest import IN_CI, TEMPLATE_CACHE, SharedBytecodeCache, database_uri, release, shared_app

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Headless needs no GPU; without these Chromium emulates one in software and does background work we never see.
CHROMIUM_ARGS = ["--disable-gpu", "--disable-extensions", "--disable-background-networking", "--no-first-run",
                 "--disable-features=Translate,OptimizationHints,MediaRouter"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Only the WCAG 2.2 A and AA rules; violations in full (passes and the rest summarised, which keeps it quick).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason}: under CI=true the browser tests must run")
    pytest.skip(reason)


class _Chromium:
    """One Playwright driver, one Chromium, one live server and a pool of idle pages for the whole process.
    Playwright's sync API cannot start twice at once, and other folders re-export these fixtures (each
    re-export is a fixture of its own to pytest), so they live here rather than in fixtures;
    pytest_sessionfinish closes them."""

    playwright: Playwright | None = None
    browser: Browser | None = None
    server: LiveServer | None = None
    idle: dict[tuple[bool, str], list[tuple[BrowserContext, Page]]] = {}

    @classmethod
    def get(cls) -> Browser:
        if cls.browser is None:
            cls.playwright = sync_playwright().start()
            cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        return cls.browser

    @classmethod
    def live_server(cls) -> LiveServer:
        if cls.server is None:
            cls.server = LiveServer()
        return cls.server

    @classmethod
    def stop(cls) -> None:
        for pages in cls.idle.values():
            for context, _page in pages:
                context.close()
        cls.idle = {}
        if cls.browser is not None:
            cls.browser.close()
        if cls.playwright is not None:
            cls.playwright.stop()
        if cls.server is not None:
            cls.server.stop()
        cls.browser = cls.playwright = cls.server = None


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


BLANK_PATH = "/__tests__/blank"  # answered by the live server itself: a page on the app's origin, no app


class LiveServer:
    """The process's live server, on one port for the whole run, serving whichever app the current test uses.

    One address for every test lets the browser keep its contexts and pages from test to test (a new context
    costs ~0.3 s of Chromium's time; a reused page ~0.02 s). Between tests no app is served (503)."""

    def __init__(self) -> None:
        self.app: Flask | None = None
        self._busy = 0  # requests whose response has not been closed yet
        self._idle = threading.Condition()
        self._server = make_server("127.0.0.1", 0, self, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="live-server",
                                        daemon=True)
        self._thread.start()

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == BLANK_PATH:
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [b"<!DOCTYPE html><html lang=en><title>blank</title></html>"]
        app = self.app
        if app is None:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"no test is running"]
        with self._idle:
            self._busy += 1
        try:
            return ClosingIterator(app(environ, start_response), self._done)
        except BaseException:
            self._done()
            raise

    def _done(self) -> None:
        with self._idle:
            self._busy -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float = 5.0) -> None:
        """Let requests still running (a page the test left loading) finish before their app is put away:
        a request cut off while its app's engine is disposed leaves a database connection open."""
        with self._idle:
            self._idle.wait_for(lambda: self._busy == 0, timeout=timeout)

    @contextmanager
    def serving(self, app: Flask) -> Iterator[str]:
        before, self.app = self.app, app
        try:
            yield self.url
        finally:
            self.app = before
            self.wait_idle()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@contextmanager
def serve(app: Flask, template_cache: SharedBytecodeCache | None = None) -> Iterator[str]:
    """Serve ``app`` on the process's live server; yields the base URL (no trailing slash). ``template_cache``
    is accepted for older callers: every test app already shares ``tests.conftest.TEMPLATE_CACHE``."""
    with _Chromium.live_server().serving(app) as url:
        yield url


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The test's app, served (a module on ``module_app`` overrides this with ``module_live_server``)."""
    with serve(app) as url:
        yield url


@pytest.fixture(scope="module")
def module_live_server(module_app: Flask) -> Iterator[str]:
    with serve(module_app) as url:
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


DEFAULT_VIEWPORT = {"width": 1280, "height": 720}


def _fresh(context: BrowserContext, page: Page, base_url: str) -> bool:
    """Make a used page as good as new for the next test: other pages closed, nothing loading, no cookies,
    storage or permissions, no routes, the default viewport. False when it cannot be reused."""
    if page.is_closed():
        return False
    for other in context.pages:
        if other is not page:
            other.close()
    page.unroute_all(behavior="ignoreErrors")
    context.unroute_all(behavior="ignoreErrors")
    page.goto(base_url + BLANK_PATH)  # the app's origin, to clear its storage
    page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
    page.goto("about:blank")
    context.clear_cookies()
    context.clear_permissions()
    if page.viewport_size != DEFAULT_VIEWPORT:
        page.set_viewport_size(DEFAULT_VIEWPORT)
    return True


class Session:
    """Browser contexts on the live server, as new to each test: ``new_page`` gives a page in a context of its
    own (its own cookies), whose console is recorded. Contexts and pages are kept for later tests after
    ``_fresh`` has cleared them: making new ones is most of a short browser test's cost."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.console = ConsoleLog()
        self._pages: list[tuple[bool, BrowserContext, Page]] = []

    def new_page(self, javascript: bool = True) -> Page:
        idle = _Chromium.idle.setdefault((javascript, self.base_url), [])
        if idle:
            context, page = idle.pop()
        else:
            context = self.browser.new_context(base_url=self.base_url, java_script_enabled=javascript,
                                               viewport=DEFAULT_VIEWPORT)
            context.set_default_timeout(10_000)
            page = context.new_page()
        self._pages.append((javascript, context, page))
        page.on("console", self.console.on_console)
        page.on("pageerror", self.console.on_page_error)
        return page

    def expect_error_status(self, path: str) -> str:
        """Note that ``path`` answers with an error status on purpose; returns its full URL."""
        url = self.base_url + path
        self.console.expected_status_urls.add(url)
        return url

    def close(self) -> None:
        """Stop recording the pages' consoles and give their contexts back, cleared (or closed)."""
        for javascript, context, page in self._pages:
            if not page.is_closed():
                page.remove_listener("console", self.console.on_console)
                page.remove_listener("pageerror", self.console.on_page_error)
            try:
                reusable = _fresh(context, page, self.base_url)
            except Exception:  # noqa: BLE001 - a page that cannot be cleared is closed, not reused
                reusable = False
            if reusable:
                _Chromium.idle.setdefault((javascript, self.base_url), []).append((context, page))
            else:
                context.close()
        self._pages = []


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
