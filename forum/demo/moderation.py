"""The demo's moderation: a queue waiting for a newcomer to try, and a few decisions already made.

Everything goes through the services people use (joining, posting, flagging, hiding, warning), so the queue's
counts, the groups' counts and the audit log stay true. The demo's earlier conversations are seeded with
pre-moderation switched off (``published``): they stand for months of posts already approved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from forum.accounts.models import User
from forum.common import markup
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.groups import services as group_services
from forum.groups.models import Group, MemberRole
from forum.moderation.models import FlagReason
from forum.moderation.services import actions, flags, sanctions
from forum.moderation.services.items import load_item
from forum.threads import services as thread_services
from forum.threads.models import Post, Thread

SITE_MODERATOR = "Morgan Reid"
GROUP_MODERATOR = "Dana Hughes"
PREMODERATED_GROUP = "Neighbourhood services"
HOUSE_RULES = (
    "Our own rules, on top of the forum's code of conduct:\n\n"
    "1. Say which street, park or service you mean, so the council can act on it.\n"
    "2. Criticise ideas and services, never people by name.\n"
    "3. No adverts or petitions for paid services.\n\n"
    "Every post here is read by a group moderator before it appears."
)

# Who joins which groups (by display name) before the moderation content is written.
JOINS = [
    ("Dana Hughes", "Neighbourhood services"),
    ("Casey Newman", "Participatory budgeting in practice"),
    ("Lee Grant", "Participatory budgeting in practice"),
    ("Lee Grant", "Make a bigger difference"),
    ("Dan Deals", "Total Place: all public spending in one place"),
]

# What waits in the queue. Lee's reply is hidden at once by three flags; the advert is flagged once.
RUDE_REPLY = ("Greedy counting versus equal shares",
              "Lee Grant",
              "Anyone who falls for this equal shares nonsense is an idiot. The council will rig it whatever we vote.")
RUDE_FLAGS = [("Jo Walker", FlagReason.INAPPROPRIATE, ""), ("Tom Okafor", FlagReason.INAPPROPRIATE, ""),
              ("Sam Patel", FlagReason.OFF_TOPIC, "")]
ADVERT = ("Mapping every pound in Northfield",
          "Dan Deals",
          "Cut your council tax bill by 40%! Our advisers find the savings the council hides from you. "
          "Book a free call at [councilsavers.example](https://councilsavers.example/offer).")
ADVERT_FLAG = ("Priya Shah", FlagReason.SPAM,
               "An advert for a paid service. The same text is on two other forums this week.")
# A comment giving away where someone lives, flagged once; it stays visible until a moderator decides.
PERSONAL_COMMENT = ("What would it take for residents to control a real budget?", "Sam Patel",
                    "Lee Grant", "Sam lives at 14 Elm Road, knock on his door and ask him about paper ballots.")
PERSONAL_FLAG = ("Ellie Morgan", FlagReason.PERSONAL_INFORMATION, "")

# Held for pre-moderation: a new account's first post, and posts in the pre-moderated group.
NEWCOMER_REPLY = ("Ideas for the Green Budget", "Casey Newman",
                  "New to Northfield and to this forum. Could some of the Green Budget go on planters outside "
                  "the shops on Church Road? They would brighten up the whole parade.")
PREMODERATED_REPLY = ("Library opening hours", "Ellie Morgan",
                      "Could the library try late opening on Thursdays first, as a six-month trial? "
                      "It would show whether people come before the budget pays for every weekday.")
PREMODERATED_THREAD = (PREMODERATED_GROUP, "Sam Patel", "The bus shelter on Bristol Road South",
                       "The shelter by the Northfield shopping centre has had no roof since the storm in March. "
                       "Who do we ask, and could the budget fix it if the bus company will not?",
                       "transport, neighbourhood services")

# Decisions already made, for the audit log: a post hidden with a reason its author sees, a warning, and
# flags dismissed on a post that broke no rule.
HIDDEN_REPLY = ("Leadership lessons from the Total Place pilots", "Lee Grant",
                "Leaders? Civil servants are overpaid pen-pushers, every last one of them.")
HIDDEN_FLAG = ("Priya Shah", FlagReason.INAPPROPRIATE, "")
HIDE_REASON = ("This attacks people rather than ideas (house rule: criticise ideas, not people). Edit your post "
               "to make your point about the pilots and a moderator will look at it again.")
WARNING = ("Two of your posts this week attacked people rather than their ideas. Please read the code of "
           "conduct; another post like them may lead to a suspension.")
KEPT_POST = ("Mapping every pound in Northfield", "Richard Parsons")
KEPT_FLAG = ("Jo Walker", FlagReason.OFF_TOPIC, "")


@contextmanager
def premoderation(first_posts: int) -> Iterator[None]:
    """Seed with ``PREMODERATE_FIRST_POSTS`` set to ``first_posts``, restoring the site's setting after."""
    config = current_app.config
    before = config.get("PREMODERATE_FIRST_POSTS", 0)
    config["PREMODERATE_FIRST_POSTS"] = first_posts
    try:
        yield
    finally:
        config["PREMODERATE_FIRST_POSTS"] = before


def published(step: Callable[[], object]) -> Callable[[], object]:
    """The step, run with pre-moderation of new accounts off: the demo's history is already approved."""
    def run() -> object:
        with premoderation(0):
            return step()
    return run


def _thread(title: str) -> Thread:
    return db.session.scalars(select(Thread).where(Thread.title == title)).one()


def _post_by(title: str, author: User) -> Post:
    thread = _thread(title)
    return db.session.scalars(
        select(Post).where(Post.thread_id == thread.id, Post.author_id == author.id).order_by(Post.number)
    ).first()


def _flag(kind: str, item_id: int, flagger: User, reason: str, note: str) -> None:
    flags.flag(flags.flaggable_item(kind, item_id, flagger), flagger, reason, note)


def moderators(people: dict[str, User], groups: dict[str, Group]) -> None:
    """New people join their groups; the admin appoints a group moderator and sets one group to pre-moderate."""
    for name, group_name in JOINS:
        group_services.join(groups[group_name].slug, people[name])
    group = groups[PREMODERATED_GROUP]
    membership = group_services.get_membership(group, people[GROUP_MODERATOR])
    group_services.appoint(group, people["Alex Admin"], membership.user_id, MemberRole.MODERATOR)
    group.premoderated = True
    group.rules_source, group.rules_html = HOUSE_RULES, markup.render(HOUSE_RULES)
    people["Casey Newman"].created_at = utcnow() - timedelta(days=1)
    people["Dan Deals"].created_at = utcnow() - timedelta(days=40)


def flagged(people: dict[str, User]) -> None:
    """Three flagged items: a reply hidden at once by three flags, an advert flagged once, a comment."""
    title, author, body = RUDE_REPLY
    rude = thread_services.reply(_thread(title), people[author], body)
    for flagger, reason, note in RUDE_FLAGS:
        _flag("post", rude.id, people[flagger], reason, note)
    title, author, body = ADVERT
    advert = thread_services.reply(_thread(title), people[author], body)
    flagger, reason, note = ADVERT_FLAG
    _flag("post", advert.id, people[flagger], reason, note)
    title, post_author, author, body = PERSONAL_COMMENT
    comment = thread_services.add_comment(_post_by(title, people[post_author]), people[author], body)
    flagger, reason, note = PERSONAL_FLAG
    _flag("comment", comment.id, people[flagger], reason, note)


def held(people: dict[str, User], groups: dict[str, Group]) -> None:
    """Posts held for review: a new account's first post, and two in the pre-moderated group."""
    with premoderation(max(current_app.config.get("PREMODERATE_FIRST_POSTS", 0), 1)):
        title, author, body = NEWCOMER_REPLY
        thread_services.reply(_thread(title), people[author], body)
    title, author, body = PREMODERATED_REPLY
    thread_services.reply(_thread(title), people[author], body)
    group_name, author, title, body, tags = PREMODERATED_THREAD
    thread_services.start_thread(groups[group_name], people[author], title, body, tags)


def decisions(people: dict[str, User]) -> None:
    """Past decisions in the audit log: a post hidden with a reason, a warning, flags dismissed."""
    moderator = people[SITE_MODERATOR]
    title, author, body = HIDDEN_REPLY
    post = thread_services.reply(_thread(title), people[author], body)
    flagger, reason, note = HIDDEN_FLAG
    _flag("post", post.id, people[flagger], reason, note)
    actions.hide(load_item("post", post.id), moderator, HIDE_REASON)
    sanctions.warn(moderator, people[author], WARNING)
    title, author = KEPT_POST
    kept = _post_by(title, people[author])
    flagger, reason, note = KEPT_FLAG
    _flag("post", kept.id, people[flagger], reason, note)
    actions.approve(load_item("post", kept.id), moderator)


def steps(state: dict[str, dict]) -> Iterator[tuple[str, Callable[[], object]]]:
    """The moderation steps, after the people, groups and conversations exist in ``state``."""
    yield "moderation: a group moderator and a pre-moderated group", \
        lambda: moderators(state["people"], state["groups"])
    yield "moderation: past decisions (a hidden post, a warning)", published(lambda: decisions(state["people"]))
    yield "moderation: flagged posts and a flagged comment", published(lambda: flagged(state["people"]))
    yield "moderation: posts held for review", lambda: held(state["people"], state["groups"])

