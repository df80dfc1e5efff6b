"""The shared browser fixtures (live server, Chromium, axe), with CSRF on, for the groups' browser tests."""

from tests.browser.conftest import (  # noqa: F401 - re-exported fixtures
    app_config,
    axe,
    browser_session,
    check_a11y,
    chromium,
    live_server,
    nojs_page,
    page,
    template_cache,
)
