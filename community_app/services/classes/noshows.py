"""No-shows (爽约/缺席) and the waitlist priority they give.

A no-show is an "absent" mark on a session the person was enrolled in. Once a person has
``no_show_limit`` of them within ``no_show_days`` (the community's ``ClassSettings``; staff set
them), they wait with priority 1 instead of 0 on every waitlist of that community's courses: the
line is ordered by (priority, created_at, id), so they stand behind everyone without that many
no-shows, and among themselves first come first served. The priority is set when they join a line
and updated on their waiting rows whenever an attendance mark changes.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, update
from sqlmodel import Session, select

from community_app.models import Attendance, ClassSettings, Course, CourseSession, Enrollment, utcnow

NORMAL = 0
BEHIND = 1


def _settings(session: Session, community_id: int) -> ClassSettings:
    row = session.exec(select(ClassSettings).where(ClassSettings.community_id == community_id)).first()
    return row or ClassSettings(community_id=community_id)


def no_show_count(session: Session, resident_id: int, community_id: int, *, days: int | None = None) -> int:
    """Absences of the person in the community's courses over the last ``days`` (the
    community's window by default)."""
    window = days if days is not None else _settings(session, community_id).no_show_days
    since = utcnow() - timedelta(days=window)
    return int(session.exec(
        select(func.count(Attendance.id))
        .join(CourseSession, CourseSession.id == Attendance.session_id)
        .join(Course, Course.id == CourseSession.course_id)
        .where(Attendance.resident_id == resident_id, Attendance.status == "absent",
               Course.community_id == community_id, CourseSession.starts_at >= since)
    ).one())


def priority_for(session: Session, resident_id: int, community_id: int) -> int:
    settings = _settings(session, community_id)
    count = no_show_count(session, resident_id, community_id, days=settings.no_show_days)
    return BEHIND if count >= settings.no_show_limit else NORMAL


def refresh_priority(session: Session, resident_id: int, community_id: int) -> None:
    """Update the person's waiting rows in the community's courses after their record changed."""
    priority = priority_for(session, resident_id, community_id)
    course_ids = select(Course.id).where(Course.community_id == community_id)
    session.execute(
        update(Enrollment)
        .where(Enrollment.resident_id == resident_id, Enrollment.waiting_course_id.is_not(None),
               Enrollment.course_id.in_(course_ids), Enrollment.priority != priority)
        .values(priority=priority)
        .execution_options(synchronize_session=False)
    )
