"""Staff manage courses and groups: create and edit them, open or close enrolment, share them
with partner communities, and set the community's class rules (how many no-shows put a person
behind the others on waitlists). Every change is audited."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, delete, select

from community_app.models import (
    Account,
    ClassSettings,
    Community,
    Course,
    CourseShare,
    Role,
    RoleGrant,
    utcnow,
)
from community_app.services import audit
from community_app.services.access import Actor, require_staff
from community_app.services.classes import common, rooms
from community_app.services.classes.enrolment import promote_waitlist
from community_app.services.core.text import clean_int, clean_text
from community_app.services.core.tx import mutating
from community_app.services.errors import NotFound, ValidationError

MAX_CAPACITY = 500
MAX_AGE = 120


@dataclass(frozen=True)
class CourseFields:
    """What staff fill in (strings or numbers as the form sent them; cleaned here)."""

    kind: str = "course"
    programme: str = "elderly"
    title: str = ""
    description: str = ""
    teacher: str = ""
    teacher_account_id: int | str | None = None
    room_type_id: int | str | None = None
    location: str = ""
    min_age: int | str | None = None
    max_age: int | str | None = None
    capacity: int | str | None = 20


@dataclass(frozen=True)
class Option:
    id: int
    name: str


def teacher_options(session: Session, actor: Actor, community_id: int | None = None) -> list[Option]:
    """Accounts that may teach or lead in the community: its staff and its volunteers."""
    cid = actor.community_id if community_id is None else community_id
    require_staff(actor, cid)
    rows = session.exec(
        select(Account.id, Account.display_name).join(RoleGrant, RoleGrant.account_id == Account.id)
        .where(Account.community_id == cid, Account.is_active.is_(True),
               RoleGrant.role.in_([Role.STAFF, Role.VOLUNTEER, Role.ADMIN]))
        .distinct().order_by(Account.display_name, Account.id)
    ).all()
    return [Option(i, n) for i, n in rows]


def room_options(session: Session, actor: Actor, community_id: int | None = None) -> list[Option]:
    cid = actor.community_id if community_id is None else community_id
    require_staff(actor, cid)
    return [Option(r.id, r.name_in(actor.locale)) for r in rooms.room_types(session, cid)]


def partner_options(session: Session, actor: Actor, community_id: int | None = None) -> list[Option]:
    """Communities of the same sub-district (街道) a course can be shared with."""
    cid = actor.community_id if community_id is None else community_id
    require_staff(actor, cid)
    home = session.get(Community, cid)
    if home is None or not home.sub_district:
        return []
    rows = session.exec(select(Community).where(Community.sub_district == home.sub_district, Community.id != cid)
                        .order_by(Community.id)).all()
    return [Option(c.id, c.name) for c in rows]


def _clean(session: Session, actor: Actor, community_id: int, f: CourseFields, *, enrolled: int = 0) -> dict:
    if f.kind not in common.KINDS:
        raise ValidationError("classes.error.kind", field="kind")
    if f.programme not in common.PROGRAMMES:
        raise ValidationError("classes.error.programme", field="programme")
    title = clean_text(f.title, field="title", max_len=100, required_key="classes.error.title_required")
    description = clean_text(f.description, field="description", max_len=1000)
    teacher = clean_text(f.teacher, field="teacher", max_len=64)
    teacher_id = clean_int(f.teacher_account_id, field="teacher_account_id", lo=1)
    if teacher_id is not None:
        allowed = {o.id: o.name for o in teacher_options(session, actor, community_id)}
        if teacher_id not in allowed:
            raise ValidationError("classes.error.teacher", field="teacher_account_id")
        teacher = teacher or allowed[teacher_id]
    room_id = clean_int(f.room_type_id, field="room_type_id", lo=1)
    location = clean_text(f.location, field="location", max_len=120)
    if room_id is not None:
        room = next((r for r in rooms.room_types(session, community_id) if r.id == room_id), None)
        if room is None:
            raise ValidationError("classes.error.room", field="room_type_id")
        location = location or room.location or room.name
    min_age = clean_int(f.min_age, field="min_age", key="classes.error.age", lo=0, hi=MAX_AGE)
    max_age = clean_int(f.max_age, field="max_age", key="classes.error.age", lo=0, hi=MAX_AGE)
    if min_age is not None and max_age is not None and min_age > max_age:
        raise ValidationError("classes.error.age_order", field="max_age")
    cap = clean_int(f.capacity, field="capacity", key="classes.error.capacity", lo=1, hi=MAX_CAPACITY,
                    required=True)
    if cap < enrolled:
        raise ValidationError("classes.error.capacity_below", field="capacity", n=enrolled)
    return dict(kind=f.kind, programme=f.programme, title=title, description=description, teacher=teacher,
                teacher_account_id=teacher_id, room_type_id=room_id, location=location, min_age=min_age,
                max_age=max_age, capacity=cap)


@mutating
def create_course(session: Session, actor: Actor, *, fields: CourseFields) -> Course:
    """A new course or group of the staff member's community. Audited. Commits."""
    require_staff(actor)
    values = _clean(session, actor, actor.community_id, fields)
    course = Course(community_id=actor.community_id, **values)
    session.add(course)
    session.flush()
    audit.record(session, actor, "classes.course.create", target_type="course", target_id=course.id,
                 title=course.title, kind=course.kind)
    session.commit()
    return course


@mutating
def update_course(session: Session, actor: Actor, *, course_id: int, fields: CourseFields) -> Course:
    """Edit a course; a larger capacity offers the new places to the waitlist. Audited. Commits."""
    course = common.get_course(session, course_id, locked=True)
    common.require_manage(actor, course)
    values = _clean(session, actor, course.community_id, fields, enrolled=course.enrolled)
    grew = values["capacity"] - course.capacity
    for key, value in values.items():
        setattr(course, key, value)
    course.updated_at = utcnow()
    session.add(course)
    session.flush()
    if grew > 0:
        promote_waitlist(session, actor, course, places=grew)
    audit.record(session, actor, "classes.course.update", target_type="course", target_id=course.id,
                 community_id=course.community_id, title=course.title, capacity=course.capacity)
    session.commit()
    return course


@mutating
def set_course_active(session: Session, actor: Actor, *, course_id: int, active: bool) -> Course:
    """Open or close enrolment (a closed course is not listed for residents). Audited. Commits."""
    course = common.get_course(session, course_id, locked=True)
    common.require_manage(actor, course)
    course.active = bool(active)
    course.updated_at = utcnow()
    session.add(course)
    session.flush()
    if course.active:  # places freed while it was closed go to the line
        promote_waitlist(session, actor, course, places=course.capacity - course.enrolled)
    audit.record(session, actor, "classes.course.open" if course.active else "classes.course.close",
                 target_type="course", target_id=course.id, community_id=course.community_id)
    session.commit()
    return course


@mutating
def set_shares(session: Session, actor: Actor, *, course_id: int, community_ids) -> list[int]:
    """The partner communities a course is shared with (replaces the list). People of a partner
    who are enrolled stay enrolled when the share ends; new enrolments from there are refused.
    Audited. Commits."""
    course = common.get_course(session, course_id, locked=True)
    common.require_manage(actor, course)
    if isinstance(community_ids, str | bytes) or not all(
            isinstance(i, int) and not isinstance(i, bool) for i in community_ids or ()):
        raise ValidationError("error.invalid", field="shares")
    wanted = sorted(set(community_ids or ()))
    allowed = {o.id for o in partner_options(session, actor, course.community_id)}
    if any(i not in allowed for i in wanted):
        raise ValidationError("classes.error.partner", field="shares")
    session.exec(delete(CourseShare).where(CourseShare.course_id == course.id))
    for cid in wanted:
        session.add(CourseShare(course_id=course.id, community_id=cid))
    audit.record(session, actor, "classes.course.share", target_type="course", target_id=course.id,
                 community_id=course.community_id, partners=wanted)
    session.commit()
    return wanted


# --------------------------------------------------------------------------- the community's rules


def settings_for(session: Session, community_id: int) -> ClassSettings:
    """The community's class rules (defaults when staff never set them; not saved)."""
    row = session.exec(select(ClassSettings).where(ClassSettings.community_id == community_id)).first()
    return row or ClassSettings(community_id=community_id)


def get_settings(session: Session, actor: Actor) -> ClassSettings:
    require_staff(actor)
    return settings_for(session, actor.community_id)


@mutating
def update_settings(session: Session, actor: Actor, *, no_show_limit, no_show_days=None) -> ClassSettings:
    """How many no-shows (within how many days) move a person behind the others on waitlists.
    Audited. Commits."""
    require_staff(actor)
    limit = clean_int(no_show_limit, field="no_show_limit", key="classes.error.no_show_limit", lo=1, hi=20,
                      required=True)
    days = clean_int(no_show_days, field="no_show_days", key="classes.error.no_show_days", lo=7, hi=730)
    row = session.exec(select(ClassSettings).where(ClassSettings.community_id == actor.community_id)).first()
    if row is None:
        row = ClassSettings(community_id=actor.community_id)
    row.no_show_limit = limit
    if days is not None:
        row.no_show_days = days
    row.updated_at = utcnow()
    session.add(row)
    audit.record(session, actor, "classes.settings.update", target_type="classsettings",
                 no_show_limit=row.no_show_limit, no_show_days=row.no_show_days)
    session.commit()
    return row


def course_for_staff(session: Session, actor: Actor, *, course_id: int) -> Course:
    """A course staff may look at (their own, or one shared with their community)."""
    course = common.get_course(session, course_id)
    if common.staff_scope(session, actor, course) is None:
        raise NotFound("classes.error.course_not_found")
    return course


@dataclass(frozen=True)
class EditView:
    """What the staff course page needs: the course (None for a new one), whether this staff
    member manages it (else it is a partner's, shown read-only), and the choices of the form."""

    course: Course | None
    can_manage: bool
    owner: str
    shares: list[int]
    teachers: list[Option]
    rooms: list[Option]
    partners: list[Option]


def edit_view(session: Session, actor: Actor, *, course_id: int | None = None) -> EditView:
    require_staff(actor)
    course = course_for_staff(session, actor, course_id=course_id) if course_id is not None else None
    manage = course is None or common.can_manage(actor, course)
    cid = course.community_id if course is not None else actor.community_id
    owner = "" if course is None or course.community_id == actor.community_id else (
        session.get(Community, course.community_id).name)
    if not manage:
        return EditView(course, False, owner, [], [], [], [])
    return EditView(course, True, owner, sorted(common.shared_with(session, course.id)) if course else [],
                    teacher_options(session, actor, cid), room_options(session, actor, cid),
                    partner_options(session, actor, cid))
