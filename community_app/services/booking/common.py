"""What every booking module shares: statuses and links, loading and locking a booking, the
resident's address, per-period limits, timeline events, notifications, releasing a place, the
audit helper, and the rules of what staff may do with a booking now (``booking_actions``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from community_app.db import is_sqlite
from community_app.models import (
    ACTIVE_STATUSES,
    Booking,
    BookingEvent,
    BookingStatus,
    Community,
    Compound,
    Household,
    Resident,
    ServiceKind,
    ServiceSlot,
    ServiceType,
    utcnow,
)
from community_app.services import audit
from community_app.services.access import Actor
from community_app.services.core import text as core_text
from community_app.services.core import timeline
from community_app.services.core.clock import (
    day_bounds_utc,
    local_today,
    period_bounds,
)
from community_app.services.core.tx import lock
from community_app.services.errors import Conflict, NotFound
from community_app.services.notifications import notify_t
from community_app.settings import get_settings

HOLDING_ACTIVE = (BookingStatus.APPROVED, BookingStatus.ASSIGNED)
# Bookings that count towards a type's limit (a no-show used the turn too).
COUNTED = (BookingStatus.SUBMITTED, BookingStatus.APPROVED, BookingStatus.ASSIGNED,
           BookingStatus.DONE, BookingStatus.NO_SHOW)

BOOKING_LINK = "/bookings/{id}"
STAFF_BOOKING_LINK = "/staff/bookings?open={id}"
SERVICE_LINK = "/services/{id}"

MAX_TIME_WINDOWS = 5


def photo_dir(booking_id: int) -> Path:
    """Where a booking's photos are kept."""
    return Path(get_settings().upload_dir) / "bookings" / str(int(booking_id))

MAX_BULK = 200
VISIT_MINUTES = 60  # assumed length of a home visit (calendar export)


# --------------------------------------------------------------------------- small helpers


def clean_text(raw, *, field: str, max_len: int, required_key: str | None = None) -> str:
    return core_text.clean_text(raw, field=field, max_len=max_len, required_key=required_key,
                                long_key="booking.error.text_long")


def get_booking(session: Session, booking_id: int) -> Booking:
    booking = session.get(Booking, booking_id) if isinstance(booking_id, int) and booking_id else None
    if booking is None:
        raise NotFound("booking.error.not_found")
    return booking


def get_type(session: Session, service_type_id: int | None) -> ServiceType:
    stype = session.get(ServiceType, service_type_id) if service_type_id else None
    if stype is None:
        raise NotFound("catalogue.error.type_not_found")
    return stype


def lock_booking(session: Session, booking_id: int) -> Booking:
    return session.exec(lock(session, select(Booking).where(Booking.id == booking_id))).one()


def lock_resident(session: Session, resident_id: int) -> None:
    """Serialise one resident's bookings (PostgreSQL: FOR NO KEY UPDATE on their row; SQLite
    has one writer at a time already)."""
    if not is_sqlite(session):
        session.exec(lock(session, select(Resident.id).where(Resident.id == resident_id))).one()


def take_place(session: Session, slot_id: int) -> bool:
    """The only way a place is taken: a conditional UPDATE, true when it got one."""
    result = session.execute(
        update(ServiceSlot)
        .where(ServiceSlot.id == slot_id, ServiceSlot.taken < ServiceSlot.capacity)
        .values(taken=ServiceSlot.taken + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def give_back_place(session: Session, slot_id: int) -> None:
    result = session.execute(
        update(ServiceSlot)
        .where(ServiceSlot.id == slot_id, ServiceSlot.taken > 0)
        .values(taken=ServiceSlot.taken - 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # pragma: no cover - would mean the counter drifted
        raise RuntimeError(f"slot {slot_id}: taken out of step with its bookings")


def is_one_place_violation(error: IntegrityError) -> bool:
    text = str(error.orig)
    return "one_place_per_resident_per_slot" in text or "booking.holding_slot_id, booking.resident_id" in text


def holds_place(session: Session, slot_id: int, resident_id: int) -> bool:
    return session.exec(select(Booking.id).where(
        Booking.holding_slot_id == slot_id, Booking.resident_id == resident_id)).first() is not None


def household_address(session: Session, resident: Resident) -> str:
    """The resident's address as staff and volunteers write it: 邮电园小区 3号楼1单元201室."""
    if resident.household_id is None:
        return ""
    row = session.exec(
        select(Household, Compound.name)
        .join(Compound, Compound.id == Household.compound_id, isouter=True)
        .where(Household.id == resident.household_id)
    ).first()
    if row is None:
        return ""
    household, compound_name = row
    return format_address(household, compound_name)


def format_address(household: Household, compound_name: str | None) -> str:
    return address_text(household.building, household.unit, household.room, compound_name)


def address_text(building: str, unit: str, room: str, compound_name: str | None) -> str:
    unit_text = f"{unit}单元" if unit else ""
    return f"{compound_name or ''} {building}号楼{unit_text}{room}室".strip()


def contact_phone(session: Session, stype: ServiceType) -> str:
    if stype.contact_phone:
        return stype.contact_phone
    community = session.get(Community, stype.community_id)
    return community.hotline if community else ""


_LIMIT_BASE = select(func.count(Booking.id)).where(
    Booking.resident_id == bindparam("resident_id"),
    Booking.service_type_id == bindparam("type_id"),
    Booking.status.in_(COUNTED),
)
# Built once (a statement's cache key is computed once per object): the count runs in the
# booking's write transaction.
_LIMIT_USED = {
    True: _LIMIT_BASE.join(ServiceSlot, ServiceSlot.id == Booking.slot_id).where(  # a slot type: by slot
        ServiceSlot.starts_at >= bindparam("start"), ServiceSlot.starts_at < bindparam("end")),
    False: _LIMIT_BASE.where(Booking.created_at >= bindparam("start"), Booking.created_at < bindparam("end")),
}


def limit_used(session: Session, stype: ServiceType, resident_id: int, ref_day: date, zone: ZoneInfo) -> int:
    """How many of the type's bookings count against the resident's limit in the period of
    ``ref_day``. Slot bookings count in the period of their slot, requests in the period
    they were made."""
    first, last = period_bounds(stype.limit_period, ref_day)
    start, end = day_bounds_utc(first, last, zone)
    stmt = _LIMIT_USED[stype.kind == ServiceKind.SLOT]
    return int(session.execute(stmt, {"resident_id": resident_id, "type_id": stype.id, "start": start,
                                      "end": end}).scalar_one())


def limit_reached(session: Session, stype: ServiceType, resident_id: int, ref_day: date, zone: ZoneInfo) -> bool:
    """True when the resident already used the type's limit in the period of ``ref_day``."""
    if not stype.limit_count or not stype.limit_period:
        return False
    return limit_used(session, stype, resident_id, ref_day, zone) >= stype.limit_count


def check_limit(session: Session, stype: ServiceType, resident_id: int, ref_day: date, zone: ZoneInfo) -> None:
    if limit_reached(session, stype, resident_id, ref_day, zone):
        raise Conflict(f"booking.error.limit_{stype.limit_period}", n=stype.limit_count)


def add_event(
    session: Session,
    booking: Booking,
    status: str,
    actor: Actor | None,
    *,
    note: str = "",
    note_key: str = "",
    assignee_name: str = "",
    scheduled_at: datetime | None = None,
) -> BookingEvent:
    """Append one timeline entry (in the caller's transaction). ``note_key``: a standard note
    (``booking.note.on_behalf`` / ``walk_in`` / ``waitlist``), shown in the reader's language."""
    return timeline.record(session, BookingEvent, actor=actor, status=status, note=note, note_key=note_key,
                           booking_id=booking.id, assignee_name=(assignee_name or "")[:64],
                           scheduled_at=scheduled_at)


def notify_resident(session: Session, resident_id: int, title_key: str, body_key: str, *, kind: str,
                    link: str = "", when: datetime | None = None, zone: ZoneInfo | None = None,
                    dedupe_key: str | None = None, actor: Actor | None = None, **params):
    """Tell a resident (nothing if they have no account); ``actor``: who is acting, so a resident
    acting for themself is told without looking their account up."""
    own = actor if actor is not None and actor.resident_id == resident_id else None
    return notify_t(session, resident_id=resident_id, kind=kind, title_key=title_key, body_key=body_key,
                    link=link, when=when, zone=zone, dedupe_key=dedupe_key, signed_in=own, **params)


def notify_booking(session: Session, booking: Booking, stype: ServiceType, title_key: str, body_key: str, *,
                   kind: str, zone: ZoneInfo, actor: Actor | None = None, **params):
    """Tell the booking's resident about a change (nothing if they have no account)."""
    params.setdefault("service", stype.named)
    params.setdefault("reason", booking.decline_reason)
    params.setdefault("assignee", booking.assignee_name)
    params.setdefault("location", stype.location)
    return notify_resident(session, booking.resident_id, title_key, body_key, kind=kind,
                           link=BOOKING_LINK.format(id=booking.id), when=booking.scheduled_at, zone=zone,
                           actor=actor, **params)


def release_and_cancel(session: Session, actor: Actor | None, booking: Booking, *, note: str = "",
                       decrement: bool = True) -> None:
    """Cancel a booking and give its place back (the caller holds the locks)."""
    held = booking.holding_slot_id
    booking.status = BookingStatus.CANCELLED
    booking.holding_slot_id = None
    booking.updated_at = utcnow()
    session.add(booking)
    session.flush()
    if held is not None and decrement:
        give_back_place(session, held)
    add_event(session, booking, BookingStatus.CANCELLED, actor, note=note)


def audit_booking(session: Session, actor: Actor, action: str, booking: Booking, **detail) -> None:
    audit.record(session, actor, action, target_type="booking", target_id=booking.id,
                 community_id=booking.community_id, **detail)


# --------------------------------------------------------------------------- what may be done now


@dataclass(frozen=True)
class BookingActions:
    """What staff may do with a booking now (the queue's and day sheet's buttons). The
    actions themselves check the same rules (``allowed``)."""

    can_approve: bool = False  # a request waiting for approval
    can_decline: bool = False  # a request not yet assigned
    can_assign: bool = False  # a request (派单)
    can_done: bool = False  # done / attended: from the day of the visit or slot on
    can_no_show: bool = False  # 爽约: only once the time has come
    can_cancel: bool = False  # any active booking


def booking_actions(booking: Booking, kind: str, zone: ZoneInfo, now: datetime | None = None) -> BookingActions:
    """The rules behind the staff buttons, in one place."""
    now = now or utcnow()
    status = booking.status
    request = kind == ServiceKind.REQUEST
    holding = status in HOLDING_ACTIVE
    scheduled = booking.scheduled_at
    day_came = scheduled is None or scheduled.astimezone(zone).date() <= local_today(zone, now)
    return BookingActions(
        can_approve=status == BookingStatus.SUBMITTED,
        can_decline=request and status in (BookingStatus.SUBMITTED, BookingStatus.APPROVED),
        can_assign=request and status in ACTIVE_STATUSES,
        # A slot booking is attended from its day on; a request is done once its visit day has come
        # (or when it was never given a time, e.g. fixed over the phone).
        can_done=holding and (day_came if request else scheduled is not None and day_came),
        can_no_show=holding and scheduled is not None and scheduled <= now,
        can_cancel=status in ACTIVE_STATUSES,
    )

