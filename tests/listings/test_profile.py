"""Profiles: name, role badge, bio, the groups and recent posts the viewer may see, and never the email."""

from __future__ import annotations

from sqlalchemy import select, update

from forum.accounts.models import User
from forum.common import markup
from forum.extensions import db
from forum.threads import services
from forum.threads.models import Post, Thread
from tests import factories as f
from tests.listings.helpers import sign_in, text


def test_a_profile_shows_name_role_organisation_bio_and_membership_date(app, client, world):
    with app.app_context():
        db.session.execute(
            update(User).where(User.handle == world.officer_handle)
            .values(bio_source="I look after *parks*.", bio_html=markup.render("I look after *parks*."))
        )
        db.session.commit()
    response = client.get(f"/users/{world.officer_handle}/")
    assert response.status_code == 200
    page = text(response)
    assert '<h1 class="govuk-heading-l">Carol Officer</h1>' in page
    assert "Parks Department" in page and "Civil servant" in page
    assert "<em>parks</em>" in page
    assert "Joined <time datetime=" in page


def test_a_profile_never_shows_the_email_address(client, world):
    for who in (None, world.outsider, world.officer):
        if who:
            sign_in(client, who)
        page = text(client.get(f"/users/{world.officer_handle}/"))
        assert world.officer_email not in page
        assert "carol@" not in page


def test_visitors_see_public_groups_and_posts_only(client, world):
    page = text(client.get(f"/users/{world.officer_handle}/"))
    assert "Make a bigger difference" in page
    assert "Staff room" not in page
    assert "Budget questions" in page
    assert "Secret staffing plans" not in page and "Confidential reply text" not in page


def test_non_members_do_not_see_private_groups_or_posts(client, world):
    sign_in(client, world.outsider)
    page = text(client.get(f"/users/{world.officer_handle}/"))
    assert "Staff room" not in page and "Secret staffing plans" not in page


def test_members_see_private_groups_and_posts(client, world):
    sign_in(client, world.member)
    page = text(client.get(f"/users/{world.officer_handle}/"))
    assert "Staff room" in page
    assert "Secret staffing plans" in page and "Confidential reply text." in page


def test_recent_posts_are_the_ten_latest_not_withdrawn_with_excerpts(app, client, world):
    with app.app_context():
        thread = db.session.scalar(select(Thread).where(Thread.title == "Benches in the park"))
        author = db.session.scalar(select(User).where(User.handle == world.member_handle))
        for n in range(11):
            services.reply(thread, author, f"My reply number {n:02d} with **bold** words.")
        withdrawn = db.session.scalar(select(Post).where(Post.body_source.like("%number 10%")))
        services.withdraw_post(withdrawn, author)
    page = text(client.get(f"/users/{world.member_handle}/"))
    section = page[page.index("Recent posts"):]
    assert section.count('href="/threads/') == 10
    assert "My reply number 10" not in section  # withdrawn
    assert "My reply number 09 with bold words." in section  # excerpt, as plain text
    assert "My reply number 00" in section
    assert "Waiting lists" not in section  # older posts fall off


def test_a_differently_written_handle_redirects_and_an_unknown_one_is_not_found(client, world):
    response = client.get("/users/Alice%20Member/")
    assert response.headers["Location"].endswith(f"/users/{world.member_handle}/")
    assert client.get("/users/nobody-here/").status_code == 404
    assert client.get("/users/No%20Body/").status_code == 404


def test_someone_with_no_groups_or_posts_has_a_plain_profile(app, client, world):
    response = client.get(f"/users/{world.outsider_handle}/")
    assert response.status_code == 200
    assert "has not joined any groups you can see" in text(response)
    assert "No posts you can see yet." in text(response)


def test_a_resident_is_shown_as_a_resident(app, client, world):
    with app.app_context():
        handle = f.make_user("Dan Resident").handle
    assert "Resident" in text(client.get(f"/users/{handle}/"))
