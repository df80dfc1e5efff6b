"""Plain functions that make rows for tests through the real services (so counters stay true).

Call them inside ``with app.app_context():``; they return ids-bearing objects that are committed. Services no
longer commit (``forum.common.transaction``): a test is an edge, so each factory ends its own unit of work with
``transaction.commit()``, and rows it returns are visible at once to other connections (the live server's
threads, concurrent requests). Whatever a test does after them in the same block is committed by the ``app``
fixture's hook when the block ends.
"""

from __future__ import annotations

import itertools

from werkzeug.security import generate_password_hash

from forum.accounts.models import User
from forum.common import markup, transaction
from forum.common.text import slugify
from forum.extensions import db
from forum.groups.models import Group, MemberRole, Membership, MemberStatus
from forum.threads import services as thread_services
from tests.conftest import TEST_PASSWORD

_counter = itertools.count(1)


def sign_in_id(user) -> str:
    """What the session holds once ``user`` signs in (``User.get_id``): a sign-in row is made and committed, as
    the sign-in form would."""
    from forum.accounts import sign_ins

    sign_ins.start(user, "Mozilla/5.0 (X11; Linux x86_64) pytest")
    transaction.commit()
    return user.get_id()


def make_user(display_name: str | None = None, role: str = "resident", organisation: str | None = None,
              email: str | None = None, password: str = TEST_PASSWORD) -> User:
    n = next(_counter)
    display_name = display_name or f"Person {n}"
    email = email or f"{slugify(display_name)}-{n}@example.org"
    user = User(
        display_name=display_name, handle=slugify(display_name), email=email, email_key=email.lower(),
        password_hash=generate_password_hash(password, method="pbkdf2:sha256:1000"), role=role,
        organisation=organisation,
    )
    db.session.add(user)
    transaction.commit()
    return user


def make_group(name: str | None = None, private: bool = False, members: tuple[User, ...] = (),
               moderators: tuple[User, ...] = (), description: str = "", position: int = 100) -> Group:
    n = next(_counter)
    name = name or f"Group {n}"
    group = Group(
        name=name, slug=slugify(name), summary=f"About {name}", description_source=description,
        description_html=markup.render(description), is_private=private, position=position,
    )
    db.session.add(group)
    db.session.flush()
    for user in members:
        db.session.add(Membership(group_id=group.id, user_id=user.id, role=MemberRole.MEMBER))
    for user in moderators:
        db.session.add(Membership(group_id=group.id, user_id=user.id, role=MemberRole.MODERATOR))
    group.member_count = len(members) + len(moderators)
    transaction.commit()
    return group


def add_member(
    group: Group, user: User, role: str = MemberRole.MEMBER, status: str = MemberStatus.ACTIVE
) -> Membership:
    membership = Membership(group_id=group.id, user_id=user.id, role=role, status=status)
    db.session.add(membership)
    if status == MemberStatus.ACTIVE:
        group.member_count += 1
    transaction.commit()
    return membership


def make_thread(group: Group, author: User, title: str | None = None, body: str = "An opening post.",
                tags: str = "", replies: int = 0, comments_per_post: int = 0):
    """A thread by ``author`` (who must be able to post), with ``replies`` replies and comments under each post."""
    thread = thread_services.start_thread(group, author, title or f"Thread {next(_counter)}", body, tags)
    for i in range(replies):
        thread_services.reply(thread, author, f"Reply number {i + 1}.")
    if comments_per_post:
        from forum.threads.models import Post

        for post in db.session.query(Post).filter_by(thread_id=thread.id).all():
            for j in range(comments_per_post):
                thread_services.add_comment(post, author, f"Comment {j + 1} on post {post.number}.")
    transaction.commit()
    return thread
