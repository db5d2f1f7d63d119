"""Sessions (上课时间): staff add single dates or a weekly rule with exceptions (skipped dates), in
the community's time zone; each session gets a check-in code and, when the course has a function
room, reserves it (``rooms``): all or nothing, and a refusal names every date that cannot have
the room so staff can skip those. Cancelling a session frees the room and tells the people
enrolled and the teacher. Audited."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, select

from community_app import routes
from community_app.models import CourseSession, Enrollment, utcnow
from community_app.services import audit
from community_app.services.access import Actor
from community_app.services.classes import common, rooms
from community_app.services.core import clock
from community_app.services.core.notify import notify_t
from community_app.services.core.text import clean_text
from community_app.services.core.tx import lock, mutating
from community_app.services.errors import Conflict, NotFound, ValidationError

MAX_SESSIONS = 60  # per rule
MAX_SPAN_DAYS = 366
MAX_MINUTES = 8 * 60
CHECKIN_OPENS = timedelta(minutes=30)  # before the start
CHECKIN_CLOSES = timedelta(minutes=30)  # after the end
MARK_DAYS = 14  # the roll can be marked until this long after a session


def parse_day(value, *, field: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError("classes.error.date", field=field)


def parse_time(value, *, field: str) -> time:
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    if isinstance(value, str) and len(value.strip()) == 5:
        try:
            return time.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError("classes.error.time", field=field)


def get_session(session: Session, session_id, *, locked: bool = False) -> CourseSession:
    if isinstance(session_id, bool) or not isinstance(session_id, int) or session_id <= 0:
        raise NotFound("classes.error.session_not_found")
    stmt = select(CourseSession).where(CourseSession.id == session_id)
    row = session.exec(lock(session, stmt) if locked else stmt).first()
    if row is None:
        raise NotFound("classes.error.session_not_found")
    return row


def new_code() -> str:
    return f"{secrets.randbelow(10000):04d}"


def _day_list(days: Iterable[date]) -> str:
    """12-03, 12-10 (the dates a refusal names)."""
    return ", ".join(d.strftime("%m-%d") for d in days)


def _create(session: Session, actor: Actor, course_id: int, days: list[date], start: time, end: time,
            location: str) -> list[CourseSession]:
    course = common.get_course(session, course_id, locked=True)
    common.require_manage(actor, course)
    if not days:
        raise ValidationError("classes.error.no_dates", field="dates")
    if len(days) > MAX_SESSIONS:
        raise ValidationError("classes.error.too_many_sessions", field="dates", n=MAX_SESSIONS)
    if end <= start:
        raise ValidationError("classes.error.end_before_start", field="end")
    if (datetime.combine(date.min, end) - datetime.combine(date.min, start)) > timedelta(minutes=MAX_MINUTES):
        raise ValidationError("classes.error.too_long", field="end")
    zone = common.zone_of(session, course)
    now = utcnow()
    location = clean_text(location, field="location", max_len=120) or course.location
    existing = session.exec(select(CourseSession).where(CourseSession.course_id == course.id,
                                                        CourseSession.status == "scheduled")).all()
    made, busy, closed, past, clash = [], [], [], [], []
    for day in sorted(set(days)):
        starts, ends = clock.local_to_utc(day, start, zone), clock.local_to_utc(day, end, zone)
        if starts <= now:
            past.append(day)
            continue
        if any(s.starts_at < ends and s.ends_at > starts for s in existing):
            clash.append(day)
            continue
        row = CourseSession(course_id=course.id, starts_at=starts, ends_at=ends, location=location,
                            checkin_code=new_code())
        session.add(row)
        session.flush()
        if course.room_type_id is not None:
            problem = rooms.reserve(session, row, course.room_type_id)
            if problem == rooms.BUSY:
                busy.append(day)
            elif problem == rooms.CLOSED:
                closed.append(day)
        made.append(row)
    for key, bad in (("classes.error.dates_past", past), ("classes.error.dates_clash", clash),
                     ("classes.error.room_busy", busy), ("classes.error.room_closed", closed)):
        if bad:  # the caller's @mutating rolls everything back
            raise Conflict(key, field="dates", dates=_day_list(bad),
                           room=location)
    audit.record(session, actor, "classes.session.add", target_type="course", target_id=course.id,
                 community_id=course.community_id, sessions=len(made), first=min(days), last=max(days))
    return made


@mutating
def add_session(session: Session, actor: Actor, *, course_id: int, day, start, end, location: str = ""
                ) -> CourseSession:
    """One dated session (a talk, an extra class). Commits."""
    made = _create(session, actor, course_id, [parse_day(day, field="day")], parse_time(start, field="start"),
                   parse_time(end, field="end"), location)
    session.commit()
    return made[0]


def weekly_dates(weekdays, first: date, last: date, skip: Iterable[date] = ()) -> list[date]:
    """Every date from ``first`` to ``last`` on one of ``weekdays`` (0 = Monday), without ``skip``."""
    skip = set(skip)
    out, day = [], first
    while day <= last:
        if day.weekday() in weekdays and day not in skip:
            out.append(day)
        day += timedelta(days=1)
    return out


@mutating
def add_weekly(session: Session, actor: Actor, *, course_id: int, weekdays, start, end, first, last,
               skip=(), location: str = "") -> list[CourseSession]:
    """A weekly rule: every ``weekdays`` from ``first`` to ``last``, except the ``skip`` dates
    (holidays). All or nothing. Commits."""
    if isinstance(weekdays, str | bytes) or not weekdays or not all(
            isinstance(w, int) and not isinstance(w, bool) and 0 <= w <= 6 for w in weekdays):
        raise ValidationError("classes.error.weekdays", field="weekdays")
    first_day, last_day = parse_day(first, field="first"), parse_day(last, field="last")
    if last_day < first_day:
        raise ValidationError("classes.error.last_before_first", field="last")
    if (last_day - first_day).days > MAX_SPAN_DAYS:
        raise ValidationError("classes.error.span_too_long", field="last")
    if isinstance(skip, str | bytes):
        raise ValidationError("classes.error.date", field="skip")
    skipped = [parse_day(d, field="skip") for d in skip or ()]
    days = weekly_dates(set(weekdays), first_day, last_day, skipped)
    made = _create(session, actor, course_id, days, parse_time(start, field="start"), parse_time(end, field="end"),
                   location)
    session.commit()
    return made


@mutating
def cancel_session(session: Session, actor: Actor, *, session_id: int, reason: str) -> CourseSession:
    """Staff cancel one session: its room is freed and the people enrolled (or their parents) and
    the teacher are told why. Audited. Commits."""
    reason = clean_text(reason, field="reason", max_len=200, required_key="classes.error.reason_required")
    row = get_session(session, session_id)
    course = common.get_course(session, row.course_id, locked=True)
    common.require_manage(actor, course)
    row = get_session(session, session_id, locked=True)
    if row.status != "scheduled":
        raise Conflict("classes.error.session_cancelled")
    if row.ends_at <= utcnow():
        raise Conflict("classes.error.session_over")
    row.status = "cancelled"
    row.note = reason
    session.add(row)
    rooms.release(session, row)
    zone = common.zone_of(session, course)
    enrolled = session.exec(select(Enrollment).where(Enrollment.open_course_id == course.id,
                                                     Enrollment.status == "enrolled")).all()
    accounts = {common.tell_account(session, e.resident_id, e.created_by_account_id) for e in enrolled}
    accounts.add(course.teacher_account_id)
    for account_id in sorted(a for a in accounts if a is not None):
        notify_t(session, account_id=account_id, kind="classes.session_cancelled",
                 title_key="classes.notify.session_cancelled.title", body_key="classes.notify.session_cancelled.body",
                 link=routes.class_course(course.id), dedupe_key=f"classes.session_cancelled:{row.id}:{account_id}",
                 when=row.starts_at, zone=zone, course=course.title, reason=reason)
    audit.record(session, actor, "classes.session.cancel", target_type="coursesession", target_id=row.id,
                 community_id=course.community_id, reason=reason)
    session.commit()
    return row


def checkin_open(row: CourseSession, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return row.status == "scheduled" and row.starts_at - CHECKIN_OPENS <= now <= row.ends_at + CHECKIN_CLOSES


def markable(row: CourseSession, now: datetime | None = None) -> bool:
    """The roll can be marked from half an hour before the start until two weeks after."""
    now = now or utcnow()
    return row.status == "scheduled" and row.starts_at - CHECKIN_OPENS <= now <= row.ends_at + timedelta(days=MARK_DAYS)


@dataclass(frozen=True)
class SessionView:
    id: int
    starts_at: datetime
    ends_at: datetime
    location: str
    status: str
    note: str
    checkin_code: str  # only for those who run the session
    room_problem: bool = False


def course_sessions(session: Session, actor: Actor, *, course_id: int, upcoming: bool = True,
                    limit: int = 100) -> list[SessionView]:
    """Staff and the teacher: the course's sessions (upcoming, or the latest past ones) with the
    check-in code."""
    course = common.get_course(session, course_id)
    if common.staff_scope(session, actor, course) is None and not common.is_teacher(actor, course):
        raise NotFound("classes.error.course_not_found")
    now = utcnow()
    stmt = select(CourseSession).where(CourseSession.course_id == course.id)
    if upcoming:
        stmt = stmt.where(CourseSession.ends_at > now).order_by(CourseSession.starts_at, CourseSession.id)
    else:
        stmt = stmt.where(CourseSession.ends_at <= now).order_by(CourseSession.starts_at.desc(), CourseSession.id)
    rows = session.exec(stmt.limit(max(1, min(int(limit), 200)))).all()
    problems = rooms.hold_problems(session, [r.id for r in rows])
    show_code = common.can_manage(actor, course) or common.is_teacher(actor, course)
    return [SessionView(r.id, r.starts_at, r.ends_at, r.location, r.status, r.note,
                        r.checkin_code if show_code else "", r.id in problems) for r in rows]
