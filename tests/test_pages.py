"""tests.pages reads a page as a person does: headings, the error summary, a field's error and value, links."""

from __future__ import annotations

import pytest

from tests.pages import html_as_read, raw_html, read

FORM = """<!DOCTYPE html><html><head><title>Error: Start a thread</title><style>p { color: red }</style></head>
<body><script>var hidden = 1;</script>
<div class="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2>
  <ul class="govuk-list govuk-error-summary__list">
    <li><a href="#title">Enter a title</a></li>
    <li><a href="#kind">Choose a kind   of thread</a></li>
  </ul></div></div>
<h1 class="govuk-heading-l">
   Start a thread
</h1>
<form method="post" action="/groups/parks/new">
  <div class="govuk-form-group govuk-form-group--error">
    <p id="title-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Enter a title</p>
    <input class="govuk-input" id="title" name="title" type="text" value="">
  </div>
  <div class="govuk-form-group"><textarea id="body" name="body">
Benches &amp; bins</textarea></div>
  <div class="govuk-form-group govuk-form-group--error"><fieldset class="govuk-fieldset">
    <p class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Choose a kind of thread</p>
    <input type="radio" name="kind" value="question"><input type="radio" name="kind" value="idea">
  </fieldset></div>
  <input type="checkbox" name="tags" value="parks" checked><input type="checkbox" name="tags" value="bins">
  <input type="checkbox" name="tags" value="benches" checked>
  <select name="group"><option value="1">Parks</option><option value="2" selected>Transport</option></select>
</form>
<a href="/groups/parks">Back to   Parks</a> <a>no href</a> <a class="govuk-link" href="/help">Help</a>
</body></html>"""


def test_headings_and_text_are_as_shown():
    page = read(FORM)
    assert page.h1 == "Start a thread"
    assert page.title == "Error: Start a thread"
    assert page.text(".govuk-error-summary__title") == "There is a problem"
    assert page.texts(".govuk-error-summary__list a") == ["Enter a title", "Choose a kind of thread"]
    assert "var hidden" not in page.visible_text and "color: red" not in page.visible_text
    assert "Back to Parks" in page.visible_text
    assert page.has("form") and not page.has(".govuk-notification-banner")
    assert page.count("input[type=checkbox]") == 3


def test_nothing_matching_fails_with_the_selector():
    with pytest.raises(AssertionError, match=r"\.govuk-panel"):
        read(FORM).text(".govuk-panel")


def test_the_error_summary_and_each_fields_error():
    page = read(FORM)
    assert page.error_summary == ["Enter a title", "Choose a kind of thread"]
    assert page.error_links == {"Enter a title": "#title", "Choose a kind of thread": "#kind"}
    assert page.field_error("title") == "Enter a title"
    assert page.field_error("kind") == "Choose a kind of thread"  # found through the field's form group
    assert page.field_error("body") is None
    assert read("<h1>Fine</h1>").error_summary == []


def test_field_values_as_the_form_shows_them():
    page = read(FORM)
    assert page.value("title") == ""
    assert page.value("body") == "Benches & bins"
    assert page.value("kind") is None
    assert page.value("tags") == ["parks", "benches"]
    assert page.value("group") == "2"
    assert page.value("missing") is None
    assert page.form("/groups/parks/new")["method"] == "post"


def test_links():
    page = read(FORM)
    assert page.links() == ["#title", "#kind", "/groups/parks", "/help"]
    assert page.links(".govuk-link") == ["/help"]
    assert page.link("Back to Parks") == "/groups/parks"
    with pytest.raises(AssertionError):
        page.link("Nowhere")


def test_the_string_helpers():
    assert raw_html(b"<p>a &amp;  b</p>") == "<p>a &amp;  b</p>"
    assert html_as_read("<p>a &amp;\n  b</p>") == "<p>a & b</p>"


def test_a_real_form_with_errors(client):
    page = read(client.post("/register", data={"email": "not an address", "display_name": ""}))
    assert page.h1 == "Create an account"
    assert "Enter a display name" in page.error_summary
    assert page.field_error("display_name") == "Enter a display name"
    assert page.value("email") == "not an address"
