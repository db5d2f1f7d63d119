"""Classes in the shared notices: the day-before reminders (a source for
``services/reminders.py``) and the staff home's to-do items (a provider for ``services/todo.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, select

from community_app import routes
from community_app.models import Attendance, Community, Course, CourseSession, Enrollment, Resident, utcnow
from community_app.services.access import Actor, require_staff
from community_app.services.classes import common
from community_app.services.core.reminders import Reminder

UNMARKED_DAYS = 7


def class_reminders(session: Session, community: Community, tomorrow: date, start: datetime, end: datetime,
                    zone: ZoneInfo) -> Iterator[Reminder]:
    """Tomorrow's sessions of the community's courses: each person enrolled (or the parent who
    enrolled a child) and the teacher are reminded once per session."""
    rows = session.exec(
        select(CourseSession, Course).join(Course, Course.id == CourseSession.course_id)
        .where(Course.community_id == community.id, CourseSession.status == "scheduled",
               CourseSession.starts_at >= start, CourseSession.starts_at < end)
        .order_by(CourseSession.starts_at, CourseSession.id)
    ).all()
    for row, course in rows:
        where = row.location or course.location
        enrolled = session.exec(select(Enrollment, Resident.name).join(Resident, Resident.id == Enrollment.resident_id)
                                .where(Enrollment.open_course_id == course.id,
                                       Enrollment.status == "enrolled")).all()
        for e, name in enrolled:
            account_id = common.tell_account(session, e.resident_id, e.created_by_account_id)
            if account_id is None:
                continue
            yield Reminder(dedupe_key=f"classes.remind:{row.id}:{e.resident_id}:{tomorrow.isoformat()}",
                           title_key="classes.remind.title", body_key="classes.remind.body", when=row.starts_at,
                           kind="classes.reminder", link=routes.class_course(course.id), account_id=account_id,
                           params={"course": course.title, "name": name, "where": where})
        if course.teacher_account_id is not None:
            yield Reminder(dedupe_key=f"classes.remind_teacher:{row.id}:{tomorrow.isoformat()}",
                           title_key="classes.remind.teacher_title", body_key="classes.remind.teacher_body",
                           when=row.starts_at, kind="classes.reminder", link=routes.class_roll(row.id),
                           account_id=course.teacher_account_id,
                           params={"course": course.title, "where": where, "code": row.checkin_code})


def class_todo(session: Session, actor: Actor) -> list:
    """Join requests waiting for a decision, and sessions of the last week whose roll still has
    people of the community not marked."""
    from community_app.services.todo import TodoItem  # services/todo.py imports this provider

    require_staff(actor)
    cid = actor.community_id
    requests = session.exec(
        select(func.count(Enrollment.id)).join(Course, Course.id == Enrollment.course_id)
        .where(Course.community_id == cid, Enrollment.status == "requested", Enrollment.open_course_id.is_not(None))
    ).one()
    now = utcnow()
    recent = session.exec(
        select(CourseSession.id, CourseSession.course_id).join(Course, Course.id == CourseSession.course_id)
        .where(Course.community_id == cid, CourseSession.status == "scheduled", CourseSession.ends_at <= now,
               CourseSession.ends_at > now - timedelta(days=UNMARKED_DAYS))
    ).all()
    unmarked = 0
    for sid, course_id in recent:
        enrolled = session.exec(select(func.count(Enrollment.id)).where(
            Enrollment.open_course_id == course_id, Enrollment.status == "enrolled")).one()
        marked = session.exec(select(func.count(Attendance.id)).where(Attendance.session_id == sid)).one()
        unmarked += int(enrolled > marked)
    return [
        TodoItem("classes.requests", "classes.todo.requests", int(requests), routes.staff_enrolments(status="requested")),
        TodoItem("classes.unmarked", "classes.todo.unmarked", unmarked, routes.STAFF_CLASSES),
    ]
