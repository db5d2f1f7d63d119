"""Calendar files (.ics, RFC 5545) of class sessions, generated with the ``icalendar`` package:
a resident's own (their courses and their household's, and the sessions they teach) and one
course's. Each session has a stable UID; a cancelled session stays in the file with
STATUS:CANCELLED and a higher SEQUENCE so calendars that imported it take it off. Texts are in the
reader's language."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlparse

from icalendar import Alarm, Calendar, Event
from sqlmodel import Session, select

from community_app.i18n import t
from community_app.models import Course, CourseSession, Enrollment, utcnow
from community_app.services.access import Actor
from community_app.services.classes import common
from community_app.services.errors import NotAllowed
from community_app.settings import get_settings

PAST_DAYS = 30  # sessions kept in a file after they happened
MAX_EVENTS = 500


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//community_app//Linlitong classes//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    return cal


def _event(row: CourseSession, course: Course, locale: str, host: str, people: list[str]) -> Event:
    ev = Event()
    ev.add("uid", f"class-session-{row.id}@{host}")
    ev.add("dtstamp", utcnow())
    ev.add("dtstart", row.starts_at)
    ev.add("dtend", row.ends_at)
    ev.add("summary", course.title)
    location = row.location or course.location
    if location:
        ev.add("location", location)
    lines = []
    if course.teacher:
        lines.append(t("classes.ics.teacher", locale, name=course.teacher))
    if people:
        lines.append(t("classes.ics.people", locale, names="、".join(people)))
    if row.status == "cancelled":
        lines.append(t("classes.ics.cancelled", locale, reason=row.note))
    if lines:
        ev.add("description", "\n".join(lines))
    ev.add("status", "CANCELLED" if row.status == "cancelled" else "CONFIRMED")
    ev.add("sequence", 1 if row.status == "cancelled" else 0)
    if row.status != "cancelled":
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", course.title)
        alarm.add("trigger", timedelta(hours=-1))
        ev.add_component(alarm)
    return ev


def _host() -> str:
    return urlparse(get_settings().app_origin).hostname or "localhost"


def my_calendar(session: Session, actor: Actor) -> bytes:
    """The sessions of the reader's live enrolments (and their household's) and of the courses
    they teach, from a month back on."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    people = {p.id: p.name for p in common.household_people(session, actor)}
    enrolled: dict[int, list[str]] = {}
    if people:
        for cid, rid in session.exec(select(Enrollment.course_id, Enrollment.resident_id).where(
                Enrollment.open_course_id.is_not(None), Enrollment.status == "enrolled",
                Enrollment.resident_id.in_(list(people)))).all():
            enrolled.setdefault(cid, []).append(people[rid])
    taught = set(session.exec(select(Course.id).where(Course.teacher_account_id == actor.account_id)).all())
    ids = set(enrolled) | taught
    cal = _calendar(t("classes.ics.my_name", actor.locale))
    if ids:
        rows = session.exec(
            select(CourseSession, Course).join(Course, Course.id == CourseSession.course_id)
            .where(CourseSession.course_id.in_(ids), CourseSession.ends_at > utcnow() - timedelta(days=PAST_DAYS))
            .order_by(CourseSession.starts_at, CourseSession.id).limit(MAX_EVENTS)
        ).all()
        host = _host()
        for row, course in rows:
            cal.add_component(_event(row, course, actor.locale, host, enrolled.get(course.id, [])))
    return cal.to_ical()


def course_calendar(session: Session, actor: Actor, *, course_id: int) -> bytes:
    """Every session of one course the reader may see, from a month back on."""
    course = common.get_course(session, course_id)
    common.require_see(session, actor, course)
    cal = _calendar(course.title)
    rows = session.exec(select(CourseSession).where(
        CourseSession.course_id == course.id, CourseSession.ends_at > utcnow() - timedelta(days=PAST_DAYS))
        .order_by(CourseSession.starts_at, CourseSession.id).limit(MAX_EVENTS)).all()
    host = _host()
    for row in rows:
        cal.add_component(_event(row, course, actor.locale, host, []))
    return cal.to_ical()
