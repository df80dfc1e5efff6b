"""A world for the tag pages: the moderation tests' groups and threads, plus a budget whose proposals carry tags.

Threads: "Benches by the pond" (Parks, tagged benches) and "Draft budget" (private group, tagged secret plans).
Proposals in "Green Budget 2027": "Project 1" (benches, play areas), "Project 2" (play areas), "Project 3"
(withdrawn, tagged old idea).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from forum.budgeting.models import ProposalStatus
from forum.common import transaction
from forum.extensions import db
from forum.tags import services as tag_services
from forum.threads.models import Thread
from tests.budgeting.support import make_budget
from tests.moderation import support as s


@dataclass
class TagWorld:
    people: s.World
    proposal_ids: list[int]


def tag(names: str) -> list:
    return tag_services.get_or_create(tag_services.parse(names))


def make_tag_world(app: Flask) -> TagWorld:
    people = s.make_world(app)
    with app.app_context():
        secret = db.session.get(Thread, people.private_thread_id)
        secret.tags = tag("secret plans")
        setup = make_budget(phase="collecting", costs=(10_000, 20_000, 5_000))
        first, second, third = setup.proposals
        first.tags = tag("benches, play areas")
        second.tags = tag("play areas")
        third.tags = tag("old idea")
        third.status = ProposalStatus.WITHDRAWN
        transaction.commit()
        return TagWorld(people, setup.ids)
