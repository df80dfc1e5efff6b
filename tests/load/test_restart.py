"""Restarting the app processes in the middle of a run of replies, on SQLite and on PostgreSQL, under gunicorn
as the README deploys it (4 sync workers). (gthread workers reset a connection now and then on a graceful
reload: gunicorn 27's gthread worker, not the forum.)

Twelve people reply one after another as fast as they are answered while a probe asks for a page every 20 ms.
First gunicorn's master is sent SIGHUP (a graceful reload: new workers start, the old ones finish what they are
serving): no request may fail at all, not even the probe. Then a worker is killed outright (SIGKILL, a crash):
its request in flight may be lost without an answer, but the service answers again at once and nothing
answered is lost. Afterwards every accepted reply is stored exactly once, nothing refused or unanswered was
stored twice, and every counter equals a recount.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from tests.load import world
from tests.load.clients import Answer, Client
from tests.load.conftest import Site
from tests.load.servers import wait_until

WRITERS = 12
REPLIES_EACH = 6  # under the posting limit of 10 a minute per person (forum/config.py RATELIMIT_POSTING)
FIRST_WRITER = 100  # people 100..111: not used by the other load tests


@dataclass
class Probe:
    """Asks for a page every 20 ms; keeps when each answer came and whether it was a good one."""

    client: Client
    answers: list[tuple[float, Answer]] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.done.is_set():
            started = time.monotonic()
            self.answers.append((started, self.client.get("/login")))
            time.sleep(max(0.0, 0.02 - (time.monotonic() - started)))

    def failures(self, since: float = 0.0, until: float = float("inf")) -> list[Answer]:
        return [a for t, a in self.answers if since <= t < until and a.status != 200]

    def longest_wait(self) -> float:
        """The longest time between two good answers (how long the service was not there)."""
        good = [t + a.seconds for t, a in self.answers if a.status == 200]
        return max((b - a for a, b in zip(good, good[1:], strict=False)), default=0.0)


def _write(client: Client, path: str, marker: str, n: int, sent: list[tuple[str, Answer]]) -> None:
    _, form = client.form(path)
    assert form is not None
    for k in range(REPLIES_EACH):
        text = f"Restart {marker}: loader {n}, reply {k}."
        sent.append((text, client.request(path, form.filled({"body": text}))))


def test_restarting_the_app_processes_mid_load_loses_no_accepted_reply(site: Site) -> None:
    marker = uuid.uuid4().hex[:8]
    path = f"/threads/{site.world.restart_thread_id}/reply"
    server = site.server
    probe = Probe(Client(server.url))
    sent: list[list[tuple[str, Answer]]] = [[] for _ in range(WRITERS)]
    old_workers = set(server.worker_pids())
    watcher = threading.Thread(target=probe.run)
    watcher.start()
    try:
        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            writing = [pool.submit(_write, site.people[FIRST_WRITER + n], path, marker, n, sent[n])
                       for n in range(WRITERS)]
            wait_until(lambda: sum(map(len, sent)) >= WRITERS, 30)
            reloaded_at = time.monotonic()
            server.reload()
            assert wait_until(lambda: len(set(server.worker_pids()) - old_workers) == 4, 30), server.log()[-3000:]
            new_workers = set(server.worker_pids()) - old_workers
            wait_until(lambda: sum(map(len, sent)) >= WRITERS * REPLIES_EACH // 2, 30)
            killed_at = time.monotonic()
            os.kill(min(new_workers), signal.SIGKILL)
            for future in writing:
                future.result()
    finally:
        probe.done.set()
        watcher.join()

    answers = [answer for replies in sent for _, answer in replies]
    # Through the graceful reload nothing failed, the probe included.
    assert probe.failures(reloaded_at, killed_at) == []
    assert [a for a in answers if a.status != 302 and a.status != 0] == []
    after_crash = probe.failures(killed_at)
    assert len(after_crash) <= 1, [(a.status, a.error) for a in after_crash]  # at most the request it was serving
    print(f"\n{site.backend}: {len(answers)} replies, longest wait for a page {probe.longest_wait():.2f} s, "
          f"{len(after_crash)} probe failed after the crash")
    # Not a gap in service, only a queue: 12 writers and the probe share 4 workers on a busy 2-core machine.
    assert probe.longest_wait() < 10.0

    accepted = [text for replies in sent for text, a in replies if a.status == 302]
    unanswered = [text for replies in sent for text, a in replies if a.status == 0]
    assert len(unanswered) <= 1, unanswered  # at most what the killed worker was serving
    with site.rows():
        stored = world.bodies_in(site.world.restart_thread_id)
        assert {t: stored[t] for t in accepted} == {t: 1 for t in accepted}
        assert all(stored[t] <= 1 for t in unanswered)
        assert sum(n for body, n in stored.items() if marker in body) == len(accepted) + sum(
            stored[t] for t in unanswered)
        assert world.counter_drift() == []
    log = server.log()
    assert "database is locked" not in log.lower() and "Traceback" not in log, log[-5000:]
