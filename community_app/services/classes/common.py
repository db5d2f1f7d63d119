"""What every classes module shares: loading a course, who may see or manage it, the age rule,
the household members a resident acts for, and whom to tell about a person.

Visibility: a course is run by one community (``Course.community_id``) and may be shared with
partner communities (``CourseShare``). Residents of those communities see it and may enrol.
Staff manage the courses of their own community; staff of a partner community see a shared
course and act for their own residents only. Each community's staff see only their own people
(staff views filter enrolments by the enrolled resident's community); the teacher sees the names
on the roll of the sessions they teach.

Ages are completed years on the community's local date (``core.clock.age_on``) from the full
birth date: a person with only a birth year, or none, cannot be enrolled in a course with an
age limit until staff complete the date.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from community_app.models import Account, Course, CourseShare, Resident
from community_app.services.access import Actor
from community_app.services.core import clock
from community_app.services.core.tx import lock
from community_app.services.errors import NotAllowed, NotFound, ValidationError

PROGRAMMES = ("early_years", "youth", "elderly", "talks", "skills", "arts")
KINDS = ("course", "group")
LIVE = ("enrolled", "waiting", "requested")
# Programmes for older people (the "for the elderly" filter also takes courses from 55 up).
ELDERLY_PROGRAMMES = ("elderly",)
ELDERLY_AGE = 55
CHILD_AGE = 18  # under this, a household member counts as a child for the "for my child" filter


def get_course(session: Session, course_id, *, locked: bool = False) -> Course:
    if isinstance(course_id, bool) or not isinstance(course_id, int) or course_id <= 0:
        raise NotFound("classes.error.course_not_found")
    stmt = select(Course).where(Course.id == course_id)
    # populate_existing: the counters change by UPDATE statements, never through the object.
    course = session.exec(lock(session, stmt) if locked else stmt.execution_options(populate_existing=True)).first()
    if course is None:
        raise NotFound("classes.error.course_not_found")
    return course


def get_resident(session: Session, resident_id) -> Resident:
    if isinstance(resident_id, bool) or not isinstance(resident_id, int) or resident_id <= 0:
        raise NotFound("classes.error.person_not_found")
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise NotFound("classes.error.person_not_found")
    return resident


def zone_of(session: Session, course: Course) -> ZoneInfo:
    return clock.community_zone(session, course.community_id)


def today_of(session: Session, course: Course) -> date:
    return clock.local_today(zone_of(session, course))


def shared_with(session: Session, course_id: int) -> set[int]:
    """The partner communities a course is shared with."""
    return set(session.exec(select(CourseShare.community_id).where(CourseShare.course_id == course_id)).all())


def open_communities(session: Session, course: Course) -> set[int]:
    """The communities whose residents may enrol."""
    return {course.community_id} | shared_with(session, course.id)


def is_teacher(actor: Actor | None, course: Course) -> bool:
    return actor is not None and course.teacher_account_id is not None and actor.account_id == course.teacher_account_id


def can_manage(actor: Actor | None, course: Course) -> bool:
    """Staff of the community that runs the course."""
    return actor is not None and actor.can_staff(course.community_id)


def staff_scope(session: Session, actor: Actor | None, course: Course) -> int | None:
    """The community whose people this staff member sees in the course: their own, when the course
    is theirs or shared with it (a sub-district admin looking at another community's course sees
    that community's); None when they are not staff for it."""
    if actor is None or not actor.is_staff:
        return None
    if actor.can_staff(actor.community_id) and actor.community_id in open_communities(session, course):
        return actor.community_id
    if actor.can_staff(course.community_id):
        return course.community_id
    return None


def can_see(session: Session, actor: Actor | None, course: Course) -> bool:
    if actor is None:
        return False
    if can_manage(actor, course) or is_teacher(actor, course):
        return True
    return actor.community_id in open_communities(session, course)


def require_see(session: Session, actor: Actor | None, course: Course) -> None:
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    if not can_see(session, actor, course):
        raise NotFound("classes.error.course_not_found")


def require_manage(actor: Actor | None, course: Course) -> None:
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    if not can_manage(actor, course):
        raise NotAllowed("error.staff_only")


# --------------------------------------------------------------------------- people


def has_account(session: Session, resident_id: int) -> bool:
    return session.exec(select(Account.id).where(Account.resident_id == resident_id)).first() is not None


def household_people(session: Session, actor: Actor | None) -> list[Resident]:
    """The people a resident acts for: themself first, then the members of their household who
    have no account of their own (a child, a grandparent without a phone), by birth date."""
    if actor is None or actor.resident_id is None:
        return []
    me = session.get(Resident, actor.resident_id)
    if me is None:
        return []
    if me.household_id is None:
        return [me]
    others = session.exec(
        select(Resident).where(Resident.household_id == me.household_id, Resident.id != me.id)
        .order_by(Resident.birth_date, Resident.id)
    ).all()
    with_account = set(session.exec(select(Account.resident_id).where(
        Account.resident_id.in_([r.id for r in others]))).all()) if others else set()
    return [me] + [r for r in others if r.id not in with_account]


def can_act_for(session: Session, actor: Actor | None, resident: Resident) -> bool:
    """The resident themself, or a household member without an account of their own."""
    return any(p.id == resident.id for p in household_people(session, actor))


def require_act_for(session: Session, actor: Actor | None, resident_id) -> Resident:
    """The person a resident acts for (themself when ``resident_id`` is None)."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    if actor.resident_id is None:
        raise NotAllowed("error.resident_only")
    resident = get_resident(session, actor.resident_id if resident_id is None else resident_id)
    if not can_act_for(session, actor, resident):
        raise NotAllowed("classes.error.not_your_household")
    return resident


def age_refusal(course: Course, resident: Resident, today: date) -> tuple[str, dict] | None:
    """Why ``resident`` is outside the course's ages on ``today`` (an i18n key and its values),
    or None when the age fits (or the course has no age limit)."""
    if course.min_age is None and course.max_age is None:
        return None
    if resident.birth_date is None:
        return "classes.error.birth_date_missing", {"name": resident.name}
    age = clock.age_on(resident.birth_date, today)
    if course.min_age is not None and age < course.min_age:
        return "classes.error.too_young", {"name": resident.name, "age": age, "ages": ages_text(course)}
    if course.max_age is not None and age > course.max_age:
        return "classes.error.too_old", {"name": resident.name, "age": age, "ages": ages_text(course)}
    return None


def ages_text(course: Course) -> str:
    """"0-6", "60+" or "" (the i18n texts wrap it in words)."""
    if course.min_age is not None and course.max_age is not None:
        return f"{course.min_age}-{course.max_age}"
    if course.min_age is not None:
        return f"{course.min_age}+"
    if course.max_age is not None:
        return f"0-{course.max_age}"
    return ""


def eligibility_refusal(session: Session, course: Course, resident: Resident, today: date
                        ) -> tuple[str, dict] | None:
    """Why ``resident`` may not join ``course`` now (community, closed, age), or None."""
    if resident.community_id not in open_communities(session, course):
        return "classes.error.not_open_to_you", {"name": resident.name}
    if not course.active:
        return "classes.error.closed", {}
    return age_refusal(course, resident, today)


def check_eligible(session: Session, course: Course, resident: Resident, today: date) -> None:
    refusal = eligibility_refusal(session, course, resident, today)
    if refusal is not None:
        key, params = refusal
        raise ValidationError(key, field="person", **params)


def tell_account(session: Session, resident_id: int, created_by_account_id: int | None) -> int | None:
    """Whom to tell about a person's place: their own account; for someone without one (a child),
    the household member who enrolled them, else the first member of their household with an
    account. None when nobody can be told."""
    own = session.exec(select(Account.id).where(Account.resident_id == resident_id,
                                                Account.is_active.is_(True))).first()
    if own is not None:
        return own
    person = session.get(Resident, resident_id)
    if person is None or person.household_id is None:
        return None
    family = session.exec(
        select(Account.id).join(Resident, Resident.id == Account.resident_id)
        .where(Resident.household_id == person.household_id, Account.is_active.is_(True))
        .order_by(Account.id)
    ).all()
    if created_by_account_id in family:
        return created_by_account_id
    return family[0] if family else None
