"""In-app notifications (消息中心): one row per message to an account, unread until read.

Status changes add a notification in the same transaction as the change. Reminders for the
next day come from ``send_reminders`` (a CLI command runs it); ``Notification.dedupe_key``
makes a reminder, like any keyed notification, go out once however often it runs.
Residents without an account (staff act for them) get nothing, silently.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from community_app.i18n import t
from community_app.models import (
    Account,
    Booking,
    BookingStatus,
    Community,
    Notification,
    ServiceDay,
    ServiceSlot,
    ServiceType,
    utcnow,
)
from community_app.services.access import Actor
from community_app.services.catalogue import _begin_write, community_zone, day_bounds_utc, local_today
from community_app.services.errors import NotFound

_TITLE_MAX = 120
_BODY_MAX = 1000


def format_when(at: datetime, zone: ZoneInfo, locale: str = "zh_CN") -> str:
    """A time as residents read it, in the community's zone: 11月26日 09:15 / 2026-11-26 09:15."""
    local = at.astimezone(zone)
    if locale == "zh_CN":
        return f"{local.month}月{local.day}日 {local:%H:%M}"
    return f"{local:%Y-%m-%d %H:%M}"


def _account_for(session: Session, account_id: int | None, resident_id: int | None) -> Account | None:
    if account_id is not None:
        account = session.get(Account, account_id)
    elif resident_id is not None:
        account = session.exec(select(Account).where(Account.resident_id == resident_id)).first()
    else:
        account = None
    if account is None or not account.is_active:
        return None
    return account


def _insert(session: Session, values: dict) -> Notification | None:
    if values.get("dedupe_key") is None:
        note = Notification(**values)
        session.add(note)
        session.flush()
        return note
    # Idempotent: a second insert with the same key does nothing (even from a concurrent run).
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    values = {"created_at": utcnow(), **values}
    stmt = insert(Notification).values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"])
    new_id = session.execute(stmt.returning(Notification.id)).scalar()
    return session.get(Notification, new_id) if new_id is not None else None


def notify(
    session: Session,
    *,
    account_id: int | None = None,
    resident_id: int | None = None,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    dedupe_key: str | None = None,
) -> Notification | None:
    """Add a notification (already-worded text) for an account, or for the account of a
    resident. Returns None when there is nobody to tell or the ``dedupe_key`` was used
    already. Part of the caller's transaction: does not commit."""
    account = _account_for(session, account_id, resident_id)
    if account is None:
        return None
    return _insert(session, dict(
        account_id=account.id, kind=kind[:32], title=title[:_TITLE_MAX], body=body[:_BODY_MAX],
        link=link[:200], dedupe_key=dedupe_key[:120] if dedupe_key else None,
    ))


def notify_t(
    session: Session,
    *,
    account_id: int | None = None,
    resident_id: int | None = None,
    kind: str,
    title_key: str,
    body_key: str = "",
    link: str = "",
    dedupe_key: str | None = None,
    when: datetime | None = None,
    zone: ZoneInfo | None = None,
    **params,
) -> Notification | None:
    """Like ``notify`` but worded from i18n keys in the recipient's language; ``when``
    (UTC) is shown as ``{when}`` in the community's ``zone``. Does not commit."""
    account = _account_for(session, account_id, resident_id)
    if account is None:
        return None
    if when is not None:
        params["when"] = format_when(when, zone or ZoneInfo("Asia/Shanghai"), account.locale)
    title = t(title_key, account.locale, **params)
    body = t(body_key, account.locale, **params) if body_key else ""
    return notify(session, account_id=account.id, kind=kind, title=title, body=body, link=link,
                  dedupe_key=dedupe_key)


def list_notifications(
    session: Session, actor: Actor, *, unread_only: bool = False, limit: int = 50, offset: int = 0
) -> list[Notification]:
    """The actor's own notifications, newest first."""
    stmt = select(Notification).where(Notification.account_id == actor.account_id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    stmt = stmt.order_by(Notification.created_at.desc(), Notification.id.desc())
    return list(session.exec(stmt.offset(max(0, int(offset))).limit(max(1, min(int(limit), 200)))).all())


def unread_count(session: Session, actor: Actor) -> int:
    return int(session.exec(
        select(func.count(Notification.id)).where(
            Notification.account_id == actor.account_id, Notification.read_at.is_(None))
    ).one())


def mark_read(session: Session, actor: Actor, *, notification_id: int) -> Notification:
    """Mark one of the actor's own notifications read (idempotent). Someone else's
    notification is "not found". Commits."""
    _begin_write(session)
    note = session.get(Notification, notification_id) if isinstance(notification_id, int) else None
    if note is None or note.account_id != actor.account_id:
        session.rollback()
        raise NotFound("notify.error.not_found")
    if note.read_at is None:
        note.read_at = utcnow()
        session.add(note)
    session.commit()
    return note


def mark_all_read(session: Session, actor: Actor) -> int:
    """Mark every unread notification of the actor read; returns how many. Commits."""
    result = session.exec(
        update(Notification)
        .where(Notification.account_id == actor.account_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    session.commit()
    return int(result.rowcount or 0)


def send_reminders(session: Session, *, now: datetime | None = None) -> int:
    """Remind every resident whose confirmed booking (approved or assigned, with a time) is
    tomorrow in their community's local date. Idempotent: each booking is reminded once
    per date (a moved booking is reminded again for its new date). Returns the number of
    reminders created. Commits."""
    now = now or utcnow()
    sent = 0
    try:
        _begin_write(session)
        for community in session.exec(select(Community).order_by(Community.id)).all():
            zone = community_zone(session, community.id)
            tomorrow = local_today(zone, now) + timedelta(days=1)
            start, end = day_bounds_utc(tomorrow, tomorrow, zone)
            rows = session.exec(
                select(Booking, ServiceType, ServiceSlot)
                .join(ServiceType, ServiceType.id == Booking.service_type_id)
                .join(ServiceSlot, ServiceSlot.id == Booking.slot_id, isouter=True)
                .where(
                    Booking.community_id == community.id,
                    Booking.status.in_([BookingStatus.APPROVED, BookingStatus.ASSIGNED]),
                    Booking.scheduled_at >= start,
                    Booking.scheduled_at < end,
                )
                .order_by(Booking.id)
            ).all()
            for booking, stype, slot in rows:
                body_key = "notify.reminder.body_slot" if slot is not None else "notify.reminder.body_visit"
                location = stype.location
                if slot is not None:
                    day = session.get(ServiceDay, slot.service_day_id)
                    location = (day.location if day else "") or stype.location
                made = notify_t(
                    session, resident_id=booking.resident_id, kind="booking.reminder",
                    title_key="notify.reminder.title", body_key=body_key,
                    link=f"/bookings/{booking.id}",
                    dedupe_key=f"reminder:{booking.id}:{tomorrow.isoformat()}",
                    when=booking.scheduled_at, zone=zone, service=stype.name,
                    location=location or community.address or community.name,
                    assignee=booking.assignee_name, phone=stype.contact_phone or community.hotline,
                )
                sent += int(made is not None)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return sent
