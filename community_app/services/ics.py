"""Calendar export: one confirmed booking as an iCalendar file (RFC 5545), written by hand.

UTC times (``...Z``), CRLF line endings, TEXT values escaped, lines folded at 75 octets
without splitting a UTF-8 character. The UID is stable per booking and SEQUENCE grows when
the booking is moved or re-assigned, so calendars replace the old entry.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

from sqlmodel import Session, select

from community_app.i18n import t
from community_app.models import (
    Booking,
    BookingEvent,
    BookingStatus,
    ServiceDay,
    ServiceSlot,
    ServiceType,
    utcnow,
)
from community_app.services.access import Actor
from community_app.services.booking import (
    HOLDING_ACTIVE,
    VISIT_MINUTES,
    _can_view,
    _contact_phone,
    _get_booking,
)
from community_app.services.errors import Conflict
from community_app.settings import get_settings

CRLF = "\r\n"


def escape_text(value: str) -> str:
    """RFC 5545 3.3.11 TEXT: backslash, semicolon, comma and newlines escaped."""
    return (
        (value or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """RFC 5545 3.1: lines longer than 75 octets continue on the next line after CRLF and
    one space; a multi-byte UTF-8 character is never split."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append(current)
            current, size = " ", 1  # the leading space counts towards the next line's 75
        current += ch
        size += n
    out.append(current)
    return CRLF.join(out)


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def ics_filename(booking_id: int) -> str:
    return f"booking-{int(booking_id)}.ics"


def booking_ics(session: Session, actor: Actor, booking_id: int) -> str:
    """The .ics text of a confirmed booking (approved or assigned, with a time) for the
    resident who made it, staff of the community or the assigned volunteer. Texts are in
    the actor's language."""
    booking: Booking = _get_booking(session, booking_id)
    _can_view(actor, booking)
    if booking.status not in HOLDING_ACTIVE or booking.scheduled_at is None:
        raise Conflict("booking.error.not_confirmed")
    stype = session.get(ServiceType, booking.service_type_id)
    locale = actor.locale
    start = booking.scheduled_at
    location = stype.location
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
    if booking.address and booking.slot_id is None:
        details.append(t("booking.ics.address", locale, address=booking.address))
    phone = _contact_phone(session, stype)
    if phone:
        details.append(t("booking.ics.phone", locale, phone=phone))
    sequence = session.exec(
        select(BookingEvent.id).where(
            BookingEvent.booking_id == booking.id,
            BookingEvent.status.in_(["rescheduled", BookingStatus.ASSIGNED]),
        )
    ).all()
    host = urlparse(get_settings().app_origin).hostname or "localhost"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//community_app//Linlitong bookings//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:booking-{booking.id}@{host}",
        f"DTSTAMP:{_stamp(utcnow())}",
        f"DTSTART:{_stamp(start)}",
        f"DTEND:{_stamp(end)}",
        f"SEQUENCE:{max(0, len(sequence) - (0 if booking.slot_id else 1))}",
        f"LAST-MODIFIED:{_stamp(booking.updated_at)}",
        f"SUMMARY:{escape_text(stype.name)}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if details:
        lines.append(f"DESCRIPTION:{escape_text(chr(10).join(details))}")
    lines += [
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape_text(stype.name)}",
        "TRIGGER:-PT1H",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return CRLF.join(fold(line) for line in lines) + CRLF
