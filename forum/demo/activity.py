"""Jo Walker's forum: what a signed-in demo resident finds waiting (a mention, replies in threads she wrote in,
a new thread in a group she watches, bookmarks). The notifications themselves are written by the fan-out jobs,
which ``seed-demo`` runs as soon as the demo is committed."""

from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.groups.models import Group
from forum.notifications import services as notifications
from forum.notifications.models import WatchLevel
from forum.threads import bookmarks, reactions
from forum.threads import services as thread_services
from forum.threads.models import Post, Thread
from forum.threads.queries import viewer_for

RESIDENT = "Jo Walker"


def jo_walkers_forum(people: dict, seed_article: Thread) -> None:
    jo, priya, tom = people[RESIDENT], people["Priya Shah"], people["Tom Okafor"]
    group = db.session.get(Group, seed_article.group_id)
    notifications.set_watch(jo, WatchLevel.WATCHING, group_id=group.id)
    mention = thread_services.reply(
        seed_article, priya,
        f"@{jo.handle} would the tenants' association test a small budget with us first? We could start with "
        "one estate and a pot the residents decide outright.",
    )
    thread_services.start_thread(
        group, tom, "What we learned evaluating the first participatory budgeting pilots",
        "Three things stood out: turnout doubled where voting opened in schools and libraries, small grants "
        "built trust fastest, and residents wanted to see what happened to the money afterwards.",
        "participatory-budgeting, evaluation",
    )
    viewer = viewer_for(group, jo)
    bookmarks.bookmark_thread(seed_article, viewer)
    bookmarks.bookmark_post(mention, viewer)
    first_reply = db.session.scalar(select(Post).where(Post.thread_id == seed_article.id, Post.number == 2))
    if first_reply is not None and first_reply.author_id != jo.id:
        reactions.agree(first_reply, viewer)
