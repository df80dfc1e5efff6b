"""Two app hosts behind nginx, sharing PostgreSQL and Redis, as a person using the forum notices it: a sign-in
made on one host holds on the other and ends on both; a reply written through one host is on the page the other
host serves at once; a page one host stored is served by the other from the shared cache; the sign-in limit
counts attempts on both hosts together; and when one host stops in the middle of a run of replies, no reply
that was answered as accepted is lost, and readers are served by the other host without an error.

PostgreSQL only: a SQLite file cannot be shared by two hosts. (tests/scaleout/conftest.py makes the hosts.)
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from forum.common.errors import ERROR_TITLES
from forum.config import DEFAULTS
from tests.load import world
from tests.scaleout.cluster import Browser, Cluster, Seen

A, B = 0, 1
LOGIN_LIMIT = int(re.match(r"(\d+) per minute", DEFAULTS["RATELIMIT_LOGIN"]).group(1))  # 10


@pytest.fixture
def hosts(cluster: Cluster) -> Cluster:
    """The cluster with both hosts up (a test that stops one leaves it to be started again here)."""
    cluster.restore()
    return cluster


def signed_in(cluster: Cluster, person: int, host: int) -> Browser:
    """Person ``person`` of the world, signed in through the sign-in form on ``host``, from their own address."""
    browser = Browser(cluster.url_to(host), f"127.0.0.{30 + person}")
    answer = browser.sign_in(cluster.world.emails[person], world.PASSWORD)
    assert answer.status == 302, str(answer)
    assert answer.upstream == cluster.hosts[host].address
    return browser


def thread_path(browser: Browser, thread_id: int) -> str:
    """The thread page's own address (``/threads/<id>/`` redirects to the one with its title in it)."""
    answer = browser.get(f"/threads/{thread_id}/")
    return answer.location.removeprefix(browser.base_url) if answer.redirected else f"/threads/{thread_id}/"


def test_signed_in_on_one_host_is_signed_in_on_the_other_and_signing_out_on_either_ends_it(hosts: Cluster) -> None:
    on_a = signed_in(hosts, 2, A)
    on_b = on_a.through(hosts.url_to(B))
    account = on_b.get("/account")
    assert account.status == 200 and "Loader 2" in account.body, str(account)
    assert account.upstream == hosts.hosts[B].address
    saved = on_a.copy()  # the cookie as it was while signed in

    page, form = on_b.form("/logout")
    assert form is not None, str(page)
    signed_out = on_b.request("/logout", form.filled({}))
    assert signed_out.status == 302 and signed_out.upstream == hosts.hosts[B].address, str(signed_out)

    for browser in (on_a, saved):  # the browser itself, and the cookie copied before signing out
        again = browser.get("/account")
        assert again.upstream == hosts.hosts[A].address
        assert again.status == 302 and "/login" in again.location, str(again)


def test_a_reply_written_through_one_host_is_on_the_page_the_other_serves_at_once(hosts: Cluster) -> None:
    reader = Browser(hosts.url_to(B), "127.0.0.60")
    path = thread_path(reader, hosts.world.thread_id)
    before = [reader.get(path) for _ in range(2)]
    assert [a.status for a in before] == [200, 200], [str(a) for a in before]
    assert before[1].headers.get("x-page-cache") == "hit"  # the reader's page is in the shared cache
    etag = before[1].headers["etag"]

    writer = signed_in(hosts, 1, A)
    text = f"Written through host A, {uuid.uuid4().hex[:8]}."
    page, form = writer.form(f"/threads/{hosts.world.thread_id}/reply")
    assert form is not None, str(page)
    posted = writer.request(f"/threads/{hosts.world.thread_id}/reply", form.filled({"body": text}))
    assert posted.status == 302 and posted.upstream == hosts.hosts[A].address, str(posted)

    after = reader.get(path, headers={"If-None-Match": etag})  # the browser asks "has it changed?"
    assert after.upstream == hosts.hosts[B].address
    assert after.status == 200, str(after)  # not 304: it has changed
    assert text in after.body
    assert after.headers.get("x-page-cache") == "miss" and after.headers["etag"] != etag


def test_a_page_stored_by_one_host_is_served_by_the_other_from_the_shared_cache(hosts: Cluster) -> None:
    path = "/groups/load-testing/"
    first = Browser(hosts.url_to(A), "127.0.0.61").get(path)
    assert first.status == 200 and first.upstream == hosts.hosts[A].address, str(first)
    assert first.headers.get("x-page-cache") == "miss"
    second = Browser(hosts.url_to(B), "127.0.0.62").get(path)
    assert second.status == 200 and second.upstream == hosts.hosts[B].address, str(second)
    assert second.headers.get("x-page-cache") == "hit"
    assert second.headers["etag"] == first.headers["etag"] and second.body == first.body


def test_the_sign_in_limit_counts_attempts_on_both_hosts_together(hosts: Cluster) -> None:
    """nginx gives the hosts the person's address (X-Forwarded-For): each host alone sees only nginx."""
    email, address = hosts.world.emails[-1], "127.0.0.250"
    browser = Browser(hosts.url_to(A), address)
    _, form = browser.form("/login")
    assert form is not None
    attempt = form.filled({"email": email, "password": "not the password"})
    # Every attempt on the other host from the first: each host sees half of them.
    answers = [browser.through(hosts.url_to(n % 2)).request("/login", attempt) for n in range(LOGIN_LIMIT + 4)]
    assert [a.status for a in answers] == [200] * LOGIN_LIMIT + [429] * 4, [str(a) for a in answers]
    assert {a.upstream for a in answers} == {host.address for host in hosts.hosts}
    assert all("Enter a correct email address and password" in a.body for a in answers[:LOGIN_LIMIT])
    assert all(ERROR_TITLES[429] in a.body for a in answers[LOGIN_LIMIT:])
    # The right password, from another browser at the same address, through either host, waits too; from the
    # next address it goes through (behind nginx, one address's failures do not lock everyone out).
    for host, neighbour, status in ((A, address, 429), (B, address, 429), (A, "127.0.0.251", 302)):
        other = Browser(hosts.url_to(host), neighbour)
        _, form = other.form("/login")
        answer = other.request("/login", form.filled({"email": email, "password": world.PASSWORD}))
        assert answer.status == status, str(answer)


WRITERS = 8
MOST_EACH = 9  # under the posting limit of 10 a minute per person (forum/config.py RATELIMIT_POSTING)
BEFORE_EACH, AFTER_EACH = 3, 2  # host A is stopped once 3 replies each were sent; each writes 2 more after
FIRST_WRITER = 3  # people 3..10: established (their replies are published at once), no other test's


def test_stopping_one_host_mid_load_loses_no_accepted_reply_and_readers_move_to_the_other(hosts: Cluster) -> None:
    marker = uuid.uuid4().hex[:8]
    thread_id = hosts.world.restart_thread_id
    path = f"/threads/{thread_id}/reply"
    writers = [Browser(hosts.url, f"127.0.0.{30 + FIRST_WRITER + n}") for n in range(WRITERS)]
    for n, browser in enumerate(writers):
        assert browser.sign_in(hosts.world.emails[FIRST_WRITER + n], world.PASSWORD).status == 302
    sent: list[tuple[float, str, Seen]] = []  # when it was sent, the text, the answer
    read: list[tuple[float, Seen]] = []
    done, gone = threading.Event(), threading.Event()

    def write(n: int) -> None:
        _, form = writers[n].form(path)
        assert form is not None
        after = 0
        for k in range(MOST_EACH):
            if after == AFTER_EACH:
                return
            after += gone.is_set()
            text = f"Scale-out {marker}: loader {FIRST_WRITER + n}, reply {k}."
            at = time.monotonic()
            sent.append((at, text, writers[n].request(path, form.filled({"body": text}))))

    def keep_reading(browser: Browser) -> None:
        page = thread_path(browser, thread_id)
        while not done.is_set():
            at = time.monotonic()
            read.append((at, browser.get(page)))
            time.sleep(0.05)

    readers = [threading.Thread(target=keep_reading, args=(Browser(hosts.url, f"127.0.0.{70 + n}"),))
               for n in range(2)]
    for reader in readers:
        reader.start()
    try:
        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            writing = [pool.submit(write, n) for n in range(WRITERS)]
            assert hosts.hosts[A].running()
            started = time.monotonic()
            while len(sent) < WRITERS * BEFORE_EACH and time.monotonic() - started < 30:
                time.sleep(0.02)
            stopping_at = time.monotonic()
            hosts.hosts[A].kill(grace=1.0)
            stopped_at = time.monotonic()
            gone.set()
            for future in writing:
                future.result()
    finally:
        done.set()
        for reader in readers:
            reader.join()

    host_a, host_b = (host.address for host in hosts.hosts)
    answers = [answer for _, _, answer in sent]
    accepted = [text for _, text, answer in sent if answer.status == 302]
    failed = [(text, answer) for _, text, answer in sent if answer.status != 302]
    failed_at = [(at, at + answer.seconds) for at, _, answer in sent if answer.status != 302]
    print(f"\n{hosts.lan.hosting}: {len(answers)} replies, {len(accepted)} accepted "
          f"({sum(a.upstream == host_a for a in answers if a.status == 302)} by host A), {len(failed)} failed "
          f"{sorted(a.status for _, a in failed)}; {len(read)} pages read; host A stopped in "
          f"{stopped_at - stopping_at:.2f} s")
    # Before host A stopped both hosts took replies; what was sent afterwards host B took, every one.
    assert any(a.status == 302 and a.upstream == host_a for a in answers)
    after = [a for t, _, a in sent if t > stopped_at]
    assert after and all(a.status == 302 and a.upstream == host_b for a in after), [str(a) for a in after]
    # What failed is only what was waiting for host A, not begun, as it stopped (gunicorn keeps its socket open
    # until its workers have exited): nginx answered 502, as it does not send a POST again to the other host, or
    # the connection was lost; never a refusal or a server error, and nothing sent once host A was gone.
    assert all(a.status in (0, 502) for _, a in failed), [str(a) for _, a in failed]
    assert all(sent_at < stopped_at and answered_at >= stopping_at for sent_at, answered_at in failed_at), (
        failed_at, stopping_at, stopped_at)
    # Readers never noticed: every page came, from host B once host A was gone.
    assert [str(a) for _, a in read if a.status != 200] == []
    assert all(a.upstream == host_b for t, a in read if t > stopped_at)

    with hosts.rows():
        stored = world.bodies_in(thread_id)
        assert {text: stored[text] for text in accepted} == {text: 1 for text in accepted}
        assert {text: stored[text] for text, _ in failed} == {text: 0 for text, _ in failed}
        assert sum(n for body, n in stored.items() if marker in body) == len(accepted)
        assert world.counter_drift() == []
