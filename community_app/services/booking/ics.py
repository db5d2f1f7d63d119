"""A confirmed booking as a calendar file (.ics), for whoever may see the booking."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from community_app.i18n import t
from community_app.models import BookingEvent, BookingStatus, ServiceDay, ServiceSlot, ServiceType
from community_app.services.access import Actor
from community_app.services.booking.common import HOLDING_ACTIVE, VISIT_MINUTES, contact_phone, get_booking
from community_app.services.booking.views import viewer_role
from community_app.services.core.calendar import CalendarEvent, to_ics
from community_app.services.errors import Conflict

__all__ = ["booking_ics", "ics_filename"]


def ics_filename(booking_id: int) -> str:
    return f"booking-{int(booking_id)}.ics"


def booking_ics(session: Session, actor: Actor, booking_id: int) -> str:
    """The .ics text of a confirmed booking (approved or assigned, with a time) for the
    resident who made it, staff of the community or the assigned volunteer. Texts are in
    the actor's language."""
    booking = get_booking(session, booking_id)
    viewer_role(actor, booking)
    if booking.status not in HOLDING_ACTIVE or booking.scheduled_at is None:
        raise Conflict("booking.error.not_confirmed")
    stype = session.get(ServiceType, booking.service_type_id)
    locale = actor.locale
    start = booking.scheduled_at
    details: list[str] = []
    if booking.slot_id is not None:
        slot = session.get(ServiceSlot, booking.slot_id)
        day = session.get(ServiceDay, slot.service_day_id)
        end = slot.ends_at
        location = (day.location if day else "") or stype.location
        details.append(t("booking.ics.slot", locale, n=slot.number))
    else:
        end = start + timedelta(minutes=VISIT_MINUTES)
        location = booking.address or stype.location
        if booking.assignee_name:
            details.append(t("booking.ics.assignee", locale, name=booking.assignee_name))
        if booking.address:
            details.append(t("booking.ics.address", locale, address=booking.address))
    phone = contact_phone(session, stype)
    if phone:
        details.append(t("booking.ics.phone", locale, phone=phone))
    changes = session.exec(select(BookingEvent.id).where(
        BookingEvent.booking_id == booking.id,
        BookingEvent.status.in_(["rescheduled", BookingStatus.ASSIGNED]))).all()
    return to_ics([CalendarEvent(
        uid=f"booking-{booking.id}", start=start, end=end, summary=stype.name_in(locale), location=location or "",
        description="\n".join(details), sequence=len(changes) - (0 if booking.slot_id else 1),
        last_modified=booking.updated_at,
    )], product="Linlitong bookings")
