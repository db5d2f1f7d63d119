"""The venue of a class session: a function room (理发室、自习室、活动室 ...) booked through the room's
own service slots, so two classes never take one room and nobody books a room a class is using.

Design. Function rooms are bookable ``ServiceType`` s of category "room" with generated
``ServiceDay`` / ``ServiceSlot`` rows (services/catalogue.py). The booking code is not touched:
a session reserves every slot of its room that overlaps its time, inside the session's own
transaction, by taking *all* of each slot's places with ``core.capacity.take`` (a conditional
``UPDATE ... SET taken = taken + capacity WHERE taken + capacity <= capacity``). That succeeds only
while nobody holds a place in the slot, so:

- a second class cannot take a slot a class holds (its taken is already at capacity);
- a resident cannot book a slot a class holds (the booking service finds it full), and a class
  cannot take a slot a resident has booked (taken > 0): the room is busy;
- the reservation is recorded in ``ClassRoomHold`` with ``holding_slot_id`` unique while it
  lasts, so even a counter out of step could never let two sessions hold the same slot.

The session's whole time must be covered by the room's open slots of that day (a room closed
then, or whose days are not generated yet, is refused). Releasing (the session is cancelled)
gives the places back and closes the hold. All functions run in the caller's write transaction
and do not commit.

Known limit (booking code, not changed here): when staff cancel a room's whole service day in the
catalogue, ``catalogue.cancel_day`` recounts each slot's ``taken`` from its bookings, which drops
the class's places; the hold stays recorded and ``hold_problems`` reports the session so staff
can see that the room is off that day.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from community_app.models import ClassRoomHold, CourseSession, ServiceDay, ServiceSlot, ServiceType, utcnow
from community_app.services.core import capacity
from community_app.services.core.tx import lock

log = logging.getLogger(__name__)

BUSY = "busy"  # a slot is booked or held
CLOSED = "closed"  # the room is not open for the whole time


def room_types(session: Session, community_id: int) -> list[ServiceType]:
    """The community's function rooms a course may use."""
    return list(session.exec(
        select(ServiceType).where(ServiceType.community_id == community_id, ServiceType.category == "room",
                                  ServiceType.kind == "slot", ServiceType.active.is_(True))
        .order_by(ServiceType.id)
    ).all())


def is_room(session: Session, community_id: int, room_type_id: int) -> bool:
    return any(r.id == room_type_id for r in room_types(session, community_id))


def _covering_slots(session: Session, room_type_id: int, starts: datetime, ends: datetime) -> list[ServiceSlot] | None:
    """The room's open slots overlapping [starts, ends), or None when they leave a gap."""
    slots = list(session.exec(
        select(ServiceSlot).join(ServiceDay, ServiceDay.id == ServiceSlot.service_day_id)
        .where(ServiceSlot.service_type_id == room_type_id, ServiceDay.status == "open",
               ServiceSlot.starts_at < ends, ServiceSlot.ends_at > starts)
        .order_by(ServiceSlot.starts_at, ServiceSlot.id)
    ).all())
    if not slots or slots[0].starts_at > starts:
        return None
    reach = slots[0].ends_at
    for s in slots[1:]:
        if s.starts_at > reach:
            return None
        reach = max(reach, s.ends_at)
    return slots if reach >= ends else None


def reserve(session: Session, course_session: CourseSession, room_type_id: int) -> str | None:
    """Reserve the room for the session; None when done, else BUSY or CLOSED (then nothing of
    this session is held, though places taken for it earlier in the same transaction stay until
    the caller rolls back)."""
    slots = _covering_slots(session, room_type_id, course_session.starts_at, course_session.ends_at)
    if slots is None:
        return CLOSED
    for s in slots:
        slot = session.exec(lock(session, select(ServiceSlot).where(ServiceSlot.id == s.id))).one()
        if slot.taken > 0 or not capacity.take(session, ServiceSlot, slot.id, n=slot.capacity):
            return BUSY
        hold = ClassRoomHold(session_id=course_session.id, slot_id=slot.id, holding_slot_id=slot.id,
                             places=slot.capacity)
        session.add(hold)
        try:
            with session.begin_nested():
                session.flush()
        except IntegrityError:
            session.expunge(hold)
            return BUSY
    return None


def release(session: Session, course_session: CourseSession) -> int:
    """Give the session's room slots back; returns how many slots were released."""
    holds = session.exec(lock(session, select(ClassRoomHold).where(
        ClassRoomHold.session_id == course_session.id, ClassRoomHold.holding_slot_id.is_not(None))
        .order_by(ClassRoomHold.slot_id))).all()
    for hold in holds:
        try:
            capacity.give_back(session, ServiceSlot, hold.slot_id, n=hold.places)
        except capacity.CounterDrift:
            # The room's day was cancelled in the catalogue and its counter recounted from the
            # bookings: the places are not counted any more, so there is nothing to give back.
            log.warning("room slot %s: class hold of session %s was no longer counted", hold.slot_id,
                        course_session.id)
        hold.holding_slot_id = None
        hold.released_at = utcnow()
        session.add(hold)
    session.flush()
    return len(holds)


def hold_problems(session: Session, session_ids: list[int]) -> set[int]:
    """Sessions whose reserved room day has been cancelled in the catalogue since."""
    if not session_ids:
        return set()
    rows = session.exec(
        select(ClassRoomHold.session_id).join(ServiceSlot, ServiceSlot.id == ClassRoomHold.slot_id)
        .join(ServiceDay, ServiceDay.id == ServiceSlot.service_day_id)
        .where(ClassRoomHold.session_id.in_(session_ids), ClassRoomHold.holding_slot_id.is_not(None),
               ServiceDay.status != "open")
    ).all()
    return set(rows)
