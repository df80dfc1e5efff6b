"""The sign-in limit holds across processes when they share a real redis-server, as production runs: the load
site's gunicorn (4 sync workers, limits in redis), 30 sign-in attempts from one new address at once, and
exactly RATELIMIT_LOGIN's first number get through, in total, though several processes answered them.
(With each process counting in its own memory, ``memory://``, 22 of the same 30 got through in one try.)"""

from __future__ import annotations

import re

import pytest

from forum.common.errors import ERROR_TITLES
from forum.config import DEFAULTS
from tests.conftest import IN_CI
from tests.load import world
from tests.load.clients import Answer, Client, all_at_once, problems
from tests.load.conftest import Site

ATTEMPTS = 30
LIMIT = int(re.match(r"(\d+) per minute", DEFAULTS["RATELIMIT_LOGIN"]).group(1))  # 10
ADDRESS = "127.0.0.250"  # no one else signs in from here


def hammer(client: Client, email: str, password: str) -> list[Answer]:
    """``ATTEMPTS`` sign-ins with a wrong password, sent at once by one browser (one CSRF token)."""
    _, form = client.form("/login")
    assert form is not None
    attempt = form.filled({"email": email, "password": password})
    return all_at_once([lambda: client.request("/login", attempt)] * ATTEMPTS)


def serving_pids(site: Site) -> set[str]:
    """Which worker processes answered the sign-in POSTs from ``ADDRESS`` (gunicorn's access log names each)."""
    pattern = rf'^access <(\d+)> {re.escape(ADDRESS)} "POST /login'
    return set(re.findall(pattern, site.server.log(), re.MULTILINE))


def test_the_sign_in_limit_is_shared_by_every_process_through_redis(site: Site) -> None:
    if not site.rate_limit_storage.startswith("redis://"):
        if IN_CI:
            pytest.fail("the load site runs without redis-server under CI=true")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    email = site.world.emails[-1]
    answers = hammer(Client(site.server.url, ADDRESS), email, "not the password")
    assert not problems(answers), problems(answers)
    statuses = sorted(a.status for a in answers)
    assert statuses == [200] * LIMIT + [429] * (ATTEMPTS - LIMIT), [str(a) for a in answers]
    assert all("Enter a correct email address and password" in a.body for a in answers if a.status == 200)
    assert all(ERROR_TITLES[429] in a.body for a in answers if a.status == 429)
    assert len(serving_pids(site)) > 1, site.server.log()[-3000:]  # several processes, one count
    # The right password, from another browser at the same address, waits too.
    other = Client(site.server.url, ADDRESS)
    _, form = other.form("/login")
    assert other.request("/login", form.filled({"email": email, "password": world.PASSWORD})).status == 429
