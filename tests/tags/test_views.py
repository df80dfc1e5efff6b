"""Tags as people type them: every tag a thread shows opens its own page."""

from __future__ import annotations

import re

from tests.threads.support import make_world, sign_in


def test_every_tag_link_of_an_oddly_typed_thread_opens_its_tag_page(app, client):
    world = make_world(app)
    sign_in(client, world.member)
    response = client.post(
        f"/groups/{world.group_slug}/threads/new",
        data={"title": "Odd tags", "body": "Some text.", "tags": "ＰＡＲＫＳ, \u200b, ../paths, a//b, \u00ad"},
    )
    thread_url = response.headers["Location"]
    page = client.get(thread_url).get_data(as_text=True)
    links = re.findall(r'href="(/tags/[^"]+/)">([^<]*)</a>', page)
    assert [text for _, text in links] == ["a/b", "parks", "paths"]
    for href, _ in links:
        tag_page = client.get(href)
        assert tag_page.status_code == 200, href
        assert "Odd tags" in tag_page.get_data(as_text=True)
