"""`flask --app forum seed-demo` gives a newcomer a living forum with true counts."""

from sqlalchemy import func, select

from forum.accounts.models import Role, User
from forum.extensions import db
from forum.groups.models import Group, Membership, MemberStatus
from forum.threads.models import Post, Thread


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
            threads = db.session.scalar(select(func.count()).select_from(Thread).where(Thread.group_id == group.id))
            posts = db.session.scalar(
                select(func.count()).select_from(Post).join(Thread).where(Thread.group_id == group.id)
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
        assert result.rule == "mes" and result.voters == 150 and result.paper_voters == 150
        outcome = run_rule(election_for(finished).election, "mes")
        funded = set(db.session.scalars(select(Proposal.id).where(Proposal.pot_id == finished.id,
                                                                 Proposal.status == "selected")))
        assert funded == {int(key) for key in outcome.winners}
        other = db.session.scalars(select(Proposal.title).where(Proposal.pot_id == finished.id,
                                                               Proposal.status == "not_selected")).all()
        assert "Community orchard on Bournbrook recreation ground" in other  # equal shares differs from greedy
        updates = db.session.scalars(select(DeliveryUpdate.proposal_id)).all()
        assert updates and set(updates) <= funded
