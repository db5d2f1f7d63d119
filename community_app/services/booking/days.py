"""Staff cancel or move one service day: its bookings are cancelled or follow, and everyone
booked or waiting is told."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from community_app.models import (
    Booking,
    ServiceDay,
    ServiceSlot,
    ServiceType,
    WaitlistEntry,
    utcnow,
)
from community_app.services import audit
from community_app.services.access import Actor, require_staff
from community_app.services.booking.common import (
    HOLDING_ACTIVE,
    SERVICE_LINK,
    add_event,
    get_type,
    notify_booking,
    notify_resident,
    release_and_cancel,
)
from community_app.services.catalogue import (
    DAY_CANCELLED,
    DAY_OPEN,
)
from community_app.services.core.clock import (
    community_zone,
    local_to_utc,
    local_today,
)
from community_app.services.core.text import clean_text
from community_app.services.core.tx import lock, mutating
from community_app.services.errors import Conflict, NotFound, ValidationError


def load_day_for_change(session: Session, actor: Actor, day_id: int) -> tuple[ServiceDay, ServiceType, list[ServiceSlot]]:
    day = session.get(ServiceDay, day_id) if day_id else None
    if day is None:
        raise NotFound("catalogue.error.day_not_found")
    stype = get_type(session, day.service_type_id)
    require_staff(actor, stype.community_id)
    # Lock order everywhere: day -> slots (by id) -> bookings -> waitlist -> resident.
    day = session.exec(lock(session, select(ServiceDay).where(ServiceDay.id == day.id))).one()
    if day.status != DAY_OPEN:
        raise Conflict("catalogue.error.day_not_open")
    slots = list(session.exec(lock(session, select(ServiceSlot).where(
        ServiceSlot.service_day_id == day.id).order_by(ServiceSlot.id))).all())
    return day, stype, slots


def _held_by_others(session: Session, slots: list[ServiceSlot]) -> bool:
    """Whether a slot of the day has places taken by something other than bookings (a class
    session or a mediation session holding the room): moving the day would move the room from
    under them, so staff move or cancel those first."""
    for s in slots:
        held = session.exec(select(func.count(Booking.id)).where(Booking.holding_slot_id == s.id)).one()
        if s.taken > int(held):
            return True
    return False


@mutating
def cancel_day(session: Session, actor: Actor, *, day_id: int, reason: str) -> int:
    """Staff cancel one service day: every booking on it is cancelled, the waitlist closed,
    and everyone booked or waiting is notified with the reason. Returns the number of
    bookings cancelled. Audited. Commits."""
    reason = clean_text(reason, field="reason", max_len=200, required_key="catalogue.error.reason_required",
                        long_key="catalogue.error.too_long")
    day, stype, slots = load_day_for_change(session, actor, day_id)
    slot_ids = [s.id for s in slots]
    cancelled = 0
    if slot_ids:
        bookings = session.exec(lock(session, select(Booking).where(
            Booking.holding_slot_id.in_(slot_ids)).order_by(Booking.id))).all()
        zone = community_zone(session, stype.community_id)
        for b in bookings:
            if b.status not in HOLDING_ACTIVE:
                continue
            release_and_cancel(session, actor, b, note=reason)
            notify_booking(
                session, b, stype, "notify.day_cancelled.title", "notify.day_cancelled.body",
                kind="booking.cancelled", zone=zone, reason=reason,
            )
            cancelled += 1
        entries = session.exec(lock(session, select(WaitlistEntry).where(
            WaitlistEntry.waiting_slot_id.in_(slot_ids)).order_by(WaitlistEntry.id))).all()
        for e in entries:
            e.status = "cancelled"
            e.waiting_slot_id = None
            session.add(e)
            notify_resident(
                session, e.resident_id, "notify.day_cancelled.title", "notify.waitlist_day_cancelled.body",
                kind="waitlist.cancelled", link=SERVICE_LINK.format(id=stype.id),
                service=stype.named, day=day.day.isoformat(), reason=reason,
            )
        session.flush()
        # Each cancelled booking gave its place back; places held by other domains (a class or a
        # mediation session reserving a room) stay held: those domains show the day as closed.
    day.status = DAY_CANCELLED
    day.note = reason
    session.add(day)
    audit.record(session, actor, "service_day.cancel", target_type="serviceday", target_id=day.id,
                 community_id=stype.community_id, day=day.day, reason=reason, bookings_cancelled=cancelled)
    session.commit()
    return cancelled


@mutating
def move_day(session: Session, actor: Actor, *, day_id: int, new_day: date, reason: str = "") -> ServiceDay:
    """Staff move one service day to another date, keeping each slot's local time; bookings
    follow (their timeline shows "rescheduled") and everyone booked or waiting is notified.
    Audited. Commits."""
    if not isinstance(new_day, date) or isinstance(new_day, datetime):
        raise ValidationError("catalogue.error.date_invalid", field="new_day")
    reason = clean_text(reason, field="reason", max_len=200, long_key="catalogue.error.too_long")
    day, stype, slots = load_day_for_change(session, actor, day_id)
    zone = community_zone(session, stype.community_id)
    if new_day < local_today(zone):
        raise ValidationError("catalogue.error.move_past", field="new_day")
    if new_day == day.day:
        raise ValidationError("catalogue.error.move_same", field="new_day")
    if _held_by_others(session, slots):
        raise Conflict("booking.error.day_has_room_holds", field="new_day")
    old_day = day.day
    for s in slots:
        s.starts_at = local_to_utc(new_day, s.starts_at.astimezone(zone).time(), zone)
        s.ends_at = local_to_utc(new_day, s.ends_at.astimezone(zone).time(), zone)
        session.add(s)
    day.day = new_day
    if reason:
        day.note = reason
    session.add(day)
    session.flush()
    slot_by_id = {s.id: s for s in slots}
    if slots:
        bookings = session.exec(lock(session, select(Booking).where(
            Booking.holding_slot_id.in_(list(slot_by_id))).order_by(Booking.id))).all()
        for b in bookings:
            if b.status not in HOLDING_ACTIVE:
                continue
            b.scheduled_at = slot_by_id[b.slot_id].starts_at
            b.updated_at = utcnow()
            session.add(b)
            add_event(session, b, "rescheduled", actor, note=reason, scheduled_at=b.scheduled_at)
            notify_booking(
                session, b, stype, "notify.day_moved.title", "notify.day_moved.body",
                kind="booking.rescheduled", zone=zone, old_day=old_day.isoformat(), reason=reason,
            )
        entries = session.exec(select(WaitlistEntry).where(
            WaitlistEntry.waiting_slot_id.in_(list(slot_by_id)))).all()
        for e in entries:
            notify_resident(
                session, e.resident_id, "notify.day_moved.title", "notify.waitlist_day_moved.body",
                kind="waitlist.rescheduled", link=SERVICE_LINK.format(id=stype.id),
                service=stype.named, old_day=old_day.isoformat(), day=new_day.isoformat(), reason=reason,
            )
    audit.record(session, actor, "service_day.move", target_type="serviceday", target_id=day.id,
                 community_id=stype.community_id, old_day=old_day, new_day=new_day, reason=reason)
    session.commit()
    return day


