"""The fuzzing world (tests/security/test_fuzz_forms.py): real rows for every route's arguments, and the forms
every page of that world shows, found by reading the pages."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.routing import Rule
from werkzeug.routing.exceptions import HTTPException as RoutingException

from forum.accounts import services as accounts
from forum.accounts.models import User
from forum.budgeting.models import Phase
from forum.budgeting.services import discussions, verification
from forum.budgeting.services.results import compute_results
from forum.extensions import db
from forum.groups.models import MemberStatus
from forum.mail.models import MailStatus, OutboxMessage
from forum.mail.services import queue_mail
from forum.notifications.services import unsubscribe_token
from forum.places import importing
from forum.places.models import SpendingLine
from forum.threads import services as thread_services
from tests import factories
from tests.budgeting.support import make_budget, set_phase, store_ballot
from tests.factories import sign_in_id
from tests.people import Person, person_of

FORUM = Path(__file__).resolve().parents[2] / "forum"
SKIPPED = {"static", "assets"}


# --- the world ---------------------------------------------------------------------------------------------------


@dataclass
class World:
    admin: Person
    resident: Person
    values: dict[str, list]  # path argument name -> real values, e.g. "thread_id" -> [1]
    tokens: dict[str, str]  # endpoint -> a token it accepts (signed links from emails)
    slugs: dict[str, list[str]]  # "groups" | "budgets" | "areas" -> real slugs
    forms: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # endpoint -> field -> offered values


def build_world(app: Flask, client: FlaskClient) -> World:
    """Rows for every kind of path argument, made through the services and, where a person acts, the client."""
    with app.app_context():
        make = factories.make_user
        admin, resident, author = make("Ada Admin", role="admin"), make("Rita Resident"), make("Alice Author")
        parks = factories.make_group("Parks", members=(resident, author), moderators=(admin,))
        private = factories.make_group("Working party", private=True, members=(resident,), moderators=(admin,))
        transport = factories.make_group("Transport")  # nobody's group: a join button
        request = factories.add_member(private, author, status=MemberStatus.PENDING)
        thread = factories.make_thread(parks, admin, title="Benches by the pond", body="More benches.",
                                       tags="benches, ponds")
        answer = thread_services.reply(thread, author, "Reply by the author.")  # no watcher has read it
        reply = thread_services.reply(thread, resident, "I agree about the benches.")
        comment = thread_services.add_comment(reply, resident, "Near the playground too.")
        secret = factories.make_thread(private, resident, title="Draft budget", body="Secret numbers.")
        collecting = make_budget(phase=Phase.COLLECTING, area="Riverside", title="Riverside 2027", author=resident)
        approval = make_budget(phase=Phase.VOTING, area="Northfield", title="Northfield 2027")
        points = make_budget(phase=Phase.VOTING, area="Selly Oak", title="Selly Oak 2027", ballot_kind="cumulative")
        delivered = make_budget(phase=Phase.VOTING, costs=(40_000, 30_000), amount=50_000, area="Kings Heath",
                                title="Kings Heath 2026")
        store_ballot(delivered.pot, author, delivered.ids[:1])
        set_phase(delivered.budget, Phase.RESULTS)
        compute_results(delivered.pot)
        set_phase(delivered.budget, Phase.DELIVERY)
        discussions.link_thread(collecting.proposals[0], admin, str(thread.id))
        count_file = importing.parse(f"area,year,body_type,body,purpose,description,amount,source\n"
                                     f"{approval.pot.area.slug},2025-26,nhs,NHS,07.3,Hospital care,1000,ICB\n".encode())
        importing.load(count_file, admin)
        verified = verification.verify_resident(approval.pot.area, admin, resident.email)
        message = queue_mail(admin.email, "Welcome", "Hello", user_id=admin.id)
        message.status = MailStatus.FAILED  # an admin may send it again
        db.session.flush()
        world = World(
            admin=person_of(admin), resident=person_of(resident),
            values={
                "thread_id": [thread.id, secret.id], "post_id": [reply.id, answer.id],
                "comment_id": [comment.id], "item_id": [answer.id, comment.id],
                "kind": ["post", "comment", "thread"], "user_id": [author.id, resident.id, admin.id],
                "membership_id": [request.id], "proposal_id": [*collecting.ids[:2], approval.ids[0],
                                                               *delivered.ids],
                "pot_id": [collecting.pot.id, approval.pot.id, points.pot.id, delivered.pot.id],
                "verification_id": [verified.id], "message_id": [message.id],
                "handle": [resident.handle, author.handle], "name": ["benches", "ponds"],
                "slug": [thread.slug], "line_id": [db.session.scalar(select(SpendingLine.id))],
            },
            tokens={"notifications.unsubscribe": unsubscribe_token(resident.id, "quote"),
                    "accounts.reset_password": accounts.make_reset_token(author),
                    "accounts.confirm_email": accounts.make_email_token(author, "alice@example.net")},
            slugs={"groups": [parks.slug, private.slug, transport.slug],
                   "budgets": [b.budget.slug for b in (collecting, approval, points, delivered)],
                   "areas": [collecting.pot.area.slug, approval.pot.area.slug]},
        )
    world.tokens["accounts.confirm_registration"] = registration_token(app, client)
    acts = {world.resident: [f"/community/flag/post/{answer.id}"],
            world.admin: [f"/posts/{answer.id}/agree", f"/posts/{answer.id}/bookmark", f"/threads/{thread.id}/bookmark",
                          f"/moderation/people/{author.id}/suspend", f"/moderation/items/comment/{comment.id}/hide"]}
    for who, paths in acts.items():
        act_as(app, client, who)
        for path in paths:
            response = client.post(path, data={"reason": "spam", "days": "1", "suspend_reason": "Spam"})
            assert response.status_code in (302, 303), (path, response.status_code)
    if not FORMS:
        FORMS.update(discover_forms(app, client, world))
    world.forms = FORMS
    return world


def registration_token(app: Flask, client: FlaskClient) -> str:
    """Register through the form and take the token from the confirmation email's link."""
    password = "a long enough password 1"
    client.post("/register", data={"display_name": "Nora Newcomer", "email": "nora@example.org",
                                   "password": password, "confirm_password": password})
    with app.app_context():
        bodies = db.session.scalars(db.select(OutboxMessage.body).where(OutboxMessage.to_address == "nora@example.org"))
        links = [match.group(1) for body in bodies for match in [re.search(r"/register/([^\s/]+)", body)] if match]
    return links[0] if links else "no-registration-link"


#: The forms found on the world's pages, endpoint -> field -> offered values: the same on every backend (the
#: world's ids are), so each process reads the pages once.
FORMS: dict[str, dict[str, list[str]]] = {}


def extra_pages(world: World) -> list[str]:
    """Pages the URL map alone does not reach: a phase change asks which phase in its query string."""
    return [f"/budgets/{slug}/phase?to={phase}" for slug in world.slugs["budgets"] for phase in Phase]


# --- what each route takes ---------------------------------------------------------------------------------------


def slug_values(rule: Rule, world: World) -> list[str]:
    if rule.rule.startswith("/budgets/areas") or rule.rule.startswith("/places"):
        return world.slugs["areas"]
    if rule.rule.startswith("/budgets"):
        return world.slugs["budgets"]
    if rule.rule.startswith("/threads"):
        return world.values["slug"]
    return world.slugs["groups"]


def real_values(rule: Rule, arg: str, world: World) -> list:
    converter = type(rule._converters[arg]).__name__
    if converter == "AnyConverter":
        return sorted(rule._converters[arg].items)
    if arg == "slug":
        return slug_values(rule, world)
    if arg == "token":
        return [world.tokens.get(rule.endpoint, "not-a-token")]
    if arg in world.values:
        return world.values[arg]
    if converter in ("IdConverter", "IntegerConverter"):
        return [1]
    return ["x"]


def build(rule: Rule, values: dict) -> str:
    """The rule's path for these argument values (a rule's defaults, e.g. an info page's name, included)."""
    return rule.build({**(rule.defaults or {}), **values}, append_unknown=False)[1]


def sample_paths(rule: Rule, world: World) -> Iterator[str]:
    """The rule's path for every combination of its arguments' real values."""
    names = list(rule._converters)
    for combination in itertools.product(*(real_values(rule, name, world) for name in names)):
        yield build(rule, dict(zip(names, combination, strict=True)))


def forms_of(html: str) -> Iterator[tuple[str, dict[str, list[str]]]]:
    """Each POST form on a page: its action and, per field name, the values the page offers."""
    for form in BeautifulSoup(html, "html.parser").find_all("form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        fields: dict[str, list[str]] = defaultdict(list)
        for element in form.find_all(["input", "select", "textarea", "button"]):
            name = element.get("name")
            if not name:
                continue
            if element.name == "select":
                fields[name].extend(option.get("value", option.get_text()) for option in element.find_all("option"))
            elif element.name == "textarea":
                fields[name].append(element.get_text())
            else:
                fields[name].append(element.get("value", "on" if element.get("type") == "checkbox" else ""))
        yield form.get("action") or "", dict(fields)


def discover_forms(app: Flask, client: FlaskClient, world: World) -> dict[str, dict[str, list[str]]]:
    """Read every GET page of the world as the admin and, where the admin is turned away, as the resident or
    nobody (the sign-in pages); the account pages as each. Gather the forms by the endpoint they post to (a form
    with no action posts to its own page)."""
    adapter = app.url_map.bind("localhost")
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    pages = [path for rule in app.url_map.iter_rules() if "GET" in rule.methods and rule.endpoint not in SKIPPED
             for path in sample_paths(rule, world)] + extra_pages(world)
    for who in (world.admin, world.resident, None):
        act_as(app, client, who)
        unread = [path for path in pages if path.startswith("/account/")]  # each person's own pages
        for path in pages:
            response = client.get(path)
            if response.status_code != 200 or response.mimetype != "text/html":
                unread.append(path)
                continue
            for action, fields in forms_of(response.get_data(as_text=True)):
                try:
                    endpoint, _ = adapter.match(urlsplit(action or path).path, method="POST")
                except RoutingException:
                    continue
                found[endpoint].update()  # a form of one button has no fields
                for name, offered in fields.items():
                    found[endpoint][name].update(offered)
        pages = unread
    return {endpoint: {name: sorted(v) for name, v in fields.items()} for endpoint, fields in found.items()}

def act_as(app: Flask, client: FlaskClient, who: Person | None) -> None:
    """A fresh sign-in for ``who`` (or none): an earlier example may have signed them out everywhere."""
    session_id = None
    if who is not None:
        with app.app_context():
            session_id = sign_in_id(db.session.get(User, who.id))
    with client.session_transaction() as session:
        session.clear()
        if session_id:
            session.update({"_user_id": session_id, "_fresh": True})
