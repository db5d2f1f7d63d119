"""Verified service time (志愿时长), recorded apart from points:

- at the venue a volunteer checks in and out with the shift's codes (a QR code the phone camera
  opens, or the same six digits typed by hand); the time counted is the part of the shift
  between them. Wrong codes are counted: after ``MAX_CODE_FAILURES`` only the leader can confirm;
- the team's leader or staff confirm (or mark absent) the people of a shift;
- staff add make-up time (补录) with a reason, never more than the shift lasted;
- a booking assigned to a volunteer (a repair, a home haircut) counts when it is done.

Each deed's time is one ``ServiceHours`` row whose ``source`` is unique ("signup:12",
"booking:34", "visit:5"), and its points go through the ledger under the same source, so
neither can be counted twice. Staff decisions are audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from community_app import routes
from community_app.models import (
    Account,
    Activity,
    Booking,
    BookingStatus,
    ServiceHours,
    ServiceType,
    Shift,
    ShiftSignup,
    SignupStatus,
    utcnow,
)
from community_app.services import audit
from community_app.services.access import Actor, require_resident, require_staff
from community_app.services.core.notify import notify_t
from community_app.services.core.text import clean_int, clean_text
from community_app.services.core.tx import lock, mutating
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from community_app.services.volunteering import points
from community_app.services.volunteering.activities import can_lead_shift, get_shift
from community_app.services.volunteering.common import get_resident, local_day, served_minutes, zone_of

__all__ = [
    "CHECKIN_OPENS", "CHECKOUT_CLOSES", "MAX_CODE_FAILURES", "TASK_POINTS", "code_window", "confirm", "credit_task",
    "makeup", "mark_absent", "record_hours", "shift_minutes", "use_code",
]

CHECKIN_OPENS = timedelta(minutes=60)  # before the start
CHECKOUT_CLOSES = timedelta(hours=2)  # after the end
MAX_CODE_FAILURES = 10
TASK_POINTS = 10  # a done repair or home haircut
TASK_MINUTES = 60
MAX_TASK_MINUTES = 8 * 60


def shift_minutes(shift: Shift) -> int:
    return served_minutes(shift.starts_at, shift.ends_at)


def code_window(shift: Shift, now: datetime | None = None) -> tuple[bool, bool]:
    """(check-in open, check-out open) now."""
    now = now or utcnow()
    return (shift.starts_at - CHECKIN_OPENS <= now <= shift.ends_at,
            shift.starts_at <= now <= shift.ends_at + CHECKOUT_CLOSES)


def record_hours(session: Session, *, community_id: int, resident_id: int, team_id: int | None, kind: str, how: str,
                 source: str, title: str, served_on: date, minutes: int, actor: Actor | None,
                 reason: str = "") -> ServiceHours:
    """Record verified time once per ``source`` (in the caller's transaction)."""
    existing = session.exec(select(ServiceHours).where(ServiceHours.source == source)).first()
    if existing is not None:
        return existing
    row = ServiceHours(community_id=community_id, resident_id=resident_id, team_id=team_id, kind=kind, how=how,
                       source=source, title=title[:120], served_on=served_on, minutes=int(minutes),
                       reason=reason[:300], actor_account_id=actor.account_id if actor else None)
    session.add(row)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        existing = session.exec(select(ServiceHours).where(ServiceHours.source == source)).first()
        if existing is None:
            raise
        return existing
    return row


def _verify(session: Session, actor: Actor, row: ShiftSignup, shift: Shift, act: Activity, *, minutes: int,
            how: str, note: str = "") -> None:
    """The sign-up's time is verified: its hours and its points, once."""
    now = utcnow()
    row.status, row.minutes, row.verified_how = SignupStatus.ATTENDED, minutes, how
    row.verified_by_account_id, row.verified_at = actor.account_id, now
    row.note = note[:300] or row.note
    session.add(row)
    zone = zone_of(session, act.community_id)
    record_hours(session, community_id=act.community_id, resident_id=row.resident_id, team_id=act.team_id,
                 kind="shift", how=how, source=f"signup:{row.id}", title=act.title,
                 served_on=local_day(shift.starts_at, zone), minutes=minutes, actor=actor, reason=note)
    if shift.points > 0:
        points.award(session, resident_id=row.resident_id, points=shift.points, reason_key="points.reason.shift",
                     reason=act.title, source=f"signup:{row.id}", actor=actor)
    if how != "code":
        notify_t(session, resident_id=row.resident_id, kind="hours.verified", title_key="hours.notify.verified.title",
                 body_key="hours.notify.verified.body", link=routes.VOL_POINTS, title=act.title,
                 hours=f"{minutes / 60:.1f}", n=shift.points)


def _clean_code(code) -> str:
    text = "".join(code.split()) if isinstance(code, str) else ""
    if len(text) != 6 or not text.isascii() or not text.isdigit():
        raise ValidationError("hours.error.code_invalid", field="code")
    return text


@mutating
def use_code(session: Session, actor: Actor, *, shift_id: int, code) -> ShiftSignup:
    """签到 / 签退 with the venue's code: the check-in code from an hour before the start to the
    end, the check-out code from the start to two hours after the end (the time counted stops
    at the end). Checking out verifies the time and pays the shift's points. Commits (a wrong
    code is counted and committed before it is refused)."""
    require_resident(actor)
    shift, act = get_shift(session, shift_id)
    code = _clean_code(code)
    row = session.exec(lock(session, select(ShiftSignup).where(
        ShiftSignup.holding_shift_id == shift.id, ShiftSignup.resident_id == actor.resident_id))).first()
    if row is None or shift.status != "open" or act.status != "open":
        raise Conflict("hours.error.not_signed_up")
    if row.status == SignupStatus.ATTENDED:
        raise Conflict("hours.error.already_verified")
    if row.code_failures >= MAX_CODE_FAILURES:
        raise Conflict("hours.error.code_locked")
    can_in, can_out = code_window(shift)
    now = utcnow()
    if code == shift.checkin_code:
        if not can_in:
            raise Conflict("hours.error.checkin_closed")
        if row.checked_in_at is not None:
            raise Conflict("hours.error.already_in")
        row.checked_in_at = now
        session.add(row)
    elif code == shift.checkout_code:
        if not can_out:
            raise Conflict("hours.error.checkout_closed")
        if row.checked_in_at is None:
            raise Conflict("hours.error.not_checked_in")
        row.checked_out_at = now
        minutes = served_minutes(max(row.checked_in_at, shift.starts_at), min(now, shift.ends_at))
        _verify(session, actor, row, shift, act, minutes=max(1, min(minutes, shift_minutes(shift))), how="code")
    else:
        row.code_failures += 1
        session.add(row)
        session.commit()
        raise ValidationError("hours.error.code_wrong", field="code", n=MAX_CODE_FAILURES - row.code_failures)
    session.commit()
    return row


def _led_signup(session: Session, actor: Actor, signup_id) -> tuple[ShiftSignup, Shift, Activity]:
    row = session.get(ShiftSignup, signup_id) if isinstance(signup_id, int) and not isinstance(signup_id, bool) else None
    if row is None:
        raise NotFound("hours.error.signup_not_found")
    shift, act = get_shift(session, row.shift_id)
    if not can_lead_shift(session, actor, act):
        raise NotAllowed("hours.error.not_leader")
    if shift.starts_at > utcnow():
        raise Conflict("hours.error.not_started")
    row = session.exec(lock(session, select(ShiftSignup).where(ShiftSignup.id == row.id))).one()
    return row, shift, act


@mutating
def confirm(session: Session, actor: Actor, *, signup_id: int, minutes=None) -> ShiftSignup:
    """现场确认: the leader or staff confirm that a volunteer served, once the shift has started:
    ``minutes`` (default: the checked-in time, else the whole shift; never more than the shift).
    Audited. Commits."""
    row, shift, act = _led_signup(session, actor, signup_id)
    if row.status == SignupStatus.ATTENDED:
        raise Conflict("hours.error.already_verified")
    if row.status not in (SignupStatus.SIGNED_UP, SignupStatus.ABSENT) or row.holding_shift_id is None:
        raise Conflict("hours.error.not_signed_up")
    length = shift_minutes(shift)
    if minutes in (None, ""):
        start = max(row.checked_in_at, shift.starts_at) if row.checked_in_at else shift.starts_at
        minutes = max(1, min(length, served_minutes(start, min(utcnow(), shift.ends_at))))
    minutes = clean_int(minutes, field="minutes", key="hours.error.minutes", lo=1, hi=length, required=True)
    _verify(session, actor, row, shift, act, minutes=minutes, how="leader")
    audit.record(session, actor, "hours.confirm", target_type="signup", target_id=row.id,
                 community_id=act.community_id, resident_id=row.resident_id, minutes=minutes)
    session.commit()
    return row


@mutating
def mark_absent(session: Session, actor: Actor, *, signup_id: int) -> ShiftSignup:
    """缺席: the leader or staff record that a volunteer did not come. Audited. Commits."""
    row, shift, act = _led_signup(session, actor, signup_id)
    if row.status != SignupStatus.SIGNED_UP:
        raise Conflict("hours.error.not_signed_up")
    row.status, row.verified_by_account_id, row.verified_at = SignupStatus.ABSENT, actor.account_id, utcnow()
    session.add(row)
    audit.record(session, actor, "hours.absent", target_type="signup", target_id=row.id,
                 community_id=act.community_id, resident_id=row.resident_id)
    session.commit()
    return row


@mutating
def makeup(session: Session, actor: Actor, *, shift_id: int, resident_id: int, minutes, reason) -> ShiftSignup:
    """补录时长: staff add the time of someone who served on a shift (started already) but was
    not verified, with a reason; at most the shift's length. Pays the shift's points. Audited.
    Commits."""
    shift, act = get_shift(session, shift_id)
    require_staff(actor, act.community_id)
    resident = get_resident(session, resident_id if isinstance(resident_id, int) else 0)
    if resident.community_id != act.community_id:
        raise ValidationError("volunteer.error.other_community", field="resident_id")
    if shift.starts_at > utcnow():
        raise Conflict("hours.error.not_started")
    minutes = clean_int(minutes, field="minutes", key="hours.error.minutes", lo=1, hi=shift_minutes(shift),
                        required=True)
    reason = clean_text(reason, field="reason", max_len=300, required_key="hours.error.reason_required")
    row = session.exec(lock(session, select(ShiftSignup).where(
        ShiftSignup.shift_id == shift.id, ShiftSignup.resident_id == resident.id,
        ShiftSignup.status.in_((SignupStatus.SIGNED_UP, SignupStatus.ABSENT, SignupStatus.ATTENDED)))
        .order_by(ShiftSignup.id.desc()))).first()
    if row is not None and row.status == SignupStatus.ATTENDED:
        raise Conflict("hours.error.already_verified")
    if row is None:  # served without signing up: a sign-up after the fact, holding no place
        row = ShiftSignup(shift_id=shift.id, resident_id=resident.id, status=SignupStatus.SIGNED_UP)
        session.add(row)
        session.flush()
    _verify(session, actor, row, shift, act, minutes=minutes, how="makeup", note=reason)
    audit.record(session, actor, "hours.makeup", target_type="signup", target_id=row.id,
                 community_id=act.community_id, resident_id=resident.id, minutes=minutes, reason=reason)
    session.commit()
    return row


# --------------------------------------------------------------------------- assigned bookings


def task_resident(session: Session, booking: Booking) -> int | None:
    """The resident record of the volunteer a booking was assigned to (None: a staff account)."""
    if booking.assignee_account_id is None:
        return None
    return session.exec(select(Account.resident_id).where(Account.id == booking.assignee_account_id)).first()


@mutating
def credit_task(session: Session, actor: Actor, *, booking_id: int, minutes=None) -> ServiceHours | None:
    """A done booking assigned to a volunteer counts as their served time (``minutes``, default
    an hour) with ``TASK_POINTS``: by the volunteer right after marking it done, or by staff.
    Once per booking. None when the assignee has no resident record. Commits."""
    booking = session.get(Booking, booking_id) if isinstance(booking_id, int) else None
    if booking is None:
        raise NotFound("task.error.not_found")
    staff = actor is not None and actor.can_staff(booking.community_id)
    if not staff and (actor is None or booking.assignee_account_id != actor.account_id):
        raise NotAllowed("task.error.not_yours")
    if booking.status != BookingStatus.DONE:
        raise Conflict("task.error.not_done")
    minutes = clean_int(minutes, field="minutes", key="hours.error.task_minutes", lo=1, hi=MAX_TASK_MINUTES) \
        or TASK_MINUTES
    resident_id = task_resident(session, booking)
    if resident_id is None:
        return None
    stype = session.get(ServiceType, booking.service_type_id)
    zone = zone_of(session, booking.community_id)
    row = record_hours(session, community_id=booking.community_id, resident_id=resident_id,
                       team_id=booking.assignee_team_id, kind="task", how="task", source=f"booking:{booking.id}",
                       title=stype.name, served_on=local_day(booking.scheduled_at or booking.updated_at, zone),
                       minutes=minutes, actor=actor)
    points.award(session, resident_id=resident_id, points=TASK_POINTS, reason_key="points.reason.task",
                 reason=stype.name, source=f"booking:{booking.id}", actor=actor)
    if staff and booking.assignee_account_id != actor.account_id:
        audit.record(session, actor, "hours.credit_task", target_type="booking", target_id=booking.id,
                     community_id=booking.community_id, resident_id=resident_id, minutes=minutes)
    session.commit()
    return row


def uncredited_tasks(session: Session, actor: Actor, *, limit: int = 50) -> list[Booking]:
    """Done bookings assigned to a volunteer whose time is not counted yet (marked done from
    the staff desk), newest first."""
    require_staff(actor)
    credited = select(ServiceHours.source).where(ServiceHours.community_id == actor.community_id,
                                                 ServiceHours.kind == "task")
    rows = session.exec(select(Booking).join(Account, Account.id == Booking.assignee_account_id).where(
        Booking.community_id == actor.community_id, Booking.status == BookingStatus.DONE,
        Account.resident_id.is_not(None)).order_by(Booking.updated_at.desc()).limit(500)).all()
    done = set(session.exec(credited).all())
    return [b for b in rows if f"booking:{b.id}" not in done][:limit]


@dataclass(frozen=True)
class HoursRow:
    id: int
    served_on: date
    title: str
    minutes: int
    kind: str
    how: str
    reason: str


def hours_of(session: Session, resident_id: int, first: date | None = None, last: date | None = None
             ) -> list[HoursRow]:
    """A resident's verified time, oldest first (for services; callers check who may read)."""
    stmt = select(ServiceHours).where(ServiceHours.resident_id == resident_id)
    if first is not None:
        stmt = stmt.where(ServiceHours.served_on >= first)
    if last is not None:
        stmt = stmt.where(ServiceHours.served_on <= last)
    return [HoursRow(h.id, h.served_on, h.title, h.minutes, h.kind, h.how, h.reason)
            for h in session.exec(stmt.order_by(ServiceHours.served_on, ServiceHours.id)).all()]
