"""The one transaction edge, the one form base and the central error mapping, through a real app and database.

A small blueprint of made-up pages exercises each path a real view takes: a service that writes and then
refuses, a refusal with no form to show it on, a domain error nobody catches, and a CLI command.
"""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest
from flask import Blueprint, Flask, render_template_string, request
from govuk_frontend_wtf.wtforms_widgets import GovTextArea, GovTextInput
from sqlalchemy import select
from wtforms import StringField, TextAreaField

from forum.common import transaction
from forum.common.decorators import form_checks_csrf
from forum.common.errors import DomainError, ValidationFailed
from forum.common.forms import SESSION_EXPIRED, Form, govuk
from forum.extensions import db
from forum.tags.models import Tag
from tests.pages import read


class NoteForm(Form):
    name = StringField("Name", description="What to call it", widget=GovTextInput(), render_kw=govuk())
    text = TextAreaField("Text", widget=GovTextArea(), render_kw=govuk(rows=3))


PAGE = """{% extends "base.html" %}{% block main_content %}
<h1 class="govuk-heading-l">Note</h1>
{% call forum.form_wrapper("/plumbing/note") %}{{ form.name(params=extra) }}{{ form.text() }}{% endcall %}
{% endblock %}"""


def _tag(name: str) -> None:
    db.session.add(Tag(name=name))
    db.session.flush()


@form_checks_csrf
def note():
    form = NoteForm()
    if form.validate_on_submit():
        _tag(form.name.data)
        if form.text.data == "refuse":
            raise ValidationFailed("That name is taken", field="name")
        if form.text.data == "domain":
            raise DomainError("That cannot be done now")
        return "saved", 303, {"Location": "/plumbing/note"}
    return render_template_string(PAGE, form=form, extra={"label": {"text": "Name of the note"}}
                                  if request.args.get("relabel") else {})


def button():
    """A bare button: its refusal has no form to be shown on."""
    _tag("from a button")
    raise ValidationFailed("Nothing to add")


@pytest.fixture
def plumbing_app(app: Flask) -> Iterator[Flask]:
    """The test's app with the made-up pages and command added (the fixture then retires that app)."""
    pages = Blueprint("plumbing", __name__, url_prefix="/plumbing")
    pages.add_url_rule("/note", view_func=note, methods=["GET", "POST"])
    pages.add_url_rule("/button", view_func=button, methods=["POST"])
    app.register_blueprint(pages)

    @app.cli.command("add-tags")
    @click.argument("names", nargs=-1)
    def add_tags(names: tuple[str, ...]) -> None:
        with transaction.unit_of_work():
            for name in names:
                if name == "boom":
                    raise click.ClickException("refused")
                _tag(name)

    yield app


def tags_in(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Tag.name).order_by(Tag.name)))


def test_a_successful_post_is_committed_at_the_edge(plumbing_app):
    response = plumbing_app.test_client().post("/plumbing/note", data={"name": "  parks  ", "text": "ok"})
    assert response.status_code == 303
    assert tags_in(plumbing_app) == ["parks"]  # one-line fields are stripped by the base


def test_a_refusal_rolls_back_and_shows_the_form_again_with_the_text(plumbing_app):
    response = plumbing_app.test_client().post("/plumbing/note", data={"name": "parks", "text": "refuse"})
    page = read(response)
    assert response.status_code == 200
    assert page.error_summary == ["That name is taken"]
    assert page.field_error("name") == "That name is taken"
    assert page.value("name") == "parks" and page.value("text") == "refuse"
    assert tags_in(plumbing_app) == []  # the write before the refusal was dropped


def test_a_refusal_with_no_form_is_a_400_page_saying_why(plumbing_app):
    response = plumbing_app.test_client().post("/plumbing/button")
    assert response.status_code == 400
    assert "Nothing to add" in read(response).visible_text
    assert tags_in(plumbing_app) == []


def test_any_other_domain_error_is_a_400_page_not_a_500(plumbing_app):
    response = plumbing_app.test_client().post("/plumbing/note", data={"name": "parks", "text": "domain"})
    assert response.status_code == 400
    assert "That cannot be done now" in read(response).visible_text
    assert tags_in(plumbing_app) == []


def test_fields_carry_their_label_and_hint_and_template_params_do_not_stick(plumbing_app):
    client = plumbing_app.test_client()
    relabelled = read(client.get("/plumbing/note?relabel=1"))
    assert relabelled.text("label[for=name]") == "Name of the note"
    plain = read(client.get("/plumbing/note"))
    assert plain.text("label[for=name]") == "Name"
    assert plain.text("#name-hint") == "What to call it"
    assert "govuk-label--s" in plain.one("label[for=name]")["class"]


def test_an_expired_session_is_explained_in_one_wording(plumbing_app):
    plumbing_app.config["WTF_CSRF_ENABLED"] = True
    response = plumbing_app.test_client().post("/plumbing/note", data={"name": "parks", "csrf_token": "old"})
    page = read(response)
    assert page.error_summary == [SESSION_EXPIRED]
    assert page.value("name") == "parks"
    assert tags_in(plumbing_app) == []


def test_a_cli_command_is_one_unit_of_work(plumbing_app):
    runner = plumbing_app.test_cli_runner()
    assert runner.invoke(args=["add-tags", "one", "two"]).exit_code == 0
    assert tags_in(plumbing_app) == ["one", "two"]
    failed = runner.invoke(args=["add-tags", "three", "boom"])
    assert failed.exit_code != 0
    assert tags_in(plumbing_app) == ["one", "two"]  # nothing of the failed command is kept
