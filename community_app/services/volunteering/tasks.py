"""我的任务: what a volunteer has to do — the bookings staff assigned to them (home haircuts,
repairs: address, time, whom to call), their shifts and the elders they visit — and the
day-before reminders of all of it.

A booking's page for its volunteer is ``routes.volunteer_task(id)`` (/volunteer/tasks/<id>):
the booking services already let the assignee read a booking (``booking.booking_detail``) and
mark it done (``booking.mark_done``); "done with a note" calls that, then counts the time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlmodel import Session, select

from community_app import routes
from community_app.models import (
    Activity,
    Booking,
    BookingStatus,
    Community,
    Redemption,
    RedemptionStatus,
    Resident,
    ServiceHours,
    ServiceType,
    Shift,
    ShiftSignup,
    SignupStatus,
    VisitPair,
    utcnow,
)
from community_app.services import booking
from community_app.services.access import Actor
from community_app.services.core.clock import local_to_utc
from community_app.services.core.reminders import Reminder
from community_app.services.core.text import clean_int, clean_text
from community_app.services.errors import Conflict, NotAllowed, NotFound
from community_app.services.volunteering import hours
from community_app.services.volunteering.activities import ShiftCard, shift_cards
from community_app.services.volunteering.visits import PairView, my_visits

__all__ = ["TaskCard", "TaskDetail", "Tasks", "complete_task", "my_tasks", "task_detail", "volunteer_reminders"]

OPEN = (BookingStatus.APPROVED, BookingStatus.ASSIGNED)
DONE_DAYS = 30


@dataclass(frozen=True)
class TaskCard:
    booking_id: int
    service_name: str
    icon: str
    status: str
    scheduled_at: datetime | None  # UTC
    address: str
    resident_name: str
    resident_mobile: str
    credited_minutes: int | None  # time counted for a done one


@dataclass(frozen=True)
class Tasks:
    open: list[TaskCard]
    done: list[TaskCard]
    shifts: list[ShiftCard]
    visits: list[PairView]
    is_volunteer: bool
    extra: dict = field(default_factory=dict)


def _cards(session: Session, rows: list[Booking], locale: str = "zh_CN") -> list[TaskCard]:
    if not rows:
        return []
    types = {t.id: t for t in session.exec(select(ServiceType).where(
        ServiceType.id.in_({b.service_type_id for b in rows})))}
    people = {r.id: r for r in session.exec(select(Resident).where(Resident.id.in_({b.resident_id for b in rows})))}
    credited = dict(session.exec(select(ServiceHours.source, ServiceHours.minutes).where(
        ServiceHours.source.in_([f"booking:{b.id}" for b in rows]))).all())
    out = []
    for b in rows:
        stype, person = types[b.service_type_id], people.get(b.resident_id)
        out.append(TaskCard(b.id, stype.name_in(locale), stype.icon, b.status, b.scheduled_at, b.address,
                            person.name if person else "", (person.mobile or "") if person else "",
                            credited.get(f"booking:{b.id}")))
    return out


def my_tasks(session: Session, actor: Actor) -> Tasks:
    """The bookings assigned to me (open ones soonest first; done ones of the last 30 days), my
    shifts not yet over, and the elders I visit."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    mine = select(Booking).where(Booking.assignee_account_id == actor.account_id)
    open_rows = list(session.exec(mine.where(Booking.status.in_(OPEN))
                                  .order_by(Booking.scheduled_at, Booking.id)).all())
    since = utcnow() - timedelta(days=DONE_DAYS)
    done_rows = list(session.exec(mine.where(Booking.status == BookingStatus.DONE, Booking.updated_at >= since)
                                  .order_by(Booking.updated_at.desc()).limit(20)).all())
    shifts: list[ShiftCard] = []
    visits: list[PairView] = []
    if actor.resident_id is not None:
        rows = session.exec(select(Shift, Activity).join(Activity, Activity.id == Shift.activity_id)
                            .join(ShiftSignup, ShiftSignup.shift_id == Shift.id)
                            .where(ShiftSignup.resident_id == actor.resident_id,
                                   ShiftSignup.status.in_((SignupStatus.SIGNED_UP, SignupStatus.WAITING)),
                                   Shift.ends_at > utcnow(), Shift.status == "open", Activity.status == "open")
                            .order_by(Shift.starts_at)).all()
        shifts = shift_cards(session, actor, list(rows))
        visits = my_visits(session, actor)
    return Tasks(_cards(session, open_rows, actor.locale), _cards(session, done_rows, actor.locale), shifts, visits, actor.is_volunteer)


@dataclass(frozen=True)
class TaskDetail:
    card: TaskCard
    detail: booking.BookingDetail
    can_complete: bool
    default_minutes: int


def _my_booking(session: Session, actor: Actor, booking_id) -> Booking:
    row = session.get(Booking, booking_id) if isinstance(booking_id, int) and not isinstance(booking_id, bool) else None
    if row is None:
        raise NotFound("task.error.not_found")
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    if row.assignee_account_id != actor.account_id and not actor.can_staff(row.community_id):
        raise NotAllowed("task.error.not_yours")
    return row


def task_detail(session: Session, actor: Actor, *, booking_id: int) -> TaskDetail:
    """A booking assigned to the volunteer, as their task: what, when, where, whom to call, the
    timeline, and whether they can mark it done now."""
    row = _my_booking(session, actor, booking_id)
    detail = booking.booking_detail(session, actor, booking_id=row.id)
    card = _cards(session, [row], actor.locale)[0]
    return TaskDetail(card, detail, row.assignee_account_id == actor.account_id and row.status in OPEN,
                      hours.TASK_MINUTES)


def complete_task(session: Session, actor: Actor, *, booking_id: int, note, minutes=None) -> TaskCard:
    """完成: the assigned volunteer marks the booking done with a note (``booking.mark_done``,
    which tells the resident), then their time and points are counted. Each step commits; the
    time can also be counted later from the staff desk if that second step failed."""
    row = _my_booking(session, actor, booking_id)
    if row.assignee_account_id != actor.account_id:
        raise NotAllowed("task.error.not_yours")
    if row.status not in OPEN:
        raise Conflict("task.error.not_open")
    note = clean_text(note, field="note", max_len=500, required_key="task.error.note_required")
    minutes = clean_int(minutes, field="minutes", key="hours.error.task_minutes", lo=1,
                        hi=hours.MAX_TASK_MINUTES) or hours.TASK_MINUTES
    booking.mark_done(session, actor, booking_id=row.id, note=note)
    hours.credit_task(session, actor, booking_id=row.id, minutes=minutes)
    session.expire_all()
    return _cards(session, [session.get(Booking, row.id)], actor.locale)[0]


# --------------------------------------------------------------------------- reminders


def volunteer_reminders(session: Session, community: Community, tomorrow, start, end, zone) -> Iterator[Reminder]:
    """Reminder source (``services/reminders.py``): volunteers whose assigned booking or shift is
    tomorrow, whose elder's visit falls due tomorrow, and residents whose redeemed good must be
    picked up by tomorrow."""
    rows = session.exec(select(Booking, ServiceType).join(ServiceType, ServiceType.id == Booking.service_type_id)
                        .where(Booking.community_id == community.id, Booking.status.in_(OPEN),
                               Booking.assignee_account_id.is_not(None), Booking.scheduled_at >= start,
                               Booking.scheduled_at < end).order_by(Booking.id)).all()
    for b, stype in rows:
        yield Reminder(dedupe_key=f"task-reminder:{b.id}:{tomorrow.isoformat()}", title_key="task.reminder.title",
                       body_key="task.reminder.body", when=b.scheduled_at, kind="task.reminder",
                       link=routes.volunteer_task(b.id), account_id=b.assignee_account_id,
                       params=dict(service=stype.named, address=b.address))
    shifts = session.exec(select(ShiftSignup, Shift, Activity).join(Shift, Shift.id == ShiftSignup.shift_id)
                          .join(Activity, Activity.id == Shift.activity_id)
                          .where(Activity.community_id == community.id, Activity.status == "open",
                                 Shift.status == "open", ShiftSignup.status == SignupStatus.SIGNED_UP,
                                 ShiftSignup.holding_shift_id.is_not(None), Shift.starts_at >= start,
                                 Shift.starts_at < end).order_by(ShiftSignup.id)).all()
    for signup, shift, act in shifts:
        yield Reminder(dedupe_key=f"shift-reminder:{signup.id}:{tomorrow.isoformat()}",
                       title_key="shift.reminder.title", body_key="shift.reminder.body", when=shift.starts_at,
                       kind="shift.reminder", link=routes.volunteer_shift(shift.id), resident_id=signup.resident_id,
                       params=dict(title=act.title, location=shift.location))
    morning = local_to_utc(tomorrow, time(9, 0), zone)
    pairs = session.exec(select(VisitPair).where(VisitPair.community_id == community.id,
                                                 VisitPair.active_elder_id.is_not(None),
                                                 VisitPair.next_due == tomorrow)).all()
    names = dict(session.exec(select(Resident.id, Resident.name).where(
        Resident.id.in_({p.elder_resident_id for p in pairs}))).all()) if pairs else {}
    for p in pairs:
        yield Reminder(dedupe_key=f"visit-reminder:{p.id}:{tomorrow.isoformat()}", title_key="visit.reminder.title",
                       body_key="visit.reminder.body", when=morning, kind="visit.reminder", link=routes.VOL_VISITS,
                       resident_id=p.volunteer_resident_id, params=dict(name=names.get(p.elder_resident_id, "")))
    reds = session.exec(select(Redemption).where(Redemption.community_id == community.id,
                                                 Redemption.status == RedemptionStatus.PENDING,
                                                 Redemption.expires_at >= start, Redemption.expires_at < end)).all()
    for r in reds:
        yield Reminder(dedupe_key=f"pickup-reminder:{r.id}:{tomorrow.isoformat()}", title_key="shop.reminder.title",
                       body_key="shop.reminder.body", when=r.expires_at, kind="shop.reminder",
                       link=routes.VOL_REDEMPTIONS, resident_id=r.resident_id, params=dict(good=r.reward_name))
