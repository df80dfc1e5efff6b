"""Who may vote: residents verified for an area, one by one by staff or by a one-time code they enter.

Every verification records how (staff or code), by whom (the member of staff, or the code's id) and when.
Revoking keeps the row: ``revoked_at`` and ``revoked_by`` are set and the reason is added to its ``note``.
A person has one row per area (a unique constraint), so verifying someone again after a revocation reopens
that row and its note keeps the earlier history as dated lines ("Verified ... by ...; revoked ... by ...: reason").

A resident whose verification for an area was revoked cannot verify themselves again with a code for that
area: only staff can (they know why it was revoked). The code is then left unused.

Codes: 10 characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown as ABCD-EFGH-JK. Only the
SHA-256 hash of a code is stored, so a code is shown once, when made, and never again. A wrong code and a used
code get the same message, so guessing learns nothing; the page that takes codes is rate limited.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.audit import services as audit
from forum.audit.models import Action
from forum.budgeting.models import Area, ResidentVerification, VerificationCode, VerificationMethod
from forum.budgeting.services.staff import check_runs_budgets
from forum.common.errors import NotFound, PermissionDenied, ValidationFailed
from forum.common.pagination import Page
from forum.common.text import normalise_space, slugify
from forum.common.timefmt import utcnow
from forum.extensions import db

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read off a letter and type
CODE_LENGTH = 10
CODE_GROUPS = (4, 4, 2)  # ABCD-EFGH-JK
MAX_CODES = 5000
BATCH_MAX = 120
NOTE_MAX = 2000
INVALID_CODE = "That code is not valid or has already been used. Check it and try again"
HASH_CHUNK = 500


# Codes


def normalise_code(text: str) -> str:
    """A code as typed ("abcd efgh-jk", " ABCDEFGHJK ") in its stored form: capitals, no spaces or dashes."""
    return re.sub(r"[\s\-‐-―_.]", "", text or "").upper()


def format_code(code: str) -> str:
    """ABCDEFGHJK as ABCD-EFGH-JK, for print and reading aloud."""
    parts, start = [], 0
    for size in CODE_GROUPS:
        parts.append(code[start:start + size])
        start += size
    return "-".join(parts)


def hash_code(code: str) -> str:
    """The SHA-256 (hex) of a code's normal form: all the database keeps of it."""
    return hashlib.sha256(normalise_code(code).encode("ascii", "ignore")).hexdigest()


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _taken_hashes(hashes: list[str]) -> set[str]:
    taken: set[str] = set()
    for start in range(0, len(hashes), HASH_CHUNK):
        chunk = hashes[start:start + HASH_CHUNK]
        taken.update(db.session.scalars(select(VerificationCode.code_hash).where(VerificationCode.code_hash.in_(chunk))))
    return taken


def generate_codes(area: Area, staff: User, count: int | None, batch: str = "") -> list[str]:
    """Make ``count`` (1 to 5,000) one-time codes for ``area``, store their hashes and return the codes
    (formatted ABCD-EFGH-JK): the only time anyone sees them."""
    check_runs_budgets(staff, "verify residents")
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_CODES:
        raise ValidationFailed(f"Enter a number of codes from 1 to {MAX_CODES:,}", field="count")
    batch = normalise_space(batch)
    if len(batch) > BATCH_MAX:
        raise ValidationFailed(f"Keep the batch name to {BATCH_MAX} characters or fewer", field="batch")
    codes: dict[str, str] = {}  # hash -> code
    while len(codes) < count:
        fresh = {}
        while len(codes) + len(fresh) < count:
            code = _new_code()
            fresh[hash_code(code)] = code
        for taken in _taken_hashes([h for h in fresh if h not in codes]):
            fresh.pop(taken, None)  # astronomically rare: 31**10 codes; drawn again on the next round
        codes.update(fresh)
    now = utcnow()
    rows = [{"area_id": area.id, "code_hash": h, "batch": batch, "created_by_id": staff.id, "created_at": now}
            for h in codes]
    db.session.execute(insert(VerificationCode.__table__), rows)
    audit.record(staff, Action.MAKE_CODES, item_type="area", item_id=area.id,
                 summary=f"{count:,} codes for {area.name}" + (f" ({batch})" if batch else ""))
    return [format_code(code) for code in codes.values()]


def codes_csv(codes: Iterable[str], area: Area, batch: str) -> str:
    """The CSV handed to staff: one code a line, with its area and batch, for a mail merge or printing."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["code", "area", "batch"])
    for code in codes:
        writer.writerow([code, area.name, normalise_space(batch)])
    return out.getvalue()


def codes_filename(area: Area, batch: str) -> str:
    stamp = utcnow().strftime("%Y%m%d-%H%M")
    label = slugify(batch, max_length=40) if normalise_space(batch) else "codes"
    return f"verification-codes-{area.slug}-{label}-{stamp}.csv"


@dataclass
class BatchSummary:
    """Codes made together: their label, who made them and when, and how many were used."""

    batch: str
    created_at: datetime
    created_by: User | None
    made: int
    used: int


def code_batches(area: Area) -> list[BatchSummary]:
    """The area's batches of codes, newest first (one grouped query, then the makers in one query)."""
    used = func.count(VerificationCode.used_at)
    rows = db.session.execute(
        select(VerificationCode.batch, VerificationCode.created_by_id, func.max(VerificationCode.created_at),
               func.count(), used)
        .where(VerificationCode.area_id == area.id)
        .group_by(VerificationCode.batch, VerificationCode.created_by_id, VerificationCode.created_at)
        .order_by(func.max(VerificationCode.created_at).desc())
    ).all()
    makers = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_({r[1] for r in rows if r[1]})))}
    return [BatchSummary(batch, when, makers.get(by), made, n_used) for batch, by, when, made, n_used in rows]


# Verifying


def find_person(identifier: str) -> User:
    """A user by email address or handle ("@ann-smith" or "ann-smith"); a field error when there is none."""
    text = normalise_space(identifier)
    if not text:
        raise ValidationFailed("Enter the person's email address or handle", field="person")
    if "@" in text.strip("@"):
        user = db.session.scalar(select(User).where(User.email_key == text.lower()))
    else:
        user = db.session.scalar(select(User).where(User.handle == slugify(text.lstrip("@"))))
    if user is None:
        raise ValidationFailed("There is no one with that email address or handle on the forum", field="person")
    return user


def _existing(user: User, area: Area) -> ResidentVerification | None:
    return db.session.scalar(select(ResidentVerification).where(
        ResidentVerification.user_id == user.id, ResidentVerification.area_id == area.id))


def _history_line(verification: ResidentVerification, reason: str) -> str:
    """The line a revocation adds to the note: how the person had been verified, and who revoked it and why
    (a later re-verification overwrites method, verifier and date, so the note keeps them)."""
    how = f"by {verification.verified_by.display_name}" if verification.verified_by else "with a code"
    if verification.method == VerificationMethod.CODE and verification.code_id:
        how = f"with code no. {verification.code_id}"
    verified = verification.created_at.strftime("%-d %B %Y")
    revoked = verification.revoked_at.strftime("%-d %B %Y") if verification.revoked_at else ""
    by = verification.revoked_by.display_name if verification.revoked_by else "staff"
    return f"Verified {verified} {how}; revoked {revoked} by {by}: {reason}"


def _record(user: User, area: Area, method: str, verified_by: User | None = None,
            code: VerificationCode | None = None, note: str = "") -> ResidentVerification:
    """A new verification, or a revoked one reopened with its history kept in the note."""
    row = _existing(user, area)
    now = utcnow()
    if row is None:
        row = ResidentVerification(user_id=user.id, area_id=area.id, note=note or None)
        db.session.add(row)
    else:
        earlier = row.note or ""
        by = verified_by.display_name if verified_by else "code"
        reopened = f"Verified again {now.strftime('%-d %B %Y')} by {by}" + (f": {note}" if note else "")
        row.note = "\n".join(part for part in (earlier, reopened) if part)
        row.revoked_at = None
        row.revoked_by_id = None
    row.method = method
    row.verified_by_id = verified_by.id if verified_by else None
    row.code_id = code.id if code else None
    row.created_at = now
    return row


def verify_resident(area: Area, staff: User, identifier: str, note: str = "") -> ResidentVerification:
    """Staff verify a person, named by email or handle, as a resident of ``area``."""
    check_runs_budgets(staff, "verify residents")
    user = find_person(identifier)
    note = normalise_space(note)
    if len(note) > NOTE_MAX:
        raise ValidationFailed(f"Keep the note to {NOTE_MAX:,} characters or fewer", field="note")
    existing = _existing(user, area)
    if existing is not None and existing.revoked_at is None:
        raise ValidationFailed(f"{user.display_name} is already verified as a resident of {area.name}",
                               field="person")
    row = _record(user, area, VerificationMethod.STAFF, verified_by=staff, note=note)
    audit.record(staff, Action.VERIFY_RESIDENT, item_type="area", item_id=area.id, subject_id=user.id,
                 reason=note, summary=f"Resident of {area.name}")
    db.session.flush()
    return row


def redeem_code(user: User, text: str) -> ResidentVerification:
    """A resident enters a code: a valid unused one verifies them for its area and is used up.

    The code is marked used by a conditional UPDATE (only while unused), so two people entering the same code
    at once cannot both succeed.
    """
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Sign in to enter a verification code")
    code_text = normalise_code(text)
    if not code_text:
        raise ValidationFailed("Enter the verification code you were sent", field="code")
    if len(code_text) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code_text):
        raise ValidationFailed(INVALID_CODE, field="code")
    code = db.session.scalar(select(VerificationCode).where(VerificationCode.code_hash == hash_code(code_text))
                             .options(joinedload(VerificationCode.area)))
    if code is None or code.used_at is not None:
        raise ValidationFailed(INVALID_CODE, field="code")
    existing = _existing(user, code.area)
    if existing is not None and existing.revoked_at is None:
        raise ValidationFailed(f"You are already verified as a resident of {code.area.name}. The code was not "
                               "used, so someone else can use it", field="code")
    if existing is not None:
        raise ValidationFailed(f"Your verification for {code.area.name} was withdrawn by the council, so a code "
                               "cannot renew it. Contact the council to be verified again. The code was not used",
                               field="code")
    now = utcnow()
    taken = db.session.execute(
        update(VerificationCode).where(VerificationCode.id == code.id, VerificationCode.used_at.is_(None))
        .values(used_at=now, used_by_id=user.id).execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # someone else used it a moment ago; the edge drops this request's changes
        raise ValidationFailed(INVALID_CODE, field="code")
    row = _record(user, code.area, VerificationMethod.CODE, code=code)
    db.session.flush()
    return row


def revoke(verification: ResidentVerification, staff: User, reason: str) -> ResidentVerification:
    """Withdraw a verification, with a reason; the row stays, marked revoked, for the record."""
    check_runs_budgets(staff, "verify residents")
    reason = normalise_space(reason)
    if not reason:
        raise ValidationFailed("Explain why the verification is revoked", field="reason")
    if len(reason) > NOTE_MAX:
        raise ValidationFailed(f"Keep the reason to {NOTE_MAX:,} characters or fewer", field="reason")
    if verification.revoked_at is not None:
        raise ValidationFailed("This verification was already revoked", field="reason")
    verification.revoked_at = utcnow()
    verification.revoked_by_id = staff.id
    db.session.flush()
    db.session.refresh(verification, ["revoked_by", "verified_by"])
    line = _history_line(verification, reason)
    verification.note = "\n".join(part for part in (verification.note or "", line) if part)
    audit.record(staff, Action.REVOKE_VERIFICATION, item_type="area", item_id=verification.area_id,
                 subject_id=verification.user_id, reason=reason)
    return verification


# Reading


@dataclass
class AreaSummary:
    """An area with its verified residents (not revoked) and its codes, made and used."""

    area: Area
    verified: int
    codes: int
    codes_used: int


def area_summaries() -> list[AreaSummary]:
    """Every area with its counts, parents before children by name (three queries whatever the numbers)."""
    areas = list(db.session.scalars(select(Area).options(joinedload(Area.parent)).order_by(Area.name)))
    verified = dict(db.session.execute(
        select(ResidentVerification.area_id, func.count()).where(ResidentVerification.revoked_at.is_(None))
        .group_by(ResidentVerification.area_id)).all())
    codes = {aid: (made, used) for aid, made, used in db.session.execute(
        select(VerificationCode.area_id, func.count(), func.count(VerificationCode.used_at))
        .group_by(VerificationCode.area_id)).all()}
    return [AreaSummary(a, verified.get(a.id, 0), *codes.get(a.id, (0, 0))) for a in areas]


def area_by_slug(slug: str) -> Area | None:
    return db.session.scalar(select(Area).where(Area.slug == slug).options(joinedload(Area.parent)))


def verifications_page(area: Area, number: int, per_page: int) -> Page:
    """The area's verifications, current ones first then revoked, newest first, with the people involved."""
    total = db.session.scalar(select(func.count()).select_from(ResidentVerification)
                              .where(ResidentVerification.area_id == area.id)) or 0
    page = Page(items=[], number=number, per_page=per_page, total=total)
    if number > page.pages:
        raise NotFound("There is no such page.")
    query = (
        select(ResidentVerification).where(ResidentVerification.area_id == area.id)
        .options(joinedload(ResidentVerification.user), joinedload(ResidentVerification.verified_by),
                 joinedload(ResidentVerification.revoked_by))
        .order_by(ResidentVerification.revoked_at.is_not(None), ResidentVerification.created_at.desc(),
                  ResidentVerification.id.desc())
        .limit(per_page).offset((number - 1) * per_page)
    )
    page.items = list(db.session.scalars(query))
    return page


def verification_in_area(area: Area, verification_id: int) -> ResidentVerification | None:
    return db.session.scalar(
        select(ResidentVerification)
        .where(ResidentVerification.id == verification_id, ResidentVerification.area_id == area.id)
        .options(joinedload(ResidentVerification.user), joinedload(ResidentVerification.verified_by))
    )


def verifications_of(user: User) -> list[ResidentVerification]:
    """A person's own verifications (current and revoked), for the page where they enter a code."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(
        select(ResidentVerification).where(ResidentVerification.user_id == user.id)
        .options(joinedload(ResidentVerification.area)).order_by(ResidentVerification.created_at.desc())
    ))
