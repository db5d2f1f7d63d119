"""In-app notifications (消息中心): one row per message to an account, unread until read.

Creating notifications is the core's job (``services/core/notify.py``, re-exported here); this
module lists them for their reader and marks them read, and holds the bookings' reminder source.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import Session, select

from community_app.models import (
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
from community_app.services.core.clock import format_when
from community_app.services.core.notify import notify, notify_t, recipient
from community_app.services.core.reminders import Reminder
from community_app.services.core.tx import begin_write
from community_app.services.errors import NotFound

__all__ = ["booking_reminders", "format_when", "list_notifications", "mark_all_read", "mark_read", "notify",
           "notify_t", "recipient", "send_reminders", "unread_count"]


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
    begin_write(session)
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


def booking_reminders(session: Session, community: Community, tomorrow, start, end, zone
                      ) -> Iterator[Reminder]:
    """Reminder source (``services/reminders.py``): residents whose confirmed booking (approved
    or assigned, with a time) is tomorrow; a moved booking is reminded again for its new date."""
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
        location = stype.location
        if slot is not None:
            day = session.get(ServiceDay, slot.service_day_id)
            location = (day.location if day else "") or stype.location
        yield Reminder(
            dedupe_key=f"reminder:{booking.id}:{tomorrow.isoformat()}", kind="booking.reminder",
            title_key="notify.reminder.title",
            body_key="notify.reminder.body_slot" if slot is not None else "notify.reminder.body_visit",
            when=booking.scheduled_at, link=f"/bookings/{booking.id}", resident_id=booking.resident_id,
            params=dict(service=stype.named, location=location or community.address or community.name,
                        assignee=booking.assignee_name, phone=stype.contact_phone or community.hotline),
        )


def send_reminders(session: Session, *, now: datetime | None = None) -> int:
    """Send tomorrow's reminders of every domain (``services/reminders.py``); idempotent."""
    from community_app.services.reminders import send_reminders as send_all

    return send_all(session, now=now)
