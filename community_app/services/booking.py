"""Bookings (预约 / 报修) from request to done: booking a slot, the waitlist (候补), requests
with photos, cancelling before the type's cutoff, staff approval, assignment, attendance,
walk-ins and booking on behalf of a resident (代办), ratings, and the views the pages show
(my bookings, a booking's timeline, the staff queue, a day sheet, resident look-up).

Capacity is enforced by the database, never by check-then-write:
- a place is taken only by ``UPDATE serviceslot SET taken = taken + 1 WHERE id = :id AND
  taken < capacity`` (rowcount 1 or the slot is full) and given back by the matching
  decrement, in the same transaction as the booking row;
- ``Booking.holding_slot_id`` (= slot_id while the booking holds a place, NULL after) with its
  unique constraint stops a resident from holding two places in one slot, and
  ``WaitlistEntry.waiting_slot_id`` does the same for the waitlist;
- on SQLite every write transaction starts with BEGIN IMMEDIATE (one writer at a time); on
  PostgreSQL rows read-then-written are locked with SELECT ... FOR (NO KEY) UPDATE, always in
  the order day -> slot -> booking -> waitlist entry -> resident, so no two transactions can
  wait for each other. The resident lock serialises one resident's bookings so per-type
  limits ("one haircut a month") hold even when they tap twice.

Every public function takes ``session`` and the ``actor`` and checks permissions itself.
Functions that change something commit (and roll back on any error, changing nothing).
"""

from __future__ import annotations

import io
import re
import secrets
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image, ImageCms, ImageOps
from sqlalchemy import and_, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from community_app.db import is_sqlite
from community_app.i18n import t
from community_app.models import (
    ACTIVE_STATUSES,
    Account,
    Booking,
    BookingEvent,
    BookingPhoto,
    BookingStatus,
    Community,
    Compound,
    Grid,
    Household,
    Resident,
    ResidentCare,
    Role,
    RoleGrant,
    ServiceDay,
    ServiceKind,
    ServiceSlot,
    ServiceType,
    Team,
    TeamMember,
    WaitlistEntry,
    utcnow,
)
from community_app.services import audit
from community_app.services.access import Actor, require_resident, require_staff
from community_app.services.catalogue import (
    DAY_OPEN,
    DayView,
    SlotView,
    _lock,
    _mutating,
    community_zone,
    day_bounds_utc,
    get_service_type,
    is_eligible,
    local_today,
    open_days,
    period_bounds,
    zone_named,
)
from community_app.services.core import timeline
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from community_app.services.notifications import notify_t
from community_app.settings import get_settings

# A booking in these statuses holds its place and can still be cancelled or moved.
HOLDING_ACTIVE = (BookingStatus.APPROVED, BookingStatus.ASSIGNED)
# Bookings that count towards a type's limit (a no-show used the turn too).
COUNTED = (BookingStatus.SUBMITTED, BookingStatus.APPROVED, BookingStatus.ASSIGNED,
           BookingStatus.DONE, BookingStatus.NO_SHOW)

BOOKING_LINK = "/bookings/{id}"
STAFF_BOOKING_LINK = "/staff/bookings?open={id}"
SERVICE_LINK = "/services/{id}"

PHOTO_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
# Pillow's format names per type (MPO: the JPEG some phones write for portrait shots).
PHOTO_FORMATS = {"image/jpeg": ("JPEG", "MPO"), "image/png": ("PNG",), "image/webp": ("WEBP",)}
MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTO_SIDE = 2560  # px, longest side kept (enough to see a leak or a broken part)
# Refused before decoding: a 5 MB PNG can claim any size (40 Mpx RGBA is 160 MB in memory).
# JPEGs are checked at the size the decoder scales them down to (a 48 Mpx phone photo passes).
MAX_PHOTO_PIXELS = 40_000_000
MAX_TIME_WINDOWS = 5
MAX_BULK = 200
VISIT_MINUTES = 60  # assumed length of a home visit (calendar export)


# --------------------------------------------------------------------------- small helpers


def _clean_text(raw, *, field: str, max_len: int, required_key: str | None = None) -> str:
    value = (raw or "").strip() if isinstance(raw, str) or raw is None else None
    if value is None:
        raise ValidationError("error.invalid", field=field)
    if required_key and not value:
        raise ValidationError(required_key, field=field)
    if len(value) > max_len:
        raise ValidationError("booking.error.text_long", field=field, n=max_len)
    return value


def _get_booking(session: Session, booking_id: int) -> Booking:
    booking = session.get(Booking, booking_id) if isinstance(booking_id, int) and booking_id else None
    if booking is None:
        raise NotFound("booking.error.not_found")
    return booking


def _get_type(session: Session, service_type_id: int | None) -> ServiceType:
    stype = session.get(ServiceType, service_type_id) if service_type_id else None
    if stype is None:
        raise NotFound("catalogue.error.type_not_found")
    return stype


def _lock_booking(session: Session, booking_id: int) -> Booking:
    return session.exec(_lock(session, select(Booking).where(Booking.id == booking_id))).one()


def _lock_resident(session: Session, resident_id: int) -> None:
    """Serialise one resident's bookings (PostgreSQL: FOR NO KEY UPDATE on their row; SQLite
    has one writer at a time already)."""
    if not is_sqlite(session):
        session.exec(_lock(session, select(Resident.id).where(Resident.id == resident_id))).one()


def _take_place(session: Session, slot_id: int) -> bool:
    """The only way a place is taken: a conditional UPDATE, true when it got one."""
    result = session.execute(
        update(ServiceSlot)
        .where(ServiceSlot.id == slot_id, ServiceSlot.taken < ServiceSlot.capacity)
        .values(taken=ServiceSlot.taken + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _give_back_place(session: Session, slot_id: int) -> None:
    result = session.execute(
        update(ServiceSlot)
        .where(ServiceSlot.id == slot_id, ServiceSlot.taken > 0)
        .values(taken=ServiceSlot.taken - 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # pragma: no cover - would mean the counter drifted
        raise RuntimeError(f"slot {slot_id}: taken out of step with its bookings")


def _is_one_place_violation(error: IntegrityError) -> bool:
    text = str(error.orig)
    return "one_place_per_resident_per_slot" in text or "booking.holding_slot_id, booking.resident_id" in text


def _holds_place(session: Session, slot_id: int, resident_id: int) -> bool:
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
    return _format_address(household, compound_name)


def _format_address(household: Household, compound_name: str | None) -> str:
    unit = f"{household.unit}单元" if household.unit else ""
    return f"{compound_name or ''} {household.building}号楼{unit}{household.room}室".strip()


def _contact_phone(session: Session, stype: ServiceType) -> str:
    if stype.contact_phone:
        return stype.contact_phone
    community = session.get(Community, stype.community_id)
    return community.hotline if community else ""


def _limit_used(session: Session, stype: ServiceType, resident_id: int, ref_day: date, zone: ZoneInfo) -> int:
    """How many of the type's bookings count against the resident's limit in the period of
    ``ref_day``. Slot bookings count in the period of their slot, requests in the period
    they were made."""
    first, last = period_bounds(stype.limit_period, ref_day)
    start, end = day_bounds_utc(first, last, zone)
    stmt = select(func.count(Booking.id)).where(
        Booking.resident_id == resident_id,
        Booking.service_type_id == stype.id,
        Booking.status.in_(COUNTED),
    )
    if stype.kind == ServiceKind.SLOT:  # a slot type only has slot bookings
        stmt = stmt.join(ServiceSlot, ServiceSlot.id == Booking.slot_id).where(
            ServiceSlot.starts_at >= start, ServiceSlot.starts_at < end)
    else:
        stmt = stmt.where(Booking.created_at >= start, Booking.created_at < end)
    return int(session.exec(stmt).one())


def _limit_reached(session: Session, stype: ServiceType, resident_id: int, ref_day: date, zone: ZoneInfo) -> bool:
    """True when the resident already used the type's limit in the period of ``ref_day``."""
    if not stype.limit_count or not stype.limit_period:
        return False
    return _limit_used(session, stype, resident_id, ref_day, zone) >= stype.limit_count


def _check_limit(session: Session, stype: ServiceType, resident_id: int, ref_day: date, zone: ZoneInfo) -> None:
    if _limit_reached(session, stype, resident_id, ref_day, zone):
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
                    dedupe_key: str | None = None, **params):
    return notify_t(session, resident_id=resident_id, kind=kind, title_key=title_key, body_key=body_key,
                    link=link, when=when, zone=zone, dedupe_key=dedupe_key, **params)


def notify_booking(session: Session, booking: Booking, stype: ServiceType, title_key: str, body_key: str, *,
                   kind: str, zone: ZoneInfo, **params):
    """Tell the booking's resident about a change (nothing if they have no account)."""
    params.setdefault("service", stype.name)
    params.setdefault("reason", booking.decline_reason)
    params.setdefault("assignee", booking.assignee_name)
    params.setdefault("location", stype.location)
    return notify_resident(session, booking.resident_id, title_key, body_key, kind=kind,
                           link=BOOKING_LINK.format(id=booking.id), when=booking.scheduled_at, zone=zone,
                           **params)


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
        _give_back_place(session, held)
    add_event(session, booking, BookingStatus.CANCELLED, actor, note=note)


def _audit(session: Session, actor: Actor, action: str, booking: Booking, **detail) -> None:
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


# --------------------------------------------------------------------------- booking a slot


@dataclass
class _SlotContext:
    slot: ServiceSlot
    day: ServiceDay
    stype: ServiceType
    zone: ZoneInfo


def _slot_context(session: Session, slot_id: int) -> _SlotContext:
    """The slot with its day, type and zone in one read, fresh from the database even if the
    session holds older copies (sessions keep objects across commits)."""
    row = session.exec(
        select(ServiceSlot, ServiceDay, ServiceType, Community.timezone)
        .join(ServiceDay, ServiceDay.id == ServiceSlot.service_day_id)
        .join(ServiceType, ServiceType.id == ServiceSlot.service_type_id)
        .join(Community, Community.id == ServiceType.community_id)
        .where(ServiceSlot.id == slot_id)
        .execution_options(populate_existing=True)
    ).first() if isinstance(slot_id, int) and slot_id else None
    if row is None:
        raise NotFound("booking.error.slot_not_found")
    slot, day, stype, tzname = row
    return _SlotContext(slot, day, stype, zone_named(tzname))


def _book_slot(session: Session, actor: Actor, resident: Resident, slot_id: int, *, on_behalf: bool,
               walk_in: bool = False) -> Booking:
    ctx = _slot_context(session, slot_id)
    slot, stype, zone = ctx.slot, ctx.stype, ctx.zone
    if resident.community_id != stype.community_id:
        raise NotAllowed("booking.error.other_community")
    if not stype.active or ctx.day.status != DAY_OPEN:
        raise Conflict("booking.error.day_closed")
    now = utcnow()
    if walk_in:
        if slot.starts_at.astimezone(zone).date() != local_today(zone, now):
            raise Conflict("booking.error.walk_in_today_only")
    elif slot.starts_at <= now:
        raise Conflict("booking.error.slot_started")
    if not is_eligible(session, stype, resident, local_today(zone, now)):
        raise NotAllowed("booking.error.not_eligible")
    if _holds_place(session, slot.id, resident.id):
        raise Conflict("booking.error.already_booked")
    # Fast refusal, the common answer in a rush: on SQLite this read is current (the
    # transaction holds the write lock); on PostgreSQL it may be a moment old, and only the
    # conditional UPDATE below ever grants a place.
    if slot.taken >= slot.capacity:
        raise Conflict("booking.error.full")
    ref_day = slot.starts_at.astimezone(zone).date()
    _check_limit(session, stype, resident.id, ref_day, zone)

    if not _take_place(session, slot.id):
        raise Conflict("booking.error.full")
    starts_at = slot.starts_at
    if not is_sqlite(session):
        # READ COMMITTED: we hold the slot row now and each statement from here on sees what
        # committed before, so check again what a concurrent cancel_day / move_day changed.
        starts_at, day_status = session.exec(
            select(ServiceSlot.starts_at, ServiceDay.status)
            .join(ServiceDay, ServiceDay.id == ServiceSlot.service_day_id)
            .where(ServiceSlot.id == slot.id)
        ).one()
        if day_status != DAY_OPEN:
            raise Conflict("booking.error.day_closed")
        if stype.limit_count:
            # The resident's own concurrent taps queue up here, so the limit holds.
            _lock_resident(session, resident.id)
            _check_limit(session, stype, resident.id, ref_day, zone)
        # Two taps at the same slot by one resident: the unique constraint refuses the second.

    booking = Booking(
        community_id=stype.community_id, service_type_id=stype.id, resident_id=resident.id,
        slot_id=slot.id, holding_slot_id=slot.id, status=BookingStatus.APPROVED,
        address=household_address(session, resident)[:200], scheduled_at=starts_at,
        created_by_account_id=actor.account_id, on_behalf=on_behalf,
    )
    session.add(booking)
    try:
        session.flush()
    except IntegrityError as e:
        if _is_one_place_violation(e):
            raise Conflict("booking.error.already_booked") from None
        raise
    # A place taken directly ends the resident's own wait for it.
    session.execute(
        update(WaitlistEntry)
        .where(WaitlistEntry.waiting_slot_id == slot.id, WaitlistEntry.resident_id == resident.id)
        .values(status="booked", waiting_slot_id=None)
        .execution_options(synchronize_session=False)
    )
    add_event(session, booking, BookingStatus.APPROVED, actor, scheduled_at=starts_at,
              note_key="booking.note.walk_in" if walk_in else ("booking.note.on_behalf" if on_behalf else ""))
    location = ctx.day.location or stype.location
    notify_booking(session, booking, stype, "notify.booked.title", "notify.booked.body",
                   kind="booking.approved", zone=zone, location=location)
    return booking


@_mutating
def book_slot(session: Session, actor: Actor, *, slot_id: int) -> Booking:
    """A resident books a place in a slot. Refused when the slot is full (Conflict
    "booking.error.full": offer the waitlist), already booked, started, the day cancelled,
    the resident not eligible or over the type's limit. Commits."""
    require_resident(actor)
    resident = session.get(Resident, actor.resident_id)
    if resident is None:
        raise NotFound("booking.error.resident_not_found")
    booking = _book_slot(session, actor, resident, slot_id, on_behalf=False)
    session.commit()
    return booking


# --------------------------------------------------------------------------- waitlist


@_mutating
def join_waitlist(session: Session, actor: Actor, *, slot_id: int) -> WaitlistEntry:
    """候补: wait for a place in a full slot; the first waiting resident gets the next place
    freed by a cancellation. Refused when the slot has free places (book instead). Commits."""
    require_resident(actor)
    resident = session.get(Resident, actor.resident_id)
    if resident is None:
        raise NotFound("booking.error.resident_not_found")
    ctx = _slot_context(session, slot_id)
    slot, stype, zone = ctx.slot, ctx.stype, ctx.zone
    if resident.community_id != stype.community_id:
        raise NotAllowed("booking.error.other_community")
    if not stype.active or ctx.day.status != DAY_OPEN:
        raise Conflict("booking.error.day_closed")
    if slot.starts_at <= utcnow():
        raise Conflict("booking.error.slot_started")
    if not is_eligible(session, stype, resident, local_today(zone)):
        raise NotAllowed("booking.error.not_eligible")
    if _holds_place(session, slot.id, resident.id):
        raise Conflict("booking.error.already_booked")
    ref_day = slot.starts_at.astimezone(zone).date()
    _check_limit(session, stype, resident.id, ref_day, zone)
    slot = session.exec(_lock(session, select(ServiceSlot).where(ServiceSlot.id == slot.id))).one()
    if slot.taken < slot.capacity:
        raise Conflict("booking.error.not_full")
    _lock_resident(session, resident.id)
    if session.exec(select(WaitlistEntry.id).where(
            WaitlistEntry.waiting_slot_id == slot.id, WaitlistEntry.resident_id == resident.id)).first():
        raise Conflict("booking.error.already_waiting")
    entry = WaitlistEntry(slot_id=slot.id, resident_id=resident.id, waiting_slot_id=slot.id)
    session.add(entry)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict("booking.error.already_waiting") from None
    session.commit()
    return entry


@_mutating
def leave_waitlist(session: Session, actor: Actor, *, entry_id: int) -> WaitlistEntry:
    """Stop waiting (one's own entry, or staff of the community). Commits."""
    entry = session.get(WaitlistEntry, entry_id) if isinstance(entry_id, int) and entry_id else None
    if entry is None:
        raise NotFound("booking.error.not_waiting")
    slot = session.get(ServiceSlot, entry.slot_id)
    stype = session.get(ServiceType, slot.service_type_id)
    own = actor is not None and actor.resident_id is not None and actor.resident_id == entry.resident_id
    if not own:
        require_staff(actor, stype.community_id)
    entry = session.exec(_lock(session, select(WaitlistEntry).where(WaitlistEntry.id == entry.id))).one()
    if entry.status != "waiting" or entry.waiting_slot_id is None:
        raise Conflict("booking.error.not_waiting")
    entry.status = "left"
    entry.waiting_slot_id = None
    session.add(entry)
    if not own:
        audit.record(session, actor, "waitlist.remove", target_type="waitlistentry", target_id=entry.id,
                     community_id=stype.community_id, resident_id=entry.resident_id, slot_id=entry.slot_id)
        zone = community_zone(session, stype.community_id)
        notify_resident(session, entry.resident_id, "notify.waitlist_removed.title", "notify.waitlist_removed.body",
                        kind="waitlist.removed", link=SERVICE_LINK.format(id=stype.id), when=slot.starts_at,
                        zone=zone, service=stype.name)
    session.commit()
    return entry


def _promote(session: Session, actor: Actor | None, slot_id: int, stype: ServiceType,
             zone: ZoneInfo) -> Booking | None:
    """Give a freed place to the first waiting resident who can still take it (the caller
    holds the slot). Residents who meanwhile reached the type's limit or booked the slot
    are skipped."""
    slot = session.exec(select(ServiceSlot).where(ServiceSlot.id == slot_id)
                        .execution_options(populate_existing=True)).one()
    day = session.get(ServiceDay, slot.service_day_id)
    if day.status != DAY_OPEN or not stype.active or slot.starts_at <= utcnow():
        return None
    tried: set[int] = set()
    while True:
        stmt = select(WaitlistEntry.id).where(WaitlistEntry.waiting_slot_id == slot.id)
        if tried:
            stmt = stmt.where(WaitlistEntry.id.not_in(tried))
        candidate = session.exec(stmt.order_by(WaitlistEntry.created_at, WaitlistEntry.id).limit(1)).first()
        if candidate is None:
            return None
        tried.add(candidate)
        entry = session.exec(_lock(session, select(WaitlistEntry).where(
            WaitlistEntry.id == candidate, WaitlistEntry.waiting_slot_id == slot.id))).first()
        if entry is None:
            continue  # left meanwhile
        resident = session.get(Resident, entry.resident_id)
        _lock_resident(session, resident.id)
        ref_day = slot.starts_at.astimezone(zone).date()
        if (_holds_place(session, slot.id, resident.id)
                or not is_eligible(session, stype, resident, local_today(zone))
                or _limit_reached(session, stype, resident.id, ref_day, zone)):
            entry.status = "skipped"
            entry.waiting_slot_id = None
            session.add(entry)
            session.flush()
            continue
        if not _take_place(session, slot.id):
            return None
        entry.status = "promoted"
        entry.waiting_slot_id = None
        session.add(entry)
        booking = Booking(
            community_id=stype.community_id, service_type_id=stype.id, resident_id=resident.id,
            slot_id=slot.id, holding_slot_id=slot.id, status=BookingStatus.APPROVED,
            address=household_address(session, resident)[:200], scheduled_at=slot.starts_at,
            created_by_account_id=None,
        )
        session.add(booking)
        session.flush()
        add_event(session, booking, BookingStatus.APPROVED, actor, note_key="booking.note.waitlist",
                  scheduled_at=slot.starts_at)
        notify_booking(session, booking, stype, "notify.promoted.title", "notify.promoted.body",
                       kind="booking.promoted", zone=zone, location=day.location or stype.location)
        return booking


# --------------------------------------------------------------------------- requests


def _clean_times(preferred_times) -> str:
    if isinstance(preferred_times, str):
        preferred_times = [preferred_times] if preferred_times.strip() else []
    windows = []
    for w in preferred_times or ():
        if not isinstance(w, str):
            raise ValidationError("booking.error.times_invalid", field="preferred_times")
        w = w.strip().replace("/", "-")
        if not w:
            continue
        if len(w) > 40:
            raise ValidationError("booking.error.times_invalid", field="preferred_times")
        if w not in windows:
            windows.append(w)
    if len(windows) > MAX_TIME_WINDOWS:
        raise ValidationError("booking.error.times_invalid", field="preferred_times")
    text = " / ".join(windows)
    if len(text) > 200:
        raise ValidationError("booking.error.times_invalid", field="preferred_times")
    return text


def _sniff_image(data: bytes) -> str | None:
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _reencode_photo(data: bytes, content_type: str) -> bytes:
    """Decode the photo and encode its pixels again, so that nothing but pixels is kept.

    Phones write EXIF into every photo, often with the GPS position of the resident's home,
    the camera and the time; a request photo must never carry that to staff or volunteers.
    The EXIF orientation is applied first (the picture stays upright), the longest side is
    capped at ``MAX_PHOTO_SIDE`` and the result is saved in the same format from a fresh
    image with no metadata (EXIF, XMP, ICC profile, comments, PNG text). Pixels in another
    colour space (an embedded ICC profile, e.g. Display P3 from an iPhone) are converted to
    sRGB first, so colours stay right without the profile. Refuses files that do not decode
    as a JPEG, PNG or WebP (ValidationError "booking.error.photo_type").
    """
    refused = ValidationError("booking.error.photo_type", field="photos")
    try:
        with Image.open(io.BytesIO(data), formats=list(PHOTO_FORMATS[content_type])) as img:
            if img.format not in PHOTO_FORMATS[content_type]:
                raise refused
            # JPEG only: let the decoder scale down by 1/2, 1/4 or 1/8 while reading when the
            # photo is far larger than what we keep (fast, and far less memory).
            img.draft("RGB", (MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))
            if img.width * img.height > MAX_PHOTO_PIXELS:  # what would be decoded, before decoding it
                raise ValidationError("booking.error.photo_too_large", field="photos",
                                      mb=MAX_PHOTO_BYTES // 2**20)
            img.load()
            icc = img.info.get("icc_profile")
            upright = ImageOps.exif_transpose(img)
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - a decoder fed hostile bytes may raise almost anything
        raise refused from None
    has_alpha = "A" in upright.getbands() or "transparency" in upright.info
    if content_type == "image/jpeg":
        mode = upright.mode if upright.mode in ("L", "RGB") else "RGB"
    else:
        mode = upright.mode if upright.mode in ("L", "RGB", "RGBA") else ("RGBA" if has_alpha else "RGB")
    if upright.mode != mode:
        upright = upright.convert(mode)
    if icc and mode in ("RGB", "RGBA"):
        upright = _to_srgb(upright, icc)
    upright.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE), Image.Resampling.LANCZOS)
    # A new image from the raw pixels: no info dict, no EXIF, whatever Pillow would carry over.
    clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    out = io.BytesIO()
    if content_type == "image/jpeg":
        clean.save(out, "JPEG", quality=85)
    elif content_type == "image/png":
        clean.save(out, "PNG")
    else:
        clean.save(out, "WEBP", quality=85)
    return out.getvalue()


def _to_srgb(img: Image.Image, icc: bytes) -> Image.Image:
    """The pixels converted from the embedded profile to sRGB; unchanged when the profile
    is not a usable RGB profile (a broken or odd profile must not refuse the photo)."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(img, source, ImageCms.createProfile("sRGB"), outputMode=img.mode)
    except Exception:  # noqa: BLE001 - littlecms refuses bad profiles with several error types
        return img


class _CleanPhotos(list):
    """Photos already checked and re-encoded by ``_clean_photos``: [(bytes, content_type)]."""


def _clean_photos(photos) -> list[tuple[bytes, str]]:
    """[(bytes, content_type)] after checking count, size and that each really is a JPEG,
    PNG or WebP (by its first bytes, not by its name or declared type alone, and then by
    decoding it), re-encoded without metadata (``_reencode_photo``). CPU work: the public
    functions call it before their transaction starts, so no write lock waits for it."""
    if isinstance(photos, _CleanPhotos):
        return photos
    photos = list(photos or ())
    if len(photos) > MAX_PHOTOS:
        raise ValidationError("booking.error.too_many_photos", field="photos", n=MAX_PHOTOS)
    checked = []
    for item in photos:
        try:
            _name, data, declared = item
        except (TypeError, ValueError):
            raise ValidationError("booking.error.photo_type", field="photos") from None
        if not isinstance(data, bytes | bytearray):
            raise ValidationError("booking.error.photo_type", field="photos")
        if len(data) > MAX_PHOTO_BYTES:
            raise ValidationError("booking.error.photo_too_large", field="photos", mb=MAX_PHOTO_BYTES // 2**20)
        declared = (declared if isinstance(declared, str) else "").split(";")[0].strip().lower()
        declared = declared.replace("image/jpg", "image/jpeg")
        sniffed = _sniff_image(bytes(data[:16]))
        if sniffed is None or declared not in PHOTO_TYPES or declared != sniffed:
            raise ValidationError("booking.error.photo_type", field="photos")
        checked.append((bytes(data), sniffed))
    # Decode only once every photo passed the cheap checks.
    return _CleanPhotos((_reencode_photo(data, ctype), ctype) for data, ctype in checked)


def photo_dir(booking_id: int) -> Path:
    return Path(get_settings().upload_dir) / "bookings" / str(int(booking_id))


def _save_photos(session: Session, booking: Booking, photos: list[tuple[bytes, str]], written: list[Path]) -> None:
    if not photos:
        return
    folder = photo_dir(booking.id)
    folder.mkdir(parents=True, exist_ok=True)
    written.append(folder)
    for data, content_type in photos:
        name = f"{secrets.token_hex(16)}.{PHOTO_TYPES[content_type]}"
        (folder / name).write_bytes(data)
        session.add(BookingPhoto(booking_id=booking.id, filename=name, content_type=content_type))


def _request(session: Session, actor: Actor, resident: Resident, *, service_type_id: int, description,
             preferred_times, address, photos, on_behalf: bool, written: list[Path]) -> Booking:
    stype = _get_type(session, service_type_id)
    if stype.community_id != resident.community_id:
        raise NotAllowed("booking.error.other_community")
    if not stype.active:
        raise Conflict("booking.error.type_inactive")
    if stype.kind != ServiceKind.REQUEST:
        raise ValidationError("booking.error.not_request_type", field="service_type_id")
    description = _clean_text(description, field="description", max_len=1000,
                              required_key="booking.error.description_required")
    times = _clean_times(preferred_times)
    if address is None:
        address = household_address(session, resident)
    address = _clean_text(address, field="address", max_len=200, required_key="booking.error.address_required")
    clean_photos = _clean_photos(photos)
    zone = community_zone(session, stype.community_id)
    today = local_today(zone)
    if not is_eligible(session, stype, resident, today):
        raise NotAllowed("booking.error.not_eligible")
    _lock_resident(session, resident.id)
    _check_limit(session, stype, resident.id, today, zone)
    booking = Booking(
        community_id=stype.community_id, service_type_id=stype.id, resident_id=resident.id,
        status=BookingStatus.SUBMITTED, description=description, preferred_times=times, address=address,
        created_by_account_id=actor.account_id, on_behalf=on_behalf,
    )
    session.add(booking)
    session.flush()
    _save_photos(session, booking, clean_photos, written)
    add_event(session, booking, BookingStatus.SUBMITTED, actor,
              note_key="booking.note.on_behalf" if on_behalf else "")
    notify_booking(session, booking, stype, "notify.submitted.title", "notify.submitted.body",
                   kind="booking.submitted", zone=zone)
    return booking


def _remove(paths: Iterable[Path]) -> None:
    for p in paths:
        shutil.rmtree(p, ignore_errors=True)


def request_service(
    session: Session,
    actor: Actor,
    *,
    service_type_id: int,
    description: str,
    preferred_times: Sequence[str] | str = (),
    address: str | None = None,
    photos: Sequence[tuple[str, bytes, str]] = (),
) -> Booking:
    """A resident asks for a request-based service (repair, home-visit haircut, facility
    report): what is wrong, up to 5 preferred time windows, the address (their household's
    unless given) and up to 3 photos ``(filename, bytes, content_type)``, JPEG/PNG/WebP,
    5 MB each, re-encoded without metadata (no GPS position, ``_reencode_photo``) and saved
    under ``upload_dir/bookings/<id>/`` with random names. Starts as "submitted" for staff
    to approve. Commits."""
    require_resident(actor)
    clean = _clean_photos(photos)  # before the transaction: decoding holds no lock
    return _request_service(session, actor, service_type_id=service_type_id, description=description,
                            preferred_times=preferred_times, address=address, photos=clean)


@_mutating
def _request_service(session: Session, actor: Actor, *, service_type_id, description, preferred_times, address,
                     photos) -> Booking:
    resident = session.get(Resident, actor.resident_id)
    if resident is None:
        raise NotFound("booking.error.resident_not_found")
    written: list[Path] = []
    try:
        booking = _request(session, actor, resident, service_type_id=service_type_id, description=description,
                           preferred_times=preferred_times, address=address, photos=photos, on_behalf=False,
                           written=written)
        session.commit()
    except BaseException:
        _remove(written)
        raise
    return booking


# --------------------------------------------------------------------------- cancelling


@_mutating
def cancel_booking(session: Session, actor: Actor, *, booking_id: int, reason: str = "") -> Booking:
    """Cancel a booking. A resident cancels their own until the type's cutoff before the
    scheduled time (after it: Conflict "booking.error.past_cutoff" with the phone to call);
    staff of the community cancel any active booking at any time (audited). A freed place
    goes to the first resident on the waitlist at once. Commits."""
    booking = _get_booking(session, booking_id)
    as_staff = actor is not None and actor.can_staff(booking.community_id)
    own = actor is not None and actor.resident_id is not None and actor.resident_id == booking.resident_id
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    if not (as_staff or own):
        raise NotAllowed("booking.error.not_yours")
    reason = _clean_text(reason, field="reason", max_len=300)
    stype = session.get(ServiceType, booking.service_type_id)
    zone = community_zone(session, stype.community_id)
    if booking.status not in ACTIVE_STATUSES:
        raise Conflict("booking.error.not_cancellable")
    if not as_staff and booking.scheduled_at is not None:
        deadline = booking.scheduled_at - timedelta(minutes=stype.cancel_cutoff_minutes)
        if utcnow() > deadline:
            raise Conflict("booking.error.past_cutoff", phone=_contact_phone(session, stype))
    if booking.slot_id is not None:  # lock order: slot, then booking
        session.exec(_lock(session, select(ServiceSlot.id).where(ServiceSlot.id == booking.slot_id))).one()
    booking = _lock_booking(session, booking.id)
    if booking.status not in ACTIVE_STATUSES:
        raise Conflict("booking.error.not_cancellable")
    held = booking.holding_slot_id
    release_and_cancel(session, actor, booking, note=reason)
    if as_staff and not own:
        notify_booking(session, booking, stype, "notify.cancelled.title", "notify.cancelled_by_staff.body",
                       kind="booking.cancelled", zone=zone, reason=reason)
    else:
        notify_booking(session, booking, stype, "notify.cancelled.title", "notify.cancelled.body",
                       kind="booking.cancelled", zone=zone)
    if as_staff:
        _audit(session, actor, "booking.cancel", booking, reason=reason)
    if held is not None:
        _promote(session, actor, held, stype, zone)
    session.commit()
    return booking


# --------------------------------------------------------------------------- staff actions


def _staff_booking(session: Session, actor: Actor, booking_id: int) -> tuple[Booking, ServiceType, ZoneInfo]:
    booking = _get_booking(session, booking_id)
    require_staff(actor, booking.community_id)
    stype = session.get(ServiceType, booking.service_type_id)
    return booking, stype, community_zone(session, stype.community_id)


def _approve_locked(session: Session, actor: Actor, booking: Booking, stype: ServiceType, zone: ZoneInfo,
                    note: str = "") -> None:
    booking.status = BookingStatus.APPROVED
    booking.updated_at = utcnow()
    session.add(booking)
    add_event(session, booking, BookingStatus.APPROVED, actor, note=note)
    notify_booking(session, booking, stype, "notify.approved.title", "notify.approved.body",
                   kind="booking.approved", zone=zone)


@_mutating
def approve(session: Session, actor: Actor, *, booking_id: int, note: str = "") -> Booking:
    """Staff approve a submitted request. Audited. Commits."""
    booking, stype, zone = _staff_booking(session, actor, booking_id)
    note = _clean_text(note, field="note", max_len=300)
    booking = _lock_booking(session, booking.id)
    if booking.status != BookingStatus.SUBMITTED:
        raise Conflict("booking.error.wrong_status")
    _approve_locked(session, actor, booking, stype, zone, note)
    _audit(session, actor, "booking.approve", booking)
    session.commit()
    return booking


@dataclass(frozen=True)
class BulkResult:
    approved: list[int]
    skipped: list[int]  # not waiting for approval any more


@_mutating
def bulk_approve(session: Session, actor: Actor, *, booking_ids: Sequence[int]) -> BulkResult:
    """Approve many submitted requests at once. All must belong to the actor's communities
    (otherwise nothing changes); those no longer "submitted" are skipped. Audited. Commits."""
    if isinstance(booking_ids, str | bytes) or any(isinstance(i, bool) or not isinstance(i, int)
                                                  for i in booking_ids or ()):
        raise ValidationError("error.invalid", field="booking_ids")
    ids = sorted(set(booking_ids or ()))
    if len(ids) > MAX_BULK:
        raise ValidationError("booking.error.too_many", field="booking_ids", n=MAX_BULK)
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    if not ids:
        return BulkResult([], [])
    rows = list(session.exec(_lock(session, select(Booking).where(Booking.id.in_(ids)).order_by(Booking.id))).all())
    if len(rows) != len(ids):
        raise NotFound("booking.error.not_found")
    for b in rows:
        require_staff(actor, b.community_id)
    approved, skipped = [], []
    types: dict[int, tuple[ServiceType, ZoneInfo]] = {}
    for b in rows:
        if b.status != BookingStatus.SUBMITTED:
            skipped.append(b.id)
            continue
        if b.service_type_id not in types:
            st = session.get(ServiceType, b.service_type_id)
            types[b.service_type_id] = (st, community_zone(session, st.community_id))
        stype, zone = types[b.service_type_id]
        _approve_locked(session, actor, b, stype, zone)
        _audit(session, actor, "booking.approve", b, bulk=True)
        approved.append(b.id)
    session.commit()
    return BulkResult(approved, skipped)


@_mutating
def decline(session: Session, actor: Actor, *, booking_id: int, reason: str) -> Booking:
    """Staff decline a request, with the reason the resident will read. Audited. Commits."""
    booking, stype, zone = _staff_booking(session, actor, booking_id)
    reason = _clean_text(reason, field="reason", max_len=300, required_key="booking.error.reason_required")
    booking = _lock_booking(session, booking.id)
    if booking.slot_id is not None or booking.status not in (BookingStatus.SUBMITTED, BookingStatus.APPROVED):
        raise Conflict("booking.error.wrong_status")
    booking.status = BookingStatus.DECLINED
    booking.decline_reason = reason
    booking.updated_at = utcnow()
    session.add(booking)
    add_event(session, booking, BookingStatus.DECLINED, actor, note=reason)
    notify_booking(session, booking, stype, "notify.declined.title", "notify.declined.body",
                   kind="booking.declined", zone=zone, reason=reason)
    _audit(session, actor, "booking.decline", booking, reason=reason)
    session.commit()
    return booking


def _assignable_account(session: Session, account_id: int, community_id: int) -> Account:
    account = session.get(Account, account_id) if isinstance(account_id, int) else None
    if account is None or not account.is_active or account.community_id != community_id:
        raise ValidationError("booking.error.assignee_invalid", field="assignee_account_id")
    roles = set(session.exec(select(RoleGrant.role).where(RoleGrant.account_id == account.id)).all())
    if not roles & {Role.VOLUNTEER, Role.STAFF, Role.ADMIN}:
        raise ValidationError("booking.error.assignee_invalid", field="assignee_account_id")
    return account


@dataclass(frozen=True)
class AssignableAccount:
    account_id: int
    display_name: str
    team_name: str  # the first service team the person belongs to, "" if none


def assignable_accounts(session: Session, actor: Actor) -> list[AssignableAccount]:
    """Who staff can send (派单): active volunteer and staff accounts of their community."""
    require_staff(actor)
    rows = session.exec(
        select(Account)
        .where(
            Account.community_id == actor.community_id,
            Account.is_active.is_(True),
            Account.id.in_(
                select(RoleGrant.account_id).where(
                    RoleGrant.role.in_((Role.VOLUNTEER, Role.STAFF, Role.ADMIN))
                )
            ),
        )
        .order_by(Account.display_name)
    ).all()
    resident_ids = [a.resident_id for a in rows if a.resident_id]
    teams: dict[int, str] = {}
    if resident_ids:
        for rid, name in session.exec(
            select(TeamMember.resident_id, Team.name)
            .join(Team, Team.id == TeamMember.team_id)
            .where(TeamMember.resident_id.in_(resident_ids))
            .order_by(TeamMember.id)
        ).all():
            teams.setdefault(rid, name)
    return [AssignableAccount(a.id, a.display_name, teams.get(a.resident_id or -1, "")) for a in rows]


@_mutating
def assign(
    session: Session,
    actor: Actor,
    *,
    booking_id: int,
    visit_at: datetime,
    assignee_name: str = "",
    assignee_account_id: int | None = None,
    team_id: int | None = None,
    note: str = "",
) -> Booking:
    """Staff send a volunteer (an account with the volunteer or staff role) and/or a team,
    or a named person, at ``visit_at`` (aware, or naive = the community's local time, in the
    future). A submitted request is approved on the way. The resident and the assigned
    account are notified. Audited. Commits."""
    booking, stype, zone = _staff_booking(session, actor, booking_id)
    if booking.slot_id is not None:
        raise Conflict("booking.error.not_request")
    if not isinstance(visit_at, datetime):
        raise ValidationError("booking.error.visit_time_invalid", field="visit_at")
    if visit_at.tzinfo is None:
        visit_at = visit_at.replace(tzinfo=zone)
    visit_at = visit_at.astimezone(UTC)
    if visit_at <= utcnow():
        raise ValidationError("booking.error.visit_time_past", field="visit_at")
    name = _clean_text(assignee_name, field="assignee_name", max_len=64)
    note = _clean_text(note, field="note", max_len=300)
    account = None
    if assignee_account_id is not None:
        account = _assignable_account(session, assignee_account_id, booking.community_id)
        name = name or account.display_name
    if team_id is not None:
        team = session.get(Team, team_id) if isinstance(team_id, int) else None
        if team is None or team.community_id != booking.community_id:
            raise ValidationError("booking.error.team_invalid", field="team_id")
        # A volunteer sent with their team reads "孙志刚（夕阳维修队）" everywhere it is shown.
        name = f"{name}（{team.name}）" if name and team.name not in name else (name or team.name)
    if not name:
        raise ValidationError("booking.error.assignee_required", field="assignee_name")
    booking = _lock_booking(session, booking.id)
    if booking.status not in ACTIVE_STATUSES:
        raise Conflict("booking.error.wrong_status")
    if booking.status == BookingStatus.SUBMITTED:
        add_event(session, booking, BookingStatus.APPROVED, actor)
    booking.status = BookingStatus.ASSIGNED
    booking.assignee_name = name
    booking.assignee_account_id = account.id if account else None
    booking.assignee_team_id = team_id
    booking.scheduled_at = visit_at
    booking.updated_at = utcnow()
    session.add(booking)
    add_event(session, booking, BookingStatus.ASSIGNED, actor, note=note, assignee_name=name,
              scheduled_at=visit_at)
    notify_booking(session, booking, stype, "notify.assigned.title", "notify.assigned.body",
                   kind="booking.assigned", zone=zone, assignee=name)
    if account is not None:
        notify_t(session, account_id=account.id, kind="task.assigned", title_key="notify.task.title",
                 body_key="notify.task.body", link=STAFF_BOOKING_LINK.format(id=booking.id),
                 when=visit_at, zone=zone, service=stype.name, address=booking.address)
    _audit(session, actor, "booking.assign", booking, assignee=name, assignee_account_id=booking.assignee_account_id,
           team_id=team_id, visit_at=visit_at)
    session.commit()
    return booking


def _finish(session: Session, actor: Actor, booking: Booking, stype: ServiceType, zone: ZoneInfo, *,
            status: BookingStatus, note: str, action: str) -> Booking:
    booking = _lock_booking(session, booking.id)
    if booking.status not in HOLDING_ACTIVE:
        raise Conflict("booking.error.wrong_status")
    rules = booking_actions(booking, stype.kind, zone)
    if status == BookingStatus.DONE and not rules.can_done:
        raise Conflict("booking.error.not_yet")
    if status == BookingStatus.NO_SHOW and not rules.can_no_show:
        raise Conflict("booking.error.not_started")
    booking.status = status
    if status == BookingStatus.DONE:
        booking.completion_note = note
    booking.updated_at = utcnow()
    session.add(booking)
    add_event(session, booking, status, actor, note=note)
    if status == BookingStatus.DONE:
        notify_booking(session, booking, stype, "notify.done.title", "notify.done.body",
                       kind="booking.done", zone=zone, note=note)
    else:
        notify_booking(session, booking, stype, "notify.no_show.title", "notify.no_show.body",
                       kind="booking.no_show", zone=zone)
    _audit(session, actor, action, booking, note=note)
    session.commit()
    return booking


@_mutating
def mark_done(session: Session, actor: Actor, *, booking_id: int, note: str = "") -> Booking:
    """完成: staff of the community, or the volunteer assigned to the booking, record that
    the service was done, with a completion note. The resident may then rate it. Commits."""
    booking = _get_booking(session, booking_id)
    is_assignee = (actor is not None and booking.assignee_account_id is not None
                   and booking.assignee_account_id == actor.account_id)
    if not is_assignee:
        require_staff(actor, booking.community_id)
    stype = session.get(ServiceType, booking.service_type_id)
    zone = community_zone(session, stype.community_id)
    note = _clean_text(note, field="note", max_len=500)
    return _finish(session, actor, booking, stype, zone, status=BookingStatus.DONE, note=note,
                   action="booking.done")


@_mutating
def mark_attended(session: Session, actor: Actor, *, booking_id: int, note: str = "") -> Booking:
    """Day sheet: the resident came to their slot (the booking is done). Commits."""
    booking, stype, zone = _staff_booking(session, actor, booking_id)
    if booking.slot_id is None:
        raise Conflict("booking.error.not_slot")
    note = _clean_text(note, field="note", max_len=500)
    return _finish(session, actor, booking, stype, zone, status=BookingStatus.DONE, note=note,
                   action="booking.attended")


@_mutating
def mark_no_show(session: Session, actor: Actor, *, booking_id: int, note: str = "") -> Booking:
    """爽约: the resident did not come (only once the scheduled time has come). The place
    stays used. Commits."""
    booking, stype, zone = _staff_booking(session, actor, booking_id)
    note = _clean_text(note, field="note", max_len=500)
    if booking.scheduled_at is None or booking.scheduled_at > utcnow():
        raise Conflict("booking.error.not_started")
    return _finish(session, actor, booking, stype, zone, status=BookingStatus.NO_SHOW, note=note,
                   action="booking.no_show")


def _walk_in_resident(session: Session, community_id: int, name: str, mobile: str) -> Resident:
    from community_app.services.auth import validate_mobile, validate_name

    name = validate_name(name)
    mobile = validate_mobile(mobile) if (mobile or "").strip() else None
    if mobile:
        found = session.exec(select(Resident).where(
            Resident.community_id == community_id, Resident.mobile == mobile)).first()
        if found is not None:
            return found
    resident = Resident(community_id=community_id, name=name, mobile=mobile, note="walk-in")
    session.add(resident)
    session.flush()
    return resident


@_mutating
def add_walk_in(
    session: Session,
    actor: Actor,
    *,
    slot_id: int,
    resident_id: int | None = None,
    name: str = "",
    mobile: str = "",
) -> Booking:
    """Day sheet: someone turned up without booking. Staff give them a free place in a slot
    of today (even one that has started), for a resident from the register or, when not in
    it, a new register entry by name (and mobile). Capacity and limits still hold.
    Audited. Commits."""
    ctx = _slot_context(session, slot_id)
    require_staff(actor, ctx.stype.community_id)
    if resident_id is not None:
        resident = session.get(Resident, resident_id) if isinstance(resident_id, int) else None
        if resident is None:
            raise NotFound("booking.error.resident_not_found")
        if resident.community_id != ctx.stype.community_id:
            raise NotAllowed("booking.error.other_community")
    else:
        resident = _walk_in_resident(session, ctx.stype.community_id, name, mobile)
    booking = _book_slot(session, actor, resident, slot_id, on_behalf=True, walk_in=True)
    _audit(session, actor, "booking.walk_in", booking, resident_id=resident.id, slot_id=slot_id)
    session.commit()
    return booking


def book_on_behalf(
    session: Session,
    actor: Actor,
    *,
    resident_id: int,
    slot_id: int | None = None,
    service_type_id: int | None = None,
    description: str = "",
    preferred_times: Sequence[str] | str = (),
    address: str | None = None,
    photos: Sequence[tuple[str, bytes, str]] = (),
) -> Booking:
    """代办: staff book for a resident who phoned or came in (find them with
    ``find_residents``): a slot (``slot_id``) or a request (``service_type_id`` with the
    description). The same rules as for the resident apply (photos are re-encoded without
    metadata). Audited. Commits."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    if not actor.is_staff:  # staff of which community is checked with the resident below
        raise NotAllowed("error.staff_only")
    clean = _clean_photos(photos) if photos else _CleanPhotos()  # before the transaction
    return _book_on_behalf(session, actor, resident_id=resident_id, slot_id=slot_id,
                           service_type_id=service_type_id, description=description,
                           preferred_times=preferred_times, address=address, photos=clean)


@_mutating
def _book_on_behalf(session: Session, actor: Actor, *, resident_id, slot_id, service_type_id, description,
                    preferred_times, address, photos) -> Booking:
    resident = session.get(Resident, resident_id) if isinstance(resident_id, int) else None
    if resident is None:
        raise NotFound("booking.error.resident_not_found")
    require_staff(actor, resident.community_id)
    if (slot_id is None) == (service_type_id is None):
        raise ValidationError("booking.error.choose_one", field="slot_id")
    written: list[Path] = []
    try:
        if slot_id is not None:
            booking = _book_slot(session, actor, resident, slot_id, on_behalf=True)
        else:
            booking = _request(session, actor, resident, service_type_id=service_type_id,
                               description=description, preferred_times=preferred_times, address=address,
                               photos=photos, on_behalf=True, written=written)
        _audit(session, actor, "booking.on_behalf", booking, resident_id=resident.id,
               slot_id=slot_id, service_type_id=booking.service_type_id)
        session.commit()
    except BaseException:
        _remove(written)
        raise
    return booking


# --------------------------------------------------------------------------- rating


@_mutating
def rate_booking(session: Session, actor: Actor, *, booking_id: int, rating: int, comment: str = "") -> Booking:
    """The resident rates a done booking once, 1-5 stars with an optional comment. Commits."""
    require_resident(actor)
    booking = _get_booking(session, booking_id)
    if booking.resident_id != actor.resident_id:
        raise NotAllowed("booking.error.not_yours")
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError("booking.error.rating_invalid", field="rating")
    comment = _clean_text(comment, field="comment", max_len=500)
    booking = _lock_booking(session, booking.id)
    if booking.status != BookingStatus.DONE:
        raise Conflict("booking.error.not_done")
    if booking.rating is not None:
        raise Conflict("booking.error.already_rated")
    booking.rating = rating
    booking.rating_comment = comment
    booking.updated_at = utcnow()
    session.add(booking)
    session.commit()
    return booking


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class BookingSummary:
    id: int
    service_type_id: int
    service_name: str
    category: str
    icon: str
    kind: str
    status: str
    scheduled_at: datetime | None  # UTC
    ends_at: datetime | None  # UTC (slot end, or visit + 1 hour)
    local_when: str  # "2026-11-26 09:15" in the community's zone, "" when not scheduled
    slot_id: int | None
    slot_number: int | None
    location: str
    assignee_name: str
    on_behalf: bool
    rating: int | None
    created_at: datetime
    resident_id: int
    resident_name: str


@dataclass(frozen=True)
class TimelineStep:
    status: str  # a BookingStatus or "rescheduled"
    label_key: str  # "booking.status.<status>"
    at: datetime  # UTC
    actor_name: str
    note: str  # free text written by staff or the resident ("" when note_key is set)
    assignee_name: str = ""
    scheduled_at: datetime | None = None
    note_key: str = ""  # i18n key of a standard note: booking.note.on_behalf / walk_in / waitlist

    def note_text(self, locale: str = "zh_CN") -> str:
        """The standard note in the reader's language, or the text someone wrote."""
        return t(self.note_key, locale) if self.note_key else self.note




@dataclass(frozen=True)
class PhotoView:
    id: int
    filename: str
    content_type: str


@dataclass(frozen=True)
class BookingDetail:
    summary: BookingSummary
    description: str
    preferred_times: list[str]
    address: str
    decline_reason: str
    completion_note: str
    rating_comment: str
    photos: list[PhotoView]
    timeline: list[TimelineStep]
    can_cancel: bool  # by the viewer, now
    cancel_deadline: datetime | None  # UTC: a resident can cancel until then
    past_cutoff: bool  # active but too late to cancel in the app: show whom to call
    contact_phone: str
    can_rate: bool
    resident_mobile: str  # only for staff and the assigned volunteer, "" for the resident
    timezone: str = "Asia/Shanghai"
    actions: BookingActions = BookingActions()  # staff only; all False for others
    can_mark_done: bool = False  # the assigned volunteer (or staff) may record it done now


def _summaries(session: Session, bookings: Sequence[Booking]) -> list[BookingSummary]:
    if not bookings:
        return []
    type_ids = {b.service_type_id for b in bookings}
    types = {t.id: t for t in session.exec(select(ServiceType).where(ServiceType.id.in_(type_ids))).all()}
    slot_ids = {b.slot_id for b in bookings if b.slot_id}
    slots = {s.id: s for s in session.exec(select(ServiceSlot).where(ServiceSlot.id.in_(slot_ids))).all()} \
        if slot_ids else {}
    day_ids = {s.service_day_id for s in slots.values()}
    days = {d.id: d for d in session.exec(select(ServiceDay).where(ServiceDay.id.in_(day_ids))).all()} \
        if day_ids else {}
    resident_ids = {b.resident_id for b in bookings}
    names = dict(session.exec(select(Resident.id, Resident.name).where(Resident.id.in_(resident_ids))).all())
    zones: dict[int, ZoneInfo] = {}
    out = []
    for b in bookings:
        stype = types[b.service_type_id]
        zone = zones.get(b.community_id) or zones.setdefault(b.community_id, community_zone(session, b.community_id))
        slot = slots.get(b.slot_id) if b.slot_id else None
        day = days.get(slot.service_day_id) if slot else None
        ends = slot.ends_at if slot else (b.scheduled_at + timedelta(minutes=VISIT_MINUTES) if b.scheduled_at else None)
        out.append(BookingSummary(
            id=b.id, service_type_id=stype.id, service_name=stype.name, category=stype.category, icon=stype.icon,
            kind=stype.kind, status=b.status, scheduled_at=b.scheduled_at, ends_at=ends,
            local_when=b.scheduled_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if b.scheduled_at else "",
            slot_id=b.slot_id, slot_number=slot.number if slot else None,
            location=(day.location if day else "") or stype.location or (b.address if not slot else ""),
            assignee_name=b.assignee_name, on_behalf=b.on_behalf, rating=b.rating, created_at=b.created_at,
            resident_id=b.resident_id, resident_name=names.get(b.resident_id, ""),
        ))
    return out


def my_bookings(session: Session, actor: Actor, *, scope: str = "all", limit: int | None = None
                ) -> list[BookingSummary]:
    """The resident's own bookings: ``scope`` "active" (submitted / approved / assigned,
    soonest first), "past" (the rest, newest first) or "all" (active first); the first
    ``limit`` of them when given (years of history are shown a page at a time)."""
    require_resident(actor)
    if scope not in ("all", "active", "past"):
        raise ValidationError("booking.error.filter_invalid", field="scope")
    rows = list(session.exec(select(Booking).where(Booking.resident_id == actor.resident_id)).all())
    far = datetime.max.replace(tzinfo=UTC)
    active = sorted([b for b in rows if b.status in ACTIVE_STATUSES],
                    key=lambda b: (b.scheduled_at or far, b.created_at, b.id))
    past = sorted([b for b in rows if b.status not in ACTIVE_STATUSES],
                  key=lambda b: (b.scheduled_at or b.created_at, b.id), reverse=True)
    chosen = {"active": active, "past": past, "all": active + past}[scope]
    if limit is not None:
        chosen = chosen[:max(0, limit)]
    return _summaries(session, chosen)


def count_my_bookings(session: Session, actor: Actor) -> tuple[int, int]:
    """(active, past): how many bookings the resident has in each tab of 我的预约."""
    require_resident(actor)
    rows = session.exec(select(Booking.status, func.count(Booking.id))
                        .where(Booking.resident_id == actor.resident_id).group_by(Booking.status)).all()
    active = sum(n for status, n in rows if status in ACTIVE_STATUSES)
    return active, sum(n for _, n in rows) - active


@dataclass(frozen=True)
class WaitlistView:
    entry_id: int
    slot_id: int
    service_type_id: int
    service_name: str
    starts_at: datetime
    local_when: str
    position: int  # 1 = next in line


def my_waitlist(session: Session, actor: Actor) -> list[WaitlistView]:
    """The slots the resident is waiting for, with their place in line."""
    require_resident(actor)
    entries = session.exec(select(WaitlistEntry).where(
        WaitlistEntry.resident_id == actor.resident_id, WaitlistEntry.waiting_slot_id.is_not(None))).all()
    out = []
    for e in entries:
        slot = session.get(ServiceSlot, e.slot_id)
        stype = session.get(ServiceType, slot.service_type_id)
        zone = community_zone(session, stype.community_id)
        ahead = session.exec(select(func.count(WaitlistEntry.id)).where(
            WaitlistEntry.waiting_slot_id == slot.id,
            or_(WaitlistEntry.created_at < e.created_at,
                and_(WaitlistEntry.created_at == e.created_at, WaitlistEntry.id < e.id)))).one()
        out.append(WaitlistView(e.id, slot.id, stype.id, stype.name, slot.starts_at,
                                slot.starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"), int(ahead) + 1))
    return sorted(out, key=lambda w: w.starts_at)


@dataclass(frozen=True)
class LimitStatus:
    """How much of a type's limit ("one 义剪 a month") a resident used in one period."""

    service_type_id: int
    kind: str  # slot / request
    limit_count: int
    period: str  # day / week / month / year
    used: int
    period_first: date
    period_last: date
    next_first: date  # the first day of the next period: from then on they can book again

    @property
    def reached(self) -> bool:
        return self.used >= self.limit_count

    @property
    def left(self) -> int:
        return max(0, self.limit_count - self.used)


def limit_status(session: Session, actor: Actor, *, service_type_id: int, day: date | None = None
                 ) -> LimitStatus | None:
    """The resident's use of a type's limit in the period containing ``day`` (the
    community's today when None), counted exactly as ``book_slot`` and ``request_service``
    count it when they refuse: slot bookings in the period of their slot's date, requests in
    the period they were made; cancelled and declined ones do not count. None when the type
    has no limit. Lets a page say "you already had this month's 义剪" before the resident taps;
    the booking functions still enforce the limit themselves."""
    require_resident(actor)
    if day is not None and (not isinstance(day, date) or isinstance(day, datetime)):
        raise ValidationError("error.invalid", field="day")
    stype = get_service_type(session, actor, service_type_id=service_type_id)
    if not stype.limit_count or not stype.limit_period:
        return None
    zone = community_zone(session, stype.community_id)
    ref_day = day or local_today(zone)
    first, last = period_bounds(stype.limit_period, ref_day)
    used = _limit_used(session, stype, actor.resident_id, ref_day, zone)
    return LimitStatus(
        service_type_id=stype.id, kind=stype.kind, limit_count=stype.limit_count, period=stype.limit_period,
        used=used, period_first=first, period_last=last, next_first=last + timedelta(days=1),
    )


@dataclass(frozen=True)
class SlotOffer:
    """A slot as the resident may use it now."""

    slot: SlotView
    can_book: bool  # a free place, not theirs already, the limit not used
    can_wait: bool  # full, not theirs, not waiting already, the limit not used


@dataclass(frozen=True)
class DayOffer:
    day: DayView  # open (with the slots not yet started) or cancelled (with staff's reason)
    mine: bool  # the resident holds a place on this day
    limit_used: bool  # the resident used the type's limit in this day's period (and holds none here)
    period: LimitStatus | None  # that period's use, when the limit is used
    slots: list[SlotOffer]


@dataclass(frozen=True)
class ServiceDays:
    days: list[DayOffer]
    today_limit: LimitStatus | None  # the limit of today's period, when it is used up


def service_days(session: Session, actor: Actor, *, service_type_id: int, limit: int = 14) -> ServiceDays:
    """The next days of a slot-based type for a resident (cancelled ones too, with the reason)
    with what they may do in each slot: the per-period limit ("one 义剪 a month") applied to
    each day's period exactly as ``book_slot`` and ``join_waitlist`` apply it."""
    views = open_days(session, actor, service_type_id=service_type_id, limit=limit, include_cancelled=True)
    today = limit_status(session, actor, service_type_id=service_type_id)
    periods: list[LimitStatus] = [today] if today is not None else []
    if today is not None:
        for v in views:
            if not v.cancelled and not any(p.period_first <= v.day <= p.period_last for p in periods):
                periods.append(limit_status(session, actor, service_type_id=service_type_id, day=v.day))
    used = [p for p in periods if p.reached]
    out = []
    for v in views:
        if v.cancelled:
            out.append(DayOffer(day=v, mine=False, limit_used=False, period=None, slots=[]))
            continue
        period = next((p for p in used if p.period_first <= v.day <= p.period_last), None)
        mine = any(sl.booked_by_me for sl in v.slots)
        blocked = period is not None
        slots = [SlotOffer(slot=sl, can_book=not blocked and not sl.booked_by_me and sl.free > 0,
                           can_wait=not blocked and not sl.booked_by_me and not sl.waiting_by_me and sl.free <= 0)
                 for sl in v.slots]
        out.append(DayOffer(day=v, mine=mine, limit_used=blocked and not mine, period=period, slots=slots))
    return ServiceDays(days=out, today_limit=today if today is not None and today.reached else None)


def _can_view(actor: Actor | None, booking: Booking) -> str:
    """'staff', 'assignee', 'owner' or raise."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    if actor.can_staff(booking.community_id):
        return "staff"
    if booking.assignee_account_id is not None and booking.assignee_account_id == actor.account_id:
        return "assignee"
    if actor.resident_id is not None and actor.resident_id == booking.resident_id:
        return "owner"
    raise NotAllowed("booking.error.not_yours")


def booking_detail(session: Session, actor: Actor, *, booking_id: int) -> BookingDetail:
    """One booking with its timeline. A resident sees only their own, staff only their
    community's, a volunteer the bookings assigned to them."""
    booking = _get_booking(session, booking_id)
    role = _can_view(actor, booking)
    stype = session.get(ServiceType, booking.service_type_id)
    community = session.get(Community, booking.community_id)
    summary = _summaries(session, [booking])[0]
    events = session.exec(select(BookingEvent).where(BookingEvent.booking_id == booking.id)
                          .order_by(BookingEvent.created_at, BookingEvent.id)).all()
    actor_ids = {e.actor_account_id for e in events if e.actor_account_id}
    names = dict(session.exec(select(Account.id, Account.display_name).where(Account.id.in_(actor_ids))).all()) \
        if actor_ids else {}
    timeline = [
        TimelineStep(status=e.status, label_key=f"booking.status.{e.status}", at=e.created_at,
                     actor_name=names.get(e.actor_account_id, ""),
                     note=e.note, assignee_name=e.assignee_name, scheduled_at=e.scheduled_at,
                     note_key=e.note_key)
        for e in events
    ]
    photos = [PhotoView(p.id, p.filename, p.content_type) for p in session.exec(
        select(BookingPhoto).where(BookingPhoto.booking_id == booking.id).order_by(BookingPhoto.id)).all()]
    now = utcnow()
    rules = booking_actions(booking, stype.kind, zone_named(community.timezone if community else None), now)
    active = booking.status in ACTIVE_STATUSES
    deadline = (booking.scheduled_at - timedelta(minutes=stype.cancel_cutoff_minutes)
                if booking.scheduled_at is not None else None)
    past_cutoff = active and deadline is not None and now > deadline
    if role == "staff":
        can_cancel = active
    elif role == "owner":
        can_cancel = active and not past_cutoff
    else:
        can_cancel = False
    resident = session.get(Resident, booking.resident_id)
    return BookingDetail(
        summary=summary, description=booking.description,
        preferred_times=[w for w in booking.preferred_times.split(" / ") if w], address=booking.address,
        decline_reason=booking.decline_reason, completion_note=booking.completion_note,
        rating_comment=booking.rating_comment, photos=photos, timeline=timeline, can_cancel=can_cancel,
        cancel_deadline=deadline, past_cutoff=past_cutoff, contact_phone=_contact_phone(session, stype),
        can_rate=role == "owner" and booking.status == BookingStatus.DONE and booking.rating is None,
        resident_mobile=(resident.mobile or "") if role in ("staff", "assignee") and resident else "",
        timezone=community.timezone if community else get_settings().timezone,
        actions=rules if role == "staff" else BookingActions(),
        can_mark_done=role in ("staff", "assignee") and rules.can_done,
    )


def photo_file(session: Session, actor: Actor, *, photo_id: int) -> tuple[Path, str]:
    """(path on disk, content type) of a booking photo, for whoever may see the booking."""
    photo = session.get(BookingPhoto, photo_id) if isinstance(photo_id, int) else None
    if photo is None:
        raise NotFound("booking.error.not_found")
    _can_view(actor, _get_booking(session, photo.booking_id))
    return photo_dir(photo.booking_id) / Path(photo.filename).name, photo.content_type


@dataclass(frozen=True)
class QueueItem:
    booking_id: int
    service_type_id: int
    service_name: str
    kind: str
    status: str
    resident_id: int
    resident_name: str
    resident_mobile: str
    address: str
    grid_name: str
    description: str  # first 80 characters
    scheduled_at: datetime | None
    created_at: datetime
    on_behalf: bool
    assignee_name: str
    actions: BookingActions = BookingActions()


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueItem]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def staff_queue(
    session: Session,
    actor: Actor,
    *,
    community_id: int | None = None,
    service_type_id: int | None = None,
    status: str | Sequence[str] | None = None,
    kind: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    grid_id: int | None = None,
    newest_first: bool = False,
    page: int = 1,
    page_size: int = 20,
) -> QueuePage:
    """The approval queue and booking list for staff: filter by type, status(es), kind,
    date (scheduled date, or the day it was made when not scheduled; community-local),
    grid (a grid includes its micro-grids); paginated. Oldest first unless ``newest_first``."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    cid = actor.community_id if community_id is None else community_id
    require_staff(actor, cid)
    zone = community_zone(session, cid)
    page = max(1, int(page))
    page_size = max(1, min(int(page_size), 100))
    conds = [Booking.community_id == cid]
    if service_type_id is not None:
        conds.append(Booking.service_type_id == service_type_id)
    if status:
        statuses = [status] if isinstance(status, str) else list(status)
        valid = {s.value for s in BookingStatus}
        if any(s not in valid for s in statuses):
            raise ValidationError("booking.error.filter_invalid", field="status")
        conds.append(Booking.status.in_(statuses))
    if kind is not None:
        if kind not in (ServiceKind.SLOT, ServiceKind.REQUEST):
            raise ValidationError("booking.error.filter_invalid", field="kind")
        conds.append(ServiceType.kind == kind)
    when = func.coalesce(Booking.scheduled_at, Booking.created_at)
    if date_from is not None or date_to is not None:
        if date_from is not None and date_to is not None and date_to < date_from:
            raise ValidationError("booking.error.filter_invalid", field="date_to")
        start, end = day_bounds_utc(date_from or date(2000, 1, 1), date_to or date(2999, 12, 30), zone)
        if date_from is not None:
            conds.append(when >= start)
        if date_to is not None:
            conds.append(when < end)
    if grid_id is not None:
        grid = session.get(Grid, grid_id) if isinstance(grid_id, int) else None
        if grid is None or grid.community_id != cid:
            raise ValidationError("booking.error.filter_invalid", field="grid_id")
        grid_ids = [grid.id, *session.exec(select(Grid.id).where(Grid.parent_id == grid.id)).all()]
        conds.append(Household.grid_id.in_(grid_ids))
    base = (
        select(Booking, ServiceType, Resident, Grid.name)
        .join(ServiceType, ServiceType.id == Booking.service_type_id)
        .join(Resident, Resident.id == Booking.resident_id)
        .join(Household, Household.id == Resident.household_id, isouter=True)
        .join(Grid, Grid.id == Household.grid_id, isouter=True)
        .where(*conds)
    )
    total = session.exec(
        select(func.count(Booking.id))
        .select_from(Booking)
        .join(ServiceType, ServiceType.id == Booking.service_type_id)
        .join(Resident, Resident.id == Booking.resident_id)
        .join(Household, Household.id == Resident.household_id, isouter=True)
        .where(*conds)
    ).one()
    order = (when.desc(), Booking.id.desc()) if newest_first else (when, Booking.id)
    rows = session.exec(base.order_by(*order).offset((page - 1) * page_size).limit(page_size)).all()
    now = utcnow()
    items = [
        QueueItem(
            booking_id=b.id, service_type_id=st.id, service_name=st.name, kind=st.kind, status=b.status,
            resident_id=r.id, resident_name=r.name, resident_mobile=r.mobile or "", address=b.address,
            grid_name=grid_name or "", description=b.description[:80], scheduled_at=b.scheduled_at,
            created_at=b.created_at, on_behalf=b.on_behalf, assignee_name=b.assignee_name,
            actions=booking_actions(b, st.kind, zone, now),
        )
        for b, st, r, grid_name in rows
    ]
    return QueuePage(items, int(total), page, page_size)


@dataclass(frozen=True)
class SheetRow:
    booking_id: int
    resident_id: int
    resident_name: str
    mobile: str
    address: str
    care: list[str]
    status: str
    on_behalf: bool
    can_attend: bool = False  # 到场: from the slot's day on
    can_no_show: bool = False  # 爽约: once the slot has begun


@dataclass(frozen=True)
class SheetWaiting:
    entry_id: int
    resident_id: int
    resident_name: str
    mobile: str
    position: int


@dataclass(frozen=True)
class SheetSlot:
    slot_id: int
    number: int
    starts_at: datetime
    ends_at: datetime
    local_start: str
    local_end: str
    capacity: int
    taken: int
    rows: list[SheetRow]
    waiting: list[SheetWaiting]
    can_walk_in: bool = False  # 现场登记: on the day itself, while a place is free


@dataclass(frozen=True)
class DaySheet:
    day_id: int
    day: date
    status: str
    location: str
    note: str
    service_type_id: int
    service_name: str
    slots: list[SheetSlot]


def day_sheet(session: Session, actor: Actor, *, day_id: int) -> DaySheet:
    """Who comes when on one service day (booked, done and no-show places, by slot), with
    each slot's waitlist, for staff of the community."""
    day = session.get(ServiceDay, day_id) if isinstance(day_id, int) else None
    if day is None:
        raise NotFound("catalogue.error.day_not_found")
    stype = session.get(ServiceType, day.service_type_id)
    require_staff(actor, stype.community_id)
    zone = community_zone(session, stype.community_id)
    slots = session.exec(select(ServiceSlot).where(ServiceSlot.service_day_id == day.id)
                         .order_by(ServiceSlot.number)).all()
    slot_ids = [s.id for s in slots]
    bookings = session.exec(select(Booking, Resident).join(Resident, Resident.id == Booking.resident_id)
                            .where(Booking.holding_slot_id.in_(slot_ids))
                            .order_by(Booking.created_at, Booking.id)).all() if slot_ids else []
    waiting = session.exec(select(WaitlistEntry, Resident).join(Resident, Resident.id == WaitlistEntry.resident_id)
                           .where(WaitlistEntry.waiting_slot_id.in_(slot_ids))
                           .order_by(WaitlistEntry.created_at, WaitlistEntry.id)).all() if slot_ids else []
    resident_ids = {r.id for _, r in bookings}
    care: dict[int, list[str]] = {}
    if resident_ids:
        for rid, cat in session.exec(select(ResidentCare.resident_id, ResidentCare.category)
                                     .where(ResidentCare.resident_id.in_(resident_ids))).all():
            care.setdefault(rid, []).append(cat)
    now = utcnow()
    walk_ins = day.status == DAY_OPEN and stype.active and day.day == local_today(zone, now)
    sheet_slots = []
    for s in slots:
        rows = []
        for b, r in bookings:
            if b.slot_id != s.id:
                continue
            rules = booking_actions(b, stype.kind, zone, now)
            rows.append(SheetRow(b.id, r.id, r.name, r.mobile or "", b.address, sorted(care.get(r.id, [])), b.status,
                                 b.on_behalf, can_attend=rules.can_done, can_no_show=rules.can_no_show))
        wait = [e for e in waiting if e[0].slot_id == s.id]
        sheet_slots.append(SheetSlot(
            slot_id=s.id, number=s.number, starts_at=s.starts_at, ends_at=s.ends_at,
            local_start=s.starts_at.astimezone(zone).strftime("%H:%M"),
            local_end=s.ends_at.astimezone(zone).strftime("%H:%M"), capacity=s.capacity, taken=s.taken,
            rows=rows,
            waiting=[SheetWaiting(e.id, r.id, r.name, r.mobile or "", i) for i, (e, r) in enumerate(wait, start=1)],
            can_walk_in=walk_ins and s.taken < s.capacity,
        ))
    return DaySheet(day.id, day.day, day.status, day.location, day.note, stype.id, stype.name, sheet_slots)


@dataclass(frozen=True)
class ResidentMatch:
    resident_id: int
    name: str
    mobile: str
    address: str
    age: int | None
    care: list[str]
    has_account: bool


_ADDRESS_RE = re.compile(r"\d+")


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def find_residents(
    session: Session, actor: Actor, *, query: str, limit: int = 20, community_id: int | None = None
) -> list[ResidentMatch]:
    """代办 look-up for staff: residents of the community by name, mobile (4+ digits) or
    building-room ("3-201", "3-1-201", "3号楼1单元201")."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    cid = actor.community_id if community_id is None else community_id
    require_staff(actor, cid)
    q = (query or "").strip()[:64]
    if not q:
        return []
    conds = [Resident.name.like(_like(q), escape="\\")]
    digits = re.sub(r"[\s\-]", "", q)
    if digits.isdigit() and len(digits) >= 4:
        conds.append(Resident.mobile.like(_like(digits), escape="\\"))
    numbers = _ADDRESS_RE.findall(q)
    if 2 <= len(numbers) <= 3 and not (digits.isdigit() and len(digits) >= 7):
        addr = [Household.building == numbers[0], Household.room == numbers[-1]]
        if len(numbers) == 3:
            addr.append(Household.unit == numbers[1])
        conds.append(and_(*addr))
    rows = session.exec(
        select(Resident, Household, Compound)
        .join(Household, Household.id == Resident.household_id, isouter=True)
        .join(Compound, Compound.id == Household.compound_id, isouter=True)
        .where(Resident.community_id == cid, or_(*conds))
        .order_by(Resident.name, Resident.id)
        .limit(max(1, min(int(limit), 100)))
    ).all()
    ids = [r.id for r, _, _ in rows]
    care: dict[int, list[str]] = {}
    with_account: set[int] = set()
    if ids:
        for rid, cat in session.exec(select(ResidentCare.resident_id, ResidentCare.category)
                                     .where(ResidentCare.resident_id.in_(ids))).all():
            care.setdefault(rid, []).append(cat)
        with_account = set(session.exec(select(Account.resident_id).where(Account.resident_id.in_(ids))).all())
    year = local_today(community_zone(session, cid)).year
    out = []
    for r, h, c in rows:
        address = _format_address(h, c.name if c else None) if h is not None else ""
        out.append(ResidentMatch(r.id, r.name, r.mobile or "", address,
                                 year - r.birth_year if r.birth_year else None, sorted(care.get(r.id, [])),
                                 r.id in with_account))
    return out


__all__ = [
    "BOOKING_LINK", "COUNTED", "HOLDING_ACTIVE", "MAX_PHOTOS", "MAX_PHOTO_BYTES", "MAX_PHOTO_SIDE", "PHOTO_TYPES",
    "BookingActions", "BookingDetail", "BookingSummary", "DayOffer", "ServiceDays", "SlotOffer", "BulkResult", "DaySheet", "LimitStatus", "PhotoView", "QueueItem",
    "QueuePage", "ResidentMatch", "SheetRow", "SheetSlot", "SheetWaiting", "TimelineStep", "WaitlistView",
    "add_walk_in", "approve", "assign", "book_on_behalf", "book_slot", "booking_detail", "bulk_approve",
    "cancel_booking", "day_sheet", "decline", "find_residents", "household_address", "join_waitlist",
    "leave_waitlist", "limit_status", "mark_attended", "mark_done", "mark_no_show", "my_bookings", "my_waitlist",
    "photo_file", "rate_booking", "request_service", "service_days", "staff_queue", "booking_actions",
]
