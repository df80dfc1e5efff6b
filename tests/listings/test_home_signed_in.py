"""The home page of a signed-in person: unread notifications, their groups' recent activity and their ballots in
open budgets, above what everyone sees; the anonymous page does not change."""

from __future__ import annotations

from forum.budgeting.models import Pot
from forum.extensions import db
from forum.notifications import services as notifications
from tests import factories
from tests.budgeting.support import make_budget, store_ballot
from tests.pages import read
from tests.people import person_of, sign_in


def test_a_signed_in_person_sees_unread_notifications_groups_and_ballots(app, client):
    with app.app_context():
        voted = make_budget(title="Northfield budget", area="Northfield")
        pot_id, proposal_id = voted.pot.id, voted.proposals[0].id
        make_budget(title="Selly Oak budget", area="Selly Oak")
    with app.app_context():
        rita = factories.make_user("Rita Resident")
        sam = factories.make_user("Sam Speaker")
        group = factories.make_group("Parks and play", members=(rita, sam))
        factories.make_group("Roads", members=())
        factories.make_thread(group, sam, title="Swings for the park")
        store_ballot(db.session.get(Pot, pot_id), rita, [proposal_id])
        rita = db.session.merge(rita)
        notifications.notify(rita, "mention", "Sam Speaker mentioned you in Swings for the park", "/threads/1")
        rita_person = person_of(rita)
    sign_in(client, rita_person)
    page = read(client.get("/"))
    mine = page.one("section.forum-mine")
    text = " ".join(mine.get_text(" ", strip=True).split())
    assert "1 unread notification" in text
    assert "Sam Speaker mentioned you in Swings for the park" in text
    assert "Parks and play : 1 thread active this week" in text and "Roads" not in text
    assert "Northfield budget, Northfield : You have voted" in text
    assert "Selly Oak budget, Selly Oak : Not voted yet" in text


def test_the_anonymous_home_page_has_no_personal_section(app, client):
    with app.app_context():
        factories.make_group("Parks and play")
    assert not read(client.get("/")).has("section.forum-mine")
