"""Attendance (点名 / 签到): the teacher marks each person present or absent on the session's roll
(on a phone: one big toggle per person), or staff do for the people of their community; residents
sign in themselves (and the children they brought) by typing the session's check-in code shown by
the teacher. Residents see their own record. An "absent" mark is a no-show (``noshows``); every
mark is in the audit log; marking present calls the points hook (``points_hook``)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from community_app.models import (
    Account,
    Attendance,
    Community,
    Course,
    CourseSession,
    Enrollment,
    Resident,
    utcnow,
)
from community_app.services import audit
from community_app.services.access import Actor
from community_app.services.classes import common, noshows, points_hook
from community_app.services.classes.sessions import checkin_open, get_session, markable
from community_app.services.core.tx import lock, mutating
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError

STATUSES = ("present", "absent")
MAX_CODE_FAILURES = 8


@dataclass(frozen=True)
class RollRow:
    resident_id: int
    name: str
    status: str  # present / absent / "" (not marked)
    method: str  # teacher / staff / code
    community: str  # the person's community when it is not the course's (a partner)


@dataclass(frozen=True)
class RollView:
    session_id: int
    course_id: int
    course_title: str
    starts_at: datetime
    ends_at: datetime
    location: str
    status: str  # scheduled / cancelled
    checkin_code: str
    can_mark: bool
    rows: list[RollRow] = field(default_factory=list)
    zone: ZoneInfo | None = None  # the community's, to show the times in

    @property
    def present(self) -> int:
        return sum(r.status == "present" for r in self.rows)

    @property
    def absent(self) -> int:
        return sum(r.status == "absent" for r in self.rows)

    @property
    def unmarked(self) -> int:
        return sum(r.status == "" for r in self.rows)


def _access(session: Session, actor: Actor | None, row: CourseSession) -> tuple[Course, int | None]:
    """The course and the community whose people the actor sees on the roll (None = everyone,
    for the teacher)."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    course = common.get_course(session, row.course_id)
    if common.is_teacher(actor, course):
        return course, None
    scope = common.staff_scope(session, actor, course)
    if scope is None:
        raise NotFound("classes.error.session_not_found")
    return course, scope


def _roll_people(session: Session, course: Course, row: CourseSession, scope: int | None) -> list[Resident]:
    enrolled = select(Enrollment.resident_id).where(Enrollment.open_course_id == course.id,
                                                    Enrollment.status == "enrolled")
    marked = select(Attendance.resident_id).where(Attendance.session_id == row.id)
    stmt = select(Resident).where(Resident.id.in_(enrolled) | Resident.id.in_(marked))
    if scope is not None:
        stmt = stmt.where(Resident.community_id == scope)
    return list(session.exec(stmt.order_by(Resident.name, Resident.id)).all())


def roll(session: Session, actor: Actor, *, session_id: int) -> RollView:
    """The session's roll for the teacher (everyone) or staff (their community's people)."""
    row = get_session(session, session_id)
    course, scope = _access(session, actor, row)
    people = _roll_people(session, course, row, scope)
    marks = {a.resident_id: a for a in session.exec(select(Attendance).where(Attendance.session_id == row.id)).all()}
    names = dict(session.exec(select(Community.id, Community.name)).all())
    rows = [RollRow(p.id, p.name, marks[p.id].status if p.id in marks else "",
                    marks[p.id].method if p.id in marks else "",
                    names.get(p.community_id, "") if p.community_id != course.community_id else "")
            for p in people]
    show_code = common.is_teacher(actor, course) or common.can_manage(actor, course)
    return RollView(row.id, course.id, course.title, row.starts_at, row.ends_at, row.location or course.location,
                    row.status, row.checkin_code if show_code else "", markable(row), rows, common.zone_of(session, course))


def _award(session: Session, course: Course, row: CourseSession, resident_id: int) -> None:
    points_hook.award_attendance_points(session, community_id=course.community_id, resident_id=resident_id,
                                        role="attendee", source=f"class-attendance:{row.id}:{resident_id}",
                                        course_title=course.title)


def _award_teacher(session: Session, course: Course, row: CourseSession) -> None:
    if course.teacher_account_id is None:
        return
    account = session.get(Account, course.teacher_account_id)
    points_hook.award_attendance_points(session, community_id=course.community_id,
                                        resident_id=account.resident_id if account else None, role="teacher",
                                        source=f"class-teaching:{row.id}", course_title=course.title)


def _set(session: Session, actor: Actor, course: Course, row: CourseSession, resident_id: int, status: str,
         method: str) -> bool:
    """Write one mark; True when it changed."""
    mark = session.exec(select(Attendance).where(Attendance.session_id == row.id,
                                                 Attendance.resident_id == resident_id)).first()
    if mark is not None and mark.status == status:
        return False
    first_of_session = session.exec(select(Attendance.id).where(Attendance.session_id == row.id)).first() is None
    if mark is None:
        mark = Attendance(session_id=row.id, resident_id=resident_id, status=status)
    mark.status, mark.method, mark.marked_by_account_id, mark.updated_at = status, method, actor.account_id, utcnow()
    session.add(mark)
    session.flush()
    if first_of_session:
        _award_teacher(session, course, row)
    if status == "present":
        _award(session, course, row, resident_id)
    noshows.refresh_priority(session, resident_id, course.community_id)
    return True


def _locked_session(session: Session, actor: Actor, session_id: int) -> tuple[CourseSession, Course, int | None]:
    row = get_session(session, session_id)
    course, scope = _access(session, actor, row)
    row = get_session(session, session_id, locked=True)
    if not markable(row):
        raise Conflict("classes.error.not_markable")
    return row, course, scope


@mutating
def mark(session: Session, actor: Actor, *, session_id: int, resident_id: int, status: str) -> bool:
    """Mark one person present or absent. The teacher marks anyone enrolled; staff mark their own
    community's people. Audited. Commits."""
    if status not in STATUSES:
        raise ValidationError("error.invalid", field="status")
    row, course, scope = _locked_session(session, actor, session_id)
    people = {p.id: p for p in _roll_people(session, course, row, scope)}
    if resident_id not in people:
        raise NotFound("classes.error.person_not_found")
    method = "teacher" if scope is None else "staff"
    changed = _set(session, actor, course, row, resident_id, status, method)
    if changed:
        audit.record(session, actor, "classes.attendance.mark", target_type="coursesession", target_id=row.id,
                     community_id=people[resident_id].community_id, resident_id=resident_id, status=status)
    session.commit()
    return changed


@mutating
def mark_rest_absent(session: Session, actor: Actor, *, session_id: int) -> int:
    """Everyone on the roll not marked yet is marked absent. Audited. Commits."""
    row, course, scope = _locked_session(session, actor, session_id)
    marked = set(session.exec(select(Attendance.resident_id).where(Attendance.session_id == row.id)).all())
    method = "teacher" if scope is None else "staff"
    n = 0
    for p in _roll_people(session, course, row, scope):
        if p.id not in marked:
            n += int(_set(session, actor, course, row, p.id, "absent", method))
    if n:
        audit.record(session, actor, "classes.attendance.rest_absent", target_type="coursesession", target_id=row.id,
                     community_id=course.community_id, marked=n)
    session.commit()
    return n


@mutating
def check_in(session: Session, actor: Actor, *, session_id: int, code: str) -> list[str]:
    """签到: the resident types the code the teacher shows, during the session (from half an hour
    before to half an hour after); they and the household members they brought who are enrolled
    are marked present. Returns their names. Too many wrong codes lock check-in for them (the
    teacher marks them instead). Commits."""
    people = common.household_people(session, actor)
    if actor is None or not people:
        raise NotAllowed("error.resident_only")
    row = get_session(session, session_id)
    course = common.get_course(session, row.course_id, locked=True)
    row = get_session(session, session_id, locked=True)
    rows = session.exec(lock(session, select(Enrollment).where(
        Enrollment.open_course_id == course.id, Enrollment.status == "enrolled",
        Enrollment.resident_id.in_([p.id for p in people])).order_by(Enrollment.id))).all()
    if not rows:
        raise NotFound("classes.error.session_not_found")
    if not checkin_open(row):
        raise Conflict("classes.error.checkin_closed")
    if any(e.checkin_failures >= MAX_CODE_FAILURES for e in rows):
        raise Conflict("classes.error.checkin_locked")
    typed = (code or "").strip() if isinstance(code, str) else ""
    if not typed or not hmac.compare_digest(typed.encode(), row.checkin_code.encode()):
        for e in rows:
            e.checkin_failures += 1
            session.add(e)
        session.commit()  # the failed try counts (nothing else changed)
        raise ValidationError("classes.error.wrong_code", field="code")
    names = {p.id: p.name for p in people}
    for e in rows:
        e.checkin_failures = 0
        session.add(e)
        _set(session, actor, course, row, e.resident_id, "present", "code")
    session.commit()
    return [names[e.resident_id] for e in rows]


@dataclass(frozen=True)
class AttendanceRow:
    course_id: int
    course_title: str
    person: str
    starts_at: datetime
    status: str


def my_attendance(session: Session, actor: Actor, *, limit: int = 50) -> list[AttendanceRow]:
    """The marks of the resident and the household members they act for, latest first."""
    people = {p.id: p.name for p in common.household_people(session, actor)}
    if not people:
        return []
    rows = session.exec(
        select(Attendance, CourseSession, Course).join(CourseSession, CourseSession.id == Attendance.session_id)
        .join(Course, Course.id == CourseSession.course_id)
        .where(Attendance.resident_id.in_(list(people)))
        .order_by(CourseSession.starts_at.desc(), Attendance.id.desc()).limit(max(1, min(int(limit), 200)))
    ).all()
    return [AttendanceRow(c.id, c.title, people[a.resident_id], s.starts_at, a.status) for a, s, c in rows]
