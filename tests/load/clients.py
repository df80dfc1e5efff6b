"""People at their browsers, as far as the server can tell: each with its own cookies and its own loopback
address (so the sign-in limit, which counts per address, sees a neighbourhood rather than one machine), reading
forms from the pages and sending them back with the CSRF token the page gave. Redirects are not followed: the
tests look at them. Only the standard library (urllib, http.cookiejar, html.parser)."""

from __future__ import annotations

import http.client
import http.cookiejar
import re
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

TIMEOUT = 60


@dataclass
class Answer:
    """One response: status, body and where a redirect points; status 0 when no response came at all."""

    status: int
    body: str = ""
    location: str = ""
    error: str = ""
    seconds: float = 0.0

    @property
    def redirected(self) -> bool:
        return self.status in (301, 302, 303)

    def __str__(self) -> str:
        """The status and what the page said was wrong (its error messages), for a failing test's message."""
        messages = [re.sub(r"<[^>]+>|\s+", " ", m).strip()
                    for m in re.findall(r'class="govuk-error-message[^"]*"[^>]*>(.*?)</p>', self.body, re.S)]
        title = re.search(r"<title>(.*?)</title>", self.body, re.S)
        said = "; ".join(messages) or (title.group(1).strip() if title else self.body[:200])
        return f"{self.status} {self.error} {said}".strip()


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    radios: dict[str, list[str]] = field(default_factory=dict)

    def values(self, name: str) -> list[str]:
        return [value for key, value in self.fields if key == name]

    def button_values(self, name: str) -> list[str]:
        return [value for key, value in self.buttons if key == name]

    def filled(self, changes: dict[str, str | Sequence[str]], button: tuple[str, str] | None = None
               ) -> list[tuple[str, str]]:
        """The form's own fields (the CSRF token among them) with ``changes`` in place of theirs, and the button
        pressed: what a browser would send."""
        data = [(key, value) for key, value in self.fields if key not in changes]
        for key, value in changes.items():
            data += [(key, v) for v in ([value] if isinstance(value, str) else value)]
        return data + ([button] if button else [])


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._textarea: tuple[str, list[str]] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append(Form(action=a.get("action", ""), method=a.get("method", "get").lower()))
        if not self.forms:
            return
        form, name = self.forms[-1], a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                form.buttons.append((name, a.get("value", "")))
            elif kind == "radio":
                form.radios.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            elif kind == "checkbox":
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            else:
                form.fields.append((name, a.get("value", "")))
        elif tag == "button" and name:
            form.buttons.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = (name, [])
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            form.fields.append((self._select, a.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea and self.forms:
            self.forms[-1].fields.append((self._textarea[0], "".join(self._textarea[1]).removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None


def forms_in(page: str) -> list[Form]:
    parser = _Forms()
    parser.feed(page)
    return parser.forms


def _connection_from(address: str) -> type[http.client.HTTPConnection]:
    class FromAddress(http.client.HTTPConnection):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, source_address=(address, 0), **kwargs)

    return FromAddress


class _FromAddress(urllib.request.HTTPHandler):
    def __init__(self, address: str) -> None:
        super().__init__()
        self._connection = _connection_from(address)

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._connection, req)


class Client:
    """One person's browser: cookies kept, no redirect followed, every status returned (never raised)."""

    def __init__(self, base_url: str, address: str = "127.0.0.1") -> None:
        self.base_url = base_url
        self.address = address
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.OpenerDirector()
        for handler in (_FromAddress(address), urllib.request.HTTPCookieProcessor(self.cookies)):
            self._opener.add_handler(handler)

    def request(self, path: str, data: list[tuple[str, str]] | None = None) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base_url + path, data=body)
        started = time.monotonic()
        try:
            with self._opener.open(req, timeout=TIMEOUT) as response:
                text = response.read().decode("utf-8", errors="replace")
                return Answer(response.status, text, response.headers.get("Location", ""),
                              seconds=time.monotonic() - started)
        except (OSError, http.client.HTTPException) as error:
            return Answer(0, error=f"{type(error).__name__}: {error}", seconds=time.monotonic() - started)

    def get(self, path: str) -> Answer:
        return self.request(path)

    def form(self, path: str, action: str | None = None) -> tuple[Answer, Form | None]:
        """GET a page and the form on it that posts to ``action`` (the page's own path when not given)."""
        page = self.get(path)
        wanted = urllib.parse.urlsplit(action or path).path
        for form in forms_in(page.body):
            if form.method == "post" and urllib.parse.urlsplit(form.action or path).path == wanted:
                return page, form
        return page, None

    def sign_in(self, email: str, password: str) -> Answer:
        page, form = self.form("/login")
        assert form is not None, f"no sign-in form ({page.status}): {page.body[:300]}"
        return self.request("/login", form.filled({"email": email, "password": password}))


def address_for(n: int, per_address: int = 5) -> str:
    """Person ``n``'s loopback address: a few neighbours share one, as they would share a home connection."""
    return f"127.0.0.{10 + n // per_address}"


def all_at_once(jobs: Sequence[Callable[[], Any]]) -> list[Any]:
    """Run ``jobs`` in threads that start together (a barrier), so their requests really meet on the server."""
    barrier = threading.Barrier(len(jobs))

    def run(job: Callable[[], Any]) -> Any:
        barrier.wait()
        return job()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def problems(answers: Sequence[Answer]) -> list[str]:
    """What no one should ever get: a server error, a lost connection, or the words "database is locked"."""
    found = []
    for answer in answers:
        if answer.status >= 500 or answer.status == 0 or "database is locked" in answer.body.lower():
            found.append(str(answer) + ("" if answer.status < 500 else "\n" + answer.body[-2000:]))
    return found
