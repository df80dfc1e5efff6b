"""Writing, listing and reading notifications; watching and muting; email preferences and unsubscribing.

Everything here changes and flushes in the caller's transaction (a request, or a job's unit of work); nothing
commits. ``notify`` is what other domains call for a decision that concerns one person (a moderator hid their
post, a warning, a budget moving on); new posts and comments fan out in ``tasks.fan_out``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import current_app, has_request_context, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select, update

from forum.accounts.models import User
from forum.common import database
from forum.common.errors import NotFound, ValidationFailed
from forum.common.pagination import Page
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.mail.services import queue_mail
from forum.notifications import kinds
from forum.notifications.models import Notification, Preference, Watch, WatchLevel
from forum.threads.models import Thread
from forum.threads.queries import page_of_post

PER_PAGE = 25
UNSUBSCRIBE_SALT = "unsubscribe"


# --- addresses -------------------------------------------------------------------------------------------------

def link(endpoint: str, external: bool = False, **values: Any) -> str:
    """``url_for`` that also works in a job (no request): the forum's ``BASE_URL`` stands in for the request."""
    if has_request_context() and not external:
        return url_for(endpoint, **values)
    with current_app.test_request_context("/", base_url=current_app.config["BASE_URL"]):
        return url_for(endpoint, _external=external, **values)


def post_path(thread: Thread, number: int, anchor: str | None = None) -> str:
    """The thread page that shows post ``number``, pointing at it (or at ``anchor``, e.g. ``comment-7``)."""
    page = page_of_post(number, current_app.config["POSTS_PER_PAGE"])
    return link("threads.show", thread_id=thread.id, slug=thread.slug, page=page if page > 1 else None,
                _anchor=anchor or f"post-{number}")


# --- writing ---------------------------------------------------------------------------------------------------

@dataclass
class Draft:
    """A notification about to be written (the fan-out job builds many, then writes them at once)."""

    recipient_id: int
    kind: str
    text: str
    url: str
    actor_id: int | None = None
    group_id: int | None = None
    thread_id: int | None = None
    post_id: int | None = None
    comment_id: int | None = None
    budget_id: int | None = None
    proposal_id: int | None = None


def notify(recipient: User | int, kind: str, text: str, url: str, actor: Any = None, **ids: int | None
           ) -> Notification | None:
    """Tell one person about something (never the person who did it); emailed at once if they want that kind so.

    ``ids``: ``group_id``, ``thread_id``, ``post_id``, ``comment_id``, ``budget_id``, ``proposal_id``.
    """
    kinds.get(kind)  # an unknown kind is a programming error: fail loudly
    recipient_id = recipient if isinstance(recipient, int) else recipient.id
    actor_id = actor if isinstance(actor, int) or actor is None else getattr(actor, "id", None)
    written = write([Draft(recipient_id=recipient_id, kind=kind, text=text, url=url, actor_id=actor_id, **ids)])
    return written[0] if written else None


def notify_many(recipient_ids: Iterable[int], kind: str, text: str, url: str, actor: Any = None,
                **ids: int | None) -> list[Notification]:
    """The same notification for several people (a budget moving on), written in one go."""
    actor_id = actor if isinstance(actor, int) or actor is None else getattr(actor, "id", None)
    return write([Draft(recipient_id=r, kind=kind, text=text, url=url, actor_id=actor_id, **ids)
                  for r in dict.fromkeys(recipient_ids)])


def write(drafts: list[Draft]) -> list[Notification]:
    """Write the drafts for people who still have an account (never to the actor), then email the ones whose
    owner wants that kind at once. Two queries for the people and their preferences, whatever the number."""
    drafts = [d for d in drafts if d.recipient_id != d.actor_id]
    if not drafts:
        return []
    ids = {d.recipient_id for d in drafts}
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids), User.deleted_at.is_(None)))}
    chosen = cadences({d.recipient_id for d in drafts if d.recipient_id in people})
    written = []
    for draft in drafts:
        if draft.recipient_id not in people:
            continue
        notification = Notification(**draft.__dict__)
        db.session.add(notification)
        written.append(notification)
    db.session.flush()
    for notification in written:
        cadence = chosen.get((notification.recipient_id, notification.kind)) or kinds.get(notification.kind).email
        if cadence == kinds.IMMEDIATE:
            email_now(notification, people[notification.recipient_id])
    return written


def cadences(user_ids: Iterable[int]) -> dict[tuple[int, str], str]:
    """Every stored preference of these people: (user id, kind) -> cadence."""
    ids = list(user_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(Preference.user_id, Preference.kind, Preference.cadence)
                              .where(Preference.user_id.in_(ids)))
    return {(user_id, kind): cadence for user_id, kind, cadence in rows}


# --- email -----------------------------------------------------------------------------------------------------

def unsubscribe_token(user_id: int, kind: str) -> str:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT).dumps([user_id, kind])


def read_unsubscribe_token(token: str) -> tuple[User, str]:
    """The person and kind a one-click link stands for; NotFound for a link that was not ours."""
    try:
        user_id, kind = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT).loads(token)
    except (BadSignature, ValueError, TypeError) as error:
        raise NotFound("This unsubscribe link is not valid.") from error
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or user.deleted_at is not None or kind not in kinds.KINDS:
        raise NotFound("This unsubscribe link is not valid.")
    return user, kind


def _footer(user_id: int, kind: str) -> tuple[str, dict[str, str]]:
    unsubscribe = link("notifications.unsubscribe", external=True, token=unsubscribe_token(user_id, kind))
    settings = link("notifications.settings", external=True)
    label = kinds.get(kind).label
    text = (f"\n\n--\nYou get this email because of your settings for “{label}”.\n"
            f"Stop emails like this: {unsubscribe}\nChoose what we email you: {settings}\n")
    headers = {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return text, headers


def email_now(notification: Notification, user: User) -> None:
    """Queue one email (the outbox row is in this transaction) and mark the notification as emailed."""
    site = current_app.config.get("SITE_NAME", "The forum")
    opened = link("notifications.open", external=True, notification_id=notification.id)
    footer, headers = _footer(user.id, notification.kind)
    queue_mail(to=user.email, subject=f"{site}: {notification.text}"[:200],
               body=f"Hello {user.display_name},\n\n{notification.text}\n\nSee it: {opened}{footer}",
               user_id=user.id, headers=headers)
    notification.digested_at = utcnow()


def send_digests() -> int:
    """Email each person their unread notifications of the kinds they take daily, not emailed before; returns
    the number of emails. Every unread, un-emailed notification looked at is marked, so none waits forever."""
    pending = list(db.session.scalars(
        select(Notification).where(Notification.read_at.is_(None), Notification.digested_at.is_(None))
        .order_by(Notification.recipient_id, Notification.created_at)
    ))
    if not pending:
        return 0
    chosen = cadences({n.recipient_id for n in pending})
    by_person: dict[int, list[Notification]] = {}
    now = utcnow()
    for notification in pending:
        notification.digested_at = now
        cadence = chosen.get((notification.recipient_id, notification.kind)) or kinds.get(notification.kind).email
        if cadence == kinds.DAILY:
            by_person.setdefault(notification.recipient_id, []).append(notification)
    people = {u.id: u for u in db.session.scalars(
        select(User).where(User.id.in_(list(by_person)), User.deleted_at.is_(None)))}
    site = current_app.config.get("SITE_NAME", "The forum")
    for user_id, items in by_person.items():
        user = people.get(user_id)
        if user is None:
            continue
        lines = "\n".join(f"- {n.text}\n  {link('notifications.open', external=True, notification_id=n.id)}"
                          for n in items)
        unsubscribe_kind = items[0].kind
        footer, headers = _footer(user.id, unsubscribe_kind)
        settings = link("notifications.settings", external=True)
        queue_mail(
            to=user.email, subject=f"{site}: {len(items)} new notification{'s' if len(items) != 1 else ''}",
            body=(f"Hello {user.display_name},\n\nWhat happened since your last digest:\n\n{lines}\n\n"
                  f"All your notifications: {link('notifications.index', external=True)}\n"
                  f"Choose what goes in this digest: {settings}{footer}"),
            user_id=user.id, headers=headers,
        )
    db.session.flush()
    return len(by_person)


# --- reading ---------------------------------------------------------------------------------------------------

def unread_count(user: Any) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(Notification.recipient_id == user.id,
                                                  Notification.read_at.is_(None))
    ) or 0


def page_for(user: Any, number: int, per_page: int = PER_PAGE) -> Page:
    """One page of the person's notifications, newest first (with who did it, in the same query)."""
    total = db.session.scalar(select(func.count(Notification.id)).where(Notification.recipient_id == user.id)) or 0
    page = Page(items=[], number=number, per_page=per_page, total=total)
    if number > page.pages:
        raise NotFound("No such page.")
    page.items = list(db.session.scalars(
        select(Notification).where(Notification.recipient_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(per_page).offset((number - 1) * per_page)
    ))
    return page


def mark_read(user: Any, notification_id: int) -> Notification:
    """Mark one of the person's notifications read (anyone else's is a 404) and return it."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.recipient_id != user.id:
        raise NotFound("No such notification.")
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()
    return notification


def mark_all_read(user: Any) -> int:
    result = db.session.execute(
        update(Notification).where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount or 0


# --- watching --------------------------------------------------------------------------------------------------

def watch_level(user: Any, thread_id: int | None = None, group_id: int | None = None) -> str | None:
    """"watching", "muted" or None for the person and the thread (or group)."""
    if not getattr(user, "is_authenticated", False):
        return None
    target = Watch.thread_id == thread_id if thread_id is not None else Watch.group_id == group_id
    return db.session.scalar(select(Watch.level).where(Watch.user_id == user.id, target))


def set_watch(user: Any, level: str | None, thread_id: int | None = None, group_id: int | None = None) -> None:
    """Watch, mute (``level``) or stop either (None) for a thread or a group (exactly one of the two)."""
    if (thread_id is None) == (group_id is None):
        raise ValueError("A watch is of a thread or of a group")
    if level is not None and level not in tuple(WatchLevel):
        raise ValidationFailed("Choose watch or mute")
    target = Watch.thread_id == thread_id if thread_id is not None else Watch.group_id == group_id
    if level is None:
        db.session.execute(Watch.__table__.delete().where(Watch.user_id == user.id, target))
        return
    key = ["user_id", "thread_id"] if thread_id is not None else ["user_id", "group_id"]
    db.session.execute(
        database.insert(Watch)
        .values(user_id=user.id, thread_id=thread_id, group_id=group_id, level=level, created_at=utcnow())
        .on_conflict_do_update(index_elements=key, set_={"level": level})
    )


def watch_thread_if_new(user_id: int, thread_id: int) -> None:
    """Writing in a thread watches it, unless the person already chose (watching or muted)."""
    db.session.execute(
        database.insert(Watch)
        .values(user_id=user_id, thread_id=thread_id, group_id=None, level=WatchLevel.WATCHING, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["user_id", "thread_id"])
    )


# --- preferences -----------------------------------------------------------------------------------------------

def preferences_of(user: Any) -> dict[str, str]:
    """Every kind's cadence for the person: their choice, or the kind's default."""
    chosen = {kind: cadence for (_, kind), cadence in cadences([user.id]).items()}
    return {name: chosen.get(name, kind.email) for name, kind in kinds.KINDS.items()}


def preferences_of_defaults() -> dict[str, str]:
    return {name: kind.email for name, kind in kinds.KINDS.items()}


def set_preference(user_id: int, kind: str, cadence: str) -> None:
    if kind not in kinds.KINDS or cadence not in kinds.CADENCES:
        raise ValidationFailed("Choose how often to email this")
    db.session.execute(
        database.insert(Preference).values(user_id=user_id, kind=kind, cadence=cadence)
        .on_conflict_do_update(index_elements=["user_id", "kind"], set_={"cadence": cadence})
    )


def set_preferences(user: Any, choices: dict[str, str]) -> None:
    for kind, cadence in choices.items():
        set_preference(user.id, kind, cadence)
