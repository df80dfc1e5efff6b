"""Deliberation tied to money (forum.places.discussions): "discuss this" starts a thread linked to a line of the
count, an author links their own thread; the area page lists each line's discussions and the thread page shows
the line's figures; hidden, held and private threads stay out; a corrected count keeps the links."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.budgeting.services import budgets as budget_services
from forum.extensions import db
from forum.groups.models import Group
from forum.places import importing
from forum.places.models import LineThread, SpendingLine
from forum.threads.models import Thread, Visibility
from tests import factories
from tests.pages import read
from tests.people import person_of, sign_in

HEADER = "area,year,body_type,body,purpose,description,amount,source,focus,illustrative"
ROWS = ["Northfield,2025-26,nhs,NHS Birmingham,07.3,Hospital care,300.00,ICB,treatment,",
        "Northfield,2025-26,council,Birmingham City Council,07.4,Stop smoking service,100.00,Accounts,prevention,"]


def _load(rows: list[str]) -> None:
    parsed = importing.parse("\n".join((HEADER, *rows)).encode())
    assert parsed.ok, parsed.problems
    importing.load(parsed, None)


@pytest.fixture
def world(app):
    with app.app_context():
        budget_services.create_area("Northfield")
        _load(ROWS)
        member = factories.make_user("Maya Member")
        outsider = factories.make_user("Olly Outsider")
        public = factories.make_group("Make a bigger difference", members=(member,))
        private = factories.make_group("Working party", private=True, members=(member,))
        secret = factories.make_thread(private, member, "Hospital budget, privately", "Not for everyone.")
        line = db.session.scalar(select(SpendingLine).where(SpendingLine.description == "Hospital care"))
        db.session.commit()
        return {"member": person_of(member), "outsider": person_of(outsider), "public": public.id,
                "line": line.id, "secret": secret.id}


def _discuss(client, world, title="Why so much on hospitals?"):
    return client.post(f"/places/lines/{world['line']}/discuss",
                       data={"group": str(world["public"]), "title": title, "body": "Prevention is cheaper."})


def test_discuss_a_line_and_see_it_on_both_pages(app, client, world):
    sign_in(client, world["member"])
    form = read(client.get(f"/places/lines/{world['line']}/discuss"))
    assert form.one("input[name=title]")["value"] == "About: Hospital care in Northfield, 2025-26"
    response = _discuss(client, world)
    assert response.status_code == 302 and "/threads/" in response.headers["Location"]
    thread = read(client.get(response.headers["Location"]))
    figures = thread.text("main")
    assert "Hospital care, Northfield 2025-26" in figures and "£300" in figures
    assert "75.0% of all public spending in Northfield in 2025-26" in figures
    area = read(client.get("/places/northfield/"))
    assert area.texts(f"#line-{world['line']} .forum-line-discussions a") == ["Why so much on hospitals?"]


def test_hidden_and_private_discussions_stay_out(app, client, world):
    sign_in(client, world["member"])
    thread_id = int(_discuss(client, world).headers["Location"].split("/threads/")[1].split("/")[0])
    with app.app_context():
        db.session.add(LineThread(line_id=world["line"], thread_id=world["secret"]))
        db.session.commit()
    listed = read(client.get("/places/northfield/")).texts(f"#line-{world['line']} .forum-line-discussions a")
    assert sorted(listed) == ["Hospital budget, privately", "Why so much on hospitals?"], "the member reads both"
    sign_in(client, world["outsider"])
    assert read(client.get("/places/northfield/")).texts(
        f"#line-{world['line']} .forum-line-discussions a") == ["Why so much on hospitals?"]
    with app.app_context():
        db.session.get(Thread, thread_id).state = Visibility.HIDDEN  # as moderation leaves a hidden thread
        db.session.commit()
    assert not read(client.get("/places/northfield/")).has(f"#line-{world['line']} .forum-line-discussions a")


def test_link_your_own_thread_but_not_someone_elses(app, client, world):
    with app.app_context():
        group = db.session.get(Group, world["public"])
        own = factories.make_thread(group, db.session.get(User, world["member"].id), "Hospitals again")
        db.session.commit()
        own_id = own.id
    sign_in(client, world["outsider"])
    refused = read(client.post(f"/places/lines/{world['line']}/link", data={"thread": str(own_id)}))
    assert "You can link only threads you started" in refused.text(".govuk-error-summary")
    sign_in(client, world["member"])
    linked = client.post(f"/places/lines/{world['line']}/link", data={"thread": f"http://x/threads/{own_id}/"})
    assert linked.status_code == 302 and linked.headers["Location"].endswith(f"#line-{world['line']}")
    again = read(client.post(f"/places/lines/{world['line']}/link", data={"thread": str(own_id)}))
    assert "already linked" in again.text(".govuk-error-summary")


def test_a_corrected_count_keeps_the_discussions_of_lines_still_in_it(app, client, world):
    sign_in(client, world["member"])
    _discuss(client, world)
    with app.app_context():
        _load([ROWS[0].replace("300.00", "320.00")])  # the smoking line is gone, the hospital line corrected
        db.session.commit()
        assert db.session.scalar(select(SpendingLine.amount_pence).where(SpendingLine.id == world["line"])) == 32000
        assert db.session.scalars(select(LineThread.line_id)).all() == [world["line"]]
        assert db.session.scalar(select(Thread.id).where(Thread.title == "Why so much on hospitals?")) is not None


def test_starting_needs_a_group_one_can_post_in_and_keeps_the_text(app, client, world):
    assert client.get(f"/places/lines/{world['line']}/discuss").status_code == 302  # sign in first
    sign_in(client, world["outsider"])
    page = read(client.get(f"/places/lines/{world['line']}/discuss"))
    assert "Join a group first" in page.text("main")
    refused = read(_discuss(client, world, title="Kept title"))
    assert "Choose a group you can post in" in refused.text(".govuk-error-summary")
    assert client.get("/places/lines/999999/discuss").status_code == 404
