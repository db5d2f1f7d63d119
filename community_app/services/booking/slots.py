"""Booking a place in a slot: the resident (``book_slot``), staff on the day sheet for someone who
turned up (``add_walk_in``). Capacity by conditional UPDATE (``take_place``); see the package
docstring for the locking order."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from community_app.db import is_sqlite
from community_app.models import (
    Booking,
    BookingStatus,
    Community,
    Compound,
    Household,
    Resident,
    ServiceDay,
    ServiceSlot,
    ServiceType,
    WaitlistEntry,
    utcnow,
)
from community_app.services.access import Actor, require_resident, require_staff
from community_app.services.booking.common import (
    add_event,
    address_text,
    audit_booking,
    check_limit,
    household_address,
    is_one_place_violation,
    lock_resident,
    notify_booking,
    take_place,
)
from community_app.services.catalogue import (
    DAY_OPEN,
    is_eligible,
)
from community_app.services.core.clock import (
    local_today,
    zone_named,
)
from community_app.services.core.tx import mutating, peek, reader_of
from community_app.services.errors import Conflict, NotAllowed, NotFound

# --------------------------------------------------------------------------- booking a slot


@dataclass
class SlotContext:
    slot: ServiceSlot
    day: ServiceDay
    stype: ServiceType
    zone: ZoneInfo


# Built once: a statement's cache key is computed once per object, and the rush reads this often.
_SLOT_CONTEXT = (
    select(ServiceSlot, ServiceDay, ServiceType, Community.timezone)
    .join(ServiceDay, ServiceDay.id == ServiceSlot.service_day_id)
    .join(ServiceType, ServiceType.id == ServiceSlot.service_type_id)
    .join(Community, Community.id == ServiceType.community_id)
    .where(ServiceSlot.id == bindparam("slot_id"))
    .execution_options(populate_existing=True)
)


def slot_context(session: Session, slot_id: int) -> SlotContext:
    """The slot with its day, type and zone in one read, fresh from the database even if the
    session holds older copies (sessions keep objects across commits)."""
    row = session.execute(_SLOT_CONTEXT, {"slot_id": slot_id}).first() if isinstance(slot_id, int) and slot_id else None
    if row is None:
        raise NotFound("booking.error.slot_not_found")
    slot, day, stype, tzname = row
    return SlotContext(slot, day, stype, zone_named(tzname))


def book_slot_for(session: Session, actor: Actor, resident: Resident, slot_id: int, *, on_behalf: bool,
                  walk_in: bool = False, address: str | None = None, was_waiting: bool = True,
                  place_taken: bool = False, ctx: SlotContext | None = None) -> Booking:
    """Book ``resident`` into the slot (the caller holds the write transaction). ``address`` and
    ``was_waiting`` may come from a read made before the lock (``book_slot``), so the locked
    part does less: the address is only copied onto the booking, and a resident who was not
    waiting for the slot has no waiting entry to end. ``place_taken``: the caller took the place
    already, first thing in its transaction, with ``ctx`` read and checked before (a refusal
    below rolls the place back)."""
    if ctx is None:
        ctx = slot_context(session, slot_id)
        _check_bookable(actor, ctx, resident, walk_in=walk_in)
    slot, stype, zone = ctx.slot, ctx.stype, ctx.zone
    now = utcnow()
    if not is_eligible(session, stype, resident, local_today(zone, now)):
        raise NotAllowed("booking.error.not_eligible")
    # Already holding a place here: refused by the unique constraint on the insert below (and
    # before any lock by ``book_slot``'s first read).
    # Fast refusal, the common answer in a rush: on SQLite this read is current (the
    # transaction holds the write lock); on PostgreSQL it may be a moment old, and only the
    # conditional UPDATE below ever grants a place.
    if not place_taken and slot.taken >= slot.capacity:
        raise Conflict("booking.error.full")
    ref_day = slot.starts_at.astimezone(zone).date()
    check_limit(session, stype, resident.id, ref_day, zone)

    if not place_taken and not take_place(session, slot.id):
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
            lock_resident(session, resident.id)
            check_limit(session, stype, resident.id, ref_day, zone)
        # Two taps at the same slot by one resident: the unique constraint refuses the second.

    booking = Booking(
        community_id=stype.community_id, service_type_id=stype.id, resident_id=resident.id,
        slot_id=slot.id, holding_slot_id=slot.id, status=BookingStatus.APPROVED,
        address=(household_address(session, resident) if address is None else address)[:200], scheduled_at=starts_at,
        created_by_account_id=actor.account_id, on_behalf=on_behalf,
    )
    session.add(booking)
    try:
        session.flush()
    except IntegrityError as e:
        if is_one_place_violation(e):
            raise Conflict("booking.error.already_booked") from None
        raise
    if was_waiting:  # a place taken directly ends the resident's own wait for it
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
                   kind="booking.approved", zone=zone, location=location, actor=actor)
    return booking


# Built once: the rush answers this read hundreds of times a second. Every slot of the tapped
# slot's day, so a "full" answer can say at once which places are still free.
_S1 = ServiceSlot.__table__.alias("tapped")
_DAY_CHECK = (
    select(ServiceSlot.id, ServiceSlot.taken, ServiceSlot.capacity,
           # Whether it is still to come, compared in SQL: no date parsed for each of the day's slots.
           (ServiceSlot.starts_at > bindparam("now")).label("to_come"), ServiceType.community_id,
           select(Booking.id).where(Booking.holding_slot_id == ServiceSlot.id,
                                    Booking.resident_id == bindparam("resident_id")).exists(),
           select(WaitlistEntry.id).where(WaitlistEntry.waiting_slot_id == ServiceSlot.id,
                                          WaitlistEntry.resident_id == bindparam("resident_id")).exists())
    .select_from(_S1)
    .join(ServiceSlot, ServiceSlot.service_day_id == _S1.c.service_day_id)
    .join(ServiceType, ServiceType.id == _S1.c.service_type_id)
    .where(_S1.c.id == bindparam("slot_id"))
)


def _free(day_rows) -> list[int]:
    """The ids of the day's slots (rows of ``_DAY_CHECK``) still to come with a place."""
    return [r[0] for r in day_rows if r[1] < r[2] and r[3]]


def book_slot(session: Session, actor: Actor, *, slot_id: int) -> Booking:
    """A resident books a place in a slot. Refused when the slot is full (Conflict
    "booking.error.full" with ``free``: the ids of that day's slots that still have a place,
    so the page can offer them, or the waitlist), already booked, started, the day cancelled,
    the resident not eligible or over the type's limit. Commits.

    Made for the rush on the 26th at 08:00: most taps find the slot full, and that answer comes
    from one read that never waits for the write lock (``peek``). Everything that does not have
    to be current is read before the lock too (the slot, its day and type, the resident and
    their address, ``_plan``); the write transaction then takes the place first, with the
    conditions that must be current in the same UPDATE, checks the per-period limit and writes
    the booking: a few statements, so the one writer at a time keeps the lock briefly."""
    require_resident(actor)
    if not isinstance(slot_id, int) or isinstance(slot_id, bool) or slot_id <= 0:
        raise NotFound("booking.error.slot_not_found")
    rows = peek(session, _DAY_CHECK, {"slot_id": slot_id, "resident_id": actor.resident_id, "now": utcnow()})
    target = next((r for r in rows if r[0] == slot_id), None)
    if target is None:
        raise NotFound("booking.error.slot_not_found")
    _id, taken, capacity, _to_come, community_id, already, waiting = target
    if community_id == actor.community_id and taken >= capacity and not already:
        raise Conflict("booking.error.full", free=_free(rows))
    plan = _plan(session, actor, slot_id, was_waiting=bool(waiting))
    return _book_planned(session, actor, plan)


@dataclass
class _Plan:
    """What a resident's booking needs, read before the write lock (detached objects)."""

    ctx: SlotContext
    resident: Resident
    address: str
    was_waiting: bool


def _plan(session: Session, actor: Actor, slot_id: int, *, was_waiting: bool) -> _Plan:
    """Read and check everything that need not be current to the instant (the conditions that
    must be are part of the UPDATE that takes the place)."""
    def read(rs: Session) -> _Plan:
        ctx = slot_context(rs, slot_id)
        found = rs.execute(_RESIDENT_ADDRESS, {"resident_id": actor.resident_id}).first()
        if found is None:
            raise NotFound("booking.error.resident_not_found")
        resident, *address = found
        return _Plan(ctx, resident, address_text(*address) if address[0] is not None else "", was_waiting)

    if is_sqlite(session) and not session.in_transaction():
        with Session(reader_of(session), expire_on_commit=False) as rs:
            plan = read(rs)
            rs.expunge_all()
    else:
        plan = read(session)
    _check_bookable(actor, plan.ctx, plan.resident, walk_in=False)
    return plan


def _check_bookable(actor: Actor, ctx: SlotContext, resident: Resident, *, walk_in: bool) -> None:
    """The refusals that do not depend on places (community, register, type, day, time)."""
    slot, stype, zone = ctx.slot, ctx.stype, ctx.zone
    if resident.community_id != stype.community_id:
        raise NotAllowed("booking.error.other_community")
    if resident.moved_out_at is not None:
        raise Conflict("booking.error.moved_out")
    if stype.staff_only and not actor.can_staff(stype.community_id):
        raise NotFound("catalogue.error.type_not_found")
    if not stype.active or ctx.day.status != DAY_OPEN:
        raise Conflict("booking.error.day_closed")
    now = utcnow()
    if walk_in:
        if slot.starts_at.astimezone(zone).date() != local_today(zone, now):
            raise Conflict("booking.error.walk_in_today_only")
    elif slot.starts_at <= now:
        raise Conflict("booking.error.slot_started")


# The place, taken only while what must be current still holds: the slot has a place and has not
# begun, its day is open and its type active.
_TAKE_IF_OPEN = (
    update(ServiceSlot)
    .where(ServiceSlot.id == bindparam("slot_id"), ServiceSlot.taken < ServiceSlot.capacity,
           ServiceSlot.starts_at > bindparam("now"),
           select(ServiceDay.id).where(ServiceDay.id == ServiceSlot.service_day_id, ServiceDay.status == DAY_OPEN)
           .exists(),
           select(ServiceType.id).where(ServiceType.id == ServiceSlot.service_type_id, ServiceType.active.is_(True))
           .exists())
    .values(taken=ServiceSlot.taken + 1)
    .returning(ServiceSlot.starts_at)
    .execution_options(synchronize_session=False)
)


@mutating
def _book_planned(session: Session, actor: Actor, plan: _Plan) -> Booking:
    ctx, resident = plan.ctx, plan.resident
    # On the session's connection, not through the ORM: the ORM path rebuilds the statement and
    # its cache key on every call (a tenth of the rush's CPU, inside the write lock).
    starts_at = session.connection().execute(_TAKE_IF_OPEN, {"slot_id": ctx.slot.id, "now": utcnow()}).scalar()
    if starts_at is None:
        # In a rush, most often someone else took the last place since the first read: say so
        # with one light read, naming the day's places still free (the page offers them, no
        # reload); else say exactly why, from what is current now.
        rows = session.connection().execute(_DAY_CHECK, {"slot_id": ctx.slot.id, "resident_id": resident.id,
                                                         "now": utcnow()}).all()
        if any(r[0] == ctx.slot.id and r[1] >= r[2] for r in rows):
            raise Conflict("booking.error.full", free=_free(rows))
        fresh = slot_context(session, ctx.slot.id)
        _check_bookable(actor, fresh, resident, walk_in=False)
        raise Conflict("booking.error.full")
    ctx.slot.starts_at = starts_at  # as it is now (a day moved meanwhile moved the slot)
    booking = book_slot_for(session, actor, resident, ctx.slot.id, on_behalf=False, address=plan.address,
                            was_waiting=plan.was_waiting, place_taken=True, ctx=ctx)
    session.commit()
    return booking


# The resident and their address (none without a household) in one read.
_RESIDENT_ADDRESS = (
    select(Resident, Household.building, Household.unit, Household.room, Compound.name)
    .join(Household, Household.id == Resident.household_id, isouter=True)
    .join(Compound, Compound.id == Household.compound_id, isouter=True)
    .where(Resident.id == bindparam("resident_id"))
)


def walk_in_resident(session: Session, community_id: int, name: str, mobile: str) -> Resident:
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


@mutating
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
    ctx = slot_context(session, slot_id)
    require_staff(actor, ctx.stype.community_id)
    if resident_id is not None:
        resident = session.get(Resident, resident_id) if isinstance(resident_id, int) else None
        if resident is None:
            raise NotFound("booking.error.resident_not_found")
        if resident.community_id != ctx.stype.community_id:
            raise NotAllowed("booking.error.other_community")
    else:
        resident = walk_in_resident(session, ctx.stype.community_id, name, mobile)
    booking = book_slot_for(session, actor, resident, slot_id, on_behalf=True, walk_in=True)
    audit_booking(session, actor, "booking.walk_in", booking, resident_id=resident.id, slot_id=slot_id)
    session.commit()
    return booking


