"""The authorisation matrix (issue 14): every route, asked for by every kind of person, gets what
``tests/security/route_decisions.py`` decides; a route without a decision fails.

One world is built with the factories and the real services; every URL argument is filled from it. People sign in
through the sign-in form, as a browser does. GETs and the POSTs that must be refused run in one world (a refused
POST must change nothing: every table is compared before and after); the POSTs that must be let through run in a
fresh world per actor (they change things), where they must not be refused. CSRF is off here (the default test
settings); ``tests/test_route_permissions.py`` checks it on every state change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.routing import Rule

from forum.accounts import services as account_services
from forum.budgeting.models import Phase
from forum.budgeting.services import verification
from forum.budgeting.services.discussions import link_thread
from forum.budgeting.services.results import compute_results
from forum.common import transaction
from forum.extensions import db
from forum.groups import services as group_services
from forum.groups.models import MemberStatus
from forum.mail.models import OutboxMessage
from forum.mail.services import queue_mail
from forum.moderation.services import flags
from forum.moderation.services.items import load_item
from forum.notifications import services as notification_services
from forum.places import importing
from forum.places.models import SpendingLine
from forum.threads import services as thread_services
from forum.threads.models import Bookmark
from tests import factories
from tests.budgeting.support import make_budget, set_phase, store_ballot
from tests.conftest import TEST_PASSWORD
from tests.security.route_decisions import ACTORS, ALLOW, DECISIONS, NO_EFFECT, REFUSALS, SIGN_IN

IGNORED_ENDPOINTS = {"static", "assets"}  # files, not decisions
# Written by reading or signing in, not by the refused request: left out of the "nothing changed" comparison.
UNCOMPARED_TABLES = {"sign_ins", "thread_reads"}
# Allowed POSTs that change what later ones act on run late (a locked thread takes no replies, a budget moved to
# review no proposals), and these last, in this order: each would spoil the ones after it.
LATE = {"moderation.thread_toggle", "moderation.move", "moderation.hide", "moderation.bulk", "budgeting.move_phase"}
LAST = ("posts.withdraw", "posts.withdraw_comment", "budgeting.withdraw_proposal", "groups.leave",
        "accounts.change_password", "account_data.delete",
        "accounts.sign_out_everywhere", "accounts.confirm_registration", "accounts.logout")


@dataclass
class World:
    emails: dict[str, str]  # actor -> email (anonymous has none)
    values: dict[str, str | int]  # world key -> value for URL arguments, queries and form data


# The world key filling each URL argument unless a decision says otherwise.
ARGUMENTS = {"thread_id": "thread_id", "post_id": "post_id", "comment_id": "comment_id", "item_id": "post_id",
             "kind": "kind", "action": "action", "user_id": "member_id", "handle": "member_handle",
             "name": "tag", "membership_id": "request_id", "message_id": "message_id",
             "notification_id": "notification_id", "bookmark_id": "bookmark_id", "verification_id": "verification_id",
             "pot_id": "pot_id", "proposal_id": "proposal_id", "line_id": "line_id"}


def argument_key(endpoint: str, argument: str) -> str:
    decision = DECISIONS[endpoint]
    if argument in decision.args:
        return decision.args[argument]
    if argument == "slug":
        return "budget_slug" if endpoint.startswith("budgeting.") else "group_slug"
    return ARGUMENTS[argument]


def build_world(app: Flask) -> World:
    """The private group and everything in it the URLs name, a public group for the other moderator, and three
    budgets: one collecting proposals, one voting, one counted and being delivered."""
    with app.app_context():
        make = factories.make_user
        people = {"resident": make("Rita Resident"), "member": make("Mo Member"),
                  "civil_servant": make("Colin Officer", role="civil_servant", organisation="Riverside Council"),
                  "other_group_moderator": make("Otto Othermod"), "group_moderator": make("Greta Groupmod"),
                  "site_moderator": make("Sam Sitemod", role="moderator"), "admin": make("Ada Admin", role="admin")}
        member, groupmod = people["member"], people["group_moderator"]
        requester, other_requester = make("Rob Requester"), make("Rae Requester")
        make("Alan Otheradmin", role="admin")  # so that the admin is not the last one, who may not leave
        factories.make_group("Transport", moderators=(people["other_group_moderator"],))
        private = factories.make_group("Budget working party", private=True, members=(member,),
                                       moderators=(groupmod,))
        request_id, other_request_id = (factories.add_member(private, who, status=MemberStatus.PENDING).id
                                        for who in (requester, other_requester))
        thread = factories.make_thread(private, groupmod, title="Benches by the pond", tags="benches")
        reply = thread_services.reply(thread, member, "I agree about the benches.")
        comment = thread_services.add_comment(reply, member, "Near the playground too.")
        flags.flag(load_item("post", reply.id), groupmod, "off_topic", "")
        db.session.add(Bookmark(user_id=member.id, thread_id=thread.id, post_id=None))
        notification = notification_services.notify(member, "reply_to_thread", "A reply", f"/threads/{thread.id}/",
                                                    actor=groupmod, thread_id=thread.id)
        message = queue_mail(member.email, "Hello", "A message.", user_id=member.id)

        collecting = make_budget(phase=Phase.COLLECTING, area="Riverside", title="Riverside 2027", author=member)
        voting = make_budget(phase=Phase.VOTING, area="Northfield", title="Northfield 2027")
        counted = make_budget(phase=Phase.VOTING, costs=(40_000, 30_000), amount=50_000, area="Selly Oak",
                              title="Selly Oak 2026")
        store_ballot(counted.pot, make(), [counted.ids[0]])
        set_phase(counted.budget, Phase.RESULTS)
        compute_results(counted.pot)
        set_phase(counted.budget, Phase.DELIVERY)
        area = collecting.pot.area
        verified = verification.verify_resident(area, people["civil_servant"], member.email, "Council tax bill")
        link_thread(collecting.proposals[0], people["admin"], str(thread.id))
        count_file = importing.parse(f"area,year,body_type,body,purpose,description,amount,source\n{area.slug},"
                                     "2025-26,nhs,NHS,07.3,Hospital care,1000,ICB\n".encode())
        importing.load(count_file, people["civil_servant"])
        transaction.commit()
        values = {
            "group_slug": private.slug, "group_id": private.id, "thread_id": thread.id, "post_id": reply.id,
            "comment_id": comment.id, "kind": "post", "action": "lock", "member_id": member.id,
            "member_handle": member.handle, "tag": "benches", "request_id": request_id,
            "other_request_id": other_request_id, "message_id": message.id,
            "notification_id": notification.id, "bookmark_id": db.session.scalar(select(Bookmark.id)),
            "verification_id": verified.id, "pot_id": voting.pot.id, "counted_pot_id": counted.pot.id,
            "proposal_id": collecting.ids[0], "funded_proposal_id": counted.ids[0],
            "budget_slug": collecting.budget.slug, "area_slug": area.slug,
            "line_id": db.session.scalar(select(SpendingLine.id)),
            "reset_token": account_services.make_reset_token(member),
            "email_token": account_services.make_email_token(member, "mo.new@example.org"),
            "unsubscribe_token": notification_services.unsubscribe_token(member.id, "reply_to_thread"),
            "invite_token": group_services.invite_token(private, groupmod),
        }
        emails = {actor: user.email for actor, user in people.items()}
    return World(emails, values | {"registration_token": registration_token(app)})


def registration_token(app: Flask) -> str:
    """The token of the link a newcomer is emailed on registering (through the form, as a visitor would)."""
    password = "a long enough password 42"
    response = app.test_client().post("/register", data={"display_name": "Nia Newcomer", "email": "nia@example.org",
                                                          "password": password, "confirm_password": password})
    assert response.status_code < 400, "registering failed"
    with app.app_context():
        bodies = db.session.scalars(select(OutboxMessage.body).where(OutboxMessage.to_address == "nia@example.org"))
        tokens = [found for body in bodies for found in re.findall(r"/register/([^\s/]+)", body)]
    assert tokens, "no registration link was mailed"
    return tokens[-1]


def endpoint_rules(app: Flask) -> dict[str, list[Rule]]:
    found: dict[str, list[Rule]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint not in IGNORED_ENDPOINTS:
            found.setdefault(rule.endpoint, []).append(rule)
    return found


def url_of(app: Flask, endpoint: str, rules: list[Rule], world: World) -> str:
    decision = DECISIONS[endpoint]
    arguments = set().union(*(rule.arguments - set(rule.defaults or ()) for rule in rules))
    values = {arg: world.values[argument_key(endpoint, arg)] for arg in arguments}
    with app.test_request_context():
        url = url_for(endpoint, **values)
    return f"{url}?{decision.query.format(**world.values)}" if decision.query else url


def form_data(endpoint: str, world: World) -> dict[str, str]:
    return {name: value.format(**world.values) for name, value in DECISIONS[endpoint].data.items()}


def outcome(response) -> str:
    location = response.headers.get("Location", "")
    if response.status_code in (301, 302, 303, 307) and "/login?" in location and "next=" in location:
        return SIGN_IN  # the sign-in page, coming back here (other redirects there follow a finished sign-out)
    if response.status_code in (403, 404):
        return str(response.status_code)
    if response.status_code < 400:
        return ALLOW
    return str(response.status_code)


def signed_in(app: Flask, world: World, actor: str) -> FlaskClient:
    """A browser of its own for ``actor``, signed in through the sign-in form (anonymous: not signed in)."""
    client = app.test_client()
    if actor != "anonymous":
        response = client.post("/login", data={"email": world.emails[actor], "password": TEST_PASSWORD})
        assert response.status_code in (302, 303), f"{actor} could not sign in"
    return client


def snapshot(app: Flask) -> dict[str, list[tuple]]:
    """Every row of every table (a few dozen in this world), to prove that a refused request changed nothing."""
    with app.app_context():
        return {table.name: sorted(map(tuple, db.session.execute(select(table)).all()), key=repr)
                for table in db.metadata.sorted_tables if table.name not in UNCOMPARED_TABLES}


def changed_tables(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def test_every_route_has_a_decision_and_every_decision_a_route(app: Flask) -> None:
    rules = endpoint_rules(app)
    undecided = sorted(set(rules) - set(DECISIONS))
    assert not undecided, f"new route without a decision: add {undecided} to tests/security/route_decisions.py"
    gone = sorted(set(DECISIONS) - set(rules))
    assert not gone, f"decisions for endpoints that no longer exist: {gone}"
    wrong_methods = []
    for endpoint, endpoint_rule_list in rules.items():
        methods = set().union(*(rule.methods for rule in endpoint_rule_list))
        decision = DECISIONS[endpoint]
        if ("GET" in methods) != (decision.get is not None) or ("POST" in methods) != (decision.post is not None):
            wrong_methods.append(f"{endpoint} takes {sorted(methods - {'HEAD', 'OPTIONS'})}")
    assert not wrong_methods, f"decisions that do not match the route's methods: {wrong_methods}"


@pytest.fixture
def clients(app: Flask) -> Iterator[tuple[World, dict[str, FlaskClient]]]:
    world = build_world(app)
    yield world, {actor: signed_in(app, world, actor) for actor in ACTORS}


def test_every_actor_gets_what_is_decided_and_refusals_change_nothing(app: Flask, clients) -> None:
    world, browsers = clients
    rules = endpoint_rules(app)
    mismatches = []
    for endpoint in sorted(rules):
        decision = DECISIONS[endpoint]
        url = url_of(app, endpoint, rules[endpoint], world)
        for actor in ACTORS if decision.get else ():
            got = outcome(browsers[actor].get(url))
            if got != decision.get[actor]:
                mismatches.append(f"GET {endpoint} ({url}) as {actor}: expected {decision.get[actor]}, got {got}")
    for endpoint in sorted(rules):
        decision = DECISIONS[endpoint]
        refused = [actor for actor in ACTORS if decision.post and decision.post[actor] in (*REFUSALS, NO_EFFECT)]
        if not refused:
            continue
        url = url_of(app, endpoint, rules[endpoint], world)
        before = snapshot(app)
        for actor in refused:
            got = outcome(browsers[actor].post(url, data=form_data(endpoint, world)))
            expected = ALLOW if decision.post[actor] == NO_EFFECT else decision.post[actor]
            if got != expected:
                mismatches.append(f"POST {endpoint} ({url}) as {actor}: expected {decision.post[actor]}, got {got}")
        changed = changed_tables(before, snapshot(app))
        if changed:
            mismatches.append(f"POST {endpoint} as {refused}: refused or without effect, yet changed {changed}")
    assert not mismatches, f"{len(mismatches)} cells differ from the decisions:\n" + "\n".join(mismatches)


@pytest.mark.parametrize("actor", ACTORS)
def test_allowed_posts_are_not_refused(app: Flask, actor: str) -> None:
    """Each POST the actor is allowed goes through in the actor's own world: anything but a refusal or a 500 (a
    form sent back with errors is not refused)."""
    world = build_world(app)
    browser = signed_in(app, world, actor)
    rules = endpoint_rules(app)
    allowed = [e for e in sorted(rules) if DECISIONS[e].post and DECISIONS[e].post[actor] == ALLOW]
    allowed.sort(key=lambda endpoint: LAST.index(endpoint) if endpoint in LAST else -1 - (endpoint not in LATE))
    refused = []
    for endpoint in allowed:
        url = url_of(app, endpoint, rules[endpoint], world)
        response = browser.post(url, data=form_data(endpoint, world))
        if outcome(response) in REFUSALS or response.status_code >= 500:
            refused.append(f"POST {endpoint} ({url}): {outcome(response)}")
    assert not refused, f"{actor} was refused what is decided as allowed:\n" + "\n".join(refused)

