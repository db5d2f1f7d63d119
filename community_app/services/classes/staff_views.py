"""Staff lists: courses and groups (their own and those partners share with them), enrolments,
waitlists and join requests (only the people of the staff member's own community), and the
attendance register of a course. Every function checks the staff role and scope itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_
from sqlmodel import Session, select

from community_app.models import (
    Account,
    Attendance,
    Community,
    Course,
    CourseSession,
    CourseShare,
    Enrollment,
    Resident,
    utcnow,
)
from community_app.services.access import Actor, require_staff
from community_app.services.classes import common, groups
from community_app.services.classes.enrolment import waiting_position
from community_app.services.core import clock
from community_app.services.core.paging import Page, clean_ids, paginate
from community_app.services.errors import DomainError, NotFound, ValidationError

STATUS_FILTERS = ("live", "enrolled", "waiting", "requested", "ended")
ENDED = ("withdrawn", "removed", "skipped", "declined", "closed")


@dataclass(frozen=True)
class CourseRow:
    id: int
    kind: str
    programme: str
    title: str
    teacher: str
    next_start: datetime | None
    enrolled: int
    capacity: int
    waiting: int
    requests: int
    active: bool
    owner: str  # the community that runs it, when it is a partner's
    can_manage: bool


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _visible_courses(actor: Actor):
    shared = select(CourseShare.course_id).where(CourseShare.community_id == actor.community_id)
    return (Course.community_id == actor.community_id) | Course.id.in_(shared)


def course_page(session: Session, actor: Actor, *, filters: dict, page: int = 1, page_size: int = 20) -> Page[CourseRow]:
    """Filters: kind (course / group), programme, status (active / closed), owner (ours /
    shared), q (words of the title)."""
    require_staff(actor)
    stmt = select(Course).where(_visible_courses(actor))
    kind, programme, status = filters.get("kind", ""), filters.get("programme", ""), filters.get("status", "")
    owner, q = filters.get("owner", ""), (filters.get("q", "") or "").strip()[:40]
    if kind:
        stmt = stmt.where(Course.kind == kind)
    if programme:
        stmt = stmt.where(Course.programme == programme)
    if status in ("active", "closed"):
        stmt = stmt.where(Course.active.is_(status == "active"))
    if owner == "ours":
        stmt = stmt.where(Course.community_id == actor.community_id)
    elif owner == "shared":
        stmt = stmt.where(Course.community_id != actor.community_id)
    if q:
        stmt = stmt.where(Course.title.like(_like(q), escape="\\"))
    rows, total, page, size = paginate(session, stmt.order_by(Course.active.desc(), Course.kind, Course.title,
                                                              Course.id), page=page, page_size=page_size)
    ids = [c.id for c in rows]
    now = utcnow()
    nexts = dict(session.exec(select(CourseSession.course_id, func.min(CourseSession.starts_at)).where(
        CourseSession.course_id.in_(ids), CourseSession.status == "scheduled", CourseSession.ends_at > now)
        .group_by(CourseSession.course_id)).all()) if ids else {}
    counts: dict[tuple[int, str], int] = {}
    if ids:
        for cid, st, n in session.exec(
                select(Enrollment.course_id, Enrollment.status, func.count(Enrollment.id))
                .join(Resident, Resident.id == Enrollment.resident_id)
                .where(Enrollment.open_course_id.in_(ids), Enrollment.status.in_(["waiting", "requested"]),
                       Resident.community_id == actor.community_id)
                .group_by(Enrollment.course_id, Enrollment.status)).all():
            counts[(cid, st)] = n
    names = dict(session.exec(select(Community.id, Community.name)).all())
    items = [CourseRow(c.id, c.kind, c.programme, c.title, c.teacher, nexts.get(c.id), c.enrolled, c.capacity,
                       counts.get((c.id, "waiting"), 0), counts.get((c.id, "requested"), 0), c.active,
                       names.get(c.community_id, "") if c.community_id != actor.community_id else "",
                       common.can_manage(actor, c))
             for c in rows]
    return Page(items, total, page, size)


def course_options(session: Session, actor: Actor) -> list[tuple[int, str]]:
    require_staff(actor)
    return [(c.id, c.title) for c in session.exec(select(Course).where(_visible_courses(actor))
                                                   .order_by(Course.active.desc(), Course.title, Course.id)).all()]


# --------------------------------------------------------------------------- enrolments


@dataclass(frozen=True)
class EnrolmentRow:
    id: int
    course_id: int
    course_title: str
    kind: str
    resident_id: int
    name: str
    age: int | None
    status: str
    position: int  # in the waitlist
    behind: bool  # waits behind the others for repeated no-shows
    on_behalf: bool
    has_account: bool
    created_at: datetime
    can_remove: bool
    can_decide: bool


def enrolment_page(session: Session, actor: Actor, *, filters: dict, page: int = 1, page_size: int = 20
                   ) -> Page[EnrolmentRow]:
    """The enrolments of the staff member's own people. Filters: course (id), status (live /
    enrolled / waiting / requested / ended), q (name). Waiting rows come in line order."""
    require_staff(actor)
    status = filters.get("status", "") or "live"
    if status not in STATUS_FILTERS:
        raise ValidationError("error.invalid", field="status")
    stmt = (select(Enrollment, Course, Resident).join(Course, Course.id == Enrollment.course_id)
            .join(Resident, Resident.id == Enrollment.resident_id)
            .where(Resident.community_id == actor.community_id, _visible_courses(actor)))
    course_raw = filters.get("course", "")
    if course_raw:
        if not str(course_raw).isdigit():
            raise ValidationError("error.invalid", field="course")
        stmt = stmt.where(Enrollment.course_id == int(course_raw))
    if status == "live":
        stmt = stmt.where(Enrollment.open_course_id.is_not(None))
    elif status == "ended":
        stmt = stmt.where(Enrollment.status.in_(ENDED))
    else:
        stmt = stmt.where(Enrollment.status == status, Enrollment.open_course_id.is_not(None))
    q = (filters.get("q", "") or "").strip()[:40]
    if q:
        stmt = stmt.where(or_(Resident.name.like(_like(q), escape="\\"), Resident.mobile.like(_like(q), escape="\\")))
    order = (Course.title, Course.id, Enrollment.priority, Enrollment.created_at, Enrollment.id) if status == "waiting" \
        else (Course.title, Course.id, Enrollment.status, Enrollment.created_at.desc(), Enrollment.id)
    rows, total, page, size = paginate(session, stmt.order_by(*order), page=page, page_size=page_size)
    ids = [r.id for _, _, r in rows]
    with_account = set(session.exec(select(Account.resident_id).where(Account.resident_id.in_(ids))).all()) if ids else set()
    today = clock.local_today(clock.community_zone(session, actor.community_id))
    items = [
        EnrolmentRow(e.id, c.id, c.title, c.kind, r.id, r.name,
                     clock.age_on(r.birth_date, today) if r.birth_date else None, e.status,
                     waiting_position(session, e) if e.status == "waiting" else 0, e.priority > 0, e.on_behalf,
                     r.id in with_account, e.created_at, e.status in common.LIVE,
                     e.status == "requested" and groups.can_lead(actor, c))
        for e, c, r in rows
    ]
    return Page(items, total, page, size)


def bulk_approve(session: Session, actor: Actor, *, enrollment_ids) -> tuple[int, int]:
    """Approve several join requests (each in its own transaction); (approved, skipped)."""
    require_staff(actor)
    done = skipped = 0
    for eid in clean_ids(enrollment_ids):
        try:
            groups.decide_request(session, actor, enrollment_id=eid, approve=True)
            done += 1
        except DomainError:
            skipped += 1
    return done, skipped


# --------------------------------------------------------------------------- the register


@dataclass(frozen=True)
class Register:
    zone: ZoneInfo
    course_title: str
    community: str
    sessions: list[tuple[int, datetime, str]]  # id, start, status
    people: list[tuple[int, str]]  # resident id, name
    marks: dict[tuple[int, int], str]  # (resident id, session id) -> present / absent


def register(session: Session, actor: Actor, *, course_id: int) -> Register:
    """The attendance register (考勤表) of a course for the staff member's own people: everyone
    enrolled now or marked once, every session so far (and the cancelled ones, marked so)."""
    course = common.get_course(session, course_id)
    scope = common.staff_scope(session, actor, course)
    if scope is None:
        raise NotFound("classes.error.course_not_found")
    sessions = session.exec(select(CourseSession).where(CourseSession.course_id == course.id,
                                                        CourseSession.starts_at <= utcnow())
                            .order_by(CourseSession.starts_at, CourseSession.id)).all()
    sids = [s.id for s in sessions]
    marked = select(Attendance.resident_id).where(Attendance.session_id.in_(sids)) if sids else None
    enrolled = select(Enrollment.resident_id).where(Enrollment.open_course_id == course.id,
                                                    Enrollment.status == "enrolled")
    who = Resident.id.in_(enrolled) if marked is None else (Resident.id.in_(enrolled) | Resident.id.in_(marked))
    people = session.exec(select(Resident).where(who, Resident.community_id == scope)
                          .order_by(Resident.name, Resident.id)).all()
    marks = {(a.resident_id, a.session_id): a.status
             for a in session.exec(select(Attendance).where(Attendance.session_id.in_(sids))).all()} if sids else {}
    community = session.get(Community, scope)
    return Register(common.zone_of(session, course), course.title, community.name if community else "",
                    [(s.id, s.starts_at, s.status) for s in sessions], [(p.id, p.name) for p in people], marks)
