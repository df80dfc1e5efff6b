"""One two-host forum for the tests of this folder: a fresh PostgreSQL database holding the load tests' world
(``tests/load/world.py``), a redis-server, two app hosts (network namespaces where this machine allows it, else
127.0.0.2 and 127.0.0.3: the test ids say which) and nginx in front. Everything is stopped and removed afterwards,
even when a test or the set-up fails.

PostgreSQL only: SQLite cannot be shared between hosts. Under CI=true a missing PostgreSQL, redis-server or nginx
is a failure; elsewhere the tests skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import IN_CI, fresh_postgres_database
from tests.load import world
from tests.load.servers import RedisServer
from tests.scaleout import cluster as parts
from tests.scaleout import network


def _missing() -> str | None:
    if not os.environ.get("TEST_DATABASE_URL"):
        return "TEST_DATABASE_URL is not set (PostgreSQL)"
    if not RedisServer.installed():
        return "redis-server is not installed (apt-get install redis-server)"
    if not (os.path.exists(parts.NGINX) or shutil.which("nginx")):
        return "nginx is not installed (apt-get install nginx)"
    return None


@pytest.fixture(scope="module", params=[network.HOSTING])
def cluster(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[parts.Cluster]:
    missing = _missing()
    if missing:
        if IN_CI:
            pytest.fail(f"{missing}: under CI=true the scale-out tests must run")
        pytest.skip(missing)
    folder = tmp_path_factory.mktemp("scaleout")
    with ExitStack() as stack:
        url, drop = fresh_postgres_database(os.environ["TEST_DATABASE_URL"], "forum_scaleout")
        stack.callback(drop)
        app = world.seeding_app(url, folder)
        world.create_schema(app)
        lan = stack.enter_context(network.lan())
        redis = parts.SharedRedis(folder, lan.services)
        stack.callback(redis.stop)
        relay = None
        if lan.hosting == "netns":
            database = make_url(url)
            relay = parts.Relay(lan.services, (database.host or "127.0.0.1", database.port or 5432))
            stack.callback(relay.stop)
        settings = parts.host_settings(parts.database_url_for_hosts(url, lan, relay), redis)
        hosts = []
        for place in lan.hosts:
            hosts.append(parts.Host(place, settings, folder))
            stack.callback(lambda n=len(hosts) - 1: hosts[n].stop())  # the host at n then, restarted or not
        made = world.build(app)  # while the hosts start
        for host in hosts:
            host.wait_ready()
        nginx = parts.Nginx(folder, hosts)
        stack.callback(nginx.stop)
        made_cluster = parts.Cluster(lan, hosts, nginx, made, app, settings, folder)
        yield made_cluster
        logs = made_cluster.logs()
        assert "Traceback" not in logs, logs[-5000:]
        assert "[emerg]" not in nginx.errors() and "[crit]" not in nginx.errors(), nginx.errors()
