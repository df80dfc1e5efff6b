"""The machinery of bench/load.py: gunicorn servers, signing people in over HTTP, wrk runs (with Lua scripts for
signed-in readers and for POSTs) and the workers' CPU time from /proc."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
WRK = "/usr/bin/wrk"
TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``gunicorn -w 2`` (sync workers) on a free loopback port, as the README's production command runs it."""

    def __init__(self, app: str, env: dict[str, str], folder: Path, workers: int = 2) -> None:
        self.port = free_port()
        self.host = f"127.0.0.1:{self.port}"
        self.log = (folder / f"gunicorn-{self.port}.log").open("wb")
        self.process = subprocess.Popen(
            [str(GUNICORN), "--chdir", str(BENCH), "-w", str(workers), "--worker-class", "sync",
             "-b", self.host, app], env={**os.environ, **env}, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: see {self.log.name}")
            try:
                status, _headers, _body = request(self.host, "GET", "/")
                if status and len(self.workers()) == workers:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer: see {self.log.name}")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def cpu_seconds(self) -> float:
        """User + system CPU of the workers so far (fields 14 and 15 of /proc/<pid>/stat)."""
        total = 0
        for pid in self.workers():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        return total / TICKS

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log.close()


def request(host: str, method: str, path: str, headers: dict[str, str] | None = None,
            body: str | None = None) -> tuple[int, dict[str, str], str]:
    """One plain HTTP request; the headers come back lower-cased, Set-Cookie values joined by newlines."""
    connection = http.client.HTTPConnection(host, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        answer: dict[str, str] = {}
        for name, value in response.getheaders():
            key = name.lower()
            answer[key] = f"{answer[key]}\n{value}" if key in answer else value
        return response.status, answer, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


@dataclass
class Person:
    """A browser signed in as one person: its cookies and the CSRF token its session's forms carry."""

    email: str
    cookies: dict[str, str] = field(default_factory=dict)
    token: str = ""

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def send(self, host: str, method: str, path: str, form: dict[str, str] | None = None
             ) -> tuple[int, dict[str, str], str]:
        headers = {"Cookie": self.cookie_header} if self.cookies else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        status, answer, page = request(host, method, path, headers, body)
        for line in answer.get("set-cookie", "").split("\n"):
            name, _, rest = line.partition("=")
            if name:
                value = rest.split(";", 1)[0]
                if "expires=Thu, 01 Jan 1970" in line or value == "":
                    self.cookies.pop(name.strip(), None)
                else:
                    self.cookies[name.strip()] = value
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        if found:
            self.token = found.group(1)
        return status, answer, page


def sign_in(host: str, email: str, password: str, form_page: str) -> Person:
    """Sign in through the real form, then open ``form_page`` to hold the session's CSRF token for POSTs."""
    person = Person(email)
    person.send(host, "GET", "/login")
    status, headers, _ = person.send(host, "POST", "/login",
                                     {"email": email, "password": password, "csrf_token": person.token})
    if status not in (302, 303):
        raise RuntimeError(f"signing in as {email} answered {status}, not a redirect")
    status, _, _ = person.send(host, "GET", form_page)
    if status != 200 or not person.token:
        raise RuntimeError(f"{form_page} answered {status} to {email}")
    return person


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid Lua string for what is put here (ASCII, no newlines)


def lua_script(people: list[Person], method: str = "GET", path: str = "/",
               form: dict[str, str | list[str]] | None = None, unique_field: str = "") -> str:
    """A wrk script sending each request as the next person in turn (their cookie; for a POST their CSRF token and
    ``form``, with ``unique_field`` made different on every request: a reply must not repeat the last one)."""
    rows = ",\n".join(f"  {{cookie = {_lua_string(p.cookie_header)}, token = {_lua_string(p.token)}}}"
                      for p in people)
    fixed = urllib.parse.urlencode(form or {}, doseq=True)
    return f"""
local people = {{
{rows}
}}
local counter = 0
local made = 0
function setup(thread)
  made = made + 1
  thread:set("tid", made)
end
function init(args)
  tid = tid or 0
  counter = tid * 7
end
local function escape(s)
  return (string.gsub(s, "[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
request = function()
  counter = counter + 1
  local p = people[(counter % #people) + 1]
  local headers = {{["Cookie"] = p.cookie}}
  if {_lua_string(method)} == "GET" then
    return wrk.format("GET", {_lua_string(path)}, headers)
  end
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  local body = "csrf_token=" .. escape(p.token) .. "&" .. {_lua_string(fixed)}
  if {_lua_string(unique_field)} ~= "" then
    body = body .. "&" .. {_lua_string(unique_field)} .. "=" ..
      escape("Benchmark reply " .. tid .. "-" .. counter .. " at " .. os.time() .. ": the bus shelter needs fixing.")
  end
  return wrk.format("POST", {_lua_string(path)}, headers, body)
end
"""


@dataclass
class WrkRun:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    bad: int  # responses other than 2xx and 3xx, plus socket errors
    cpu_ms: float


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _latency(output: str, percent: str) -> float:
    found = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    return float(found.group(1)) * _UNITS[found.group(2)] if found else float("nan")


def wrk(server: Server, path: str, seconds: float, headers: dict[str, str] | None = None,
        script: str | None = None, connections: int = 8, threads: int = 2) -> WrkRun:
    """``wrk -t2 -c8 -d<seconds>s --latency`` against ``path``, with the workers' CPU time around it."""
    command = [WRK, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        if script:
            lua.write(script)
    if script:
        command += ["-s", lua.name]
    before = server.cpu_seconds()
    output = subprocess.run([*command, f"http://{server.host}{path}"], capture_output=True, text=True,
                            check=True).stdout
    cpu = server.cpu_seconds() - before
    os.unlink(lua.name)
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", output)
    count = int(done.group(1)) if done else 0
    elapsed = float(done.group(2)) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[done.group(3)] if done else seconds
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    failures = (int(bad.group(1)) if bad else 0) + (sum(int(g) for g in errors.groups()) if errors else 0)
    return WrkRun(requests=count, seconds=elapsed, rps=count / elapsed if elapsed else 0.0,
                  p50_ms=_latency(output, "50"), p99_ms=_latency(output, "99"), bad=failures,
                  cpu_ms=1000 * cpu / count if count else float("nan"))
