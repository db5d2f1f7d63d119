"""Mediation sessions (调解会) in the mediation room, through the room's slots.

The mediation room ("小胡说事" 议事调解室) is an ordinary bookable room of the catalogue: a
ServiceType with category "room" (the community's setting ``MediationSettings.room_type_id``,
else the type with code "room_mediation"), with a weekly schedule whose generated ServiceSlots
are its hours. Booking code is not touched: a session holds its place the same way a booking
does, in the same counter.

- The place is taken with ``core.capacity.take`` on the ServiceSlot (``UPDATE ... SET taken =
  taken + 1 WHERE taken < capacity``) inside the session's transaction; a full slot (a resident
  booked the room, or another session holds it) is refused, with no read-check-write.
- The reservation is our own row, MediationSession, whose ``holding_slot_id`` (= slot_id while
  it holds the place, NULL once cancelled) is unique: never two sessions in one slot, whatever
  the room's capacity.
- Cancelling gives the place back (``capacity.give_back``), except on a day staff cancelled in
  the catalogue: ``cancel_day`` recounts ``taken`` from bookings only, so our place is already
  gone from the counter.
- Lock order: case -> slot (then the session row), as everywhere in this domain.

Known gaps, because the catalogue belongs to bookings: moving a room day (``move_day``) moves
the session with its slot but only tells bookings; cancelling a room day does not tell the
parties of a session on it (the staff case page shows "day cancelled").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from community_app import routes
from community_app.db import is_sqlite
from community_app.models import (
    CaseParty,
    Community,
    MediationCase,
    MediationSession,
    MediationSettings,
    ServiceDay,
    ServiceSlot,
    ServiceType,
    utcnow,
)
from community_app.services import audit
from community_app.services.access import Actor
from community_app.services.core import capacity
from community_app.services.core.reminders import Reminder
from community_app.services.core.text import clean_text
from community_app.services.core.tx import lock, mutating
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from community_app.services.mediation.common import (
    can_mediate,
    notify_parties,
    parties_of,
    record_step,
    staff_case,
)

__all__ = ["ROOM_CODE", "SlotOption", "cancel_session", "end_open_sessions", "free_room_slots", "record_session",
           "room_choices", "room_type", "schedule_session", "session_reminders"]

ROOM_CODE = "room_mediation"
DAY_OPEN = "open"


@dataclass(frozen=True)
class SlotOption:
    slot_id: int
    starts_at: datetime  # UTC
    ends_at: datetime
    location: str
    free: int


def room_type(session: Session, community_id: int) -> ServiceType | None:
    """The community's mediation room: the type chosen in its settings, else the room type
    with code ``room_mediation``."""
    chosen = session.exec(select(MediationSettings.room_type_id)
                          .where(MediationSettings.community_id == community_id)).first()
    stmt = select(ServiceType).where(ServiceType.community_id == community_id, ServiceType.category == "room")
    if chosen:
        room = session.exec(stmt.where(ServiceType.id == chosen)).first()
        if room is not None:
            return room
    return session.exec(stmt.where(ServiceType.code == ROOM_CODE)).first()


def free_room_slots(session: Session, actor: Actor, *, case_id: int, days: int = 21, limit: int = 60
                    ) -> list[SlotOption]:
    """The room's slots that have not started and have a free place, in the next ``days``."""
    access = staff_case(session, actor, case_id)
    room = room_type(session, access.case.community_id)
    if room is None:
        return []
    now = utcnow()
    rows = session.exec(
        select(ServiceSlot, ServiceDay.location)
        .join(ServiceDay, ServiceDay.id == ServiceSlot.service_day_id)
        .where(ServiceSlot.service_type_id == room.id, ServiceDay.status == DAY_OPEN, ServiceSlot.starts_at > now,
               ServiceSlot.starts_at < now + timedelta(days=max(1, min(int(days), 60))),
               ServiceSlot.taken < ServiceSlot.capacity)
        .order_by(ServiceSlot.starts_at, ServiceSlot.id).limit(max(1, min(int(limit), 200)))
    ).all()
    return [SlotOption(s.id, s.starts_at, s.ends_at, loc or room.location, s.capacity - s.taken) for s, loc in rows]


def _slot_row(session: Session, slot_id) -> tuple[ServiceSlot, ServiceDay, ServiceType]:
    if isinstance(slot_id, bool) or not isinstance(slot_id, int) or slot_id <= 0:
        raise ValidationError("mediation.error.slot_invalid", field="slot_id")
    row = session.exec(
        select(ServiceSlot, ServiceDay, ServiceType)
        .join(ServiceDay, ServiceDay.id == ServiceSlot.service_day_id)
        .join(ServiceType, ServiceType.id == ServiceSlot.service_type_id)
        .where(ServiceSlot.id == slot_id).execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise ValidationError("mediation.error.slot_invalid", field="slot_id")
    return row


@mutating
def schedule_session(session: Session, actor: Actor, *, case_id: int, slot_id: int, note: str = ""
                     ) -> MediationSession:
    """Book a session of the parties in one of the mediation room's slots (see the module
    docstring for how the place is held). The parties are told when and where. Audited.
    Commits."""
    access = staff_case(session, actor, case_id, for_update=True)
    case = access.case
    if case.status != "in_progress":
        raise Conflict("mediation.error.not_in_progress")
    note = clean_text(note, field="note", max_len=500)
    room = room_type(session, case.community_id)
    slot, day, stype = _slot_row(session, slot_id)
    if room is None or stype.id != room.id:
        raise ValidationError("mediation.error.slot_invalid", field="slot_id")
    if day.status != DAY_OPEN or slot.starts_at <= utcnow():
        raise Conflict("mediation.error.slot_gone")
    if not capacity.take(session, ServiceSlot, slot.id):
        raise Conflict("mediation.error.slot_full")
    if not is_sqlite(session):
        # READ COMMITTED: we hold the slot row now; see what a concurrent cancel_day changed.
        status = session.exec(select(ServiceDay.status).where(ServiceDay.id == day.id)).one()
        if status != DAY_OPEN:
            raise Conflict("mediation.error.slot_gone")
    meeting = MediationSession(case_id=case.id, slot_id=slot.id, holding_slot_id=slot.id, note=note,
                               created_by_account_id=actor.account_id)
    session.add(meeting)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Conflict("mediation.error.slot_full") from None
    location = day.location or stype.location
    record_step(session, case, actor, "session_scheduled", note=note, session_id=meeting.id, feedback=True)
    notify_parties(session, case, access.parties, "mediation.notify.session.title", "mediation.notify.session.body",
                   when=slot.starts_at, location=location)
    audit.record(session, actor, "mediation.session.schedule", target_type="mediationcase", target_id=case.id,
                 community_id=case.community_id, slot_id=slot.id, session_id=meeting.id)
    session.commit()
    return meeting


def _meeting(session: Session, actor: Actor, session_id) -> tuple[MediationSession, MediationCase, list]:
    if isinstance(session_id, bool) or not isinstance(session_id, int) or session_id <= 0:
        raise NotFound("mediation.error.session_not_found")
    found = session.exec(select(MediationSession.case_id).where(MediationSession.id == session_id)).first()
    if found is None:
        raise NotFound("mediation.error.session_not_found")
    access = staff_case(session, actor, found, for_update=True)
    meeting = session.exec(lock(session, select(MediationSession).where(MediationSession.id == session_id))).one()
    return meeting, access.case, access.parties


def _release(session: Session, meeting: MediationSession) -> None:
    """Give the slot's place back (unless its day was cancelled in the catalogue, which already
    recounted the slot) and stop holding it."""
    day_status = session.exec(select(ServiceDay.status).join(ServiceSlot, ServiceSlot.service_day_id == ServiceDay.id)
                              .where(ServiceSlot.id == meeting.slot_id)).one()
    if meeting.holding_slot_id is not None and day_status == DAY_OPEN:
        session.exec(lock(session, select(ServiceSlot).where(ServiceSlot.id == meeting.slot_id))).one()
        capacity.give_back(session, ServiceSlot, meeting.slot_id)
    meeting.holding_slot_id = None
    meeting.status = "cancelled"
    session.add(meeting)


@mutating
def cancel_session(session: Session, actor: Actor, *, session_id: int, reason: str = "") -> MediationSession:
    """Cancel a scheduled session; the room's place is free again and the parties are told.
    Audited. Commits."""
    meeting, case, parties = _meeting(session, actor, session_id)
    if meeting.status != "scheduled":
        raise Conflict("mediation.error.session_not_scheduled")
    reason = clean_text(reason, field="reason", max_len=300)
    starts = session.exec(select(ServiceSlot.starts_at).where(ServiceSlot.id == meeting.slot_id)).one()
    _release(session, meeting)
    record_step(session, case, actor, "session_cancelled", note=reason, session_id=meeting.id, feedback=True)
    notify_parties(session, case, parties, "mediation.notify.session_cancelled.title",
                   "mediation.notify.session_cancelled.body", when=starts)
    audit.record(session, actor, "mediation.session.cancel", target_type="mediationcase", target_id=case.id,
                 community_id=case.community_id, session_id=meeting.id)
    session.commit()
    return meeting


@mutating
def record_session(session: Session, actor: Actor, *, session_id: int, note: str) -> MediationSession:
    """The session took place: what was discussed, shown to the parties. The room's place stays
    used. Audited. Commits."""
    meeting, case, parties = _meeting(session, actor, session_id)
    if meeting.status != "scheduled":
        raise Conflict("mediation.error.session_not_scheduled")
    starts = session.exec(select(ServiceSlot.starts_at).where(ServiceSlot.id == meeting.slot_id)).one()
    if starts > utcnow():
        raise Conflict("mediation.error.session_not_yet")
    note = clean_text(note, field="note", max_len=1000, required_key="mediation.error.text_required")
    meeting.status = "held"
    session.add(meeting)
    record_step(session, case, actor, "session_held", note=note, session_id=meeting.id, feedback=True)
    audit.record(session, actor, "mediation.session.record", target_type="mediationcase", target_id=case.id,
                 community_id=case.community_id, session_id=meeting.id)
    session.commit()
    return meeting


def end_open_sessions(session: Session, actor: Actor, case: MediationCase, parties: list[CaseParty]) -> int:
    """When a case closes: sessions still ahead are cancelled and their places freed (in the
    caller's transaction)."""
    now = utcnow()
    ahead = session.exec(lock(session, select(MediationSession).join(
        ServiceSlot, ServiceSlot.id == MediationSession.slot_id).where(
        MediationSession.case_id == case.id, MediationSession.status == "scheduled",
        ServiceSlot.starts_at > now).order_by(MediationSession.id))).all()
    for meeting in ahead:
        _release(session, meeting)
        record_step(session, case, actor, "session_cancelled", note_key="mediation.note.case_closed",
                    session_id=meeting.id)
    return len(ahead)


def session_reminders(session: Session, community: Community, tomorrow, start, end, zone):
    """Reminder source (``services/reminders.py``): the parties of a session tomorrow."""
    rows = session.exec(
        select(MediationSession, ServiceSlot.starts_at, ServiceDay.location, MediationCase)
        .join(ServiceSlot, ServiceSlot.id == MediationSession.slot_id)
        .join(ServiceDay, ServiceDay.id == ServiceSlot.service_day_id)
        .join(MediationCase, MediationCase.id == MediationSession.case_id)
        .where(MediationCase.community_id == community.id, MediationSession.status == "scheduled",
               ServiceSlot.starts_at >= start, ServiceSlot.starts_at < end)
    ).all()
    for meeting, starts, location, case in rows:
        for p in parties_of(session, case.id):
            if p.resident_id is None:
                continue
            yield Reminder(dedupe_key=f"mediation.session:{meeting.id}:{p.id}:{tomorrow.isoformat()}",
                           title_key="mediation.notify.session_tomorrow.title",
                           body_key="mediation.notify.session_tomorrow.body", when=starts, kind="mediation",
                           link=routes.mediation_case(case.id), resident_id=p.resident_id,
                           params={"number": case.number, "location": location or ""})



def room_choices(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of the room types of the actor's community (the settings' room select)."""
    if not can_mediate(session, actor, actor.community_id if actor else 0):
        raise NotAllowed("error.staff_only")
    return [(r.id, r.name_in(actor.locale)) for r in session.exec(select(ServiceType).where(
        ServiceType.community_id == actor.community_id, ServiceType.category == "room").order_by(ServiceType.id)).all()]
