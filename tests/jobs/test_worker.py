"""Jobs through a real consumer: a redis-server started here, ``flask jobs worker`` in its own process, and the
app queuing on commit, as in production. (Every other test runs jobs at once, in Huey's immediate mode.)"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from forum import create_app
from forum.common.transaction import unit_of_work
from forum.extensions import db
from forum.jobs import huey_of
from forum.mail import services
from forum.mail.models import MailStatus, OutboxMessage
from tests.conftest import IN_CI, base_config


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    binary = shutil.which("redis-server")
    if binary is None:
        if IN_CI:
            pytest.fail("redis-server is not installed: under CI=true the worker tests must run")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port, folder = free_port(), tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(10)


def start_worker(uri: str, redis_url: str, mail_dir: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": uri, "REDIS_URL": redis_url, "MAIL_FILE_DIR": str(mail_dir),
           "SECRET_KEY": "test-secret"}
    env.pop("MAIL_SERVER", None)
    flask = os.path.join(os.path.dirname(sys.executable), "flask")
    return subprocess.Popen([flask, "--app", "forum", "jobs", "worker", "-w", "1"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def wait_for(check, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.1)
    return check()


def test_a_real_worker_delivers_what_the_app_queued_on_commit(app, redis_url, tmp_path):
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    queuing = create_app({**base_config(uri), "JOBS_IMMEDIATE": False, "REDIS_URL": redis_url})
    assert type(huey_of(queuing).storage).__name__ == "RedisStorage"
    with queuing.app_context(), unit_of_work():  # this app has no test hook committing its contexts
        message_id = services.queue_mail("ann@example.org", "Through Redis", "Hello from the worker").id
    worker = start_worker(uri, redis_url, tmp_path)
    try:
        files = wait_for(lambda: list(tmp_path.glob("*.eml")))
    finally:
        worker.terminate()
        output = worker.communicate(timeout=20)[0].decode()
    assert files, f"the worker delivered nothing:\n{output}"
    assert "Through Redis" in files[0].read_text()
    with queuing.app_context():
        status = db.session.scalar(select(OutboxMessage.status).where(OutboxMessage.id == message_id))
    with queuing.app_context():
        for engine in db.engines.values():
            engine.dispose()
    assert status == MailStatus.SENT


def test_without_redis_the_queue_is_sqlite_in_the_instance_folder(tmp_path):
    made = create_app({**base_config(f"sqlite:///{tmp_path / 'f.sqlite'}"), "JOBS_IMMEDIATE": False,
                       "JOBS_SQLITE_PATH": str(tmp_path / "jobs.sqlite")})
    assert type(huey_of(made).storage).__name__ == "SqliteStorage"
