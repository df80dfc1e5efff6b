"""Finding or creating tags (forum.tags.services), including two people adding the same new tag at once."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from forum.extensions import db
from forum.tags import services as tag_services
from forum.tags.models import Tag


def test_get_or_create_returns_existing_and_new_tags_in_order(app):
    with app.app_context():
        db.session.add(Tag(name="parks"))
        db.session.commit()
        tags = tag_services.get_or_create(["benches", "parks"])
        db.session.commit()
        assert [t.name for t in tags] == ["benches", "parks"]
        assert db.session.scalar(select(func.count(Tag.id))) == 2


def test_two_people_adding_the_same_new_tag_at_once_share_one_row(app):
    """The second insert waits for the first's uncommitted row, then uses it instead of failing on the unique name."""
    outcome: dict[str, object] = {}

    def second_person() -> None:
        try:
            with app.app_context():
                tags = tag_services.get_or_create(["brand new"])
                db.session.commit()
                outcome["id"] = tags[0].id
        except Exception as error:  # noqa: BLE001 - reported to the test below
            outcome["error"] = error

    with app.app_context():
        first = tag_services.get_or_create(["brand new"])
        db.session.flush()  # the first person's row exists, uncommitted, when the second one looks
        other = threading.Thread(target=second_person)
        other.start()
        other.join(timeout=1.0)  # the second person now waits on the first one's row
        db.session.commit()
        first_id = first[0].id
    other.join(timeout=20)
    assert not other.is_alive()
    assert "error" not in outcome, outcome.get("error")
    assert outcome["id"] == first_id
    with app.app_context():
        assert db.session.scalar(select(func.count(Tag.id)).where(Tag.name == "brand new")) == 1


def test_tags_written_differently_are_one_tag():
    assert tag_services.parse("Parks, PARKS, ＰＡＲＫＳ,  parks , Straße, STRASSE") == ["parks", "strasse"]


def test_invisible_tags_are_dropped():
    """A zero-width space or soft hyphen alone would be a tag whose link has no text."""
    assert tag_services.parse("\u200b, \u00ad, \x01, benches\u200b") == ["benches"]


def test_slashes_never_start_end_or_double_in_a_tag():
    """The name is the tag page's path: "/x" would be /tags//x/, which the router folds into another tag."""
    assert tag_services.parse("../x, a//b, trail/, . /lead") == ["x", "a/b", "trail", "lead"]
