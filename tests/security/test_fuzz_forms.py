"""Hypothesis drives every form and query parameter of every route in the URL map: never a 500 (issue 14).

How it finds what to send, without a list kept by hand:

- **Routes**: ``app.url_map``. Each path argument is drawn from the real rows of a small world (a public and a
  private group, a thread with a reply and a comment, budgets collecting proposals, voting with each ballot
  form and in delivery, an area with a verified resident, a flag, a bookmark, notifications, a mail) or from
  values no row has (0, 2**31, words).
- **Forms**: every page the world's GET routes show, read as the admin and as a plain resident; every
  ``<form method="post">`` gives its action's endpoint the names of its ``<input>``, ``<select>`` and
  ``<textarea>`` fields and the values they offer (options, radios, hidden values).
- **Query parameters**: the names the views read from ``request.args`` (``QUERY_NAMES``) on every GET route.

Each example signs in as the admin, a resident or nobody, then sends text of every kind (unicode, control
characters, very long, numbers and huge numbers, dates in odd shapes), the values the page offered, several
values for one name, fields left out and fields no form has. The property: the status is below 500, and a
POST answered with its own form again (it failed validation) shows the GOV.UK error summary.

Budget: ``FUZZ_EXAMPLES`` examples per endpoint (default 6, derandomised so CI is stable); run more locally
with e.g. ``FUZZ_EXAMPLES=200``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import Phase as HypothesisPhase
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from forum.budgeting.models import Proposal
from forum.common.csrf import UNSAFE_METHODS
from forum.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.pages import read
from tests.people import Person
from tests.security.fuzz_world import (
    World,
    act_as,
    build,
    build_world,
    forms_of,
    real_values,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))

FORUM = Path(__file__).resolve().parents[2] / "forum"
#: What the views read from the query string: every ``args.get("name")`` in forum/, the names read in loops
#: (page numbers, the moderation filters, the search dates) and some no view reads.
READ_ARGS = re.compile(r'args(?:\.get|\.getlist)?[(\[]\s*"(\w+)"')
QUERY_NAMES = tuple(sorted(
    {name for source in FORUM.rglob("*.py") for name in READ_ARGS.findall(source.read_text())}
    | {"page", "q", "from", "to", "moderator", "person", "group", "action", "kind", "state", "sort", "id", "utm_source"}
))

#: Endpoints that serve no forum page (static files) are left out.
SKIPPED = {"static", "assets"}


# --- what hypothesis sends ---------------------------------------------------------------------------------------

ODD_DATES = st.sampled_from(["2027-02-30", "31/12/2027", "0-0-0", "9999-99-99", "2027-13-01", "1-1", "1/2/3/4",
                             "-1-01-01", "2027-06-15T25:61", "yesterday", "٢٠٢٧-٠١-٠١", "2027‐01‐01"])
NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["0", "-1", "1e309", "NaN", "inf", "-0", "0x10", "1_000", "²", "①", "١٢", "1.5", "£10",
                     "10,000.50", str(2**31), str(2**63), "9" * 400]),
)
TEXT = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=10),  # control characters (NUL gives a 400)
    st.sampled_from(["", " ", "\u200b", "\ufeff", "\u202e", "<script>alert(1)</script>", "' OR 1=1 --", "%00",
                     "../../etc/passwd", "a" * 70_000, "🦆" * 3000, "x\r\ny", "[a](javascript:alert(1))"]),
    NUMBERS,
    ODD_DATES,
)


#: Values a person would type, by what the field's name says: with them the other fields get past validation
#: and the odd value in one field reaches the services.
PLAUSIBLE = (
    (re.compile(r"email|identifier"), ["rita-resident@example.org", "nobody@example.org"]),
    (re.compile(r"password"), [TEST_PASSWORD, "a new long password 2"]),
    (re.compile(r"amount|cost|spend|money"), ["1000", "£12,500.50"]),
    (re.compile(r"day$|days|count|position|points|percent|max|min|rank|page"), ["1", "3", "10"]),
    (re.compile(r"month"), ["6"]),
    (re.compile(r"year"), ["2027"]),
    (re.compile(r"date|from|to$"), ["2027-06-15"]),
    (re.compile(r"tags?$"), ["benches, ponds"]),
    (re.compile(r""), ["Benches by the pond", "A few words of reason"]),
)


def plausible(name: str) -> list[str]:
    return next(values for pattern, values in PLAUSIBLE if pattern.search(name))


def value_for(offered: list[str], name: str = "") -> st.SearchStrategy[str]:
    """A value the page offers (so the form is reached past its choices), one a person would type, or any text."""
    usual = [value for value in offered if value] or plausible(name)
    return st.one_of(st.sampled_from(usual), st.sampled_from(plausible(name)), TEXT)


def field_values(offered: list[str], name: str) -> st.SearchStrategy[list[str]]:
    """One value (most often), left out, or several values for the same name."""
    one = value_for(offered, name)
    return st.one_of(one.map(lambda v: [v]), st.just([]), st.lists(one, min_size=2, max_size=4))


def form_data(fields: dict[str, list[str]]) -> st.SearchStrategy[list[tuple[str, str]]]:
    """The form's fields (each left out, once or several times) and perhaps fields no form has."""
    named = st.fixed_dictionaries({name: field_values(offered, name) for name, offered in fields.items()})
    extra = st.dictionaries(st.one_of(st.sampled_from(QUERY_NAMES), st.text(min_size=1, max_size=12)),
                            TEXT.map(lambda v: [v]), max_size=2)
    return st.builds(lambda a, b: [(k, v) for k, vs in {**b, **a}.items() for v in vs], named, extra)


def path_value(rule: Rule, arg: str, world: World) -> st.SearchStrategy:
    converter = type(rule._converters[arg]).__name__
    real = st.sampled_from(real_values(rule, arg, world))
    if converter in ("IdConverter", "IntegerConverter"):
        wrong = st.sampled_from([0, 2, 999, 2**31 - 1, 2**31, 10**12])  # 404s, never a database error
    elif converter == "AnyConverter":
        return real
    else:
        wrong = st.text(min_size=1, max_size=30).filter(lambda s: s not in ("..", ".") and "\x00" not in s)
    return st.one_of(real, real, wrong)


def path_for(rule: Rule, world: World) -> st.SearchStrategy[str]:
    values = st.fixed_dictionaries({arg: path_value(rule, arg, world) for arg in rule._converters})
    return values.map(lambda v: build(rule, v))


# --- the property ------------------------------------------------------------------------------------------------


#: Forms shown again on purpose, without an error: endpoint -> the posted names that ask for it.
ROUND_TRIPS = {
    "budgeting.ballot": {"add", "remove"},  # without JavaScript, Add and Remove show the ballot being built
}


def check(response: TestResponse, endpoint: str, method: str, path: str, data: list[tuple[str, str]]) -> None:
    """Never a 500; and a POST answered with its own form again (it failed validation: success redirects, or
    shows a page without the form, like "already revoked") shows the GOV.UK error summary."""
    label = f"{method} {path}"
    assert response.status_code < 500, f"{label}: {response.status_code}"
    if method != "POST" or response.status_code != 200 or response.mimetype != "text/html":
        return
    if ROUND_TRIPS.get(endpoint, set()) & {name for name, _ in data}:
        return
    html = response.get_data(as_text=True)
    own = urlsplit(path).path
    if any(urlsplit(action or own).path == own for action, _ in forms_of(html)):
        assert "govuk-error-summary" in html, f"{label}: the form came back without an error summary"


def who_for(world: World) -> st.SearchStrategy[Person | None]:
    return st.sampled_from([world.admin, world.resident, None])


FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, print_blob=False,
                # No "explain" phase: it reruns a failing example hundreds of times to say which parts matter.
                phases=[HypothesisPhase.explicit, HypothesisPhase.generate, HypothesisPhase.shrink],
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.filter_too_much, HealthCheck.data_too_large])



def fuzz_rule(app: Flask, client: FlaskClient, rule: Rule, world: World, method: str) -> None:
    fields = world.forms.get(rule.endpoint, {}) if method == "POST" else {name: [] for name in QUERY_NAMES}

    @FUZZ
    @given(who=who_for(world), path=path_for(rule, world), data=form_data(fields))
    def one(who: Person | None, path: str, data: list[tuple[str, str]]) -> None:
        act_as(app, client, who)
        if method == "POST":
            response = client.post(path, data=MultiDict(data))
        else:
            response = client.get(path, query_string=MultiDict(data))
        check(response, rule.endpoint, method, path, data)

    one()


def fuzzed_rules(app: Flask, methods: set[str]) -> list[Rule]:
    return [rule for rule in app.url_map.iter_rules()
            if rule.endpoint not in SKIPPED and rule.methods & methods]


def describe(error: BaseException) -> str:
    """The error and the example hypothesis found (each of them when it found several)."""
    if isinstance(error, BaseExceptionGroup):
        return "\n".join(describe(each) for each in error.exceptions)
    return f"{type(error).__name__}: {error}\n" + "\n".join(getattr(error, "__notes__", []))


def run_all(app: Flask, client: FlaskClient, method: str) -> None:
    world = build_world(app, client)
    failures = []
    for rule in fuzzed_rules(app, {method}):
        try:
            fuzz_rule(app, client, rule, world, method)
        except Exception as error:  # noqa: BLE001 - every route's failure is reported at once
            failures.append(f"{rule.endpoint} {rule.rule}: {describe(error)}")
    assert not failures, "\n\n".join(failures)


def test_every_form_never_answers_500(app: Flask, client: FlaskClient) -> None:
    run_all(app, client, "POST")


def test_every_query_never_answers_500(app: Flask, client: FlaskClient) -> None:
    run_all(app, client, "GET")


@pytest.fixture
def world(app: Flask, client: FlaskClient) -> World:
    return build_world(app, client)


def test_the_world_shows_every_form(world: World, app: Flask) -> None:
    """Every POST route gets its fields from a page of the world (else the fuzzing sends only guesses)."""
    missing = [rule.endpoint for rule in fuzzed_rules(app, UNSAFE_METHODS) if rule.endpoint not in world.forms]
    assert missing == [], "no page of the world shows a form posting there: add what it needs to build_world"


def test_an_amount_too_big_to_store_is_a_field_error(world: World, app: Flask, client: FlaskClient) -> None:
    """Found by the fuzzing: a pot of £92,233,720,368,547,758.08 overflowed the 64-bit column (a 500)."""
    act_as(app, client, world.admin)
    response = client.post(f"/budgets/{world.slugs['budgets'][0]}/pots/new",
                           data={"pot_title": "Everything", "new_area": "Everywhere", "amount": "9223372036854775808"})
    assert response.status_code == 200
    page = read(response)
    assert page.error_summary == ["The amount must be £1,000,000,000,000 or less"]


def test_points_in_other_digits_are_a_field_error(world: World, app: Flask, client: FlaskClient) -> None:
    """Found by the fuzzing: "²" passes str.isdigit() but not int(), and a points ballot answered 500."""
    points_pot = world.values["pot_id"][2]
    with app.app_context():
        proposals = db.session.scalars(db.select(Proposal).where(Proposal.pot_id == points_pot)
                                       .order_by(Proposal.id)).all()
        first, second = (proposal.id for proposal in proposals[:2])
        title = proposals[0].title
    act_as(app, client, world.admin)
    response = client.post(f"/budgets/pots/{points_pot}/ballot",
                           data={f"points_{first}": "²", f"points_{second}": "1", "action": "cast"})
    assert response.status_code == 200
    assert read(response).error_summary == [f"Enter the points for {title} as a whole number, like 3"]
