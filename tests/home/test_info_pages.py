"""The privacy notice, accessibility statement, cookies and contact pages: there, linked from every page's
footer (with Budgets), replaceable by the council's own text in the instance folder, and the Beta banner asks
for feedback."""

from __future__ import annotations

import pytest

from tests.pages import read

PAGES = {"/privacy": "Privacy notice", "/accessibility": "Accessibility statement", "/cookies": "Cookies",
         "/contact": "Contact us"}


@pytest.mark.parametrize("path", list(PAGES))
def test_each_page_is_there_with_its_heading(client, path):
    page = read(client.get(path))
    assert page.h1 == PAGES[path]
    assert len(page.text("main .forum-post__body")) > 200


def test_the_footer_links_every_page_and_budgets_and_the_banner_asks_for_feedback(client):
    page = read(client.get("/groups/"))
    footer_links = {a.get_text(strip=True): a["href"] for a in page.soup.select("footer a")}
    for path, title in PAGES.items():
        assert path in footer_links.values(), title
    assert footer_links["Budgets"] == "/budgets/"
    banner = page.one(".govuk-phase-banner")
    assert banner.select_one("a")["href"] == "/contact" and "feedback" in banner.get_text()


def test_a_council_replaces_the_text_with_its_own(app, client, tmp_path, monkeypatch):
    """In an instance folder of the test's own: the shared one would be raced by the other database's run."""
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    folder = tmp_path / "pages"
    folder.mkdir()
    own = folder / "contact.md"
    own.write_text("Write to **Northfield Council**, <script>alert(1)</script> PO Box 1.", encoding="utf-8")
    page = read(client.get("/contact"))
    body = page.one("main .forum-post__body")
    assert body.select_one("strong").get_text() == "Northfield Council"
    assert body.select_one("script") is None
    own.unlink()
    assert "Northfield Council" not in read(client.get("/contact")).visible_text
