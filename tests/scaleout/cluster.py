"""The processes of a two-host forum: a redis-server, a relay to the test's PostgreSQL (namespaces only), one
gunicorn per host (``tests.load.wsgi``, the real configuration) and nginx in front; and a browser that sees the
response headers (which host answered, whether the page came from the shared cache)."""

from __future__ import annotations

import contextlib
import copy
import http.client
import http.cookiejar
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from flask import Flask
from sqlalchemy.engine import make_url

from tests.load.clients import Answer, Client
from tests.load.servers import GUNICORN, ROOT, SECRET_KEY, Gunicorn, RedisServer, answers, wait_until
from tests.load.world import World
from tests.scaleout.network import Lan, Place

HERE = Path(__file__).resolve().parent
NGINX = "/usr/sbin/nginx"
HOST_PORT = 8000  # each namespace has its own ports


def free_port(address: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((address, 0))
        return s.getsockname()[1]


def listening(address: str, port: int) -> bool:
    try:
        socket.create_connection((address, port), timeout=0.2).close()
        return True
    except OSError:
        return False


# --- what the hosts share ----------------------------------------------------------------------------------------


class SharedRedis:
    """redis-server on loopback and on the LAN's address, so that both hosts reach it."""

    def __init__(self, folder: Path, services: str) -> None:
        self.port = free_port()
        self.address = services
        binds = " ".join(dict.fromkeys(["127.0.0.1", services]))
        self.process = subprocess.Popen(
            [str(RedisServer.binary()), "--port", str(self.port), "--bind", binds, "--protected-mode", "no",
             "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", str(folder)],
            stdout=subprocess.DEVNULL)
        if not wait_until(lambda: listening(services, self.port), 10):
            self.stop()
            raise RuntimeError("redis-server did not start")

    def url(self, database: int) -> str:
        return f"redis://{self.address}:{self.port}/{database}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


class Relay:
    """``tests/scaleout/relay.py`` in its own process: the LAN's address, port ``port``, to ``target``."""

    def __init__(self, services: str, target: tuple[str, int]) -> None:
        self.port = free_port(services)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.scaleout.relay", f"{services}:{self.port}={target[0]}:{target[1]}"],
            cwd=ROOT, stdout=subprocess.PIPE, text=True)
        if self.process.stdout.readline().strip() != "ready":
            self.stop()
            raise RuntimeError("the relay to PostgreSQL did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)
        self.process.stdout.close()


def database_url_for_hosts(url: str, lan: Lan, relay: Relay | None) -> str:
    """The same database as the hosts reach it: through the relay on the LAN, or directly on loopback."""
    if relay is None:
        return url
    return make_url(url).set(host=lan.services, port=relay.port).render_as_string(hide_password=False)


# --- the app hosts -----------------------------------------------------------------------------------------------


class Host(Gunicorn):
    """gunicorn (sync workers, the README's deployment) at one host's address, run there (``ip netns exec``)."""

    def __init__(self, place: Place, settings: dict[str, str], folder: Path, workers: int = 2,
                 port: int | None = None) -> None:
        self.place = place
        self.port = port or (HOST_PORT if place.prefix else free_port(place.address))
        self.address = f"{place.address}:{self.port}"
        self.url = f"http://{self.address}"
        self.log_path = folder / f"{place.name}.log"
        env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "MAIL_SERVER")}
        env.update(settings, FORUM_JOBS_SQLITE_PATH=str(folder / f"jobs-{place.name}.sqlite"),
                   MAIL_FILE_DIR=str(folder))
        command = [*place.prefix, str(GUNICORN), "--chdir", str(ROOT), "--bind", self.address,
                   "--workers", str(workers), "--graceful-timeout", "20", "--timeout", "60", "--preload",
                   "--no-control-socket", "--access-logfile", "-",
                   "--access-logformat", 'access %(p)s %(h)s "%(r)s" %(s)s %(L)s', "tests.load.wsgi:app"]
        self._log: IO[bytes] = self.log_path.open("ab")  # a host started again keeps adding to its log
        self.process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT)

    def running(self) -> bool:
        return self.process.poll() is None

    def kill(self, grace: float = 3.0) -> None:
        """The host goes away: SIGTERM (gunicorn stops taking requests and finishes those it has), then after
        ``grace`` seconds SIGKILL to whatever is left of it."""
        workers = self.worker_pids()
        self.process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(grace)
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.kill()
        self.process.wait(10)


def host_settings(database_url: str, redis: SharedRedis) -> dict[str, str]:
    """What every host is given, the same on each: the README's settings for several hosts."""
    return {"SECRET_KEY": SECRET_KEY, "DATABASE_URL": database_url, "RATELIMIT_STORAGE_URI": redis.url(0),
            "PAGE_CACHE_URL": redis.url(1), "PROXY_COUNT": "1"}


# --- nginx -------------------------------------------------------------------------------------------------------


class Nginx:
    """nginx in the root namespace from ``nginx.conf.template``: ``url`` shares requests between the hosts,
    ``url_to[n]`` reaches host n only (same address, so the same cookies)."""

    def __init__(self, folder: Path, hosts: list[Host]) -> None:
        self.folder = folder / "nginx"
        self.folder.mkdir()
        ports = [free_port() for _ in range(3)]
        self.url = f"http://127.0.0.1:{ports[0]}"
        self.url_to = [f"http://127.0.0.1:{port}" for port in ports[1:]]
        values = {"@USER@": "user root;" if os.geteuid() == 0 else "", "@FOLDER@": str(self.folder),
                  "@PORT@": str(ports[0]), "@PORT_A@": str(ports[1]), "@PORT_B@": str(ports[2]),
                  "@HOST_A@": hosts[0].address, "@HOST_B@": hosts[1].address}
        config = (HERE / "nginx.conf.template").read_text()
        for name, value in values.items():
            config = config.replace(name, value)
        (self.folder / "nginx.conf").write_text(config)
        self.process = subprocess.Popen(
            [NGINX, "-p", str(self.folder), "-c", str(self.folder / "nginx.conf"),
             "-e", str(self.folder / "nginx-error.log")], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        if not wait_until(lambda: all(answers(url + "/login") for url in [self.url, *self.url_to])
                          or self.process.poll() is not None, 20) or self.process.poll() is not None:
            self.stop()
            raise RuntimeError(f"nginx did not start:\n{self.errors()}")

    def errors(self) -> str:
        path = self.folder / "nginx-error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


# --- a browser that sees headers ---------------------------------------------------------------------------------


@dataclass
class Seen(Answer):
    """An answer and its headers (names in lower case)."""

    headers: dict[str, str] = field(default_factory=dict)

    @property
    def upstream(self) -> str:
        """The host that gave this answer (nginx lists every host it tried; the last one answered)."""
        return self.headers.get("x-upstream", "").split(",")[-1].strip()

    @property
    def upstreams(self) -> list[str]:
        return [u.strip() for u in self.headers.get("x-upstream", "").split(",") if u.strip()]


class Browser(Client):
    """A ``tests.load`` client that keeps response headers, can send some (``If-None-Match``), and can be
    pointed at another port of nginx with the same cookies (``through``)."""

    def __init__(self, base_url: str, address: str = "127.0.0.1",
                 cookies: http.cookiejar.CookieJar | None = None) -> None:
        super().__init__(base_url, address)
        if cookies is not None:
            self.cookies = cookies
            for handler in self._opener.handlers:
                if isinstance(handler, urllib.request.HTTPCookieProcessor):
                    handler.cookiejar = cookies

    def through(self, base_url: str) -> Browser:
        """The same browser (same cookies, same address) talking to another port."""
        return Browser(base_url, self.address, self.cookies)

    def copy(self) -> Browser:
        """Another browser holding a copy of this one's cookies as they are now (a stolen or saved cookie)."""
        jar = http.cookiejar.CookieJar()
        for cookie in self.cookies:
            jar.set_cookie(copy.copy(cookie))
        return Browser(self.base_url, self.address, jar)

    def request(self, path: str, data: list[tuple[str, str]] | None = None,
                headers: dict[str, str] | None = None) -> Seen:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base_url + path, data=body, headers=headers or {})
        started = time.monotonic()
        try:
            with self._opener.open(req, timeout=60) as response:
                text = response.read().decode("utf-8", errors="replace")
                return Seen(response.status, text, response.headers.get("Location", ""),
                            seconds=time.monotonic() - started,
                            headers={k.lower(): v for k, v in response.headers.items()})
        except (OSError, http.client.HTTPException) as error:
            return Seen(0, error=f"{type(error).__name__}: {error}", seconds=time.monotonic() - started)

    def get(self, path: str, headers: dict[str, str] | None = None) -> Seen:
        return self.request(path, headers=headers)


# --- the whole ---------------------------------------------------------------------------------------------------


@dataclass
class Cluster:
    lan: Lan
    hosts: list[Host]
    nginx: Nginx
    world: World
    reader: Flask  # an app on the same database, in the test process, for counting what was stored
    settings: dict[str, str]
    folder: Path

    @property
    def url(self) -> str:
        return self.nginx.url

    def url_to(self, host: int) -> str:
        return self.nginx.url_to[host]

    def restore(self) -> None:
        """Start again any host a test stopped (so the next test finds both, whatever the order)."""
        for n, host in enumerate(self.hosts):
            if not host.running():
                host.stop()
                self.hosts[n] = Host(host.place, self.settings, self.folder, port=host.port).wait_ready()

    def logs(self) -> str:
        return "\n".join(host.log() for host in self.hosts)

    @contextmanager
    def rows(self):
        """An app context for reading what the hosts stored (its connections closed afterwards)."""
        from forum.extensions import db

        with self.reader.app_context():
            try:
                yield
            finally:
                db.session.rollback()
                db.engine.dispose()
