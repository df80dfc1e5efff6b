"""`flask --app forum seed-demo` gives a newcomer a living forum with true counts."""

import html

import pytest
from sqlalchemy import func, select

from forum.accounts.models import Role, User
from forum.audit.models import Action, AuditEntry
from forum.demo import moderation
from forum.extensions import db
from forum.groups import permissions
from forum.groups.models import Group, Membership, MemberStatus
from forum.moderation.models import Flag, ModeratorWarning
from forum.moderation.services.queue import queue_page
from forum.threads.models import Post, Thread, Visibility


@pytest.fixture
def app_config():
    """The site's default: a new account's first two posts wait for review (the demo's history must not)."""
    return {"PREMODERATE_FIRST_POSTS": 2}


def test_seed_demo_builds_a_living_forum_and_prints_passwords(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "admin-demo-password" in result.output and "alex-admin@example.org" in result.output
    with app.app_context():
        roles = set(db.session.scalars(select(User.role)))
        assert roles == set(Role.ALL)
        first = db.session.scalars(select(Group).order_by(Group.position, Group.name)).first()
        assert first.name == "Make a bigger difference"
        seed_thread = db.session.scalars(
            select(Thread).where(Thread.group_id == first.id).order_by(Thread.created_at)
        ).first()
        assert "Total Place" in seed_thread.title
        assert {t.name for t in seed_thread.tags} >= {"civil service", "policy making", "public administration"}
        opening = db.session.scalar(select(Post).where(Post.thread_id == seed_thread.id, Post.number == 1))
        assert "mso" not in opening.body_html.lower() and "font-face" not in opening.body_html
        assert opening.body_html.count("<p>") >= 12
        assert db.session.scalar(select(func.count()).select_from(Group).where(Group.is_private)) >= 1
        for group in db.session.scalars(select(Group)):
            shown = (Thread.group_id == group.id, Thread.state == Visibility.VISIBLE)
            threads = db.session.scalar(select(func.count()).select_from(Thread).where(*shown))
            posts = db.session.scalar(
                select(func.count()).select_from(Post).join(Thread)
                .where(*shown, Post.state == Visibility.VISIBLE, Post.withdrawn_at.is_(None))
            )
            members = db.session.scalar(
                select(func.count()).select_from(Membership)
                .where(Membership.group_id == group.id, Membership.status == MemberStatus.ACTIVE)
            )
            assert (group.thread_count, group.post_count, group.member_count) == (threads, posts, members), group.name


def test_seed_demo_twice_adds_nothing(app, runner):
    runner.invoke(args=["seed-demo"])
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Post))
    result = runner.invoke(args=["seed-demo"])
    assert "already there" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Post)) == before


def test_seed_demo_shows_the_whole_budgeting_cycle(app, runner):
    from forum.budgeting.models import Budget, DeliveryUpdate, Proposal, ProposalThread, Result
    from forum.budgeting.services.results import election_for, run_rule

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        budgets = {b.phase: b for b in db.session.scalars(select(Budget))}
        assert set(budgets) == {"voting", "delivery"}
        voting = budgets["voting"]
        assert "Make a bigger difference" in voting.pots[0].title
        linked = db.session.execute(
            select(Thread.title, Group.name).join(ProposalThread, ProposalThread.thread_id == Thread.id)
            .join(Group, Group.id == Thread.group_id)
        ).all()
        assert sum(1 for _title, group in linked if group == "Make a bigger difference") >= 2
        revised = db.session.scalar(select(Proposal).where(Proposal.original_cost_pence.is_not(None)))
        assert revised.cost_pence > revised.original_cost_pence and revised.cost_revision_reason
        assert db.session.scalar(select(func.count()).select_from(Proposal).where(Proposal.status == "not_feasible"))

        finished = budgets["delivery"].pots[0]
        result = db.session.scalar(select(Result).where(Result.pot_id == finished.id))
        assert result.rule == "mes" and result.voters == 156 and result.paper_voters == 150  # 6 voted online
        outcome = run_rule(election_for(finished).election, "mes")
        funded = set(db.session.scalars(select(Proposal.id).where(Proposal.pot_id == finished.id,
                                                                 Proposal.status == "selected")))
        assert funded == {int(key) for key in outcome.winners}
        other = db.session.scalars(select(Proposal.title).where(Proposal.pot_id == finished.id,
                                                               Proposal.status == "not_selected")).all()
        assert "Community orchard on Bournbrook recreation ground" in other  # equal shares differs from greedy
        updates = db.session.scalars(select(DeliveryUpdate.proposal_id)).all()
        assert updates and set(updates) <= funded


def _user(name: str) -> User:
    return db.session.scalars(select(User).where(User.display_name == name)).one()


def test_seed_demo_leaves_a_queue_for_a_newcomer_moderator(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "morgan-reid@example.org" in result.output and "moderator-demo-password" in result.output
    assert "dana-hughes@example.org" in result.output and "group-moderator-demo-password" in result.output
    with app.app_context():
        morgan = _user(moderation.SITE_MODERATOR)
        assert morgan.role == Role.MODERATOR
        entries = queue_page(morgan, 1, 50).items
        flagged = [e for e in entries if e.flags]
        held = [e for e in entries if e.review.held]
        assert len(flagged) >= 3 and len(held) >= 2
        assert {e.review.item_type for e in flagged} == {"post", "comment"}
        auto_hidden = [e for e in flagged if e.item.state == Visibility.HIDDEN]
        assert [len(e.flags) for e in auto_hidden] == [3]
        spam = [f for e in flagged for f in e.flags if f.reason == "spam"]
        assert len(spam) == 1 and spam[0].note
        assert {e.item.obj.author.display_name for e in held} >= {"Casey Newman", "Ellie Morgan"}
        assert all(e.item.state == Visibility.HELD for e in held)

        dana = _user(moderation.GROUP_MODERATOR)
        group = db.session.scalars(select(Group).where(Group.name == moderation.PREMODERATED_GROUP)).one()
        assert group.premoderated and "criticise ideas" in group.rules_html.lower()
        assert permissions.can_moderate(group, dana) and not dana.is_site_moderator
        theirs = queue_page(dana, 1, 50).items
        assert theirs and {e.review.group_id for e in theirs} == {group.id}

        lee = _user("Lee Grant")
        hidden = db.session.scalars(select(Post).where(Post.author_id == lee.id, Post.state == Visibility.HIDDEN))
        assert moderation.HIDE_REASON in [p.hidden_reason for p in hidden]
        assert db.session.scalar(select(func.count()).select_from(ModeratorWarning).where(
            ModeratorWarning.user_id == lee.id)) == 1
        actions = set(db.session.scalars(select(AuditEntry.action)))
        assert {Action.HIDE, Action.WARN, Action.AUTO_HIDE, Action.DISMISS_FLAGS} <= actions
        assert db.session.scalar(select(func.count()).select_from(Flag).where(Flag.outcome.is_not(None))) >= 2


def test_seed_demo_history_is_published_and_nothing_waiting_leaks(app, runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        waiting = db.session.scalar(select(func.count()).select_from(Post).where(Post.state != Visibility.VISIBLE))
        assert waiting == 5  # held: two replies and a new thread's opening post; hidden: by flags, by a moderator
        richard = _user("Richard Parsons")
        assert db.session.scalar(select(func.count()).select_from(Post).where(
            Post.author_id == richard.id, Post.state != Visibility.VISIBLE)) == 0
        public = select(Thread.id).join(Group).where(Thread.state == Visibility.VISIBLE, Group.is_private.is_(False))
        urls = ["/"] + [f"/threads/{thread_id}/" for thread_id in db.session.scalars(public)]
    secret = [moderation.RUDE_REPLY[2], moderation.NEWCOMER_REPLY[2], moderation.PREMODERATED_REPLY[2],
              moderation.PREMODERATED_THREAD[2], moderation.HIDDEN_REPLY[2], moderation.HIDE_REASON]
    home = client.get("/").get_data(as_text=True)
    assert "Greedy counting versus equal shares" in home and "Library opening hours" in home
    for url in urls:
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        for text in secret:
            assert text.replace("'", "&#39;") not in page and text not in page, (url, text)


def test_a_newcomer_signs_in_as_the_demo_moderators_and_finds_the_queue(app, runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    signed_in = client.post("/login", data={"email": "morgan-reid@example.org", "password": "moderator-demo-password"})
    assert signed_in.status_code in (302, 303)
    queue = html.unescape(client.get("/moderation/").get_data(as_text=True))
    assert "6 items waiting" in queue
    for text in (moderation.RUDE_REPLY[2], moderation.ADVERT_FLAG[2], moderation.PERSONAL_COMMENT[3],
                 moderation.NEWCOMER_REPLY[2], moderation.PREMODERATED_REPLY[2], moderation.PREMODERATED_THREAD[2]):
        assert text in queue, text
    log = html.unescape(client.get("/moderation/log").get_data(as_text=True))
    assert moderation.HIDE_REASON in log and moderation.WARNING in log
    client.post("/logout")

    client.post("/login", data={"email": "dana-hughes@example.org", "password": "group-moderator-demo-password"})
    queue = html.unescape(client.get("/moderation/").get_data(as_text=True))
    assert "2 items waiting" in queue and moderation.RUDE_REPLY[2] not in queue
    client.post("/logout")

    client.post("/login", data={"email": "lee-grant@example.org", "password": "lee-demo-password"})
    thread_id = db_thread_id(app, moderation.HIDDEN_REPLY[0])
    own = html.unescape(client.get(f"/threads/{thread_id}/").get_data(as_text=True))
    assert moderation.HIDDEN_REPLY[2] in own and moderation.HIDE_REASON in own


def db_thread_id(app, title: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Thread.id).where(Thread.title == title))


def test_seed_demo_dates_fit_each_phase_and_activity_spans_weeks(app, runner):
    """Nothing "proposed today" in a budget whose collecting ended weeks ago; ballots fall in voting; the count
    happened when results opened; conversations are spread over weeks."""
    from datetime import timedelta

    from forum.budgeting.models import Ballot, Budget, Proposal, Result
    from forum.common.timefmt import utcnow

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        for budget in db.session.scalars(select(Budget)):
            pot_ids = [pot.id for pot in budget.pots]
            proposed = db.session.scalars(select(Proposal.created_at).where(Proposal.pot_id.in_(pot_ids))).all()
            ends = budget.review_from or budget.voting_from
            assert proposed and all(budget.collecting_from < when < ends for when in proposed), budget.title
            cast = db.session.scalars(select(Ballot.updated_at).where(Ballot.pot_id.in_(pot_ids))).all()
            assert cast and all(budget.voting_from < when < min(budget.results_from, utcnow()) for when in cast)
            moves = db.session.scalars(select(AuditEntry.created_at).where(
                AuditEntry.action == Action.MOVE_PHASE, AuditEntry.item_type == "budget",
                AuditEntry.item_id == budget.id)).all()
            assert moves and all(when < utcnow() - timedelta(days=1) for when in moves)
            if budget.phase == "delivery":
                counted = db.session.scalar(select(Result.computed_at).where(Result.pot_id.in_(pot_ids)))
                assert counted == budget.results_from
        started = db.session.scalars(select(Thread.created_at)).all()
        assert max(started) - min(started) > timedelta(weeks=6)
        days = {when.date() for when in db.session.scalars(select(Post.created_at))}
        assert len(days) >= 15
        from forum.notifications.models import Notification

        told = db.session.execute(select(Notification.text, Notification.created_at)).all()
        assert all(when <= utcnow() for _text, when in told)
        phase_news = [when for text, when in told if text.endswith("now voting")]
        assert phase_news and all(when < utcnow() - timedelta(days=5) for when in phase_news)
