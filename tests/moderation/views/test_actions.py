"""Each moderation action end to end through the pages: what the moderator sees, what changed, what was kept
when a form failed, and what is said when someone else already did it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.audit.models import Action
from forum.extensions import db
from forum.moderation.models import ModeratorWarning, Outcome
from forum.threads import services as thread_services
from forum.threads.models import Comment, Post, Thread, Visibility
from tests.moderation import support as s


@pytest.fixture
def world(app):
    world = s.make_world(app)
    with app.app_context():
        s.flag_as(world.flaggers[0], "post", world.reply_id, "spam", "Selling benches")
        s.flag_as(world.flaggers[1], "comment", world.comment_id, "off_topic")
    return world


def item_url(kind: str, item_id: int, action: str = "") -> str:
    return f"/moderation/items/{kind}/{item_id}" + (f"/{action}" if action else "")


def test_hide_with_a_reason_then_restore(app, client, world):
    s.sign_in(client, world.parks_mod)
    response = client.post(item_url("post", world.reply_id, "hide"), data={"reason": "Advertising is not allowed"})
    # On to the next item in the queue (the off-topic comment), with a banner saying what was done.
    assert response.headers["Location"].endswith(item_url("comment", world.comment_id))
    body = s.page(client.get(response.headers["Location"]))
    assert "Hid post 2 in “Benches by the pond”" in body and "Here is the next item in the queue" in body
    assert "Reason its author sees: Advertising" in s.page(client.get(item_url("post", world.reply_id)))
    with app.app_context():
        assert s.state_of(Post, world.reply_id) == Visibility.HIDDEN
        assert [e.reason for e in s.audit_entries(Action.HIDE)] == ["Advertising is not allowed"]
        assert s.review_of("post", world.reply_id).outcome == Outcome.UPHELD
    response = client.post(item_url("post", world.reply_id, "restore"))
    assert "Restored post 2" in s.page(client.get(response.headers["Location"]))
    with app.app_context():
        assert s.state_of(Post, world.reply_id) == Visibility.VISIBLE


def test_hiding_without_a_reason_keeps_the_page_with_an_error(app, client, world):
    s.sign_in(client, world.sitemod)
    response = client.post(item_url("post", world.reply_id, "hide"), data={"reason": "   "})
    body = s.page(response)
    assert response.status_code == 200 and "govuk-error-summary" in body and "<title>Error:" in body
    assert "Enter a reason: the person will see it" in body and 'href="#reason"' in body
    long = "x" * 1001
    body = s.page(client.post(item_url("post", world.reply_id, "hide"), data={"reason": long}))
    assert "1,000 characters or fewer" in body and long in body  # what was typed is kept
    with app.app_context():
        assert s.state_of(Post, world.reply_id) == Visibility.VISIBLE and s.audit_entries(Action.HIDE) == []


def test_approve_keeps_a_flagged_item_and_then_says_it_is_done(app, client, world):
    s.sign_in(client, world.parks_mod)
    response = client.post(item_url("comment", world.comment_id, "approve"))
    assert "Kept a comment on post 1" in s.page(client.get(response.headers["Location"]))
    with app.app_context():
        assert s.review_of("comment", world.comment_id).outcome == Outcome.DISMISSED
    s.sign_in(client, world.sitemod)  # a second moderator, a moment later
    response = client.post(item_url("comment", world.comment_id, "approve"), follow_redirects=True)
    body = s.page(response)
    assert response.status_code == 200 and "Nothing to approve" in body and "already published" in body
    assert "Pat Parksmod" in body  # who did it


def test_hiding_what_another_moderator_hid_says_so(app, client, world):
    s.sign_in(client, world.parks_mod)
    client.post(item_url("post", world.reply_id, "hide"), data={"reason": "Spam"})
    s.sign_in(client, world.sitemod)
    body = s.page(client.post(item_url("post", world.reply_id, "hide"), data={"reason": "Spam too"},
                              follow_redirects=True))
    assert "is already hidden (hid by Pat Parksmod" in body
    body = s.page(client.post(item_url("post", world.reply_id, "approve"), follow_redirects=True))
    assert "Restored post 2" in body  # approving a hidden item restores it
    body = s.page(client.post(item_url("post", world.reply_id, "restore"), follow_redirects=True))
    assert "is not hidden" in body
    with app.app_context():
        assert len(s.audit_entries(Action.HIDE)) == 1


def test_approve_publishes_a_held_post(app, client, world):
    with app.app_context():
        s.group(world.parks_id).premoderated = True
        db.session.commit()
        held = thread_services.reply(s.thread(world.thread_id), s.user(world.author), "Wait for me.").id
    s.sign_in(client, world.parks_mod)
    assert "Held for approval" in s.page(client.get(item_url("post", held)))
    body = s.page(client.post(item_url("post", held, "approve"), follow_redirects=True))
    assert "Approved and published post 3" in body
    with app.app_context():
        assert s.state_of(Post, held) == Visibility.VISIBLE


def test_bulk_approve_and_bulk_hide(app, client, world):
    s.sign_in(client, world.sitemod)
    items = [f"post-{world.reply_id}", f"comment-{world.comment_id}"]
    response = client.post("/moderation/bulk", data={"items": items, "action": "hide", "reason": "Off topic",
                                                     "kind": "flagged"})
    assert response.headers["Location"].endswith("/moderation/?kind=flagged")
    body = s.page(client.get(response.headers["Location"]))
    assert "Done for 2 items" in body and "Nothing waits for review" in body
    with app.app_context():
        assert s.state_of(Post, world.reply_id) == s.state_of(Comment, world.comment_id) == Visibility.HIDDEN
        assert {e.reason for e in s.audit_entries(Action.HIDE)} == {"Off topic"}
        s.flag_as(world.flaggers[2], "post", world.opening_id, "other", "Duplicate thread")
    response = client.post("/moderation/bulk", data={"items": [f"post-{world.opening_id}", items[0]],
                                                     "action": "approve"}, follow_redirects=True)
    body = s.page(response)
    assert "Done for 2 items" in body and "Kept the thread “Benches by the pond”" in body
    assert "Restored post 2" in body
    with app.app_context():
        assert s.state_of(Post, world.reply_id) == Visibility.VISIBLE
        assert s.state_of(Comment, world.comment_id) == Visibility.HIDDEN


def test_bulk_reports_items_already_done_as_information(app, client, world):
    s.sign_in(client, world.parks_mod)
    client.post(item_url("post", world.reply_id, "hide"), data={"reason": "Spam"})
    s.sign_in(client, world.sitemod)
    body = s.page(client.post("/moderation/bulk", data={
        "items": [f"post-{world.reply_id}", f"comment-{world.comment_id}"], "action": "hide", "reason": "Spam",
    }, follow_redirects=True))
    assert "Hid a comment on post 1" in body and "is already hidden" in body


def test_a_failed_bulk_form_keeps_the_selection_action_and_reason(app, client, world):
    s.sign_in(client, world.sitemod)
    response = client.post("/moderation/bulk", data={"items": [f"comment-{world.comment_id}"], "action": "hide",
                                                     "reason": ""})
    body = s.page(response)
    assert response.status_code == 200 and "govuk-error-summary" in body
    assert "Enter a reason for hiding" in body
    assert f'value="comment-{world.comment_id}" checked' in body
    assert f'value="post-{world.reply_id}" checked' not in body
    assert 'value="hide" checked' in body
    body = s.page(client.post("/moderation/bulk", data={"action": "hide", "reason": "Keep this text"}))
    assert "Select at least one item" in body and "Keep this text" in body and 'href="#items"' in body
    body = s.page(client.post("/moderation/bulk", data={"items": [f"post-{world.reply_id}"]}))
    assert "Choose what to do with the selected items" in body and 'href="#action"' in body
    with app.app_context():
        assert s.audit_entries() == []


def test_bulk_refuses_items_outside_the_moderators_groups(app, client, world):
    s.sign_in(client, world.transport_mod)
    response = client.post("/moderation/bulk", data={"items": [f"post-{world.reply_id}"], "action": "approve"})
    assert response.status_code == 403
    assert client.post("/moderation/bulk", data={"items": ["thread-1"], "action": "approve"}).status_code == 404
    response = client.post("/moderation/bulk", data={"items": [f"post-{world.private_post_id}"], "action": "approve"})
    assert response.status_code == 404


def test_lock_unlock_pin_unpin(app, client, world):
    s.sign_in(client, world.parks_mod)
    url = f"/moderation/threads/{world.thread_id}"
    for action, message, column, value in (("lock", "Locked", "locked", True), ("pin", "Pinned", "pinned", True),
                                           ("unlock", "Unlocked", "locked", False),
                                           ("unpin", "Unpinned", "pinned", False)):
        response = client.post(f"{url}/{action}")
        assert response.headers["Location"].endswith(url)
        assert f"{message} “Benches by the pond”" in s.page(client.get(url))
        with app.app_context():
            assert getattr(s.thread(world.thread_id), column) is value
    body = s.page(client.post(f"{url}/unpin", follow_redirects=True))
    assert "is already unpinned: nothing changed" in body
    assert client.post(f"{url}/delete").status_code == 404
    with app.app_context():
        assert [e.action for e in s.audit_entries()] == ["lock", "pin", "unlock", "unpin"]


def test_move_to_another_group_the_moderator_moderates(app, client, world):
    s.sign_in(client, world.sitemod)
    url = f"/moderation/threads/{world.thread_id}"
    body = s.page(client.post(f"{url}/move", data={"group": "", "move_reason": "Belongs in transport"}))
    assert "govuk-error-summary" in body and "Choose the group to move the thread to" in body
    assert "Belongs in transport" in body
    response = client.post(f"{url}/move", data={"group": str(world.transport_id), "move_reason": "Buses"})
    assert "Moved “Benches by the pond” from Parks to Transport" in s.page(client.get(response.headers["Location"]))
    with app.app_context():
        assert s.thread(world.thread_id).group_id == world.transport_id
        assert s.audit_entries(Action.MOVE)[0].reason == "Buses"
    s.sign_in(client, world.transport_mod)  # now theirs, but they cannot move it into a group they do not moderate
    assert client.post(f"{url}/move", data={"group": str(world.parks_id)}).status_code == 403


def test_retag_prefilled_and_kept_on_error(app, client, world):
    s.sign_in(client, world.parks_mod)
    url = f"/moderation/threads/{world.thread_id}"
    response = client.post(f"{url}/tags", data={"tags": "benches, ponds"})
    assert "Changed the tags" in s.page(client.get(response.headers["Location"]))
    assert 'value="benches, ponds"' in s.page(client.get(url))
    too_many = "a, b, c, d, e, f"
    body = s.page(client.post(f"{url}/tags", data={"tags": too_many}))
    assert "govuk-error-summary" in body and "no more than 5 tags" in body and f'value="{too_many}"' in body
    body = s.page(client.post(f"{url}/tags", data={"tags": "ponds, benches"}, follow_redirects=True))
    assert "already has those tags" in body
    with app.app_context():
        assert [t.name for t in s.thread(world.thread_id).tags] == ["benches", "ponds"]


def test_warn_by_a_group_moderator_needs_their_group_and_a_reason(app, client, world):
    s.sign_in(client, world.parks_mod)
    url = f"/moderation/people/{world.member.id}"
    body = s.page(client.post(f"{url}/warn", data={"warn_group": "", "warn_reason": "Please stay on topic"}))
    assert "govuk-error-summary" in body and "Choose the group you moderate" in body
    assert "Please stay on topic" in body
    body = s.page(client.post(f"{url}/warn", data={"warn_group": str(world.parks_id), "warn_reason": ""}))
    assert "Enter a reason: the person will see it" in body and 'href="#warn_reason"' in body
    response = client.post(f"{url}/warn", data={"warn_group": str(world.parks_id), "warn_reason": "Stay on topic"})
    body = s.page(client.get(response.headers["Location"]))
    assert "Warned Bob Member" in body and "“Stay on topic”" in body and "about Parks" in body
    assert client.post(f"{url}/warn", data={"warn_group": str(world.transport_id),
                                            "warn_reason": "x"}).status_code == 403
    with app.app_context():
        warning = db.session.scalar(select(ModeratorWarning))
        assert (warning.user_id, warning.group_id, warning.reason) == (world.member.id, world.parks_id,
                                                                        "Stay on topic")


def test_a_site_moderator_warns_without_a_group(app, client, world):
    s.sign_in(client, world.sitemod)
    response = client.post(f"/moderation/people/{world.member.id}/warn",
                           data={"warn_group": "", "warn_reason": "Mind your language"})
    assert "Warned Bob Member" in s.page(client.get(response.headers["Location"]))
    with app.app_context():
        assert db.session.scalar(select(ModeratorWarning.group_id)) is None


def test_suspend_and_lift(app, client, world):
    s.sign_in(client, world.sitemod)
    url = f"/moderation/people/{world.member.id}"
    body = s.page(client.post(f"{url}/suspend", data={"suspend_reason": "Repeated spam"}))
    assert "govuk-error-summary" in body and "Choose how long the suspension lasts" in body
    assert "Repeated spam" in body
    body = s.page(client.post(f"{url}/suspend", data={"days": "7", "suspend_reason": ""}))
    assert "Enter a reason: the person will see it" in body and 'value="7" checked' in body
    response = client.post(f"{url}/suspend", data={"days": "7", "suspend_reason": "Repeated spam"})
    body = s.page(client.get(response.headers["Location"]))
    assert "Suspended Bob Member until" in body and "Reason: Repeated spam" in body and "Lift suspension now" in body
    with app.app_context():
        assert s.user(world.member).is_suspended
    body = s.page(client.post(f"{url}/lift", follow_redirects=True))
    assert "Lifted Bob Member's suspension" in body and "Not suspended" in body
    body = s.page(client.post(f"{url}/lift", follow_redirects=True))
    assert "is not suspended: nothing changed" in body
    with app.app_context():
        assert not s.user(world.member).is_suspended
        assert [e.action for e in s.audit_entries()] == [Action.SUSPEND, Action.LIFT_SUSPENSION]


def test_nobody_suspends_an_admin_and_a_made_up_period_is_refused(app, client, world):
    s.sign_in(client, world.sitemod)
    assert client.post(f"/moderation/people/{world.admin.id}/suspend",
                       data={"days": "7", "suspend_reason": "No"}).status_code == 403
    body = s.page(client.post(f"/moderation/people/{world.member.id}/suspend",
                              data={"days": "10000", "suspend_reason": "Forever"}))
    assert "Choose how long the suspension lasts" in body
    with app.app_context():
        assert db.session.get(User, world.member.id).suspended_until is None


def test_fields_a_form_does_not_offer_change_nothing(app, client, world):
    s.sign_in(client, world.parks_mod)
    client.post(item_url("post", world.reply_id, "hide"), data={"reason": "Spam", "state": "visible",
                                                                 "author_id": str(world.outsider.id)})
    client.post(f"/moderation/threads/{world.thread_id}/lock", data={"pinned": "1", "group_id": "999"})
    with app.app_context():
        thread = s.thread(world.thread_id)
        assert (thread.locked, thread.pinned, thread.group_id) == (True, False, world.parks_id)
        assert db.session.scalar(select(Post.author_id).where(Post.id == world.reply_id)) == world.member.id
        assert db.session.scalar(select(Thread.state).where(Thread.id == world.thread_id)) == Visibility.VISIBLE
