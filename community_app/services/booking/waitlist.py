"""候补: waiting for a place in a full slot, and giving a freed place to the first in line who can
still take it (through ``core.waitlist``)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from community_app.models import (
    Booking,
    BookingStatus,
    Resident,
    ServiceDay,
    ServiceSlot,
    ServiceType,
    WaitlistEntry,
    utcnow,
)
from community_app.services import audit
from community_app.services.access import Actor, require_resident, require_staff
from community_app.services.booking.common import (
    SERVICE_LINK,
    add_event,
    check_limit,
    holds_place,
    household_address,
    limit_reached,
    lock_resident,
    notify_booking,
    notify_resident,
    take_place,
)
from community_app.services.booking.slots import slot_context
from community_app.services.catalogue import (
    DAY_OPEN,
    is_eligible,
)
from community_app.services.core import waitlist as core_waitlist
from community_app.services.core.clock import (
    community_zone,
    local_today,
)
from community_app.services.core.tx import lock, mutating
from community_app.services.core.waitlist import Admit, WaitlistSpec
from community_app.services.errors import Conflict, NotAllowed, NotFound

# --------------------------------------------------------------------------- waitlist



# The slots' waitlist: WaitlistEntry rows wait for ``slot_id`` while ``waiting_slot_id`` is set.
SLOT_WAITLIST = WaitlistSpec(WaitlistEntry, subject="slot_id", waiting="waiting_slot_id")

@mutating
def join_waitlist(session: Session, actor: Actor, *, slot_id: int) -> WaitlistEntry:
    """候补: wait for a place in a full slot; the first waiting resident gets the next place
    freed by a cancellation. Refused when the slot has free places (book instead). Commits."""
    require_resident(actor)
    resident = session.get(Resident, actor.resident_id)
    if resident is None:
        raise NotFound("booking.error.resident_not_found")
    ctx = slot_context(session, slot_id)
    slot, stype, zone = ctx.slot, ctx.stype, ctx.zone
    if resident.community_id != stype.community_id:
        raise NotAllowed("booking.error.other_community")
    if resident.moved_out_at is not None:
        raise Conflict("booking.error.moved_out")
    if stype.staff_only:
        raise NotFound("catalogue.error.type_not_found")
    if not stype.active or ctx.day.status != DAY_OPEN:
        raise Conflict("booking.error.day_closed")
    if slot.starts_at <= utcnow():
        raise Conflict("booking.error.slot_started")
    if not is_eligible(session, stype, resident, local_today(zone)):
        raise NotAllowed("booking.error.not_eligible")
    if holds_place(session, slot.id, resident.id):
        raise Conflict("booking.error.already_booked")
    ref_day = slot.starts_at.astimezone(zone).date()
    check_limit(session, stype, resident.id, ref_day, zone)
    slot = session.exec(lock(session, select(ServiceSlot).where(ServiceSlot.id == slot.id))).one()
    if slot.taken < slot.capacity:
        raise Conflict("booking.error.not_full")
    lock_resident(session, resident.id)
    entry = core_waitlist.join(session, SLOT_WAITLIST, subject_id=slot.id, person_id=resident.id,
                               already_key="booking.error.already_waiting")
    session.commit()
    return entry


@mutating
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
    entry = session.exec(lock(session, select(WaitlistEntry).where(WaitlistEntry.id == entry.id))).one()
    if entry.status != "waiting" or entry.waiting_slot_id is None:
        raise Conflict("booking.error.not_waiting")
    core_waitlist.leave(session, SLOT_WAITLIST, entry, status="left")
    if not own:
        audit.record(session, actor, "waitlist.remove", target_type="waitlistentry", target_id=entry.id,
                     community_id=stype.community_id, resident_id=entry.resident_id, slot_id=entry.slot_id)
        zone = community_zone(session, stype.community_id)
        notify_resident(session, entry.resident_id, "notify.waitlist_removed.title", "notify.waitlist_removed.body",
                        kind="waitlist.removed", link=SERVICE_LINK.format(id=stype.id), when=slot.starts_at,
                        zone=zone, service=stype.named)
    session.commit()
    return entry


def promotion_open(slot: ServiceSlot, stype: ServiceType, now=None) -> bool:
    """Whether a freed place may still go to the waitlist: not after the type's cancel cut-off
    before the slot begins. Someone promoted later could not cancel any more (they would be
    booked for a time they may not make, with no way out in the app), so after the cut-off the
    place stays free for whoever books it directly, knowingly, and the line keeps waiting."""
    return (now or utcnow()) < slot.starts_at - timedelta(minutes=stype.cancel_cutoff_minutes)


def promote(session: Session, actor: Actor | None, slot_id: int, stype: ServiceType,
            zone: ZoneInfo) -> Booking | None:
    """Give a freed place to the first waiting resident who can still take it (the caller
    holds the slot): residents who meanwhile reached the type's limit, are no longer eligible
    or booked the slot themselves are skipped. Nobody is promoted once the cut-off has passed
    (``promotion_open``)."""
    slot = session.exec(select(ServiceSlot).where(ServiceSlot.id == slot_id)
                        .execution_options(populate_existing=True)).one()
    day = session.get(ServiceDay, slot.service_day_id)
    if day.status != DAY_OPEN or not stype.active or not promotion_open(slot, stype):
        return None
    ref_day = slot.starts_at.astimezone(zone).date()
    made: list[Booking] = []

    def admit(entry: WaitlistEntry) -> Admit:
        resident = session.get(Resident, entry.resident_id)
        lock_resident(session, resident.id)
        if (holds_place(session, slot.id, resident.id)
                or not is_eligible(session, stype, resident, local_today(zone))
                or limit_reached(session, stype, resident.id, ref_day, zone)):
            return Admit.SKIP
        if not take_place(session, slot.id):
            return Admit.STOP
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
        made.append(booking)
        return Admit.ADMITTED

    core_waitlist.promote(session, SLOT_WAITLIST, slot.id, admit)
    return made[0] if made else None
