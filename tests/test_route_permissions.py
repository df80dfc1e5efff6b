"""Walk the URL map: every state change is CSRF-checked, every admin endpoint checks the role on the server."""

from __future__ import annotations

import re

import pytest

from forum.common.csrf import UNSAFE_METHODS

ADMIN_OR_MODERATION = re.compile(r"(^admin|\.admin|moderat|\.new$)")


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def _sample_url(rule) -> str:
    values = {}
    for arg in rule.arguments:
        converter = rule._converters[arg]
        if converter.__class__.__name__ == "AnyConverter":
            values[arg] = sorted(converter.items)[0]  # one of the values it allows, e.g. lock|unlock|pin|unpin
        else:
            values[arg] = 1 if converter.__class__.__name__ in ("IdConverter", "IntegerConverter") else "x"
    return rule.build(values, append_unknown=False)[1]


def test_admin_and_moderation_endpoints_carry_a_role_check(app):
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("groups.") and rule.endpoint != "groups.new":
            continue  # group-level moderation is checked per group by the groups services (tests/groups)
        if ADMIN_OR_MODERATION.search(rule.endpoint) or rule.rule.startswith("/admin"):
            view = app.view_functions[rule.endpoint]
            if not getattr(view, "required_roles", None):
                missing.append(rule.endpoint)
    assert missing == [], f"endpoints without role_required: {missing}"


def test_every_state_change_without_a_token_changes_nothing(app, client):
    """An admin posting without a CSRF token gets the 400 page, or a form re-rendered with an error; the only
    redirect allowed is to sign in again."""
    from tests.factories import make_user, sign_in_id

    with app.app_context():
        admin = make_user(role="admin")
        session_id = sign_in_id(admin)
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    checked = 0
    for rule in app.url_map.iter_rules():
        if not (rule.methods & UNSAFE_METHODS) or rule.endpoint == "static":
            continue
        response = client.post(_sample_url(rule), data={"title": "x", "body": "y"})
        if response.status_code in (301, 302, 303):
            assert "/login" in response.headers["Location"], rule.endpoint
        assert response.status_code < 500, (rule.endpoint, response.status_code)
        if response.status_code == 200:
            assert "govuk-error-summary" in response.get_data(as_text=True), rule.endpoint
        checked += 1
    assert checked >= 3
