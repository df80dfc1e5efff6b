"""Real processes for the load tests: gunicorn serving ``tests/load/wsgi.py`` and a redis-server, each started
on a free port on loopback and stopped afterwards, with their output kept in a file the tests read."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
SECRET_KEY = "load-test-secret-key-that-is-not-the-development-one"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, seconds: float, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(interval)
    return bool(check())


def answers(url: str) -> bool:
    """Whether the server answers a GET with any HTTP status at all."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            response.read()
        return True
    except urllib.error.HTTPError as error:
        error.close()
        return True
    except OSError:
        return False


class Gunicorn:
    """``gunicorn -w <workers>`` serving the forum with the real configuration, on a free loopback port."""

    def __init__(self, database_url: str, folder: Path, workers: int = 4, threads: int = 4,
                 rate_limit_storage: str = "memory://") -> None:
        """Start it; ``wait_ready()`` waits until it answers."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / f"gunicorn-{self.port}.log"
        env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "MAIL_SERVER")}
        env.update(DATABASE_URL=database_url, SECRET_KEY=SECRET_KEY, RATELIMIT_STORAGE_URI=rate_limit_storage,
                   FORUM_JOBS_SQLITE_PATH=str(folder / f"jobs-{self.port}.sqlite"), MAIL_FILE_DIR=str(folder))
        command = [str(GUNICORN), "--chdir", str(ROOT), "--bind", f"127.0.0.1:{self.port}", "--workers",
                   str(workers), "--graceful-timeout", "20", "--timeout", "60", "--preload",
                   "--no-control-socket",
                   "--access-logfile", "-", "--access-logformat", 'access %(p)s %(h)s "%(r)s" %(s)s %(L)s']
        if threads > 1:
            command += ["--worker-class", "gthread", "--threads", str(threads)]
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen([*command, "tests.load.wsgi:app"], env=env, cwd=ROOT, stdout=self._log,
                                        stderr=subprocess.STDOUT)

    def wait_ready(self) -> Gunicorn:
        """Wait until it answers (it starts while the test seeds its database)."""
        if not wait_until(lambda: answers(self.url + "/login") or self.process.poll() is not None, 60):
            self.stop()
            raise RuntimeError(f"gunicorn did not start:\n{self.log()}")
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at once:\n{self.log()}")
        return self

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def worker_pids(self) -> list[int]:
        """The master's children (gunicorn's workers), read from /proc."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def reload(self) -> None:
        """SIGHUP: gunicorn starts new workers and lets the old ones finish what they are serving."""
        self.process.send_signal(signal.SIGHUP)

    def stop(self) -> None:
        """Stop at once: the tests have their answers and every commit is made. (A worker takes seconds to finish
        exiting after it says so: the interpreter's clean-up of the forked app, not anything the forum does.)"""
        workers = self.worker_pids()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(0.5)
            except subprocess.TimeoutExpired:
                for pid in workers:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                self.process.kill()
                self.process.wait(10)
        self._log.close()


class RedisServer:
    """Debian's redis-server on a free loopback port, keeping nothing on disk."""

    BINARY = "/usr/bin/redis-server"

    @classmethod
    def binary(cls) -> str | None:
        return shutil.which("redis-server") or (cls.BINARY if os.path.exists(cls.BINARY) else None)

    @classmethod
    def installed(cls) -> bool:
        return cls.binary() is not None

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [str(self.binary()), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
             "no", "--daemonize", "no", "--dir", str(folder)],
            stdout=subprocess.DEVNULL,
        )

        def listening() -> bool:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return True
            except OSError:
                return False

        if not wait_until(listening, 10):
            self.stop()
            raise RuntimeError("redis-server did not start")

    def url(self, database: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)
