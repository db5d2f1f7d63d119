"""Calendar files (.ics) for anything dated, written with the maintained ``icalendar`` package
(RFC 5545: escaping, line folding that never splits a UTF-8 character, UTC times)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

from icalendar import Alarm, Calendar, Event

from community_app.models import utcnow
from community_app.settings import get_settings

__all__ = ["CalendarEvent", "to_ics"]


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable per thing, e.g. "booking-12"; the host is added
    start: datetime  # aware
    end: datetime
    summary: str
    location: str = ""
    description: str = ""
    sequence: int = 0  # bumped when the time changes, so calendars update the event
    last_modified: datetime | None = None
    alarm_minutes: int | None = 60


def to_ics(events: list[CalendarEvent], *, product: str = "Linlitong") -> str:
    """One calendar with the events, as text."""
    host = urlparse(get_settings().app_origin).hostname or "localhost"
    cal = Calendar()
    cal.add("prodid", f"-//community_app//{product}//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    for e in events:
        ev = Event()
        ev.add("uid", f"{e.uid}@{host}")
        ev.add("dtstamp", utcnow().astimezone(UTC))
        ev.add("dtstart", e.start.astimezone(UTC))
        ev.add("dtend", e.end.astimezone(UTC))
        ev.add("sequence", max(0, e.sequence))
        if e.last_modified is not None:
            ev.add("last-modified", e.last_modified.astimezone(UTC))
        ev.add("summary", e.summary)
        if e.location:
            ev.add("location", e.location)
        if e.description:
            ev.add("description", e.description)
        ev.add("status", "CONFIRMED")
        ev.add("transp", "OPAQUE")
        if e.alarm_minutes:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", e.summary)
            alarm.add("trigger", timedelta(minutes=-e.alarm_minutes))
            ev.add_component(alarm)
        cal.add_component(ev)
    return cal.to_ical().decode("utf-8")
