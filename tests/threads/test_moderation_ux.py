"""What people see of moderation on the thread page and the posting pages: held and hidden posts, comments and
threads (to their authors and the group's moderators only), Flag links, suspensions, the house rules shown
before someone's first post in a group, and the account page's moderation links."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import url_for

from forum.accounts.models import User
from forum.common.timefmt import exact, utcnow
from forum.extensions import db
from forum.groups.models import Group
from forum.moderation.services import actions
from forum.moderation.services.items import load_item
from forum.threads import services as thread_services
from forum.threads.models import Comment, Post, Thread, Visibility
from forum.threads.views import HELD_NEXT as HELD_MESSAGE
from tests import factories
from tests.threads.support import Person, first_post_id, person, sign_in, sign_out

AWAITING = "A moderator will look at it before anyone else sees it."


@dataclass
class Place:
    author: Person  # a member who started the thread
    member: Person  # another member
    newcomer: Person  # a member who has not posted yet
    group_moderator: Person  # a moderator of this group only
    site_moderator: Person
    group_id: int
    group_slug: str
    thread_id: int
    opening_post_id: int


@pytest.fixture
def place(app) -> Place:
    with app.app_context():
        author = factories.make_user("Alice Author")
        member = factories.make_user("Bob Member")
        newcomer = factories.make_user("Nia Newcomer")
        group_moderator = factories.make_user("Gus Groupmod")
        site_moderator = factories.make_user("Maya Moderator", role="moderator")
        group = factories.make_group("Parks", members=(author, member, newcomer), moderators=(group_moderator,))
        thread = factories.make_thread(group, author, title="More benches", body="We need benches.")
        factories.make_thread(group, member, title="Bob's thread", body="Bob was here.")
        return Place(
            author=person(author), member=person(member), newcomer=person(newcomer),
            group_moderator=person(group_moderator), site_moderator=person(site_moderator), group_id=group.id,
            group_slug=group.slug, thread_id=thread.id, opening_post_id=first_post_id(thread.id),
        )


def premoderate(app, place: Place) -> None:
    with app.app_context():
        db.session.get(Group, place.group_id).premoderated = True
        db.session.commit()


def page_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.get_data(as_text=True))


def thread_url(place: Place) -> str:
    return f"/threads/{place.thread_id}/"


def endpoint_url(app, endpoint: str, **values) -> str:
    with app.test_request_context():
        return url_for(endpoint, **values)


def reply_held(app, client, place: Place, who: Person, body: str) -> int:
    """``who`` replies through the page in a pre-moderated group; returns the held post's id."""
    premoderate(app, place)
    sign_in(client, who)
    response = client.post(f"/threads/{place.thread_id}/reply", data={"body": body}, follow_redirects=True)
    assert HELD_MESSAGE in html.unescape(response.get_data(as_text=True))
    with app.app_context():
        post = db.session.scalar(db.select(Post).where(Post.body_source == body))
        assert post.state == Visibility.HELD
        return post.id


# --- held posts ------------------------------------------------------------------------------------------------


def test_a_held_reply_shows_its_author_that_it_awaits_review_and_nobody_else_sees_it(app, client, place):
    post_id = reply_held(app, client, place, place.member, "Benches by the pond, please.")
    page = page_text(client, thread_url(place))
    assert "Benches by the pond, please." in page
    assert "Awaiting review" in page and AWAITING in page
    assert endpoint_url(app, "community.flag", kind="post", item_id=post_id) not in page

    sign_in(client, place.author)
    page = page_text(client, thread_url(place))
    assert "Benches by the pond, please." not in page and "Awaiting review" not in page
    sign_out(client)
    assert "Benches by the pond, please." not in page_text(client, thread_url(place))


def test_a_new_accounts_first_reply_waits_for_review_and_a_later_one_does_not(app, client, place):
    app.config["PREMODERATE_FIRST_POSTS"] = 1
    sign_in(client, place.newcomer)
    response = client.post(f"/threads/{place.thread_id}/reply", data={"body": "My first words."},
                           follow_redirects=True)
    page = html.unescape(response.get_data(as_text=True))
    assert HELD_MESSAGE in page and AWAITING in page
    with app.app_context():
        post_id = db.session.scalar(db.select(Post.id).where(Post.body_source == "My first words."))
        actions.approve(load_item("post", post_id), db.session.get(User, place.group_moderator.id))
    response = client.post(f"/threads/{place.thread_id}/reply", data={"body": "My second words."},
                           follow_redirects=True)
    page = html.unescape(response.get_data(as_text=True))
    assert HELD_MESSAGE not in page and "Awaiting review" not in page
    sign_in(client, place.author)
    page = page_text(client, thread_url(place))
    assert "My first words." in page and "My second words." in page


def test_a_held_thread_is_not_found_by_others_not_even_its_title(app, client, place):
    premoderate(app, place)
    sign_in(client, place.member)
    assert "A moderator reviews every new post in this group" in page_text(
        client, f"/groups/{place.group_slug}/threads/new")
    response = client.post(f"/groups/{place.group_slug}/threads/new",
                           data={"title": "Secret picnic plans", "body": "Bring sandwiches."}, follow_redirects=True)
    page = html.unescape(response.get_data(as_text=True))
    assert HELD_MESSAGE in page
    assert "Secret picnic plans" in page
    assert "This thread is awaiting review: a moderator will look at it before anyone else sees it." in page
    with app.app_context():
        thread = db.session.scalar(db.select(Thread).where(Thread.title == "Secret picnic plans"))
        url = f"/threads/{thread.id}/{thread.slug}"
    for other in (place.author, None):
        sign_out(client) if other is None else sign_in(client, other)
        response = client.get(url)
        assert response.status_code == 404
        assert "Secret picnic plans" not in response.get_data(as_text=True)
        assert "Secret picnic plans" not in page_text(client, f"/groups/{place.group_slug}/")


def test_moderators_see_held_items_with_their_state_and_a_review_link(app, client, place):
    post_id = reply_held(app, client, place, place.member, "A held reply.")
    review = endpoint_url(app, "moderation.item", kind="post", item_id=post_id)
    moderate = endpoint_url(app, "moderation.thread", thread_id=place.thread_id)
    for moderator in (place.group_moderator, place.site_moderator):
        sign_in(client, moderator)
        page = page_text(client, thread_url(place))
        assert "A held reply." in page
        assert "Awaiting review" in page and "Only its author and moderators can see it." in page
        assert f'href="{review}"' in page
        assert f'href="{moderate}">Moderate this thread' in page
    sign_in(client, place.member)  # the author is not a moderator: no review link
    page = page_text(client, thread_url(place))
    assert review not in page and moderate not in page


def test_a_held_comment_is_flashed_and_marked_for_its_author_only(app, client, place):
    premoderate(app, place)
    sign_in(client, place.member)
    response = client.post(f"/posts/{place.opening_post_id}/comments", data={"body": "A held comment."},
                           follow_redirects=True)
    page = html.unescape(response.get_data(as_text=True))
    assert HELD_MESSAGE in page and "A held comment." in page and AWAITING in page
    assert "your comment is awaiting review" in page and "a moderator reads every post and comment" in page
    with app.app_context():
        comment_id = db.session.scalar(db.select(Comment.id).where(Comment.body_source == "A held comment."))
    sign_in(client, place.group_moderator)
    page = page_text(client, thread_url(place))
    assert "A held comment." in page
    assert endpoint_url(app, "moderation.item", kind="comment", item_id=comment_id) in page
    sign_in(client, place.author)
    assert "A held comment." not in page_text(client, thread_url(place))


# --- hidden posts -------------------------------------------------------------------------------------------------


def hide_post(app, place: Place, body: str, reason: str) -> int:
    with app.app_context():
        author = db.session.get(User, place.member.id)
        thread = db.session.get(Thread, place.thread_id)
        post = thread_services.reply(thread, author, body)
        actions.hide(load_item("post", post.id), db.session.get(User, place.site_moderator.id), reason)
        return post.id


def test_a_hidden_post_shows_its_author_the_reason_and_how_to_ask_for_another_review(app, client, place):
    post_id = hide_post(app, place, "My neighbour's phone number is 0123.", "It gives someone's phone number")
    sign_in(client, place.member)
    page = page_text(client, thread_url(place))
    assert "Hidden by a moderator" in page
    assert "Reason: It gives someone's phone number" in page
    edit = endpoint_url(app, "posts.edit", post_id=post_id)
    assert f'<a class="govuk-link" href="{edit}">Edit your post to ask for another review</a>' in page

    response = client.post(edit, data={"body": "Call the council instead."}, follow_redirects=True)
    page = html.unescape(response.get_data(as_text=True))
    assert HELD_MESSAGE in page
    assert "Call the council instead." in page and "Awaiting review" in page
    assert "Hidden by a moderator" not in page


def test_others_see_nothing_of_a_hidden_post_and_moderators_see_it_marked(app, client, place):
    post_id = hide_post(app, place, "Something rude.", "Rude")
    sign_in(client, place.author)
    page = page_text(client, thread_url(place))
    assert "Something rude." not in page and "Hidden by a moderator" not in page
    sign_in(client, place.group_moderator)
    page = page_text(client, thread_url(place))
    assert "Something rude." in page and "Hidden by a moderator" in page and "Reason: Rude" in page
    assert endpoint_url(app, "moderation.item", kind="post", item_id=post_id) in page
    assert "Edit your post to ask for another review" not in page


def test_a_hidden_comment_shows_its_author_the_reason_and_nobody_else_anything(app, client, place):
    with app.app_context():
        post = db.session.get(Post, place.opening_post_id)
        comment = thread_services.add_comment(post, db.session.get(User, place.member.id), "Rude remark.")
        actions.hide(load_item("comment", comment.id), db.session.get(User, place.group_moderator.id), "Unkind")
    sign_in(client, place.member)
    page = page_text(client, thread_url(place))
    assert "Rude remark." in page and "Hidden by a moderator" in page and "Reason: Unkind" in page
    assert "Edit your post to ask for another review" not in page  # comments cannot be edited
    sign_in(client, place.author)
    page = page_text(client, thread_url(place))
    assert "Rude remark." not in page and "Unkind" not in page


def test_a_hidden_thread_shows_a_banner_to_its_author_and_is_not_found_by_others(app, client, place):
    with app.app_context():
        actions.hide(load_item("post", place.opening_post_id), db.session.get(User, place.site_moderator.id),
                     "Off topic")
    sign_in(client, place.author)
    page = page_text(client, thread_url(place))
    assert "This thread was hidden by a moderator" in page and "Reason: Off topic" in page
    sign_in(client, place.member)
    assert client.get(thread_url(place)).status_code == 404


# --- flag links ---------------------------------------------------------------------------------------------------


def test_flag_links_are_offered_to_signed_in_people_on_others_posts_and_comments(app, client, place):
    with app.app_context():
        thread = db.session.get(Thread, place.thread_id)
        post = db.session.get(Post, place.opening_post_id)
        comment = thread_services.add_comment(post, db.session.get(User, place.member.id), "Nice idea.")
        comment_id = comment.id
        del thread
    flag_post = endpoint_url(app, "community.flag", kind="post", item_id=place.opening_post_id)
    flag_comment = endpoint_url(app, "community.flag", kind="comment", item_id=comment_id)

    sign_in(client, place.member)
    page = page_text(client, thread_url(place))
    assert f'href="{flag_post}">Flag<span class="govuk-visually-hidden"> the opening post by Alice Author' in page
    assert flag_comment not in page  # their own comment

    sign_in(client, place.author)
    page = page_text(client, thread_url(place))
    assert flag_post not in page
    assert (f'href="{flag_comment}">Flag<span class="govuk-visually-hidden"> comment by Bob Member on the '
            "opening post by Alice Author") in page

    sign_out(client)
    page = page_text(client, thread_url(place))
    assert flag_post not in page and flag_comment not in page


# --- suspensions --------------------------------------------------------------------------------------------------


def suspend(app, who: Person, reason: str = "Repeated insults") -> None:
    with app.app_context():
        user = db.session.get(User, who.id)
        user.suspended_until, user.suspension_reason = utcnow() + timedelta(days=3), reason
        db.session.commit()


def test_a_suspended_person_sees_why_instead_of_the_reply_and_comment_forms(app, client, place):
    suspend(app, place.member)
    sign_in(client, place.member)
    page = page_text(client, thread_url(place))
    assert "Your account is suspended until" in page and "(reason: Repeated insults)" in page
    assert f'action="/threads/{place.thread_id}/reply"' not in page
    assert "Add a comment" not in page
    assert "/community/flag" not in page and "Reply with quote" not in page
    page = page_text(client, f"/groups/{place.group_slug}/")
    assert "Your account is suspended until" in page and "Start a thread" not in page


def test_a_suspended_person_posting_gets_a_403_saying_until_when_and_why(app, client, place):
    suspend(app, place.author)
    sign_in(client, place.author)
    attempts = [
        client.post(f"/threads/{place.thread_id}/reply", data={"body": "Let me in."}),
        client.get(f"/threads/{place.thread_id}/reply"),
        client.post(f"/groups/{place.group_slug}/threads/new", data={"title": "T", "body": "B"}),
        client.post(f"/posts/{place.opening_post_id}/comments", data={"body": "A comment."}),
        client.get(f"/posts/{place.opening_post_id}/edit"),
        client.post(f"/posts/{place.opening_post_id}/edit", data={"title": "New", "body": "Changed."}),
    ]
    for response in attempts:
        assert response.status_code == 403
        text = html.unescape(response.get_data(as_text=True))
        assert "Your account is suspended until" in text and "Repeated insults" in text
    with app.app_context():
        assert db.session.get(Post, place.opening_post_id).body_source == "We need benches."
        assert db.session.scalar(db.select(db.func.count(Post.id))) == 2


# --- house rules --------------------------------------------------------------------------------------------------


def set_rules(app, place: Place, rules: str) -> None:
    with app.app_context():
        group = db.session.get(Group, place.group_id)
        group.rules_source, group.rules_html = rules, f"<p>{rules}</p>"
        db.session.commit()


def test_house_rules_come_before_a_members_first_post_in_the_group_and_not_after(app, client, place):
    set_rules(app, place, "Be kind to the ducks.")
    rules_link = endpoint_url(app, "community.rules")
    sign_in(client, place.newcomer)
    for url in (f"/groups/{place.group_slug}/threads/new", f"/threads/{place.thread_id}/reply", thread_url(place)):
        page = page_text(client, url)
        assert "Before you post" in page and "Be kind to the ducks." in page, url
        assert f'href="{rules_link}">code of conduct' in page
    client.post(f"/threads/{place.thread_id}/reply", data={"body": "Hello, first time here."})
    for url in (f"/groups/{place.group_slug}/threads/new", f"/threads/{place.thread_id}/reply", thread_url(place)):
        assert "Before you post" not in page_text(client, url), url


def test_a_comment_counts_as_a_first_post_and_a_group_without_rules_still_links_the_code_of_conduct(
        app, client, place):
    sign_in(client, place.newcomer)
    page = page_text(client, f"/threads/{place.thread_id}/reply")
    assert "Before you post" in page and endpoint_url(app, "community.rules") in page
    assert "This group’s house rules" not in page
    client.post(f"/posts/{place.opening_post_id}/comments", data={"body": "Agreed."})
    assert "Before you post" not in page_text(client, f"/threads/{place.thread_id}/reply")


def test_people_who_already_posted_in_the_group_see_no_house_rules(app, client, place):
    set_rules(app, place, "Be kind to the ducks.")
    sign_in(client, place.member)  # started a thread in the fixture
    assert "Before you post" not in page_text(client, f"/threads/{place.thread_id}/reply")


def test_the_group_page_shows_its_rules_in_a_details_component(app, client, place):
    assert "House rules for this group" not in page_text(client, f"/groups/{place.group_slug}/")
    set_rules(app, place, "Be kind to the ducks.")
    page = page_text(client, f"/groups/{place.group_slug}/")
    assert '<span class="govuk-details__summary-text">House rules for this group</span>' in page
    assert "Be kind to the ducks." in page


# --- the account page ---------------------------------------------------------------------------------------------


def test_the_account_page_links_to_flags_and_warnings_and_says_when_a_suspension_ends(app, client, place):
    sign_in(client, place.member)
    page = page_text(client, "/account")
    assert f'href="{endpoint_url(app, "community.my_flags")}">Your flags' in page
    assert f'href="{endpoint_url(app, "community.my_warnings")}">Warnings from moderators' in page
    assert "suspended" not in page
    suspend(app, place.member, reason="Spamming the parks group")
    with app.app_context():
        until = db.session.get(User, place.member.id).suspended_until
    page = page_text(client, "/account")
    assert f"Your account is suspended until {exact(until)} (reason: Spamming the parks group)." in page


def test_a_new_accounts_held_reply_says_why_it_waits(app, client, place):
    app.config["PREMODERATE_FIRST_POSTS"] = 2
    sign_in(client, place.newcomer)
    response = client.post(f"/threads/{place.thread_id}/reply", data={"body": "My first words here."},
                           follow_redirects=True)
    page = html.unescape(response.get_data(as_text=True))
    assert "your post is awaiting review" in page
    assert "A moderator reads the first 2 posts and comments of a new account" in page and HELD_MESSAGE in page
