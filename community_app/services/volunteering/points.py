"""The points ledger (积分账本): a ledger that cannot lie.

- Entries are append-only (``PointsEntry``): earned, redeemed, refunded, adjusted, expired, each
  with the i18n key of its wording, its subject or the staff's words, and a unique ``source``
  naming the deed ("signup:12", "redeem:5", "refund:5", "class:3:teacher" ...). Booking the same
  source twice books it once: ``award`` is idempotent, however often and from however many
  processes it runs.
- The balance lives in one row per resident (``PointsBalance``) with ``CHECK (balance >= 0)``,
  changed only in the same transaction as the entry by a conditional UPDATE::

      UPDATE pointsbalance SET balance = balance + :d WHERE resident_id = :r AND balance + :d >= 0

  A debit that would overdraw changes no row and is refused, so two redemptions racing for the
  same points can never both pass, on SQLite (one writer) or PostgreSQL (the row lock makes the
  second UPDATE re-check the new balance). The balance therefore always equals the sum of the
  entries (``check``), and each entry keeps the balance after it (``balance_after``) for the
  passbook.

``award`` / ``debit`` / ``refund`` run in the caller's transaction and do not commit: the
caller (a service that checked who may do this) commits the deed and its points together.
``adjust`` and ``expire`` are staff actions: checked, audited, committed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from community_app.i18n import t
from community_app.models import PointsBalance, PointsEntry, PointsKind, Resident, utcnow
from community_app.services import audit
from community_app.services.access import Actor, require_staff
from community_app.services.core.paging import Page, paginate
from community_app.services.core.text import clean_int, clean_text
from community_app.services.core.tx import lock, mutating
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from community_app.services.volunteering.common import get_resident

__all__ = [
    "MAX_ADJUST", "EntryView", "adjust", "award", "balance_of", "check", "debit", "ensure_balance_row", "expire",
    "entries_between", "history", "lock_balance", "my_balance", "refund",
]

MAX_ADJUST = 100_000
MAX_AWARD = 10_000
SOURCE_MAX = 64


@dataclass(frozen=True)
class EntryView:
    id: int
    at: datetime  # UTC
    delta: int
    kind: str
    reason_key: str
    reason: str
    balance_after: int
    source: str

    def text(self, locale: str = "zh_CN") -> str:
        """The line as the reader reads it: 志愿服务：每月26日义剪."""
        return t(self.reason_key, locale, reason=self.reason)


def _view(e: PointsEntry) -> EntryView:
    return EntryView(e.id, e.created_at, e.delta, e.kind, e.reason_key, e.reason, e.balance_after, e.source)


# --------------------------------------------------------------------------- booking an entry


def ensure_balance_row(session: Session, resident_id: int, community_id: int) -> None:
    """Create the resident's balance row at 0 if missing (safe under concurrency)."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(insert(PointsBalance).values(resident_id=resident_id, community_id=community_id, balance=0,
                                                 earned=0, updated_at=utcnow())
                    .on_conflict_do_nothing(index_elements=["resident_id"]))


def lock_balance(session: Session, resident_id: int, community_id: int) -> int:
    """Lock the resident's balance row (PostgreSQL: FOR NO KEY UPDATE; SQLite holds the write
    lock) and return the balance: serialises one resident's redemptions so per-person limits
    hold. Lock order everywhere: balance row, then goods or shifts."""
    ensure_balance_row(session, resident_id, community_id)
    return session.exec(lock(session, select(PointsBalance.balance)
                             .where(PointsBalance.resident_id == resident_id))).one()


def _clean_source(source) -> str:
    if not isinstance(source, str) or not source.strip() or len(source) > SOURCE_MAX:
        raise ValueError(f"points: a source of 1-{SOURCE_MAX} characters is required, got {source!r}")
    return source.strip()


def _post(session: Session, *, resident_id: int, delta: int, kind: PointsKind, reason_key: str, reason: str,
          source: str, actor: Actor | None) -> PointsEntry:
    """Book one entry and move the balance with it, in the caller's transaction. Returns the
    entry already booked for ``source`` when there is one (idempotent)."""
    source = _clean_source(source)
    existing = session.exec(select(PointsEntry).where(PointsEntry.source == source)).first()
    if existing is not None:
        return _same_deed(existing, resident_id, delta)
    resident = get_resident(session, resident_id)
    ensure_balance_row(session, resident.id, resident.community_id)
    earned = delta if kind == PointsKind.EARNED else 0
    try:
        with session.begin_nested():  # the balance move and the entry stand or fall together
            new_balance = session.execute(
                update(PointsBalance)
                .where(PointsBalance.resident_id == resident.id, PointsBalance.balance + delta >= 0)
                .values(balance=PointsBalance.balance + delta, earned=PointsBalance.earned + earned,
                        updated_at=utcnow())
                .returning(PointsBalance.balance)
                .execution_options(synchronize_session=False)
            ).scalar()
            if new_balance is None:
                raise Conflict("points.error.not_enough")
            entry = PointsEntry(community_id=resident.community_id, resident_id=resident.id, delta=delta, kind=kind,
                                reason_key=reason_key[:64], reason=(reason or "")[:200], source=source,
                                balance_after=int(new_balance),
                                actor_account_id=actor.account_id if actor else None)
            session.add(entry)
            session.flush()
    except IntegrityError:
        # Booked by a concurrent transaction meanwhile: that one counts, this one changed nothing.
        existing = session.exec(select(PointsEntry).where(PointsEntry.source == source)).first()
        if existing is None:
            raise
        return _same_deed(existing, resident_id, delta)
    return entry


def _same_deed(existing: PointsEntry, resident_id: int, delta: int) -> PointsEntry:
    if existing.resident_id != resident_id or existing.delta != delta:
        raise Conflict("points.error.source_used")
    return existing


def award(session: Session, *, resident_id: int, points: int, reason_key: str, source: str,
          actor: Actor | None, reason: str = "") -> PointsEntry:
    """Pay ``points`` (> 0) earned for a deed named by ``source``: once, however often called.
    For other domains (a class's teacher, attending volunteers): the caller has checked who may
    award and commits; the entry is worded by ``reason_key`` with ``{reason}``."""
    points = clean_int(points, field="points", lo=1, hi=MAX_AWARD, required=True)
    return _post(session, resident_id=resident_id, delta=points, kind=PointsKind.EARNED, reason_key=reason_key,
                 reason=reason, source=source, actor=actor)


def debit(session: Session, *, resident_id: int, points: int, reason_key: str, source: str,
          actor: Actor | None, reason: str = "") -> PointsEntry:
    """Spend ``points`` (a redemption); Conflict ``points.error.not_enough`` when the balance is
    short. In the caller's transaction."""
    points = clean_int(points, field="points", lo=1, hi=MAX_ADJUST, required=True)
    return _post(session, resident_id=resident_id, delta=-points, kind=PointsKind.REDEEMED, reason_key=reason_key,
                 reason=reason, source=source, actor=actor)


def refund(session: Session, *, resident_id: int, points: int, reason_key: str, source: str,
           actor: Actor | None, reason: str = "") -> PointsEntry:
    """Give points back by a reversing entry (a cancelled redemption). In the caller's transaction."""
    points = clean_int(points, field="points", lo=1, hi=MAX_ADJUST, required=True)
    return _post(session, resident_id=resident_id, delta=points, kind=PointsKind.REFUNDED, reason_key=reason_key,
                 reason=reason, source=source, actor=actor)


def _staff_resident(session: Session, actor: Actor, resident_id) -> Resident:
    resident = get_resident(session, resident_id if isinstance(resident_id, int) else 0)
    require_staff(actor, resident.community_id)
    return resident


def _new_source(prefix: str) -> str:
    """A fresh source for a staff action (each adjustment is its own deed)."""
    return f"{prefix}:{secrets.token_hex(8)}"


@mutating
def adjust(session: Session, actor: Actor, *, resident_id: int, delta, reason) -> PointsEntry:
    """人工调整: staff of the resident's community add (+) or take away (-) points with a reason.
    Cannot overdraw. Audited. Commits."""
    resident = _staff_resident(session, actor, resident_id)
    delta = clean_int(delta, field="delta", key="points.error.delta_invalid", lo=-MAX_ADJUST, hi=MAX_ADJUST,
                      required=True)
    if delta == 0:
        raise ValidationError("points.error.delta_invalid", field="delta")
    reason = clean_text(reason, field="reason", max_len=200, required_key="points.error.reason_required")
    lock_balance(session, resident.id, resident.community_id)
    entry = _post(session, resident_id=resident.id, delta=delta, kind=PointsKind.ADJUSTED,
                  reason_key="points.reason.adjust", reason=reason, source=_new_source("adjust"), actor=actor)
    audit.record(session, actor, "points.adjust", target_type="resident", target_id=resident.id,
                 community_id=resident.community_id, delta=delta, reason=reason, entry_id=entry.id)
    session.commit()
    return entry


@mutating
def expire(session: Session, actor: Actor, *, resident_id: int, points, reason) -> PointsEntry:
    """积分清零 / 过期: staff write off ``points`` (e.g. a volunteer moved away), with a reason.
    Audited. Commits."""
    resident = _staff_resident(session, actor, resident_id)
    points = clean_int(points, field="points", key="points.error.delta_invalid", lo=1, hi=MAX_ADJUST, required=True)
    reason = clean_text(reason, field="reason", max_len=200, required_key="points.error.reason_required")
    lock_balance(session, resident.id, resident.community_id)
    entry = _post(session, resident_id=resident.id, delta=-points, kind=PointsKind.EXPIRED,
                  reason_key="points.reason.expire", reason=reason, source=_new_source("expire"), actor=actor)
    audit.record(session, actor, "points.expire", target_type="resident", target_id=resident.id,
                 community_id=resident.community_id, points=points, reason=reason, entry_id=entry.id)
    session.commit()
    return entry


# --------------------------------------------------------------------------- reading


def balance_of(session: Session, resident_id: int) -> int:
    """The balance (0 when the resident has no entries yet). No permission check: for services."""
    value = session.exec(select(PointsBalance.balance).where(PointsBalance.resident_id == resident_id)).first()
    return int(value or 0)


def _reader(session: Session, actor: Actor | None, resident_id: int | None) -> int:
    """Whose points the actor may read: their own, or (staff) a resident of their community."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    if resident_id is None or resident_id == actor.resident_id:
        if actor.resident_id is None:
            raise NotAllowed("error.resident_only")
        return actor.resident_id
    resident = session.get(Resident, resident_id) if isinstance(resident_id, int) else None
    if resident is None:
        raise NotFound("volunteer.error.resident_not_found")
    require_staff(actor, resident.community_id)
    return resident.id


def my_balance(session: Session, actor: Actor, *, resident_id: int | None = None) -> int:
    return balance_of(session, _reader(session, actor, resident_id))


def history(session: Session, actor: Actor, *, resident_id: int | None = None, page: int = 1,
            page_size: int = 20) -> Page[EntryView]:
    """The reader's entries, newest first, one page at a time (served by the (resident, time)
    index however long the history is)."""
    rid = _reader(session, actor, resident_id)
    stmt = (select(PointsEntry).where(PointsEntry.resident_id == rid)
            .order_by(PointsEntry.created_at.desc(), PointsEntry.id.desc()))
    count = select(func.count(PointsEntry.id)).where(PointsEntry.resident_id == rid)
    rows, total, page, size = paginate(session, stmt, page=page, page_size=page_size, count_stmt=count)
    return Page([_view(e) for e in rows], total, page, size)


def entries_between(session: Session, resident_id: int, start: datetime | None, end: datetime | None
                    ) -> list[EntryView]:
    """Entries of one resident in [start, end), oldest first (the passbook). For services."""
    stmt = select(PointsEntry).where(PointsEntry.resident_id == resident_id)
    if start is not None:
        stmt = stmt.where(PointsEntry.created_at >= start)
    if end is not None:
        stmt = stmt.where(PointsEntry.created_at < end)
    return [_view(e) for e in session.exec(stmt.order_by(PointsEntry.created_at, PointsEntry.id)).all()]


def check(session: Session, resident_id: int) -> tuple[int, int]:
    """(balance row, sum of entries): equal in a ledger that does not lie."""
    total = session.exec(select(func.coalesce(func.sum(PointsEntry.delta), 0))
                         .where(PointsEntry.resident_id == resident_id)).one()
    return balance_of(session, resident_id), int(total)
