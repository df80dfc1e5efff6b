"""Build the demo forum through the same services people use, so every counter is true.

Nothing here commits: ``flask seed-demo`` runs every step as one unit of work (``forum.demo.cli``), so a failed
seed leaves the database as it was."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from forum.accounts.models import User
from forum.common import markup
from forum.common.text import slugify
from forum.common.timefmt import utcnow
from forum.demo import activity, budgets, content, moderation, places, timeline
from forum.extensions import db
from forum.groups.models import Group, MemberRole, Membership
from forum.threads import services as thread_services
from forum.threads.models import Thread


def demo_email(display_name: str) -> str:
    return f"{slugify(display_name)}@example.org"


def already_seeded() -> bool:
    return db.session.scalar(select(Group.id).where(Group.slug == slugify(content.GROUPS[0][0]))) is not None


def _make_people(hash_method: str) -> dict[str, User]:
    people = {}
    for name, role, organisation, password, bio in content.PEOPLE:
        email = demo_email(name)
        user = User(
            display_name=name, handle=slugify(name), email=email, email_key=email, role=role,
            organisation=organisation, password_hash=generate_password_hash(password, method=hash_method),
            bio_source=bio, bio_html=markup.render(bio), created_at=utcnow() - timedelta(days=400),
        )
        db.session.add(user)
        people[name] = user
    db.session.flush()
    return people


def _make_groups(people: dict[str, User]) -> dict[str, Group]:
    groups = {}
    for name, summary, description, private, position, members, moderators in content.GROUPS:
        group = Group(
            name=name, slug=slugify(name), summary=summary, description_source=description,
            description_html=markup.render(description), is_private=private, position=position,
            created_by_id=people["Alex Admin"].id, member_count=len(set(members) | set(moderators)),
        )
        db.session.add(group)
        db.session.flush()
        for member in members:
            role = MemberRole.MODERATOR if member in moderators else MemberRole.MEMBER
            db.session.add(Membership(group_id=group.id, user_id=people[member].id, role=role))
        for moderator in (m for m in moderators if m not in members):
            db.session.add(Membership(group_id=group.id, user_id=people[moderator].id, role=MemberRole.MODERATOR))
        groups[name] = group
    db.session.flush()
    return groups


def _backdate(thread: Thread, days_ago: int, replies: int) -> None:
    """Spread a demo thread over the days since it started, so the forum reads as lived in."""
    start = utcnow() - timedelta(days=days_ago, hours=3)
    timeline.date_thread(thread, start, gap=min(timedelta(days=days_ago) / (replies + 1.5), timedelta(days=4)))


def _make_thread(groups, people, spec) -> Thread:
    group_name, author, title, body, tags, days_ago, replies = spec
    thread = thread_services.start_thread(groups[group_name], people[author], title, body, tags)
    for reply_author, reply_body, comments in replies:
        post = thread_services.reply(thread, people[reply_author], reply_body)
        for commenter, comment in comments:
            thread_services.add_comment(post, people[commenter], comment)
    _backdate(thread, days_ago, len(replies))
    return thread


def steps(hash_method: str) -> Iterator[tuple[str, Callable[[], object]]]:
    """The seeding steps, each with a label, so the command can show progress."""
    state: dict[str, dict] = {}
    yield "people", lambda: state.setdefault("people", _make_people(hash_method))
    yield "groups", lambda: state.setdefault("groups", _make_groups(state["people"]))

    def seed_article_thread() -> Thread:
        title, body = content.seed_article()
        spec = ("Make a bigger difference", "Richard Parsons", title, body, content.SEED_TAGS, 75,
                [("Priya Shah", "Birmingham's report did talk about testing ideas with residents, but you are "
                  "right that testing is not deciding.", [("Richard Parsons", "Testing is not deciding: exactly.")]),
                 ("Jo Walker", "This is why we joined. Give us a real budget and a fair vote.", [])])
        return _make_thread(state["groups"], state["people"], spec)

    # The conversations and budgets stand for months already moderated: none of them waits for review.
    yield "the seed article", moderation.published(lambda: state.setdefault("article", seed_article_thread()))
    for spec in content.THREADS:
        yield f"thread: {spec[2]}", moderation.published(
            lambda spec=spec: _make_thread(state["groups"], state["people"], spec))
    yield f"budget: {budgets.VOTING_TITLE} (voting)", moderation.published(budgets.voting_budget)
    yield f"budget: {budgets.FINISHED_TITLE} (counted, in delivery)", moderation.published(budgets.finished_budget)
    yield "the count of public spending in Northfield and Selly Oak (illustrative)", places.load_count
    yield from moderation.steps(state)
    yield f"{activity.RESIDENT}'s notifications and bookmarks", moderation.published(
        lambda: activity.jo_walkers_forum(state["people"], state["article"]))
