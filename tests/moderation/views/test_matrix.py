"""The role-by-endpoint matrix: every moderation endpoint, asked for by every kind of person, against a real
item in a public group and in a private one. docs/moderation-matrix.md is this table; the test fails when they
differ (run with UPDATE_MATRIX_DOC=1 to rewrite the file) and when an endpoint is missing from the matrix.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from forum.audit.models import AuditEntry
from forum.extensions import db
from forum.groups.models import Group, MemberRole
from tests import factories
from tests.moderation import support as s

DOC = Path(__file__).resolve().parents[3] / "docs" / "moderation-matrix.md"

ROLES = ("anonymous", "resident", "member", "other group's moderator", "group moderator", "site moderator",
         "admin")

SIGN_IN, DENIED, HIDDEN, OK = "sign in", "403", "404", "allowed"
# The other group's moderator: 403 on an item of a public group they do not moderate, 404 in a private one.
NOT_THEIRS = "403 / 404"
NOT_SITE = {"group moderator": DENIED, "other group's moderator": DENIED}


@dataclass(frozen=True)
class Sample:
    method: str
    path: str  # with {item}, {thread}, {person}, {group} to fill in
    data: tuple[tuple[str, str], ...] = ()


def _row(method: str, path: str, data: dict | None = None, **special: str) -> tuple[Sample, dict[str, str]]:
    expected = {"anonymous": SIGN_IN, "resident": DENIED, "member": DENIED, "other group's moderator": NOT_THEIRS,
                "group moderator": OK, "site moderator": OK, "admin": OK}
    return Sample(method, path, tuple((data or {}).items())), {**expected, **special}


MATRIX: dict[str, tuple[Sample, dict[str, str]]] = {
    "moderation.queue": _row("GET", "/moderation/", **{"other group's moderator": OK}),
    "moderation.log": _row("GET", "/moderation/log", **{"other group's moderator": OK}),
    "moderation.item": _row("GET", "/moderation/items/post/{item}"),
    "moderation.approve": _row("POST", "/moderation/items/post/{item}/approve"),
    "moderation.hide": _row("POST", "/moderation/items/post/{item}/hide", {"reason": "Breaks rule 1"}),
    "moderation.restore": _row("POST", "/moderation/items/post/{item}/restore"),
    "moderation.bulk": _row("POST", "/moderation/bulk", {"items": "post-{item}", "action": "approve"}),
    "moderation.thread": _row("GET", "/moderation/threads/{thread}"),
    "moderation.thread_toggle": _row("POST", "/moderation/threads/{thread}/lock"),
    "moderation.move": _row("POST", "/moderation/threads/{thread}/move", {"group": "{group}"}),
    "moderation.retag": _row("POST", "/moderation/threads/{thread}/tags", {"tags": "benches, ponds"}),
    "moderation.person": _row("GET", "/moderation/people/{person}", **{"other group's moderator": OK}),
    "moderation.warn": _row("POST", "/moderation/people/{person}/warn",
                            {"warn_group": "{group}", "warn_reason": "Please keep to the topic"}),
    "moderation.suspend": _row("POST", "/moderation/people/{person}/suspend",
                               {"days": "1", "suspend_reason": "Repeated spam"}, **NOT_SITE),
    "moderation.lift": _row("POST", "/moderation/people/{person}/lift", **NOT_SITE),
}


def markdown_table() -> str:
    lines = [
        "# Moderation: the role-by-endpoint matrix",
        "",
        "What each kind of person gets from each moderation endpoint, as `tests/moderation/views/test_matrix.py`",
        "checks it through the test client on SQLite and PostgreSQL, against a real item in a public group and",
        "again in a private group (generated from the test; `UPDATE_MATRIX_DOC=1` rewrites this file).",
        "",
        "- **sign in**: redirected to the sign-in page (GET and POST alike); nothing changes.",
        "- **403** / **404**: refused, nothing changes (checked: no audit entry is written). `403 / 404`: 403 for",
        "  an item in a public group they do not moderate, 404 in a private group they cannot read.",
        "- **allowed**: the page or the action (a 2xx or 3xx; an action already done says so and redirects).",
        "- *member* is a member of the item's group; *group moderator* moderates the item's group; *other group's",
        "  moderator* moderates another group only. Suspending and lifting are for site moderators and admins.",
        "",
        "| Endpoint | Request | " + " | ".join(ROLES) + " |",
        "| --- | --- | " + " | ".join("---" for _ in ROLES) + " |",
    ]
    for endpoint, (sample, expected) in MATRIX.items():
        path = sample.path.replace("{item}", "<id>").replace("{thread}", "<id>").replace("{person}", "<id>")
        lines.append(f"| `{endpoint}` | {sample.method} `{path}` | " + " | ".join(expected[r] for r in ROLES) + " |")
    return "\n".join(lines) + "\n"


def test_every_moderation_endpoint_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("moderation.")}
    assert endpoints == set(MATRIX), "add the new endpoint to MATRIX (and docs/moderation-matrix.md)"


def test_the_matrix_document_is_the_tested_matrix(app):
    table = markdown_table()
    print("\n" + table)
    if os.environ.get("UPDATE_MATRIX_DOC"):
        DOC.write_text(table, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == table, "docs/moderation-matrix.md is stale: UPDATE_MATRIX_DOC=1"


def _people(app, world: s.World, private: bool) -> tuple[dict[str, s.Person | None], dict[str, int]]:
    """Who plays each role, and the ids the sample requests need, for the public or the private group."""
    with app.app_context():
        if private:
            privatemod = s.new_account("Priya Privatemod")
            group = db.session.get(Group, world.private_id)
            factories.add_member(group, s.user(privatemod), role=MemberRole.MODERATOR)
            ids = {"item": world.private_post_id, "thread": world.private_thread_id, "person": world.author.id,
                   "group": world.private_id}
            return ({"member": world.member, "other group's moderator": world.parks_mod,
                     "group moderator": privatemod} | _common(world)), ids
    ids = {"item": world.reply_id, "thread": world.thread_id, "person": world.member.id, "group": world.parks_id}
    return {"member": world.author, "other group's moderator": world.transport_mod,
            "group moderator": world.parks_mod} | _common(world), ids


def _common(world: s.World) -> dict[str, s.Person | None]:
    return {"anonymous": None, "resident": world.outsider, "site moderator": world.sitemod, "admin": world.admin}


def _audit_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(AuditEntry.id)))


def _expected_status(outcome: str, private: bool) -> str:
    if outcome == NOT_THEIRS:
        return HIDDEN if private else DENIED
    return outcome


def _outcome(response) -> str:
    location = response.headers.get("Location", "")
    if response.status_code in (301, 302, 303) and "/login" in location:
        return SIGN_IN
    if response.status_code in (403, 404):
        return str(response.status_code)
    if response.status_code < 400:
        return OK
    return str(response.status_code)


@pytest.mark.parametrize("private", [False, True], ids=["public group", "private group"])
def test_each_role_gets_what_the_matrix_says_from_each_endpoint(app, client, private):
    world = s.make_world(app)
    with app.app_context():  # something to decide on: a flag on the item
        s.flag_as(world.flaggers[0] if not private else world.member, "post",
                  world.private_post_id if private else world.reply_id, "off_topic")
    people, ids = _people(app, world, private)
    found: dict[str, dict[str, str]] = {}
    mismatches = []
    for endpoint, (sample, expected) in MATRIX.items():
        path = sample.path.format(**ids)
        data = {k: v.format(**ids) for k, v in sample.data}
        for role in ROLES:
            s.sign_out(client)
            if people[role] is not None:
                s.sign_in(client, people[role])
            before = _audit_count(app)
            response = client.get(path) if sample.method == "GET" else client.post(path, data=data)
            got = _outcome(response)
            found.setdefault(endpoint, {})[role] = got
            want = _expected_status(expected[role], private)
            if got != want:
                mismatches.append(f"{endpoint} as {role}: {got}, expected {want}")
            if want != OK:
                assert _audit_count(app) == before, f"{endpoint} as {role} changed something"
    print(f"\n{'endpoint':28}" + "".join(f"{r[:14]:>16}" for r in ROLES))
    for endpoint, row in found.items():
        print(f"{endpoint:28}" + "".join(f"{row[r]:>16}" for r in ROLES))
    assert mismatches == []
