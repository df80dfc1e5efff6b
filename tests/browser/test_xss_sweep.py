"""The XSS sweep (issue 14): every payload in tests/browser/xss_payloads.py typed into every field that shows
user text, through the app's own services (the pipeline a person's text goes through), then every page that
shows them viewed in Chromium: no dialog opens, no payload calls ``__xss``, no request leaves the live server,
the CSP reports nothing, the console stays clean, and the DOM holds nothing that could run. A second test reads
the same pages through the test client and checks their HTML for dangerous leftovers, without Chromium.

Where each payload goes (N payloads, numbered from 1):
- every payload: a reply (Markdown) and a comment under it (Markdown) in one thread; a thread title, the same
  thread's opening post and its tags (those the tag rules take); a flag's note; a group's name and summary
  (those the group rules take); a proposal's title and description; a search query (reflected, every third in
  the test client); a display name (those that fit in 50 characters and make a free handle);
- in chunks of ``CHUNK`` payloads per Markdown document: profile bios, group descriptions and rules, budget
  descriptions, delivery update notes.
- every third payload (each of these notifies and mails the reader, the slow part of seeding): a moderator's
  hide reason, a moderator's warning, a proposal's not-feasible reason.
Notifications, the audit log, the admin's user list and the tag pages show the same texts again. Chromium views
every page that shows them (the first ``BROWSER_PAGES`` pages of each list, one in ``CHUNK`` of the pages made
per payload); the test client walks every page of every list, and more of the per-payload pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from typing import TypeVar
from urllib.parse import quote, urljoin, urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Page, Request
from sqlalchemy import func, select

from forum.accounts import services as account_services
from forum.accounts.models import User
from forum.budgeting.models import Budget, DeliveryStatus, Phase, Proposal, ProposalStatus
from forum.budgeting.services import budgets as budget_services
from forum.budgeting.services import delivery, proposals
from forum.common import transaction
from forum.common.errors import DomainError
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.groups import services as group_services
from forum.groups.models import Group
from forum.mail import transport
from forum.mail.models import OutboxMessage
from forum.moderation.services import actions, flags, sanctions
from forum.moderation.services.items import load_item
from forum.notifications.kinds import NEVER
from forum.notifications.models import Preference, Watch, WatchLevel
from forum.tags.models import Tag
from forum.threads import services as thread_services
from forum.threads.models import Post, Thread
from tests import factories
from tests.browser.conftest import BLANK_PATH, DEFAULT_VIEWPORT, Session
from tests.browser.helpers import sign_in
from tests.browser.xss_payloads import OFF_HOST, PAYLOADS
from tests.people import Person, person_of

T = TypeVar("T")
CHUNK = 30
CHUNKS = [PAYLOADS[i:i + CHUNK] for i in range(0, len(PAYLOADS), CHUNK)]
# Big pages, so the sweep loads few of them; still paginated, so the walk follows "next" links.
PAGE_SIZES = {"THREADS_PER_PAGE": 100, "POSTS_PER_PAGE": 100, "QUEUE_PER_PAGE": 100, "AUDIT_PER_PAGE": 500,
              "USERS_PER_PAGE": 300}
# Fields whose every entry notifies someone (and mails them) take every third payload, to keep the seeding quick.
NOTIFYING_STEP = 3
# Chromium walks the first pages of a long list (notifications, the groups): the test client walks them all.
BROWSER_PAGES = 3
# The share of payloads each plain field must accept (the rest it refuses for its own rules: length, no letters).
MIN_ACCEPTED = 0.6


@dataclass
class World:  # plain values (ids, slugs, handles), usable outside the app context
    admin: Person
    moderator: Person
    staff: Person
    reader: Person
    group_slug: str
    thread_id: int
    hidden_thread_id: int
    first_post_id: int
    bio_handles: list[str]
    group_slugs: list[str]  # groups named by payloads; the first len(CHUNKS) have chunked descriptions
    budget_slugs: list[str]
    proposal_ids: list[int]
    delivery_proposal_id: int
    tags: list[str]
    accepted: dict[str, int] = field(default_factory=dict)  # field -> payloads it took


def _try(action: Callable[[], T]) -> T | None:
    """Run one service call; a refusal (a field's own rule) is no hole, it just leaves the payload out (None)."""
    try:
        with transaction.savepoint():
            return action()
    except DomainError:
        return None


def markdown(payload: str, n: int) -> str:
    """A Markdown text opening with the payload, and with something visible after it: a text that is only
    markup is refused ("not only formatting"), which would leave the payload out."""
    return f"{payload}\n\nPayload {n}."


def _old(user: User) -> User:
    """An account older than the new-account rules (links limit), as most authors are."""
    user.created_at = utcnow() - timedelta(days=60)
    return user


def build_world(app: Flask) -> World:  # noqa: PLR0915 - one list of every field, in order
    accepted: dict[str, int] = {}

    def count(name: str, result: object) -> object:
        accepted[name] = accepted.get(name, 0) + int(result is not None)
        return result

    with app.app_context():
        admin = factories.make_user("Ada Admin", role="admin")
        moderator = factories.make_user("Mo Moderator", role="moderator")
        staff = factories.make_user("Cy Civil", role="civil_servant")
        reader = _old(factories.make_user("Rita Reader"))
        group = group_services.create_group(admin, "XSS sweep", summary="Where the payloads live")
        transaction.commit()
        factories.add_member(group, reader)
        # The reader reads replies on the site, not by email (199 emails would be most of the seeding's time);
        # what moderators tell them is still mailed at once, so user text reaches mail subjects too.
        db.session.add_all(Preference(user_id=reader.id, kind=kind, cadence=NEVER)
                           for kind in ("reply_to_thread", "watched_thread_post", "reply_to_post"))
        transaction.commit()

        # Authors: one per payload, renamed to it (display names), chunked bios.
        authors: list[User] = []
        bio_handles: list[str] = []
        for n, payload in enumerate(PAYLOADS):
            author = _old(factories.make_user(f"Author {n + 1}"))
            factories.add_member(group, author)
            count("display name", _try(lambda a=author, p=payload: account_services.change_display_name(a, p)))
            if n < len(CHUNKS):
                account_services.update_bio(author, "\n\n".join(CHUNKS[n]))
                bio_handles.append(author.handle)
            authors.append(author)
        transaction.commit()

        # One thread: a reply and a comment per payload.
        thread = thread_services.start_thread(group, reader, "The sweep thread", "Every payload replies here.")
        # The authors mute the thread (else each reply notifies every earlier author: 20,000 notifications).
        db.session.add_all(Watch(user_id=a.id, thread_id=thread.id, level=WatchLevel.MUTED, created_at=utcnow())
                           for a in authors)
        transaction.commit()
        for n, (author, payload) in enumerate(zip(authors, PAYLOADS, strict=True), start=1):
            text = markdown(payload, n)
            post = count("reply", _try(lambda a=author, t=text: thread_services.reply(thread, a, t)))
            if post is not None:
                count("comment", _try(lambda p=post, a=author, t=text: thread_services.add_comment(p, a, t)))
        transaction.commit()
        first_post = db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.number == 1))

        # Threads titled by payloads, their opening posts and tags; searched for by "sweepword".
        start = thread_services.start_thread
        for n, (author, payload) in enumerate(zip(authors, PAYLOADS, strict=True), start=1):
            body = f"sweepword {n}\n\n{markdown(payload, n)}"
            took = count("tag", _try(lambda a=author, p=payload, b=body: start(group, a, p, b, p)))
            if took is None:
                took = _try(lambda a=author, p=payload, b=body: start(group, a, p, b))
            count("thread title", took)
        transaction.commit()
        tags = [name for name in db.session.scalars(select(Tag.name)) if "/" not in name]

        # Flags with payload notes on every reply; the reader flags them all.
        replies = db.session.scalars(select(Post).where(Post.thread_id == thread.id, Post.number > 1)
                                     .order_by(Post.number)).all()
        for post in replies:
            payload = post.body_source
            count("flag note", _try(lambda p=post, t=payload: flags.flag(load_item("post", p.id), reader, "other",
                                                                         t[:flags.NOTE_MAX])))
        transaction.commit()

        # A thread of the reader's replies, each hidden by a moderator with a payload as the reason.
        hidden = thread_services.start_thread(group, reader, "Hidden sweep", "The reader's own thread.")
        transaction.commit()
        for n, payload in enumerate(PAYLOADS[::NOTIFYING_STEP], start=1):
            post = thread_services.reply(hidden, reader, f"Hidden reply {n}.")
            count("hide reason", _try(lambda p=post, t=payload: actions.hide(load_item("post", p.id), moderator, t)))
            count("warning", _try(lambda t=payload: sanctions.warn(moderator, reader, t)))
        transaction.commit()

        # Groups named and summarised by payloads; chunked descriptions and rules.
        group_slugs: list[str] = []
        for n, payload in enumerate(PAYLOADS):
            text = "\n\n".join(CHUNKS[n]) if n < len(CHUNKS) else ""
            made = count("group name", _try(lambda p=payload, t=text: group_services.create_group(
                admin, p, summary=p, description=t, rules=t)))
            if isinstance(made, Group):
                group_slugs.append(made.slug)
        transaction.commit()

        # Budgets: chunked descriptions; proposals titled and described by payloads, reviewed not feasible.
        budget_slugs: list[str] = []
        for n, chunk in enumerate(CHUNKS):
            made_budget = budget_services.create_budget(f"Sweep budget {n + 1}", description="\n\n".join(chunk),
                                                        phase=Phase.REVIEW)
            budget_slugs.append(made_budget.slug)
        area = budget_services.create_area("Sweepton")
        budget = db.session.scalar(select(Budget).where(Budget.slug == budget_slugs[0]))
        pot = budget_services.create_pot(budget, area, "Sweep pot", 100_000_00)
        transaction.commit()
        proposal_ids: list[int] = []
        for n, payload in enumerate(PAYLOADS, start=1):
            made = count("proposal", _try(lambda p=payload, t=markdown(payload, n): budget_services.create_proposal(
                pot, p, 100_00, description=t, author=reader)))
            if isinstance(made, Proposal):
                proposal_ids.append(made.id)
                if n % NOTIFYING_STEP == 1:
                    count("feasibility reason", _try(lambda p=payload, m=made: proposals.review_proposal(
                        m, staff, feasible=False, reason=p)))
        transaction.commit()

        # A funded proposal in delivery, with one update per chunk.
        done = budget_services.create_budget("Sweep delivery", description="Delivered.", phase=Phase.DELIVERY)
        done_pot = budget_services.create_pot(done, area, "Delivery pot", 100_000_00)
        funded = budget_services.create_proposal(done_pot, "Funded sweep", 100_00, description="Funded.")
        funded.status = ProposalStatus.SELECTED
        transaction.commit()
        for chunk in CHUNKS:
            delivery.add_update(funded, staff, DeliveryStatus.IN_PROGRESS, utcnow().date(), 50, "\n\n".join(chunk))
        transaction.commit()

        world = World(
            admin=person_of(admin), moderator=person_of(moderator), staff=person_of(staff),
            reader=person_of(reader), group_slug=group.slug, thread_id=thread.id, hidden_thread_id=hidden.id,
            first_post_id=first_post.id, bio_handles=bio_handles, group_slugs=group_slugs,
            budget_slugs=budget_slugs, proposal_ids=proposal_ids, delivery_proposal_id=funded.id, tags=tags,
            accepted=accepted,
        )
        assert db.session.scalar(select(func.count(Thread.id))) == accepted["thread title"] + 2
    return world


def pages_to_sweep(world: World) -> list[tuple[str, str]]:
    """(who views it, path) for every page that shows user text; each is walked through its "next" links."""
    thread, hidden = world.thread_id, world.hidden_thread_id
    pages = [
        ("anonymous", "/"), ("reader", "/"),
        ("anonymous", f"/threads/{thread}/"), ("reader", f"/threads/{thread}/"), ("moderator", f"/threads/{thread}/"),
        ("reader", f"/threads/{hidden}/"), ("moderator", f"/threads/{hidden}/"),
        ("anonymous", f"/groups/{world.group_slug}/"), ("anonymous", "/groups/"),
        ("anonymous", "/search?q=sweepword"), ("anonymous", "/tags/"),
        ("reader", "/notifications/"), ("reader", "/community/flags"), ("reader", "/community/warnings"),
        ("moderator", "/moderation/"), ("moderator", "/moderation/log"),
        ("moderator", f"/moderation/people/{world.reader.id}"),
        ("moderator", f"/moderation/items/post/{world.first_post_id + 1}"),
        ("moderator", f"/moderation/threads/{thread}"),
        ("admin", "/admin/users"), ("admin", f"/admin/users/{world.reader.id}"),
        ("anonymous", "/budgets/"), ("anonymous", f"/budgets/{world.budget_slugs[0]}/proposals"),
        ("anonymous", f"/budgets/proposals/{world.delivery_proposal_id}"),
        ("anonymous", f"/users/{quote(world.bio_handles[0])}/"),
    ]
    pages += [("anonymous", f"/users/{quote(handle)}/") for handle in world.bio_handles[1:]]
    pages += [("anonymous", f"/groups/{slug}/") for slug in world.group_slugs[:len(CHUNKS)]]
    pages += [("anonymous", f"/budgets/{slug}") for slug in world.budget_slugs]
    pages += [("anonymous", f"/budgets/proposals/{pid}") for pid in world.proposal_ids[::CHUNK]]
    pages += [("anonymous", f"/tags/{quote(tag.casefold().strip(), safe='')}/") for tag in world.tags[::CHUNK]]
    pages += [("anonymous", f"/search?q={quote(payload[:200])}") for payload in PAYLOADS[::CHUNK]]
    return pages


@pytest.fixture(scope="module")
def world(module_app: Flask) -> Iterator[World]:
    module_app.config.update(PAGE_SIZES)
    yield build_world(module_app)


@pytest.fixture
def app(module_app: Flask) -> Flask:
    return module_app


@pytest.fixture
def live_server(module_live_server: str) -> str:
    return module_live_server


@pytest.mark.sweep
def test_a_reason_with_line_breaks_still_makes_a_mail(module_app: Flask, world: World) -> None:
    """A moderator's reason reaches the email subject; one with a line break (payloads 175, 178 and 199 have one) made
    the mail unbuildable (no header may hold a line break), so it was never delivered."""
    with module_app.app_context():
        subjects = db.session.scalars(select(OutboxMessage.subject)).all()
        assert len(subjects) >= len(PAYLOADS[::NOTIFYING_STEP])
        for subject in subjects:
            transport.build("rita@example.org", subject, "body", {}, 1)  # raises on a line break


@pytest.mark.sweep
def test_every_field_takes_most_payloads(world: World) -> None:
    """A sweep that refused its payloads would prove nothing: each field took most of them."""
    for name, took in world.accepted.items():
        if name in ("hide reason", "warning", "feasibility reason"):
            continue
        assert took >= MIN_ACCEPTED * len(PAYLOADS), f"{name} took only {took} of {len(PAYLOADS)} payloads"
    for name in ("reply", "comment", "thread title", "flag note", "proposal"):
        assert world.accepted[name] == len(PAYLOADS), f"{name} refused some payloads"
    for name in ("hide reason", "warning", "feasibility reason"):
        assert world.accepted[name] == len(PAYLOADS[::NOTIFYING_STEP]), f"{name} refused some payloads"


# --- The rendered HTML, without Chromium ---------------------------------------------------------------------

DANGEROUS_URL = re.compile(r"^\s*(?:javascript|vbscript|data|file):", re.I)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "background", "poster",
                  "ping", "dynsrc", "lowsrc", "srcset")
# (The app's own pages hold GOV.UK's SVG icons; an SVG payload is caught by its handler or URL instead.)
FORBIDDEN_TAGS = ("iframe", "object", "embed", "base", "frame", "applet", "xmp", "plaintext",
                  "noembed", "isindex", "keygen", "bgsound", "marquee", "style", "link", "meta")


def _url_value(value: str) -> str:
    """The URL as a browser reads it: control characters and whitespace inside the scheme do not count."""
    return re.sub(r"[\x00-\x20\u200b]", "", value)


class LeftoverScan(HTMLParser):
    """What in a page's HTML could run a script: scripts other than the app's own, ``on*`` attributes,
    script URLs, and elements that embed or restyle (user text is only ever given a small allow-list); and the
    page's "next" link. A plain parser, not a tree: the sweep's pages are big."""

    def __init__(self, path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.found: list[str] = []
        self.next_link: str | None = None
        self._in_head = False
        self._script: str | None = None  # the start tag of an inline script being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        described = f"{self.path}: {self.get_starttag_text()[:160]}"
        values = {name.lower(): value or "" for name, value in attrs}
        if tag == "head":
            self._in_head = True
        elif tag == "body":
            self._in_head = False
        if tag == "a" and values.get("rel") == "next":
            self.next_link = values.get("href")
        if tag == "script":
            if not values.get("src", "").startswith(("/static/", "/assets/")):
                self._script = described
        elif tag in FORBIDDEN_TAGS and not (tag in ("link", "meta") and self._in_head):
            self.found.append(described)
        for name, value in values.items():
            if name.startswith("on") or (name in URL_ATTRIBUTES and DANGEROUS_URL.match(_url_value(value))):
                self.found.append(described)

    def handle_data(self, data: str) -> None:
        if self._script is not None and "govuk-frontend-supported" not in data:
            self.found.append(self._script)
        self._script = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:  # an empty inline script
            self.found.append(self._script)
        self._script = None


def scan(html: str, path: str) -> LeftoverScan:
    parser = LeftoverScan(path)
    parser.feed(html)
    parser.close()
    return parser


def _who(world: World, who: str) -> Person | None:
    return None if who == "anonymous" else getattr(world, who)


@pytest.mark.sweep
def test_rendered_pages_hold_nothing_that_could_run(module_app: Flask, world: World) -> None:
    """Every page of the sweep, every page of each, plus a search for every payload: no dangerous leftovers."""
    from tests.people import sign_in as client_sign_in

    clients = {}
    for who in ("anonymous", "reader", "moderator", "admin"):
        clients[who] = module_app.test_client()
        client_sign_in(clients[who], _who(world, who))
    pages = pages_to_sweep(world)
    pages += [("anonymous", f"/search?q={quote(payload[:200])}") for payload in PAYLOADS[1::3]]
    pages += [("anonymous", f"/budgets/proposals/{pid}") for pid in world.proposal_ids[1::5]]
    leftovers, loaded = [], 0
    for who, path in pages:
        url: str | None = path
        while url:
            response = clients[who].get(url)
            assert response.status_code == 200, f"{who} {url}: {response.status_code}"
            found = scan(response.get_data(as_text=True), url)
            leftovers += found.found
            loaded += 1
            url = urljoin(url, found.next_link) if found.next_link else None
    assert not leftovers, "dangerous leftovers:\n" + "\n".join(leftovers)
    assert loaded >= len(pages)


def test_the_leftover_scan_finds_what_could_run() -> None:
    """The scan is no blindfold: it finds each kind of leftover, and passes the app's own scripts."""
    page = """<html><head><link rel="stylesheet" href="/static/x.css"><script src="/static/js/forum.js"></script>
      <script>document.body.className += ' js-enabled govuk-frontend-supported'</script></head><body>
      <img src=x onerror=__xss(1)><a href=" java&#x09;script:__xss(2)">x</a><script>__xss(3)</script>
      <iframe src="/x"></iframe><form><button formaction="vbscript:x">go</button></form><svg onload=__xss(4)>
      <a href="/next" rel="next">Next</a></body></html>"""
    found = scan(page, "/page")
    assert len(found.found) == 6, found.found
    assert found.next_link == "/next"
    assert scan(page.split("<body>")[0], "/head").found == []


# --- In Chromium ---------------------------------------------------------------------------------------------

HOOKS = """
window.__xssHits = [];
window.__xss = n => window.__xssHits.push(String(n));
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
  `${e.violatedDirective} blocked ${e.blockedURI} in ${(e.target && e.target.outerHTML || '').slice(0, 160)}`));
"""

# The DOM as the browser built it (after any mutation a parser makes): what could run.
DOM_SCAN = r"""(arg) => {
  const bad = [];
  const urlAttrs = new Set(arg.urlAttrs);
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    const where = () => el.outerHTML.slice(0, 160);
    if (tag === 'script') {
      const src = el.getAttribute('src') || '';
      const own = src.startsWith('/static/') || src.startsWith('/assets/')
        || el.textContent.includes('govuk-frontend-supported');
      if (!own) bad.push(where());
      continue;
    }
    if (arg.forbidden.includes(tag) && !((tag === 'link' || tag === 'meta') && el.closest('head'))) bad.push(where());
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\u0000-\u0020\u200b]/g, '');
      if (name.startsWith('on')) bad.push(where());
      else if (urlAttrs.has(name) && /^(javascript|vbscript|data|file):/i.test(value)) bad.push(where());
    }
  }
  return bad;
}"""
# What the hooks recorded, what the DOM scan finds, and the next page's address: one round trip per page.
PAGE_STATE = f"""(arg) => ({{hits: window.__xssHits, csp: window.__cspViolations, leftovers: ({DOM_SCAN})(arg),
  next: (document.querySelector('a[rel=next]') || {{}}).href || null}})"""
DOM_SCAN_ARG = {"urlAttrs": list(URL_ATTRIBUTES), "forbidden": list(FORBIDDEN_TAGS)}


@dataclass
class Hooks:
    """What the hooks saw on one page."""

    base_url: str
    dialogs: list[str] = field(default_factory=list)
    off_host: list[str] = field(default_factory=list)

    def on_dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message} (on {dialog.page.url if dialog.page else '?'})")
        dialog.dismiss()

    def on_request(self, request: Request) -> None:
        if urlsplit(request.url).netloc != urlsplit(self.base_url).netloc and not request.url.startswith(
                ("data:", "about:")):
            self.off_host.append(request.url)


@pytest.mark.sweep
@pytest.mark.browser
def test_no_payload_runs_in_chromium_on_any_page(module_app: Flask, world: World, browser_session: Session) -> None:
    """Every page of the sweep as anonymous, the reader, a moderator and an admin: no dialog, no ``__xss`` call,
    no request off the live server, no CSP violation, no console error, nothing in the DOM that could run."""
    base = browser_session.base_url
    watch = Hooks(base)
    pages: dict[str, Page] = {}
    # Contexts of the test's own (closed at the end): the hooks' init script must not stay on pooled ones.
    contexts = []
    try:
        for who in ("anonymous", "reader", "moderator", "admin"):
            context = browser_session.browser.new_context(base_url=base, viewport=DEFAULT_VIEWPORT)
            contexts.append(context)
            context.add_init_script(HOOKS)
            page = context.new_page()
            page.on("console", browser_session.console.on_console)
            page.on("pageerror", browser_session.console.on_page_error)
            page.on("dialog", watch.on_dialog)
            page.on("request", watch.on_request)
            person = _who(world, who)
            if person is not None:
                sign_in(module_app, page, base, person)
            pages[who] = page
        check_the_hooks_see_a_payload(contexts[0].new_page(), base)
        problems, loaded = sweep(pages, pages_to_sweep(world), base)
    finally:
        for context in contexts:
            context.close()
    problems += [f"dialog {d}" for d in watch.dialogs]
    problems += [f"request off the live server: {r}" + (" (a payload's)" if r.startswith(OFF_HOST) else "")
                 for r in watch.off_host]
    assert not problems, "script ran or could run:\n" + "\n".join(problems)
    assert loaded >= len(pages_to_sweep(world))
    browser_session.console.assert_clean()


CANARY = '<p id="canary"><img src="data:," onerror="__xss(0)"></p>'


def check_the_hooks_see_a_payload(page: Page, base: str) -> None:
    """The hooks are no blindfold: an unsanitised payload is seen running on a page without a CSP (the live
    server's blank page), and refused and reported on an app page, and the DOM scan finds it. On a page of its
    own, whose console is not recorded (the CSP's refusal is logged there)."""
    page.goto(base + BLANK_PATH)
    page.evaluate("html => document.body.insertAdjacentHTML('beforeend', html)", CANARY)
    page.wait_for_function("() => window.__xssHits.includes('0')")
    assert page.evaluate(DOM_SCAN, DOM_SCAN_ARG), "the DOM scan missed the canary"
    page.goto(base + "/")
    page.evaluate("html => document.body.insertAdjacentHTML('beforeend', html)", CANARY)
    page.wait_for_function("() => window.__cspViolations.length > 0")
    assert page.evaluate("() => window.__xssHits") == [], "the CSP let an inline handler run"
    page.close()


def sweep(pages: dict[str, Page], paths: list[tuple[str, str]], base: str) -> tuple[list[str], int]:
    """Load each path (and up to ``BROWSER_PAGES`` of its pages) as its viewer; what the hooks and the DOM scan
    found, and how many pages were loaded."""
    problems: list[str] = []
    loaded = 0
    for who, path in paths:
        page = pages[who]
        url: str | None = base + path
        for _ in range(BROWSER_PAGES):
            if url is None:
                break
            response = page.goto(url, wait_until="load")
            assert response is not None and response.status == 200, f"{who} {url}: {response and response.status}"
            loaded += 1
            state = page.evaluate(PAGE_STATE, DOM_SCAN_ARG)
            problems += [f"{url}: __xss({n}) ran" for n in state["hits"]]
            problems += [f"{url}: CSP {v}" for v in state["csp"]]
            problems += [f"{url}: {leftover}" for leftover in state["leftovers"]]
            url = urljoin(url, state["next"]) if state["next"] else None
    return problems, loaded
