"""Enrolment (报名): a resident enrols themself or a household member without an account, staff
enrol for a resident (代办), a full course offers its waitlist (候补), a freed place goes to the
first person in line who is still eligible, and withdrawing and enrolling again works.

Places: ``Course.enrolled`` counts the enrolled rows and changes only through
``core.capacity.take`` / ``give_back`` (conditional UPDATE), inside a transaction that first
locks the course row (``core.tx.lock``; SQLite holds its write lock from BEGIN IMMEDIATE), so
the course is never overbooked and a person never holds two live rows (also a unique
constraint on ``open_course_id``). The waitlist is ``core.waitlist`` over ``Enrollment``,
ordered by (priority, created_at, id): see ``noshows`` for the priority.

Lock order: course -> enrolment rows -> slots (rooms) -> anything else.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from community_app import routes
from community_app.models import Course, Enrollment, EnrollmentEvent, Resident, utcnow
from community_app.services import audit
from community_app.services.access import Actor
from community_app.services.classes import common, noshows
from community_app.services.core import capacity, timeline
from community_app.services.core import waitlist as wl
from community_app.services.core.notify import notify_t
from community_app.services.core.text import clean_text
from community_app.services.core.tx import lock, mutating
from community_app.services.errors import Conflict, NotAllowed, NotFound

SPEC = wl.WaitlistSpec(Enrollment, subject="course_id", waiting="waiting_course_id", person="resident_id",
                       order=("priority", "created_at", "id"), promoted_status="enrolled",
                       skipped_status="skipped")


def record(session: Session, row: Enrollment, actor: Actor | None, status: str, *, note: str = "",
           note_key: str = "") -> None:
    timeline.record(session, EnrollmentEvent, actor=actor, status=status, note=note, note_key=note_key,
                    enrollment_id=row.id)


def live_row(session: Session, course_id: int, resident_id: int) -> Enrollment | None:
    return session.exec(select(Enrollment).where(Enrollment.open_course_id == course_id,
                                                 Enrollment.resident_id == resident_id)).first()


def _already(row: Enrollment) -> Conflict:
    return Conflict({"enrolled": "classes.error.already_enrolled", "waiting": "classes.error.already_waiting",
                     "requested": "classes.error.already_requested"}.get(row.status, "classes.error.already_enrolled"))


def _staff_for_person(actor: Actor | None, resident: Resident) -> None:
    """代办: staff act only for the people of their own community."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    if not actor.can_staff(resident.community_id):
        raise NotAllowed("error.staff_only")


def tell(session: Session, row: Enrollment, course: Course, key: str, *, kind: str, dedupe: str = "", **params) -> None:
    """Notify the person (or the parent who enrolled them) about their place."""
    account_id = common.tell_account(session, row.resident_id, row.created_by_account_id)
    if account_id is None:
        return
    person = session.get(Resident, row.resident_id)
    notify_t(session, account_id=account_id, kind=kind, title_key=f"{key}.title", body_key=f"{key}.body",
             link=routes.class_course(course.id), dedupe_key=dedupe or None,
             name=person.name if person else "", course=course.title, **params)


# --------------------------------------------------------------------------- taking a place


def _open_row(session: Session, actor: Actor, course: Course, resident: Resident, *, status: str,
              on_behalf: bool, **values) -> Enrollment:
    row = Enrollment(course_id=course.id, resident_id=resident.id, status=status, open_course_id=course.id,
                     on_behalf=on_behalf, created_by_account_id=actor.account_id, **values)
    session.add(row)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Conflict("classes.error.already_enrolled") from None
    return row


def _enrol(session: Session, actor: Actor, course: Course, resident: Resident, *, on_behalf: bool) -> Enrollment:
    if course.kind != "course" and not on_behalf:  # staff add a group member on the spot
        raise Conflict("classes.error.group_needs_request")
    common.check_eligible(session, course, resident, common.today_of(session, course))
    existing = live_row(session, course.id, resident.id)
    if existing is not None:
        raise _already(existing)
    # People waiting go first: while there is a line, a newcomer joins it (a place freed while the
    # course was closed is offered to the line when it opens again).
    if wl.waiting_count(session, SPEC, course.id) > 0 or not capacity.take(session, Course, course.id,
                                                                           taken="enrolled"):
        raise Conflict("classes.error.full")
    row = _open_row(session, actor, course, resident, status="enrolled", on_behalf=on_behalf)
    record(session, row, actor, "enrolled", note_key="classes.note.on_behalf" if on_behalf else "")
    return row


def _join(session: Session, actor: Actor, course: Course, resident: Resident, *, on_behalf: bool) -> Enrollment:
    if course.kind != "course":
        raise Conflict("classes.error.group_needs_request")
    common.check_eligible(session, course, resident, common.today_of(session, course))
    existing = live_row(session, course.id, resident.id)
    if existing is not None:
        raise _already(existing)
    if course.enrolled < course.capacity and wl.waiting_count(session, SPEC, course.id) == 0:
        raise Conflict("classes.error.not_full")
    row = wl.join(session, SPEC, subject_id=course.id, person_id=resident.id,
                  already_key="classes.error.already_waiting", open_course_id=course.id,
                  priority=noshows.priority_for(session, resident.id, course.community_id),
                  on_behalf=on_behalf, created_by_account_id=actor.account_id)
    record(session, row, actor, "waiting", note_key="classes.note.on_behalf" if on_behalf else "")
    return row


@mutating
def enrol(session: Session, actor: Actor, *, course_id: int, resident_id: int | None = None) -> Enrollment:
    """A resident enrols themself or a household member without an account (a child). The age
    rule is checked against the person enrolled. Conflict "classes.error.full" when no place is
    left (the page then offers the waitlist). Commits."""
    resident = common.require_act_for(session, actor, resident_id)
    course = common.get_course(session, course_id, locked=True)
    common.require_see(session, actor, course)
    row = _enrol(session, actor, course, resident, on_behalf=False)
    session.commit()
    return row


@mutating
def join_waitlist(session: Session, actor: Actor, *, course_id: int, resident_id: int | None = None) -> Enrollment:
    """Wait for a place in a full course (the line's order: priority, then first come). Commits."""
    resident = common.require_act_for(session, actor, resident_id)
    course = common.get_course(session, course_id, locked=True)
    common.require_see(session, actor, course)
    row = _join(session, actor, course, resident, on_behalf=False)
    session.commit()
    return row


@mutating
def enrol_on_behalf(session: Session, actor: Actor, *, course_id: int, resident_id: int,
                    waitlist: bool = False) -> Enrollment:
    """代办: staff enrol a resident of their community (who phoned or came in), or put them on
    the waitlist of a full course, or add them to a group (staff approve on the spot). Same rules
    as for residents. Audited. Commits."""
    resident = common.get_resident(session, resident_id)
    _staff_for_person(actor, resident)
    course = common.get_course(session, course_id, locked=True)
    if common.staff_scope(session, actor, course) is None:
        raise NotFound("classes.error.course_not_found")
    row = (_join if waitlist else _enrol)(session, actor, course, resident, on_behalf=True)
    audit.record(session, actor, "classes.enrol.on_behalf", target_type="enrollment", target_id=row.id,
                 community_id=resident.community_id, course_id=course.id, status=row.status)
    session.commit()
    return row


# --------------------------------------------------------------------------- giving a place back


def _admit(session: Session, actor: Actor | None, course: Course):
    today = common.today_of(session, course)

    def admit(row: Enrollment) -> wl.Admit:
        resident = session.get(Resident, row.resident_id)
        if resident is None or common.eligibility_refusal(session, course, resident, today) is not None:
            row.open_course_id = None
            record(session, row, actor, "skipped", note_key="classes.note.no_longer_eligible")
            return wl.Admit.SKIP
        if not capacity.take(session, Course, course.id, taken="enrolled"):
            return wl.Admit.STOP
        row.updated_at = utcnow()
        record(session, row, actor, "enrolled", note_key="classes.note.promoted")
        tell(session, row, course, "classes.notify.promoted", kind="classes.promoted",
             dedupe=f"classes.promoted:{row.id}")
        return wl.Admit.ADMITTED

    return admit


def promote_waitlist(session: Session, actor: Actor | None, course: Course, *, places: int = 1) -> list[Enrollment]:
    """Offer ``places`` freed places to the line in order (in the caller's transaction, which
    has locked the course). Each person admitted is told."""
    if course.kind != "course" or not course.active or places <= 0:
        return []
    return wl.promote(session, SPEC, course.id, _admit(session, actor, course), places=places)


def locked_row(session: Session, enrollment_id) -> tuple[Enrollment, Course]:
    if isinstance(enrollment_id, bool) or not isinstance(enrollment_id, int) or enrollment_id <= 0:
        raise NotFound("classes.error.enrolment_not_found")
    row = session.get(Enrollment, enrollment_id)
    if row is None:
        raise NotFound("classes.error.enrolment_not_found")
    course = common.get_course(session, row.course_id, locked=True)
    row = session.exec(lock(session, select(Enrollment).where(Enrollment.id == enrollment_id))).one()
    return row, course


def close_row(session: Session, actor: Actor | None, row: Enrollment, course: Course, status: str, *,
              note: str = "", note_key: str = "") -> bool:
    """End a live row with ``status`` (giving its place back); True when a place was freed."""
    freed = row.status == "enrolled"
    if row.status == "waiting":
        wl.leave(session, SPEC, row, status=status)
    else:
        row.status = status
    row.open_course_id = None
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    if freed:
        capacity.give_back(session, Course, course.id, taken="enrolled")
    record(session, row, actor, status, note=note, note_key=note_key)
    return freed


@mutating
def withdraw(session: Session, actor: Actor, *, enrollment_id: int) -> Enrollment:
    """The person (or the parent who acts for them) withdraws, leaves the waitlist or takes back a
    join request. A freed place goes to the waitlist. Commits."""
    row, course = locked_row(session, enrollment_id)
    resident = common.get_resident(session, row.resident_id)
    if not common.can_act_for(session, actor, resident):
        raise NotFound("classes.error.enrolment_not_found")
    if row.status not in common.LIVE:
        raise Conflict("classes.error.not_live")
    if close_row(session, actor, row, course, "withdrawn"):
        promote_waitlist(session, actor, course)
    session.commit()
    return row


@mutating
def remove(session: Session, actor: Actor, *, enrollment_id: int, reason: str) -> Enrollment:
    """Staff of the person's community take them off a course or waitlist, with a reason the
    person is told. A freed place goes to the waitlist. Audited. Commits."""
    reason = clean_text(reason, field="reason", max_len=200, required_key="classes.error.reason_required")
    row, course = locked_row(session, enrollment_id)
    resident = common.get_resident(session, row.resident_id)
    _staff_for_person(actor, resident)
    if common.staff_scope(session, actor, course) is None:
        raise NotFound("classes.error.enrolment_not_found")
    if row.status not in common.LIVE:
        raise Conflict("classes.error.not_live")
    freed = close_row(session, actor, row, course, "removed", note=reason)
    tell(session, row, course, "classes.notify.removed", kind="classes.removed", reason=reason)
    if freed:
        promote_waitlist(session, actor, course)
    audit.record(session, actor, "classes.enrol.remove", target_type="enrollment", target_id=row.id,
                 community_id=resident.community_id, course_id=course.id, reason=reason)
    session.commit()
    return row


def waiting_position(session: Session, row: Enrollment) -> int:
    """1 = next in line; 0 when not waiting."""
    return wl.position(session, SPEC, row)
