"""What residents read: the 课堂 list with its filters, a course page (with what each person the
reader acts for may do, as ``can_*`` flags the actions check again), and 我的课程."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, select

from community_app.models import Community, Course, CourseSession, CourseShare, Enrollment, Resident, utcnow
from community_app.services.access import Actor
from community_app.services.classes import attendance, common, groups
from community_app.services.classes.enrolment import waiting_position
from community_app.services.classes.sessions import checkin_open, markable
from community_app.services.core import clock
from community_app.services.errors import NotAllowed, ValidationError

AUDIENCES = ("all", "me", "child", "elderly")
NEXT_SESSIONS = 6


@dataclass(frozen=True)
class CourseCard:
    id: int
    kind: str
    programme: str
    title: str
    teacher: str
    location: str
    ages: str
    next_start: datetime | None
    upcoming: int
    places_left: int
    waiting: int
    partner: str  # the community that runs it, when not the reader's
    mine: list[str] = field(default_factory=list)  # names of the reader's people in it


@dataclass(frozen=True)
class Catalogue:
    zone: ZoneInfo
    cards: list[CourseCard]


def _open_course_ids(session: Session, community_id: int):
    shared = select(CourseShare.course_id).where(CourseShare.community_id == community_id)
    return select(Course).where(Course.active.is_(True),
                                (Course.community_id == community_id) | Course.id.in_(shared))


def _next_sessions(session: Session, course_ids: list[int]) -> dict[int, tuple[datetime, int]]:
    if not course_ids:
        return {}
    rows = session.exec(
        select(CourseSession.course_id, func.min(CourseSession.starts_at), func.count(CourseSession.id))
        .where(CourseSession.course_id.in_(course_ids), CourseSession.status == "scheduled",
               CourseSession.ends_at > utcnow())
        .group_by(CourseSession.course_id)
    ).all()
    return {cid: (first, n) for cid, first, n in rows}


def _waiting_counts(session: Session, course_ids: list[int]) -> dict[int, int]:
    if not course_ids:
        return {}
    return dict(session.exec(select(Enrollment.waiting_course_id, func.count(Enrollment.id))
                             .where(Enrollment.waiting_course_id.in_(course_ids))
                             .group_by(Enrollment.waiting_course_id)).all())


def _fits(course: Course, person: Resident, today) -> bool:
    return common.age_refusal(course, person, today) is None and (
        course.min_age is not None or course.max_age is not None)


def catalogue(session: Session, actor: Actor, *, audience: str = "all") -> Catalogue:
    """The courses and groups open to the reader's community, filtered: "me" (my age fits),
    "child" (a child of my household fits), "elderly" (桑榆课堂 and courses from 55 up)."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    if audience not in AUDIENCES:
        raise ValidationError("error.invalid", field="audience")
    zone = clock.community_zone(session, actor.community_id)
    today = clock.local_today(zone)
    courses = list(session.exec(_open_course_ids(session, actor.community_id)
                                .order_by(Course.kind, Course.programme, Course.title, Course.id)).all())
    people = common.household_people(session, actor)
    me = people[0] if people else None
    children = [p for p in people[1:] if p.birth_date and clock.age_on(p.birth_date, today) < common.CHILD_AGE]
    if audience == "me":
        courses = [c for c in courses if me is not None and (
            common.age_refusal(c, me, today) is None)]
    elif audience == "child":
        courses = [c for c in courses if any(_fits(c, p, today) for p in children)]
    elif audience == "elderly":
        courses = [c for c in courses if c.programme in common.ELDERLY_PROGRAMMES
                   or (c.min_age is not None and c.min_age >= common.ELDERLY_AGE)]
    ids = [c.id for c in courses]
    nexts, waiting = _next_sessions(session, ids), _waiting_counts(session, ids)
    names = dict(session.exec(select(Community.id, Community.name)).all())
    mine: dict[int, list[str]] = {}
    if people and ids:
        by_id = {p.id: p.name for p in people}
        for cid, rid in session.exec(select(Enrollment.course_id, Enrollment.resident_id).where(
                Enrollment.open_course_id.in_(ids), Enrollment.resident_id.in_(list(by_id)))).all():
            mine.setdefault(cid, []).append(by_id[rid])
    cards = [
        CourseCard(c.id, c.kind, c.programme, c.title, c.teacher, c.location, common.ages_text(c),
                   nexts.get(c.id, (None, 0))[0], nexts.get(c.id, (None, 0))[1], max(0, c.capacity - c.enrolled),
                   waiting.get(c.id, 0), names.get(c.community_id, "") if c.community_id != actor.community_id else "",
                   mine.get(c.id, []))
        for c in courses
    ]
    return Catalogue(zone, cards)


# --------------------------------------------------------------------------- one course


@dataclass(frozen=True)
class PersonRow:
    resident_id: int
    name: str
    is_me: bool
    age: int | None
    status: str  # "" / enrolled / waiting / requested
    enrollment_id: int
    position: int  # in the waitlist, 1 = next
    refusal_key: str  # why they may not join (i18n key), "" when they may
    refusal_params: dict
    can_enrol: bool
    can_wait: bool
    can_request: bool
    can_withdraw: bool


@dataclass(frozen=True)
class SessionRow:
    id: int
    starts_at: datetime
    ends_at: datetime
    location: str
    status: str
    note: str
    checkin: bool  # check-in is open now and one of the reader's people is enrolled
    roll: bool  # the reader may open its roll (teacher or staff) now


@dataclass(frozen=True)
class CourseDetail:
    zone: ZoneInfo
    id: int
    kind: str
    programme: str
    title: str
    description: str
    teacher: str
    location: str
    ages: str
    capacity: int
    places_left: int
    waiting: int
    active: bool
    partner: str
    is_teacher: bool
    can_manage: bool
    can_lead: bool
    is_member: bool
    people: list[PersonRow]
    sessions: list[SessionRow]
    members: list[groups.MemberView]
    posts: list[groups.PostView]
    attendance: list[attendance.AttendanceRow]


def _person_row(session: Session, course: Course, person: Resident, is_me: bool, today, full: bool,
                line: int) -> PersonRow:
    row = session.exec(select(Enrollment).where(Enrollment.open_course_id == course.id,
                                                Enrollment.resident_id == person.id)).first()
    age = clock.age_on(person.birth_date, today) if person.birth_date else None
    status = row.status if row is not None else ""
    refusal = common.eligibility_refusal(session, course, person, today) if row is None else None
    key, params = refusal if refusal is not None else ("", {})
    free = not refusal and row is None
    is_course = course.kind == "course"
    return PersonRow(
        person.id, person.name, is_me, age, status, row.id if row else 0,
        waiting_position(session, row) if row is not None and status == "waiting" else 0, key, params,
        can_enrol=free and is_course and not full and line == 0,
        can_wait=free and is_course and (full or line > 0),
        can_request=free and not is_course and not full,
        can_withdraw=row is not None,
    )


def course_detail(session: Session, actor: Actor, *, course_id: int) -> CourseDetail:
    course = common.get_course(session, course_id)
    common.require_see(session, actor, course)
    zone = common.zone_of(session, course)
    today = clock.local_today(zone)
    line = int(session.exec(select(func.count(Enrollment.id)).where(Enrollment.waiting_course_id == course.id)).one())
    full = course.enrolled >= course.capacity
    people = common.household_people(session, actor)
    rows = [_person_row(session, course, p, i == 0, today, full, line) for i, p in enumerate(people)]
    # Those who are in it or may join first (a parent sees the child's button at the top).
    rows.sort(key=lambda r: not (r.status or r.can_enrol or r.can_wait or r.can_request))
    mine = {r.resident_id for r in rows if r.status == "enrolled"}
    teacher, manage = common.is_teacher(actor, course), common.can_manage(actor, course)
    now = utcnow()
    sessions = session.exec(
        select(CourseSession).where(CourseSession.course_id == course.id,
                                    CourseSession.ends_at > now - timedelta(hours=2))
        .order_by(CourseSession.starts_at, CourseSession.id).limit(NEXT_SESSIONS)
    ).all()
    staff = common.staff_scope(session, actor, course) is not None
    srows = [SessionRow(s.id, s.starts_at, s.ends_at, s.location or course.location, s.status, s.note,
                        bool(mine) and checkin_open(s, now), (teacher or staff) and markable(s, now))
             for s in sessions]
    lead, member = groups.can_lead(actor, course), bool(mine)
    names = dict(session.exec(select(Community.id, Community.name)).all())
    return CourseDetail(
        zone, course.id, course.kind, course.programme, course.title, course.description, course.teacher,
        course.location, common.ages_text(course), course.capacity, max(0, course.capacity - course.enrolled), line,
        course.active, names.get(course.community_id, "") if course.community_id != actor.community_id else "",
        teacher, manage, lead, member, rows, srows,
        groups.members(session, course, with_requests=lead) if (member or lead) and course.kind == "group" else [],
        groups.posts(session, course) if member or lead else [],
        [a for a in attendance.my_attendance(session, actor) if a.course_id == course.id][:10],
    )


# --------------------------------------------------------------------------- 我的课程


@dataclass(frozen=True)
class EntryRow:
    enrollment_id: int
    course_id: int
    title: str
    kind: str
    person: str
    status: str
    position: int


@dataclass(frozen=True)
class UpcomingRow:
    session_id: int
    course_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str
    people: list[str]
    checkin: bool


@dataclass(frozen=True)
class TeachRow:
    session_id: int
    course_id: int
    title: str
    starts_at: datetime
    location: str
    can_mark: bool


@dataclass(frozen=True)
class MyClasses:
    zone: ZoneInfo
    entries: list[EntryRow]
    upcoming: list[UpcomingRow]
    teaching: list[TeachRow]
    attendance: list[attendance.AttendanceRow]


def _upcoming(session: Session, entries: list[EntryRow], now: datetime) -> list[UpcomingRow]:
    enrolled: dict[int, list[str]] = {}
    for e in entries:
        if e.status == "enrolled":
            enrolled.setdefault(e.course_id, []).append(e.person)
    if not enrolled:
        return []
    rows = session.exec(
        select(CourseSession, Course).join(Course, Course.id == CourseSession.course_id)
        .where(CourseSession.course_id.in_(list(enrolled)), CourseSession.status == "scheduled",
               CourseSession.ends_at > now - timedelta(minutes=30))
        .order_by(CourseSession.starts_at, CourseSession.id).limit(20)
    ).all()
    return [UpcomingRow(s.id, c.id, c.title, s.starts_at, s.ends_at, s.location or c.location, enrolled[c.id],
                        checkin_open(s, now)) for s, c in rows]


def my_classes(session: Session, actor: Actor) -> MyClasses:
    """The reader's live enrolments (and their household's), upcoming sessions, the sessions they
    teach, and their attendance."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    zone = clock.community_zone(session, actor.community_id)
    now = utcnow()
    people = {p.id: p.name for p in common.household_people(session, actor)}
    entries: list[EntryRow] = []
    if people:
        rows = session.exec(
            select(Enrollment, Course).join(Course, Course.id == Enrollment.course_id)
            .where(Enrollment.open_course_id.is_not(None), Enrollment.resident_id.in_(list(people)))
            .order_by(Course.title, Enrollment.id)
        ).all()
        entries = [EntryRow(e.id, c.id, c.title, c.kind, people[e.resident_id], e.status,
                            waiting_position(session, e) if e.status == "waiting" else 0) for e, c in rows]
    taught = session.exec(
        select(CourseSession, Course).join(Course, Course.id == CourseSession.course_id)
        .where(Course.teacher_account_id == actor.account_id, CourseSession.status == "scheduled",
               CourseSession.ends_at > now - timedelta(days=7), CourseSession.starts_at < now + timedelta(days=14))
        .order_by(CourseSession.starts_at, CourseSession.id).limit(20)
    ).all()
    teaching = [TeachRow(s.id, c.id, c.title, s.starts_at, s.location or c.location, markable(s, now))
                for s, c in taught]
    return MyClasses(zone, entries, _upcoming(session, entries, now), teaching,
                     attendance.my_attendance(session, actor, limit=30))
