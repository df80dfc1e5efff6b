"""Security headers, cookies, error pages and malformed requests."""

import pytest

from forum.common.security import GOVUK_INLINE_SCRIPT_HASH


def test_every_response_carries_the_security_headers(client):
    for url in ("/", "/does-not-exist", "/assets/govuk-frontend.min.css"):
        response = client.get(url)
        response.close()
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and GOVUK_INLINE_SCRIPT_HASH in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_the_inline_snippet_hash_matches_the_template(app):
    import base64
    import hashlib
    import re

    html = app.test_client().get("/").get_data(as_text=True)
    snippets = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(snippets) == 1
    digest = base64.b64encode(hashlib.sha256(snippets[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" == GOVUK_INLINE_SCRIPT_HASH


def test_pages_have_no_crown_and_no_gds_transport(client):
    html = client.get("/").get_data(as_text=True)
    assert "govuk-header__logotype" not in html and "crown" not in html.lower()
    with client.get("/assets/govuk-frontend.min.css") as response:
        css = response.get_data(as_text=True)
    assert "GDS Transport" not in css and "@font-face" not in css


def test_unknown_page_is_a_proper_404_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert "govuk-heading-l" in response.get_data(as_text=True)


def test_huge_ids_are_404_not_500(client):
    assert client.get("/threads/99999999999999999999999/").status_code == 404
    assert client.get("/threads/abc/").status_code == 404


def test_nul_bytes_in_query_or_form_are_a_400_page(client):
    response = client.get("/?q=a%00b")
    assert response.status_code == 400
    assert "there is a problem" in response.get_data(as_text=True).lower()
    assert client.post("/login", data={"email": "a\x00@b.org", "password": "x"}).status_code == 400


def test_undecodable_query_is_a_400_page(client):
    assert client.get("/?q=%ff%fe").status_code == 400


def test_non_numeric_page_number_is_a_400(client):
    assert client.get("/groups/?page=two").status_code == 400


@pytest.mark.parametrize("page", ["%C2%B2", "%E2%91%A0", "%C2%BD"])
@pytest.mark.parametrize("url", ["/groups/", "/tags/"])
def test_a_page_number_of_unicode_digits_is_a_400(client, url, page):
    """"²" and "①" pass str.isdigit() but int() refuses them: a 400 page, not a 500."""
    assert client.get(f"{url}?page={page}").status_code == 400


def test_session_cookie_is_httponly_and_samesite(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_server_errors_render_the_500_page(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/__boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/__boom")
    assert response.status_code == 500
    assert "problem with the service" in response.get_data(as_text=True)
