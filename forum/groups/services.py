"""Groups: listing, joining and leaving, join requests, group moderators, creating and editing.

These change and ``flush()``; the request's edge commits (``forum.common.transaction``). The member counter moves
with ``UPDATE ... SET n = n + 1`` in the same transaction as the membership row it counts, so concurrent joins
never lose an increment; a membership row is inserted with ``ON CONFLICT DO NOTHING`` and a request flipped with
a conditional ``UPDATE``, so two people acting at once never count a member twice nor fail on the unique row.

Private groups are invisible to non-members (the same ``NotFound`` as a group that does not exist). People
reach one through an invitation link signed by the app (``invite_token``), which lets them ask to join; a group
moderator then approves or refuses the request. Group moderators may also add a member by display name.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from forum.accounts.models import User
from forum.audit import services as audit
from forum.audit.models import Action
from forum.common import database, markup
from forum.common.errors import NotFound, PermissionDenied, ValidationFailed
from forum.common.pagination import Page
from forum.common.text import normalise_space, slugify
from forum.extensions import db
from forum.groups import permissions
from forum.groups.models import Group, MemberRole, Membership, MemberStatus

NAME_MAX = 100
SUMMARY_MAX = 300
DESCRIPTION_MAX = 20_000
RULES_MAX = 20_000
INVITE_SALT = "group-invite"
INVITE_MAX_AGE = 60 * 60 * 24 * 30  # an invitation link works for 30 days
RESERVED_SLUGS = frozenset({"new"})  # /groups/new is the create page


def _page(items: list[Any], number: int, per_page: int, total: int) -> Page:
    """A page of a list; a page past the end is a 404, as on every other list (page 1 always exists)."""
    page = Page(items=items, number=number, per_page=per_page, total=total)
    if number > page.pages:
        raise NotFound("There is no such page.")
    return page


# --- finding groups -------------------------------------------------------------------------------------------


def get_group(slug: str) -> Group:
    """The group with this slug, whoever asks (callers must check permissions)."""
    group = db.session.scalar(select(Group).where(Group.slug == slug))
    if group is None:
        raise NotFound("No such group.")
    return group


def get_readable_group(slug: str, user: Any) -> Group:
    """The group, when the person may read it; ``NotFound`` when it is missing or private to them."""
    group = get_group(slug)
    if not permissions.can_read(group, user):
        raise NotFound("No such group.")
    return group


def get_membership(group: Group, user: Any) -> Membership | None:
    """The person's membership of the group (active or pending), or None (anonymous: None)."""
    return permissions.membership_for(group, user)


def list_groups(user: Any, page: int, per_page: int | None = None) -> Page:
    """One page of the groups this person may see, in the site's order (position, then name)."""
    per_page = per_page or current_app.config.get("GROUPS_PER_PAGE", 20)
    visible = permissions.readable_groups_clause(user)
    total = db.session.scalar(select(func.count()).select_from(Group).where(visible)) or 0
    items = db.session.scalars(
        select(Group).where(visible).order_by(Group.position, Group.name, Group.id)
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    return _page(list(items), page, per_page, total)


def membership_map(groups: list[Group], user: Any) -> dict[int, Membership]:
    """The person's memberships of these groups, by group id, in one query (for list pages)."""
    if not getattr(user, "is_authenticated", False) or not groups:
        return {}
    rows = db.session.scalars(
        select(Membership).where(Membership.user_id == user.id, Membership.group_id.in_([g.id for g in groups]))
    )
    return {m.group_id: m for m in rows}


def list_members(group: Group, page: int, per_page: int | None = None) -> Page:
    """Active members, group moderators first, then by display name (users loaded in the same query)."""
    per_page = per_page or current_app.config.get("USERS_PER_PAGE", 50)
    where = (Membership.group_id == group.id, Membership.status == MemberStatus.ACTIVE)
    total = db.session.scalar(select(func.count()).select_from(Membership).where(*where)) or 0
    moderators_first = (Membership.role != MemberRole.MODERATOR)
    items = db.session.scalars(
        select(Membership).join(Membership.user).options(contains_eager(Membership.user)).where(*where)
        .order_by(moderators_first, User.display_name, User.id).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return _page(list(items), page, per_page, total)


def list_requests(group: Group, actor: Any, page: int, per_page: int | None = None) -> Page:
    """Pending join requests, oldest first, for the group's moderators and site moderators."""
    if not permissions.can_moderate(group, actor):
        raise PermissionDenied("Only the group's moderators can see its join requests.")
    per_page = per_page or current_app.config.get("USERS_PER_PAGE", 50)
    where = (Membership.group_id == group.id, Membership.status == MemberStatus.PENDING)
    total = db.session.scalar(select(func.count()).select_from(Membership).where(*where)) or 0
    items = db.session.scalars(
        select(Membership).join(Membership.user).options(contains_eager(Membership.user)).where(*where)
        .order_by(Membership.created_at, Membership.id).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return _page(list(items), page, per_page, total)


# --- invitations ----------------------------------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=INVITE_SALT)


def invite_token(group: Group, actor: Any) -> str:
    """A signed link token that lets whoever holds it ask to join this private group."""
    if not permissions.can_moderate(group, actor):
        raise PermissionDenied("Only the group's moderators can invite people.")
    return _serializer().dumps({"group": group.id})


def invite_is_valid(group: Group, token: str | None) -> bool:
    if not token:
        return False
    try:
        data = _serializer().loads(token, max_age=current_app.config.get("GROUP_INVITE_MAX_AGE", INVITE_MAX_AGE))
    except BadSignature:  # SignatureExpired is a BadSignature
        return False
    return isinstance(data, dict) and data.get("group") == group.id


def get_group_for_invite(slug: str, user: Any, token: str | None) -> Group:
    """The group, for someone who may read it or who holds a valid invitation (or already asked to join)."""
    group = get_group(slug)
    if permissions.can_read(group, user) or invite_is_valid(group, token) or get_membership(group, user):
        return group
    raise NotFound("No such group.")


# --- joining and leaving --------------------------------------------------------------------------------------


def _require_user(user: Any) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Sign in to do that.")


def _count_member(group_id: int, delta: int) -> None:
    db.session.execute(update(Group).where(Group.id == group_id).values(member_count=Group.member_count + delta))


def _add_membership(group: Group, user: Any, status: MemberStatus) -> bool:
    """Insert the person's membership unless they already have one, counting an active one; whether it was added.

    ``ON CONFLICT DO NOTHING``: when someone else adds the same row at the same moment (a second click, a
    moderator adding them) that one counts, and this transaction carries on instead of failing on the unique row.
    """
    added = db.session.execute(
        database.insert(Membership)
        .values(group_id=group.id, user_id=user.id, role=MemberRole.MEMBER, status=status)
        .on_conflict_do_nothing(index_elements=["group_id", "user_id"])
        .returning(Membership.id)  # a row only when one was inserted (the driver's rowcount is not reliable here)
    ).scalar() is not None
    if added and status == MemberStatus.ACTIVE:
        _count_member(group.id, 1)
    return added


def _activate(membership: Membership) -> bool:
    """Turn a pending request into membership; only the change that flips the row counts the member, however
    many people act on it at once. Whether this call flipped it."""
    flipped = db.session.execute(
        update(Membership).where(Membership.id == membership.id, Membership.status == MemberStatus.PENDING)
        .values(status=MemberStatus.ACTIVE)
    ).rowcount
    if flipped:
        _count_member(membership.group_id, 1)
    return bool(flipped)


def join(slug: str, user: Any, invite: str | None = None) -> tuple[Group, Membership]:
    """Join a group: a public group at once; a private one by a request that its moderators approve.

    A private group is found only by someone who may read it or holds a valid invitation; anyone else gets
    ``NotFound``. Site moderators and admins join a private group at once. Joining twice changes nothing (a
    second click racing the first: the first one counts).
    """
    _require_user(user)
    group = get_group(slug)
    existing = get_membership(group, user)
    if group.is_private and existing is None and not invite_is_valid(group, invite):
        if not permissions.can_read(group, user):
            raise NotFound("No such group.")
    at_once = not group.is_private or user.is_site_moderator
    if existing is not None:
        if at_once and not existing.is_active:
            _activate(existing)
        return group, existing
    _add_membership(group, user, MemberStatus.ACTIVE if at_once else MemberStatus.PENDING)
    return group, get_membership(group, user)  # type: ignore[return-value]


def leave(slug: str, user: Any) -> tuple[Group, str | None]:
    """Leave a group, or withdraw a pending request to join it. Leaving twice changes nothing.

    Returns the group and the status the membership had (``active`` or ``pending``), or None when there was none.
    """
    _require_user(user)
    group = get_group(slug)
    membership = get_membership(group, user)
    if membership is None:
        if not permissions.can_read(group, user):
            raise NotFound("No such group.")
        return group, None
    status = membership.status
    removed = db.session.execute(delete(Membership).where(Membership.id == membership.id)).rowcount
    if removed and status == MemberStatus.ACTIVE:
        _count_member(group.id, -1)
    return group, status if removed else None


def _pending_request(group: Group, actor: Any, membership_id: int) -> Membership:
    if not permissions.can_moderate(group, actor):
        raise PermissionDenied("Only the group's moderators can answer join requests.")
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.group_id != group.id or membership.status != MemberStatus.PENDING:
        raise NotFound("No such request.")
    return membership


def approve(group: Group, actor: Any, membership_id: int) -> Membership:
    """Accept a pending request: the person becomes a member."""
    membership = _pending_request(group, actor, membership_id)
    if _activate(membership):
        _record_member(actor, Action.APPROVE_MEMBER, group, membership.user_id)
    return membership


def _record_member(actor: Any, action: str, group: Group, user_id: int, summary: str = "") -> None:
    """An audit entry for something done to a person's membership of a group."""
    audit.record(actor, action, item_type="user", item_id=user_id, group_id=group.id, subject_id=user_id,
                 summary=summary)


def reject(group: Group, actor: Any, membership_id: int) -> User:
    """Refuse a pending request; the person may ask again with a fresh invitation. Returns who asked."""
    membership = _pending_request(group, actor, membership_id)
    person = membership.user
    # Only a request still pending is removed: one another moderator approved meanwhile is a membership now.
    removed = db.session.execute(
        delete(Membership).where(Membership.id == membership.id, Membership.status == MemberStatus.PENDING)
    ).rowcount
    if not removed:
        raise ValidationFailed(f"{person.display_name} was accepted by another moderator a moment ago")
    _record_member(actor, Action.REJECT_MEMBER, group, person.id)
    return person


def add_member(group: Group, actor: Any, display_name: str) -> Membership:
    """A group moderator adds someone by display name (a pending request becomes membership)."""
    if not permissions.can_moderate(group, actor):
        raise PermissionDenied("Only the group's moderators can add members.")
    handle = slugify(normalise_space(display_name))
    person = db.session.scalar(select(User).where(User.handle == handle))
    if person is None:
        raise ValidationFailed("There is nobody with that display name", field="display_name")
    already = ValidationFailed(f"{person.display_name} is already a member", field="display_name")
    membership = get_membership(group, person)
    if membership is not None and membership.is_active:
        raise already
    # They may have joined, or another moderator added them, a moment ago: then they are already a member.
    added = _add_membership(group, person, MemberStatus.ACTIVE) if membership is None else _activate(membership)
    if not added:
        raise already
    _record_member(actor, Action.ADD_MEMBER, group, person.id)
    return membership or get_membership(group, person)  # type: ignore[return-value]


def appoint(group: Group, actor: Any, user_id: int, role: str) -> Membership:
    """An admin makes a member a group moderator, or an ordinary member again."""
    if not getattr(actor, "is_admin", False):
        raise PermissionDenied("Only an administrator can appoint group moderators.")
    if role not in (MemberRole.MEMBER, MemberRole.MODERATOR):
        raise ValidationFailed("Choose a role", field="role")
    membership = db.session.scalar(
        select(Membership).where(Membership.group_id == group.id, Membership.user_id == user_id)
    )
    if membership is None or not membership.is_active:
        raise NotFound("That person is not a member of this group.")
    if membership.role != role:
        _record_member(actor, Action.APPOINT, group, user_id, summary=f"Group role: {membership.role} → {role}")
    membership.role = role
    return membership


# --- creating and editing -------------------------------------------------------------------------------------


def _check_summary(summary: str) -> str:
    summary = normalise_space(summary)
    if len(summary) > SUMMARY_MAX:
        raise ValidationFailed(f"Summary must be {SUMMARY_MAX} characters or fewer", field="summary")
    return summary


def _check_description(description: str) -> str:
    description = description or ""
    if len(description) > DESCRIPTION_MAX:
        raise ValidationFailed(f"Description must be {DESCRIPTION_MAX:,} characters or fewer", field="description")
    return description


def _check_rules(rules: str) -> str:
    rules = rules or ""
    if len(rules) > RULES_MAX:
        raise ValidationFailed(f"House rules must be {RULES_MAX:,} characters or fewer", field="rules")
    return rules


def create_group(actor: Any, name: str, summary: str = "", description: str = "", private: bool = False,
                 position: int = 100, rules: str = "", premoderated: bool = False) -> Group:
    """An admin creates a group; its address comes from its name and must be free."""
    if not getattr(actor, "is_admin", False):
        raise PermissionDenied("Only an administrator can create groups.")
    name = normalise_space(name)
    if not name:
        raise ValidationFailed("Enter a name", field="name")
    if not any(ch.isalnum() for ch in name):  # "!!!" or a zero-width space would have no address of its own
        raise ValidationFailed("Name must include letters or numbers", field="name")
    if len(name) > NAME_MAX:
        raise ValidationFailed(f"Name must be {NAME_MAX} characters or fewer", field="name")
    slug = slugify(name, max_length=80)
    taken = db.session.scalar(select(func.count()).select_from(Group).where(Group.slug == slug))
    if taken or slug in RESERVED_SLUGS:
        raise ValidationFailed("A group with this name already exists: choose another name", field="name")
    description = _check_description(description)
    rules = _check_rules(rules)
    group = Group(
        slug=slug, name=name, summary=_check_summary(summary), description_source=description,
        description_html=markup.render(description), is_private=bool(private), position=position,
        rules_source=rules, rules_html=markup.render(rules),
        premoderated=bool(premoderated), created_by_id=actor.id, member_count=0, thread_count=0, post_count=0,
    )
    db.session.add(group)
    try:
        db.session.flush()
    except IntegrityError:  # created by someone else a moment ago (the refusal drops the transaction)
        raise ValidationFailed("A group with this name already exists: choose another name", field="name") from None
    audit.record(actor, Action.CREATE_GROUP, item_type="group", item_id=group.id, group_id=group.id,
                 summary=f"Created “{group.name}” ({'private' if group.is_private else 'public'}"
                         f"{', pre-moderated' if group.premoderated else ''})")
    return group


def update_group(group: Group, actor: Any, summary: str, description: str, private: bool | None = None,
                 position: int | None = None, rules: str | None = None, premoderated: bool | None = None) -> Group:
    """Admins and the group's moderators change the summary, description, house rules and pre-moderation; only
    admins change privacy and position (a group moderator's ``private`` and ``position`` are ignored).
    ``None`` leaves a field as it is. What changed is recorded in the audit log."""
    if not permissions.can_edit_group(group, actor):
        raise PermissionDenied("Only administrators and the group's moderators can edit this group.")
    summary = _check_summary(summary)
    description = _check_description(description)
    rules = _check_rules(rules) if rules is not None else None
    changed = []
    if summary != group.summary:
        group.summary = summary
        changed.append("summary")
    if description != group.description_source:
        group.description_source, group.description_html = description, markup.render(description)
        changed.append("description")
    if rules is not None and rules != group.rules_source:
        group.rules_source, group.rules_html = rules, markup.render(rules)
        changed.append("house rules")
    if premoderated is not None and bool(premoderated) != group.premoderated:
        group.premoderated = bool(premoderated)
        changed.append("pre-moderation " + ("on" if group.premoderated else "off"))
    if actor.is_admin:
        if private is not None and bool(private) != group.is_private:
            group.is_private = bool(private)
            changed.append("now " + ("private" if group.is_private else "public"))
        if position is not None and position != group.position:
            changed.append(f"position {group.position} → {position}")
            group.position = position
    if changed:
        audit.record(actor, Action.EDIT_GROUP, item_type="group", item_id=group.id, group_id=group.id,
                     summary="Changed " + ", ".join(changed))
    return group
