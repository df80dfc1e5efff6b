"""@mentions in the text pipeline: linked in text only, escaped, reading nothing from the database."""

from __future__ import annotations

from forum.common import markup
from forum.notifications.mentions import handles_in


def test_handles_in_text_are_linked_to_profiles():
    html = markup.render("Ask @carol-other and @Bob_M, not bob@example.org or @-- nobody.")
    assert '<a href="/users/carol-other/" class="forum-mention">@carol-other</a>' in html
    assert '<a href="/users/bob_m/" class="forum-mention">@Bob_M</a>' in html
    assert "bob@example.org" in html and "@--" in html
    assert handles_in(html) == ["carol-other", "bob_m"]


def test_no_mentions_in_code_pre_or_links():
    html = markup.render("`@code`\n\n    @pre\n\n[@linked](https://example.org) <a href='/'>@raw</a>")
    assert "forum-mention" not in html
    assert handles_in(html) == []


def test_what_the_filter_adds_is_escaped_and_the_sanitiser_still_holds():
    html = markup.render('@ok<script>alert(1)</script> @"><img src=x onerror=alert(1)>')
    assert "<script" not in html and "<img" not in html
    assert handles_in(html) == ["ok"]


def test_only_links_the_pipeline_made_count_as_mentions():
    assert handles_in('<a href="/users/eve/">@eve</a>') == []


def test_a_profile_that_does_not_exist_is_a_plain_404(client, app):
    assert client.get("/users/no-such-person/").status_code == 404
