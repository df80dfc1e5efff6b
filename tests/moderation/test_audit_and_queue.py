"""Reading the audit log and the queue: filters, each moderator's scope, residents refused, and a queue page whose
query count does not grow with the number of items on it."""

from __future__ import annotations

import pytest

from forum.audit.models import Action
from forum.common.errors import PermissionDenied
from forum.extensions import db
from forum.moderation.models import ItemType
from forum.moderation.services import actions, audit_log, queue, sanctions, thread_actions
from forum.moderation.services.audit_log import LogFilters
from forum.threads import services as thread_services
from forum.threads.models import Post
from tests import factories
from tests.moderation import support as s
from tests.query_counting import counting_queries


@pytest.fixture
def world(app):
    return s.make_world(app)


def some_history(world: s.World) -> None:
    """Actions in Parks by its moderator and a site moderator, in Transport by its moderator, and on people."""
    transport_thread = factories.make_thread(s.group(world.transport_id), s.user(world.author), title="Buses")
    actions.hide(s.post_item(world.reply_id), s.user(world.parks_mod), "Rude")
    thread_actions.set_flag(s.thread(world.thread_id), s.user(world.sitemod), Action.LOCK)
    thread_actions.set_flag(s.thread(transport_thread.id), s.user(world.transport_mod), Action.PIN)
    sanctions.warn(s.user(world.transport_mod), s.user(world.author), "Off-topic again", s.group(world.transport_id))
    sanctions.suspend(s.user(world.sitemod), s.user(world.member), 3, "Insults")


def logged(viewer: s.Person, **filters: str) -> list[tuple[str, str]]:
    page = audit_log.entries(s.user(viewer), LogFilters(**filters), 1, 50)
    return [(e.action, e.actor.handle if e.actor else "") for e in reversed(page.items)]


def test_the_audit_log_filters_by_moderator_person_group_and_action(app, world):
    with app.app_context():
        some_history(world)
        everything = logged(world.sitemod)
        assert [a for a, _ in everything] == [Action.HIDE, Action.LOCK, Action.PIN, Action.WARN, Action.SUSPEND]
        assert logged(world.admin) == everything
        assert logged(world.sitemod, moderator="sam-sitemod") == [(Action.LOCK, "sam-sitemod"),
                                                                  (Action.SUSPEND, "sam-sitemod")]
        assert logged(world.sitemod, moderator=" SAM-SITEMOD ") == logged(world.sitemod, moderator="sam-sitemod")
        assert [a for a, _ in logged(world.sitemod, person="alice-author")] == [Action.LOCK, Action.PIN, Action.WARN]
        assert [a for a, _ in logged(world.sitemod, person="bob-member")] == [Action.HIDE, Action.SUSPEND]
        assert [a for a, _ in logged(world.sitemod, group=world.transport_slug)] == [Action.PIN, Action.WARN]
        assert logged(world.sitemod, action=Action.SUSPEND) == [(Action.SUSPEND, "sam-sitemod")]
        assert logged(world.sitemod, moderator="nobody-at-all") == []
        assert logged(world.sitemod, group="parks", action=Action.HIDE) == [(Action.HIDE, "pat-parksmod")]


def test_a_group_moderator_reads_only_their_groups_entries(app, world):
    with app.app_context():
        some_history(world)
        assert [a for a, _ in logged(world.parks_mod)] == [Action.HIDE, Action.LOCK]
        assert [a for a, _ in logged(world.transport_mod)] == [Action.PIN, Action.WARN]
        # filtering for another group finds nothing rather than widening the scope
        assert logged(world.parks_mod, group=world.transport_slug) == []
        assert logged(world.parks_mod, action=Action.SUSPEND) == []


def test_residents_cannot_read_the_audit_log_or_the_queue(app, world):
    with app.app_context():
        some_history(world)
        for who in (world.author, world.outsider, world.member):
            with pytest.raises(PermissionDenied):
                audit_log.entries(s.user(who), LogFilters(), 1, 50)
            with pytest.raises(PermissionDenied):
                queue.queue_page(s.user(who), 1, 20)
            assert queue.pending_count(s.user(who)) == 0


def make_queue(app, world: s.World, items: int, start: int = 0) -> None:
    """``items`` queue items, cycling through every kind the queue shows: a flagged post in
    Parks, a held comment in Parks, a held post in Transport, a flagged comment in Parks."""
    app.config["PREMODERATE_FIRST_POSTS"] = 10**6
    with app.app_context():
        authors = [s.new_account(f"Queue Author {start}-{n}", world.parks_id, world.transport_id) for n in range(3)]
        world.extra.setdefault("authors", []).extend(authors)
        # flagged items come from moderators of their group, who are never held
        transport = factories.make_thread(s.group(world.transport_id), s.user(world.transport_mod),
                                          title=f"Trams {start}")
        opening = db.session.get(Post, world.opening_id)
        for n in range(start, start + items):
            who, kind = authors[n % len(authors)], n % 4
            if kind == 0:
                flagged = thread_services.reply(s.thread(world.thread_id), s.user(world.parks_mod), f"Flagged {n}.")
                s.flag_as(world.flaggers[n % 3], ItemType.POST, flagged.id, "spam")
            elif kind == 1:
                assert thread_services.add_comment(opening, s.user(who), f"Held comment {n}.").state == "held"
            elif kind == 2:
                assert thread_services.reply(s.thread(transport.id), s.user(who), f"Held post {n}.").state == "held"
            else:
                comment = thread_services.add_comment(opening, s.user(world.parks_mod), f"Comment {n}.")
                s.flag_as(world.flaggers[n % 3], ItemType.COMMENT, comment.id, "other", "Rude")
        sanctions.warn(s.user(world.sitemod), s.user(authors[0]), "Careful")
    app.config["PREMODERATE_FIRST_POSTS"] = 0


def test_the_queue_shows_each_moderator_their_groups_and_filters_by_kind(app, world):
    make_queue(app, world, 8)
    with app.app_context():
        everything = queue.queue_page(s.user(world.sitemod), 1, 100)
        assert everything.total == 8 and queue.pending_count(s.user(world.sitemod)) == 8
        parks = queue.queue_page(s.user(world.parks_mod), 1, 100)
        assert {e.item.group.id for e in parks.items} == {world.parks_id} and parks.total == 6
        transport = queue.queue_page(s.user(world.transport_mod), 1, 100)
        assert {e.item.group.id for e in transport.items} == {world.transport_id} and transport.total == 2
        assert queue.pending_count(s.user(world.transport_mod)) == 2
        flagged = queue.queue_page(s.user(world.sitemod), 1, 100, kind="flagged")
        assert flagged.total == 4 and all(e.flags and not e.review.held for e in flagged.items)
        held = queue.queue_page(s.user(world.sitemod), 1, 100, kind="held")
        assert held.total == 4 and all(e.review.held and not e.flags for e in held.items)
        assert queue.queue_page(s.user(world.parks_mod), 1, 100, group_id=world.transport_id).total == 0
        # each entry carries its context: flags with their flaggers, the author's history
        entry = next(e for e in flagged.items if e.item.kind == ItemType.COMMENT)
        assert [(f.flagger.display_name, f.reason_label, f.note) for f in entry.flags] == [
            ("Flagger One", "Other", "Rude")]
        held_entry = next(e for e in held.items if e.review.author_id == world.extra["authors"][0].id)
        assert held_entry.history.warnings == 1


def queue_queries(app, world: s.World, items: int) -> int:
    """The statements one queue page costs, touching everything the page prints about each item."""
    with app.app_context():
        moderator = s.user(world.sitemod)
        with counting_queries(app) as statements:
            page = queue.queue_page(moderator, 1, 100)
            for entry in page.items:
                item = entry.item
                _ = (item.thread.title, item.group.name, item.post.number, item.obj.body_html, item.obj.created_at,
                 item.obj.author.display_name, entry.review.author.display_name, entry.history.hidden, entry.key)
                [(f.flagger.display_name, f.reason_label, f.note) for f in entry.flags]
                [(e.actor.display_name if e.actor else "", e.action_label) for e in entry.earlier]
        assert page.total == len(page.items) == items
        return len(statements)


def test_the_queue_page_costs_the_same_queries_for_3_and_20_items_of_every_kind(app, client, world):
    make_queue(app, world, 2)
    with app.app_context():  # a decision, then a new flag: an item with earlier actions to show
        s.flag_as(world.flaggers[0], ItemType.POST, world.reply_id)
        actions.approve(s.post_item(world.reply_id), s.user(world.parks_mod))
        s.flag_as(world.flaggers[1], ItemType.POST, world.reply_id)
    s.sign_in(client, world.sitemod)
    client.get("/moderation/")
    with counting_queries(app) as page_with_few:
        assert client.get("/moderation/").status_code == 200
    with_few = queue_queries(app, world, 3)
    make_queue(app, world, 17, start=2)
    with_many = queue_queries(app, world, 20)
    assert with_few == with_many, (with_few, with_many)
    app.config["QUEUE_PER_PAGE"] = 50
    client.get("/moderation/")
    with counting_queries(app) as page_with_many:
        response = client.get("/moderation/")
    assert s.page(response).count('name="items" type="checkbox"') == 20
    assert len(page_with_few) == len(page_with_many), (len(page_with_few), len(page_with_many))
