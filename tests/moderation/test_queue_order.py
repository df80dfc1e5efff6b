"""The queue's order: the most harmful reason first, held posts after harmful flags and before spam, oldest first
within a harm level; pages of it neither overlap nor skip; and "next" after a decision follows the same order."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.moderation.models import FlagReason, ItemType, ReviewItem
from forum.moderation.services import actions, queue
from forum.threads import services as thread_services
from tests.moderation import support as s

#: Flag reasons, oldest flagged first: the queue must put them in harm order regardless.
FLAGGED_OLDEST_FIRST = ["off_topic", "spam", "other", "inappropriate", "personal_information", "spam"]


@pytest.fixture
def world(app):
    return s.make_world(app)


def make_mixed_queue(app, world: s.World) -> dict[str, list[int]]:
    """Replies flagged for each reason in FLAGGED_OLDEST_FIRST (each a minute older than the next), then a held
    reply from a newcomer. Returns reason -> post ids, oldest first, and "held" -> its post id."""
    made: dict[str, list[int]] = {}
    app.config["PREMODERATE_FIRST_POSTS"] = 0
    with app.app_context():
        thread = s.thread(world.thread_id)
        start = utcnow()
        for n, reason in enumerate(FLAGGED_OLDEST_FIRST):
            post = thread_services.reply(thread, s.user(world.member), f"Reply {n} ({reason}).")
            s.flag_as(world.flaggers[0], ItemType.POST, post.id, reason, "Note" if reason == "other" else "")
            made.setdefault(reason, []).append(post.id)
            db.session.execute(update(ReviewItem).where(ReviewItem.item_id == post.id)
                               .values(updated_at=start - timedelta(minutes=100 - n)))
        db.session.commit()
    app.config["PREMODERATE_FIRST_POSTS"] = 2
    with app.app_context():
        newcomer = s.new_account("Norah New", world.parks_id)
        held = thread_services.reply(s.thread(world.thread_id), s.user(newcomer), "My first words, held.")
        db.session.commit()
        made["held"] = [held.id]
    app.config["PREMODERATE_FIRST_POSTS"] = 0
    return made


def expected_order(made: dict[str, list[int]]) -> list[int]:
    return [*made["personal_information"], *made["inappropriate"], *made["other"], *made["held"],
            *made["spam"], *made["off_topic"]]


def test_the_ranking_puts_personal_information_first_and_held_posts_before_spam():
    harm = FlagReason.HARM
    assert harm["personal_information"] > harm["inappropriate"] > harm["other"] > FlagReason.HELD_HARM
    assert FlagReason.HELD_HARM > harm["spam"] > harm["off_topic"]
    assert set(harm) == set(FlagReason.LABELS)  # every reason a person can choose is ranked


def test_the_queue_lists_the_most_harmful_first_then_the_oldest(app, world):
    made = make_mixed_queue(app, world)
    with app.app_context():
        page = queue.queue_page(s.user(world.sitemod), 1, 50)
        assert [e.item.id for e in page.items] == expected_order(made)
        # Page by page, the same order: nothing repeated, nothing skipped.
        paged = [e.item.id for n in (1, 2, 3) for e in queue.queue_page(s.user(world.sitemod), n, 3).items]
        assert paged == expected_order(made)


def test_a_held_post_that_is_also_flagged_ranks_by_the_worse_of_the_two(app, world):
    made = make_mixed_queue(app, world)
    with app.app_context():
        s.flag_as(world.flaggers[1], ItemType.POST, made["held"][0], "personal_information")
        db.session.commit()
        first = queue.queue_page(s.user(world.sitemod), 1, 50).items
        # Flagged just now, so youngest of the personal-information items: second, after the older one.
        assert [e.item.id for e in first][:2] == [*made["personal_information"], made["held"][0]]


def test_dismissed_flags_no_longer_count_towards_the_harm(app, world):
    made = make_mixed_queue(app, world)
    with app.app_context():
        target = made["personal_information"][0]
        actions.approve(s.post_item(target), s.user(world.sitemod))
        s.flag_as(world.flaggers[1], ItemType.POST, target, "off_topic")  # flagged again, for something minor
        db.session.commit()
        order = [e.item.id for e in queue.queue_page(s.user(world.sitemod), 1, 50).items]
        assert order[-1] == target  # the newest off-topic flag, last


def test_next_after_a_decision_follows_the_queue_order_and_comes_back_round(app, world):
    made = make_mixed_queue(app, world)
    order = expected_order(made)
    with app.app_context():
        moderator = s.user(world.sitemod)
        third = s.post_item(order[2])
        place = queue.place_of(third)
        actions.hide(third, moderator, "Threatening")
        assert queue.next_after(moderator, place) == ("post", order[3])
        last = s.post_item(order[-1])
        place = queue.place_of(last)
        actions.approve(last, moderator)
        assert queue.next_after(moderator, place) == ("post", order[0])  # back round to what was skipped
        assert queue.next_after(moderator, None) == ("post", order[0])


def test_a_group_moderator_goes_on_only_to_items_of_their_groups(app, world):
    with app.app_context():
        s.flag_as(world.member, ItemType.POST, world.private_post_id, "personal_information")
        s.flag_as(world.flaggers[0], ItemType.POST, world.reply_id, "spam")
        db.session.commit()
        assert queue.next_after(s.user(world.parks_mod), None) == ("post", world.reply_id)
        assert queue.next_after(s.user(world.outsider), None) is None
