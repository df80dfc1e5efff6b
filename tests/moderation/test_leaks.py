"""Held, hidden and withdrawn content leaks nowhere (issue 5): one test per place the forum shows content or
counts it, each looking for held AND hidden content (and withdrawn where it applies), through the pages'
HTML (the words must not appear anywhere on the page) and through the services behind them.

The world: in Parks, the visible thread "Benches by the pond" (opening post and one shown reply) also has a
held reply, a hidden reply and a withdrawn reply, and a held and a hidden comment; beside it a held thread and
a hidden thread, each tagged with a tag of its own and with "benches". Everything that is not shown carries a
word found nowhere else, so a page that mentions it has leaked it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from forum.budgeting.models import Proposal, ProposalThread
from forum.budgeting.services import discussions
from forum.common.errors import NotFound, ValidationFailed
from forum.extensions import db
from forum.moderation.models import Flag, ItemType
from forum.moderation.services import actions, flags
from forum.threads import listings, queries
from forum.threads import services as thread_services
from forum.threads.models import Post
from tests.budgeting.support import make_budget
from tests.moderation import support as s
from tests.pages import read

#: Words that appear only in content nobody else may see.
HELD_WORDS = ("Swan nesting plans", "swanbody", "swantag", "heldreplyword", "heldcommentword")
HIDDEN_WORDS = ("Goose droppings rant", "goosebody", "goosetag", "hiddenreplyword", "hiddencommentword")
WITHDRAWN_WORDS = ("withdrawnreplyword",)
SECRETS = HELD_WORDS + HIDDEN_WORDS + WITHDRAWN_WORDS


@dataclass
class Leaks:
    world: s.World
    held_thread_id: int
    hidden_thread_id: int
    held_reply_id: int
    hidden_reply_id: int
    withdrawn_reply_id: int
    held_comment_id: int
    hidden_comment_id: int
    proposal_id: int


@pytest.fixture
def leaks(app) -> Leaks:
    world = s.make_world(app)
    with app.app_context():
        newcomer, author, member = s.user(world.newcomer), s.user(world.author), s.user(world.member)
        moderator = s.user(world.parks_mod)
        parks, thread = s.group(world.parks_id), s.thread(world.thread_id)
        app.config["PREMODERATE_FIRST_POSTS"] = 3  # the newcomer's three contributions wait
        held_thread = thread_services.start_thread(parks, newcomer, "Swan nesting plans", "The swanbody text.",
                                                   "swantag, benches")
        held_reply = thread_services.reply(thread, newcomer, "A heldreplyword reply.")
        held_comment = thread_services.add_comment(s.first_post(world.thread_id), newcomer,
                                                   "A heldcommentword comment.")
        app.config["PREMODERATE_FIRST_POSTS"] = 0
        hidden_thread = thread_services.start_thread(parks, author, "Goose droppings rant", "The goosebody text.",
                                                     "goosetag, benches")
        actions.hide(s.post_item(s.first_post(hidden_thread.id).id), moderator, "Rude about geese")
        hidden_reply = thread_services.reply(s.thread(world.thread_id), author, "A hiddenreplyword reply.")
        actions.hide(s.post_item(hidden_reply.id), moderator, "Rude")
        hidden_comment = thread_services.add_comment(s.first_post(world.thread_id), author,
                                                     "A hiddencommentword comment.")
        actions.hide(s.comment_item(hidden_comment.id), moderator, "Rude")
        withdrawn = thread_services.reply(s.thread(world.thread_id), member, "A withdrawnreplyword reply.")
        thread_services.withdraw_post(withdrawn, member)
        setup = make_budget(costs=(12_500,), title="Pond Budget")
        proposal = setup.proposals[0]
        for thread_id in (held_thread.id, hidden_thread.id, world.thread_id):
            db.session.add(ProposalThread(proposal_id=proposal.id, thread_id=thread_id, linked_by_id=author.id))
        db.session.commit()
        return Leaks(world, held_thread.id, hidden_thread.id, held_reply.id, hidden_reply.id, withdrawn.id,
                     held_comment.id, hidden_comment.id, proposal.id)


def others(leaks: Leaks) -> list[s.Person | None]:
    """People who may see none of it: a visitor, a signed-in outsider, a member, and a moderator of another
    group (the held and hidden content's authors are not among them)."""
    world = leaks.world
    return [None, world.outsider, world.member, world.transport_mod]


def as_(client, who: s.Person | None) -> None:
    if who is None:
        s.sign_out(client)
    else:
        s.sign_in(client, who)


def assert_no_secrets(text: str, where: str, words: tuple[str, ...] = SECRETS) -> None:
    leaked = [word for word in words if word.lower() in text.lower()]
    assert leaked == [], f"{where} shows {leaked}"


def test_the_authors_profile_shows_none_of_it(app, client, leaks):
    world = leaks.world
    for who in [*others(leaks), world.author, world.newcomer]:
        as_(client, who)
        for handle in ("nina-newcomer", "alice-author", "bob-member"):
            assert_no_secrets(s.page(client.get(f"/users/{handle}/")), f"/users/{handle}/ for {who}")
    with app.app_context():
        for person in (world.newcomer, world.author, world.member):
            for viewer in (None, world.member, world.author, world.newcomer):
                posts = listings.recent_posts(s.user(person), s.user(viewer) if viewer else None)
                assert_no_secrets(" ".join(p.body_source + p.thread.title for p in posts), "recent_posts")
        assert listings.recent_posts(s.user(world.newcomer), s.user(world.newcomer)) == []


def test_tag_pages_and_the_tag_index_count_only_shown_threads(app, client, leaks):
    for who in others(leaks):
        as_(client, who)
        index = s.page(client.get("/tags/"))
        assert_no_secrets(index, "/tags/")
        assert "1 thread" in index and "2 threads" not in index and "3 threads" not in index
        tagged = s.page(client.get("/tags/benches/"))
        assert_no_secrets(tagged, "/tags/benches/")
        assert "Benches by the pond" in tagged
        for tag in ("swantag", "goosetag"):
            response = client.get(f"/tags/{tag}/")
            assert response.status_code == 404
            assert_no_secrets(s.page(response), f"/tags/{tag}/")
    with app.app_context():
        counts = {t.name: t.count for t in listings.tag_counts(None, 1, 50).items}
        assert counts == {"benches": 1}
        tag = listings.get_tag("benches")
        assert [t.title for t in listings.tag_threads(tag, s.user(leaks.world.parks_mod), 1, 50).items] == \
            ["Benches by the pond"]
        with pytest.raises(NotFound):
            listings.tag_threads(listings.get_tag("swantag"), s.user(leaks.world.newcomer), 1, 50)


def test_the_group_page_lists_counts_and_tag_filters_only_shown_threads(app, client, leaks):
    world = leaks.world
    for who in others(leaks):
        as_(client, who)
        for url in (f"/groups/{world.parks_slug}/", f"/groups/{world.parks_slug}/?tag=benches"):
            text = s.page(client.get(url))
            assert_no_secrets(text, url)
            assert "Nina Newcomer" not in text  # the last poster is never someone whose post is held
            assert "1 thread, 2 posts" in text, url
            assert "Benches by the pond" in text and "1 reply." in text
        for tag in ("swantag", "goosetag"):
            text = s.page(client.get(f"/groups/{world.parks_slug}/?tag={tag}"))  # the filter names the tag typed
            assert_no_secrets(text, f"?tag={tag}", tuple(word for word in SECRETS if word != tag))
    with app.app_context():
        parks = s.group(world.parks_id)
        assert [(t.name, t.count) for t in listings.group_tags(parks)] == [("benches", 1)]
        page = listings.group_threads(parks, 1, 50)
        assert [(t.title, t.reply_count) for t in page.items] == [("Benches by the pond", 1)]
        assert listings.group_threads(parks, 1, 50, tag="swantag").total == 0


def test_the_home_page_latest_list_and_group_counts_leave_it_out(app, client, leaks):
    world = leaks.world
    for who in [*others(leaks), world.author, world.newcomer]:
        as_(client, who)
        home = read(client.get("/"))
        if who == world.author and home.has("section.forum-mine"):
            # Her own notifications say a moderator hid her thread, naming it: hers to know, nobody else's.
            home.one("section.forum-mine").decompose()
        text = s.page(str(home.soup))
        assert_no_secrets(text, f"/ for {who}")
        assert "1 thread, 2 posts" in text and "Benches by the pond" in text
    with app.app_context():
        for viewer in (None, world.newcomer, world.author):
            latest = listings.latest_threads(s.user(viewer) if viewer else None)
            assert "Benches by the pond" in [t.title for t in latest]
            assert_no_secrets(" ".join(t.title for t in latest), "latest_threads")
        assert s.counts(world.parks_id) == (1, 2)


def test_thread_reply_counts_in_lists_count_only_shown_replies(app, client, leaks):
    world = leaks.world
    with app.app_context():
        thread = s.thread(world.thread_id)
        assert (thread.post_count, thread.visible_reply_count) == (5, 1)
        shown = db.session.scalar(select(db.func.count(Post.id)).where(
            Post.thread_id == world.thread_id, Post.number > 1, Post.state == "visible", Post.withdrawn_at.is_(None)))
        assert thread.reply_count == shown == 1
        assert thread.last_post_author_id == world.member.id
    for who in others(leaks):
        as_(client, who)
        for url in (f"/groups/{world.parks_slug}/", "/tags/benches/", f"/threads/{world.thread_id}/"):
            text = s.page(client.get(url))
            assert "1 reply." in text and "4 replies" not in text and "2 replies" not in text, url
            assert_no_secrets(text, url)


def test_a_held_or_hidden_thread_is_a_404_that_names_nothing(app, client, leaks):
    world = leaks.world
    for who in others(leaks):
        as_(client, who)
        for thread_id in (leaks.held_thread_id, leaks.hidden_thread_id):
            for url in (f"/threads/{thread_id}/", f"/threads/{thread_id}/some-slug", f"/threads/{thread_id}/reply"):
                response = client.get(url)
                if who is None and url.endswith("/reply"):
                    assert response.status_code == 302  # sign in first; the address names nothing
                    continue
                assert response.status_code == 404, (who, url)
                text = s.page(response)
                assert_no_secrets(text, url)
                assert "<title>Page not found" in text
    as_(client, world.newcomer)  # the author sees it, awaiting review
    text = s.page(client.get(f"/threads/{leaks.held_thread_id}/"))
    assert "<title>Swan nesting plans" in text and "swanbody" in text
    as_(client, world.author)
    text = s.page(client.get(f"/threads/{leaks.hidden_thread_id}/"))
    assert "Goose droppings rant" in text and "Rude about geese" in text


def test_the_visible_thread_page_shows_none_of_its_held_hidden_or_withdrawn_content(client, leaks):
    for who in [*others(leaks), leaks.world.flaggers[0]]:
        as_(client, who)
        text = s.page(client.get(f"/threads/{leaks.world.thread_id}/"))
        assert "I agree about the benches." in text
        assert_no_secrets(text, f"thread page for {who}")


def test_quoting_a_held_hidden_or_withdrawn_post_quotes_nothing(app, client, leaks):
    world = leaks.world
    hidden_opening = _opening(app, leaks.hidden_thread_id)
    s.sign_in(client, world.member)
    for post_id in (leaks.held_reply_id, leaks.hidden_reply_id, leaks.withdrawn_reply_id, hidden_opening):
        response = client.get(f"/threads/{world.thread_id}/reply?quote={post_id}")
        assert response.status_code == 200
        assert_no_secrets(s.page(response), f"quote={post_id}")
    # a shown post is quoted, so the check above means something
    quoted = client.get(f"/threads/{world.thread_id}/reply?quote={world.reply_id}")
    assert "I agree about the benches." in s.page(quoted)
    # a quote id sent with a reply is dropped when the post is not shown
    data = {"body": "Quoting nothing.", "quote": leaks.hidden_reply_id}
    assert client.post(f"/threads/{world.thread_id}/reply", data=data).status_code == 302
    with app.app_context():
        post = db.session.scalar(select(Post).where(Post.body_source == "Quoting nothing."))
        assert post.quoted_post_id is None


def _opening(app, thread_id: int) -> int:
    with app.app_context():
        return s.first_post(thread_id).id


def test_the_history_and_edit_pages_of_a_held_or_hidden_post_are_404_for_others(app, client, leaks):
    ids = (leaks.held_reply_id, leaks.hidden_reply_id, _opening(app, leaks.held_thread_id),
           _opening(app, leaks.hidden_thread_id))
    for who in others(leaks)[1:]:
        as_(client, who)
        for post_id in ids:
            for url in (f"/posts/{post_id}/history", f"/posts/{post_id}/edit"):
                response = client.get(url)
                assert response.status_code == 404, (who, url)
                assert_no_secrets(s.page(response), url)
    with app.app_context():
        for post_id in ids:
            with pytest.raises(NotFound):
                queries.readable_post(post_id, s.user(leaks.world.member))
        with pytest.raises(NotFound):
            queries.readable_comment(leaks.hidden_comment_id, s.user(leaks.world.member))
    as_(client, leaks.world.author)  # the author still sees the history of their hidden post
    assert "hiddenreplyword" in s.page(client.get(f"/posts/{leaks.hidden_reply_id}/history"))


def test_proposal_discussions_list_only_shown_threads(app, client, leaks):
    world = leaks.world
    for who in [*others(leaks), world.author, world.newcomer]:
        as_(client, who)
        text = s.page(client.get(f"/budgets/proposals/{leaks.proposal_id}"))
        assert "Benches by the pond" in text and "1 reply." in text
        assert_no_secrets(text, f"proposal page for {who}")
    with app.app_context():
        proposal = db.session.get(Proposal, leaks.proposal_id)
        for viewer in (None, world.member, world.author, world.newcomer, world.sitemod):
            threads = discussions.readable_threads(proposal, s.user(viewer) if viewer else None)
            assert [t.title for t in threads] == ["Benches by the pond"]
        # nor can a held or hidden thread be linked to a proposal by its address
        for thread_id in (leaks.held_thread_id, leaks.hidden_thread_id):
            with pytest.raises(ValidationFailed, match="There is no thread at that address"):
                discussions.thread_from_reference(f"/threads/{thread_id}/", s.user(world.member))


def test_the_flag_page_of_someone_elses_held_or_hidden_item_is_404(app, client, leaks):
    world = leaks.world
    items = [(ItemType.POST, leaks.held_reply_id), (ItemType.POST, leaks.hidden_reply_id),
             (ItemType.POST, _opening(app, leaks.held_thread_id)),
             (ItemType.POST, _opening(app, leaks.hidden_thread_id)),
             (ItemType.COMMENT, leaks.held_comment_id), (ItemType.COMMENT, leaks.hidden_comment_id)]
    for who in others(leaks)[1:]:
        as_(client, who)
        for kind, item_id in items:
            for response in (client.get(f"/community/flag/{kind}/{item_id}"),
                             client.post(f"/community/flag/{kind}/{item_id}", data={"reason": "spam"})):
                assert response.status_code == 404, (who, kind, item_id)
                assert_no_secrets(s.page(response), f"flag page {kind} {item_id}")
    with app.app_context():
        for kind, item_id in items:
            with pytest.raises(NotFound):
                flags.flaggable_item(kind, item_id, s.user(world.member))
        assert db.session.scalar(select(db.func.count()).select_from(Flag)) == 0
