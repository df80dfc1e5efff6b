"""Where the two app hosts live: each in its own network namespace, joined to the root namespace by a bridge (a
small LAN: the hosts at .2 and .3, the database and Redis at .1), or, where namespaces cannot be made (no
CAP_SYS_ADMIN), at 127.0.0.2 and 127.0.0.3 on loopback. Everything made is removed afterwards, even on failure."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

CAP_NET_ADMIN, CAP_SYS_ADMIN = 12, 21


def namespaces_possible() -> bool:
    """Whether this process may make network namespaces (root with both capabilities, and ``ip`` installed)."""
    if shutil.which("ip") is None:
        return False
    with open("/proc/self/status") as status:
        effective = next((int(line.split()[1], 16) for line in status if line.startswith("CapEff:")), 0)
    return all(effective & (1 << cap) for cap in (CAP_NET_ADMIN, CAP_SYS_ADMIN))


#: How the hosts are made on this machine, decided once (it names the tests, so the output says which).
HOSTING = "netns" if namespaces_possible() else "loopback"


@dataclass(frozen=True)
class Place:
    """One host's place on the network: its address, and the command prefix that runs a program there."""

    name: str
    address: str
    prefix: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lan:
    hosting: str
    services: str  # the address the hosts reach PostgreSQL and Redis at
    hosts: tuple[Place, ...]


def _ip(*args: str) -> None:
    done = subprocess.run(["ip", *args], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"ip {' '.join(args)}: {done.stderr.strip()}")


def _unused_subnet() -> str:
    """A /24 in 10.213.0.0/16 that no interface here uses yet (another test process may have one)."""
    used = subprocess.run(["ip", "-4", "-o", "addr", "show"], capture_output=True, text=True).stdout
    start = os.getpid() % 200
    for n in range(200):
        subnet = f"10.213.{20 + (start + n) % 200}"
        if f" {subnet}." not in used:
            return subnet
    raise RuntimeError("no free subnet in 10.213.0.0/16")


@contextlib.contextmanager
def lan(count: int = 2) -> Iterator[Lan]:
    """The hosts' network for the duration of the block."""
    if HOSTING == "loopback":
        yield Lan("loopback", "127.0.0.1", tuple(Place(f"host-{chr(97 + n)}", f"127.0.0.{2 + n}")
                                                 for n in range(count)))
        return
    token = f"{os.getpid() % 100_000}"
    subnet = _unused_subnet()
    bridge = f"sobr{token}"
    undo: list[list[str]] = []
    try:
        _ip("link", "add", bridge, "type", "bridge")
        undo.append(["link", "del", bridge])
        _ip("addr", "add", f"{subnet}.1/24", "dev", bridge)
        _ip("link", "set", bridge, "up")
        places = []
        for n in range(count):
            letter = chr(97 + n)
            namespace, outside, inside = f"forum-{letter}-{token}", f"so{letter}{token}", f"so{letter}{token}n"
            _ip("netns", "add", namespace)
            undo.append(["netns", "del", namespace])
            _ip("link", "add", outside, "type", "veth", "peer", "name", inside)
            undo.append(["link", "del", outside])  # (gone with the namespace too; deleting it again is harmless)
            _ip("link", "set", inside, "netns", namespace)
            _ip("link", "set", outside, "master", bridge)
            _ip("link", "set", outside, "up")
            address = f"{subnet}.{2 + n}"
            _ip("-n", namespace, "addr", "add", f"{address}/24", "dev", inside)
            _ip("-n", namespace, "link", "set", inside, "up")
            _ip("-n", namespace, "link", "set", "lo", "up")
            places.append(Place(f"host-{letter}", address, ("ip", "netns", "exec", namespace)))
        yield Lan("netns", f"{subnet}.1", tuple(places))
    finally:
        for args in reversed(undo):
            subprocess.run(["ip", *args], capture_output=True)
