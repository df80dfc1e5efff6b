"""The world the load tests act in, made through the real services before gunicorn starts, and the recounts
that every counter the forum keeps is compared with afterwards.

200 people, all members of one public group: the first 25 have posted before (so their replies are published
at once), the next 25 are new (their first replies wait for a moderator, as the real settings say); a thread to
reply in, a thread for the restart test, five posts to flag, and a budget in its voting phase whose pot holds
less than all its proposals cost (so a ballot over the pot can be tried).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from forum import create_app
from forum.accounts.models import User
from forum.audit.models import Action, AuditEntry
from forum.budgeting.models import Ballot, BallotChoice, Pot, Proposal
from forum.budgeting.services import budgets
from forum.common import transaction
from forum.extensions import db
from forum.groups.models import Group, Membership
from forum.moderation.models import Flag, ItemType, ReviewItem
from forum.threads import services as thread_services
from forum.threads.models import Post, Thread, Visibility

PEOPLE = 200
ESTABLISHED = 25  # people 0..24 have two published posts; 25..49 have none (their first replies are held)
PASSWORD = "load test password 2026"
PROPOSAL_COSTS = (40_000, 30_000, 25_000, 20_000, 10_000)  # pounds
POT_POUNDS = 80_000
FLAG_TARGETS = 5


@dataclass(frozen=True)
class World:
    """Ids and emails the tests need, as plain values."""

    emails: list[str]
    group_id: int
    thread_id: int
    restart_thread_id: int
    flag_post_ids: list[int]
    flag_post_authors: list[int]
    pot_id: int
    proposal_costs: dict[int, int]  # proposal id -> pence
    pot_pence: int


def seeding_app(database_url: str, folder: Path) -> Flask:
    """An app for making the world and reading it afterwards: no spam or pre-moderation checks in the way of
    the setup, and its jobs (notifying watchers) queued in the test's folder and never run."""
    return create_app({
        "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "seeding", "TESTING": True,
        "RATELIMIT_ENABLED": False, "JOBS_SQLITE_PATH": str(folder / "seeding-jobs.sqlite"),
        "PREMODERATE_FIRST_POSTS": 0, "DUPLICATE_POST_WINDOW_SECONDS": 0,
    })


def create_schema(app: Flask) -> None:
    with app.app_context():
        db.metadata.create_all(db.engine)
        db.engine.dispose()


def build(app: Flask) -> World:
    """Make the world in one unit of work, and close the connections."""
    with app.app_context():
        with transaction.unit_of_work():
            world = _seed()
        db.engine.dispose()
    return world


def _seed() -> World:
    password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    people = [User(display_name=f"Loader {n}", handle=f"loader-{n}", email=f"loader-{n}@example.org",
                   email_key=f"loader-{n}@example.org", password_hash=password_hash) for n in range(PEOPLE)]
    db.session.add_all(people)
    group = Group(name="Load testing", slug="load-testing", summary="Everyone at once", description_source="",
                  description_html="", member_count=PEOPLE)
    db.session.add(group)
    db.session.flush()
    db.session.add_all(Membership(group_id=group.id, user_id=p.id) for p in people)
    db.session.flush()
    welcome = thread_services.start_thread(group, people[0], "Introductions", "Say hello.")
    for n in range(ESTABLISHED):
        for k in range(2):
            thread_services.reply(welcome, people[n], f"Hello from loader {n}, message {k}.")
    targets = [thread_services.reply(welcome, people[150 + n], f"Something to flag, number {n}.")
               for n in range(FLAG_TARGETS)]
    thread = thread_services.start_thread(group, people[0], "Everyone replies at once", "Reply here.")
    restart = thread_services.start_thread(group, people[0], "Replies through a restart", "Keep replying.")
    area = budgets.create_area("Loadville")
    budget = budgets.create_budget("Load Budget 2027", description="Many voters at once.", phase="voting")
    pot = budgets.create_pot(budget, area, "Loadville", POT_POUNDS * 100)
    proposals = [budgets.create_proposal(pot, f"Project {n + 1}", cost * 100, description=f"Project {n + 1}")
                 for n, cost in enumerate(PROPOSAL_COSTS)]
    db.session.flush()
    return World(
        emails=[p.email for p in people], group_id=group.id, thread_id=thread.id, restart_thread_id=restart.id,
        flag_post_ids=[t.id for t in targets], flag_post_authors=[t.author_id for t in targets], pot_id=pot.id,
        proposal_costs={p.id: p.cost_pence for p in proposals}, pot_pence=pot.amount_pence,
    )


# --- recounts: what every counter must equal once the load is over --------------------------------------------


def bodies_in(thread_id: int) -> Counter[str]:
    """How many times each text was stored in the thread (a marker in each accepted reply finds it)."""
    return Counter(db.session.scalars(select(Post.body_source).where(Post.thread_id == thread_id)))


def states_in(thread_id: int) -> dict[str, str]:
    """Each stored text in the thread and its state (visible, held, hidden)."""
    return dict(db.session.execute(select(Post.body_source, Post.state).where(Post.thread_id == thread_id)).all())


def html_in(thread_id: int) -> dict[str, str]:
    """Each stored text in the thread and the HTML it was rendered to."""
    return dict(db.session.execute(select(Post.body_source, Post.body_html).where(Post.thread_id == thread_id)).all())


def post_states(post_ids: list[int]) -> dict[int, str]:
    return dict(db.session.execute(select(Post.id, Post.state).where(Post.id.in_(post_ids))).all())


def counter_drift() -> list[str]:
    """Every counter the forum keeps beside its rows, compared with a recount of the rows; the differences."""
    drift = []
    for thread in db.session.scalars(select(Thread)):
        posts = db.session.scalars(select(Post).where(Post.thread_id == thread.id)).all()
        numbers = sorted(p.number for p in posts)
        if thread.post_count != len(posts) or numbers != list(range(1, len(posts) + 1)):
            drift.append(f"thread {thread.id}: post_count {thread.post_count}, posts numbered {numbers}")
        shown = sum(1 for p in posts if p.number > 1 and p.is_shown)
        if thread.visible_reply_count != shown:
            drift.append(f"thread {thread.id}: visible_reply_count {thread.visible_reply_count}, shown {shown}")
    for group in db.session.scalars(select(Group)):
        threads = db.session.scalars(select(Thread).where(Thread.group_id == group.id,
                                                          Thread.state == Visibility.VISIBLE)).all()
        posts = sum(1 for t in threads for p in db.session.scalars(select(Post).where(Post.thread_id == t.id))
                    if p.is_shown)
        members = db.session.scalar(select(func.count()).select_from(Membership)
                                    .where(Membership.group_id == group.id, Membership.status == "active"))
        if (group.thread_count, group.post_count, group.member_count) != (len(threads), posts, members):
            drift.append(f"group {group.id}: threads/posts/members {group.thread_count}/{group.post_count}/"
                         f"{group.member_count}, recount {len(threads)}/{posts}/{members}")
    for review in db.session.scalars(select(ReviewItem).where(ReviewItem.status == "pending")):
        flags = db.session.scalar(select(func.count()).select_from(Flag).where(
            Flag.item_type == review.item_type, Flag.item_id == review.item_id, Flag.outcome.is_(None)))
        if review.open_flags != flags:
            drift.append(f"review of {review.item_type} {review.item_id}: open_flags {review.open_flags}, {flags}")
    return drift


def flags_on(post_id: int) -> list[int]:
    """Who flagged the post (one entry per stored flag)."""
    return list(db.session.scalars(select(Flag.flagger_id).where(Flag.item_type == ItemType.POST,
                                                                 Flag.item_id == post_id)))


def auto_hides(post_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == Action.AUTO_HIDE, AuditEntry.item_type == ItemType.POST,
        AuditEntry.item_id == post_id)) or 0


def ballots_in(pot_id: int) -> dict[int, set[int]]:
    """Each voter's stored ballot: voter id -> the proposals chosen (fails on a second ballot by one voter)."""
    stored: dict[int, set[int]] = {}
    ballots = db.session.execute(select(Ballot.id, Ballot.voter_id).where(Ballot.pot_id == pot_id)).all()
    voters = [voter_id for _, voter_id in ballots]
    assert len(voters) == len(set(voters)), "a voter has two ballots in one pot"
    for ballot_id, voter_id in ballots:
        stored[voter_id] = set(db.session.scalars(select(BallotChoice.proposal_id)
                                                  .where(BallotChoice.ballot_id == ballot_id)))
    return stored


def pot_pence(pot_id: int) -> int:
    return db.session.get_one(Pot, pot_id).amount_pence


def proposal_pence(pot_id: int) -> dict[int, int]:
    return dict(db.session.execute(select(Proposal.id, Proposal.cost_pence).where(Proposal.pot_id == pot_id)).all())


def user_ids(emails: list[str]) -> dict[str, int]:
    return dict(db.session.execute(select(User.email, User.id).where(User.email.in_(emails))).all())
