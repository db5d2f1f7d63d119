"""Activities (志愿活动) and their shifts (班次): staff or a team's leader publish an activity
with one or more shifts (time, place, places, points); volunteers sign up and withdraw under
the same rules as bookings:

- a place is taken only by ``UPDATE shift SET taken = taken + 1 WHERE id = :id AND taken <
  capacity`` (``core.capacity``), in the same transaction as the sign-up row, whose
  ``holding_shift_id`` (unique with the person) stops anyone holding two places on a shift;
- a full shift has a waitlist (``core.waitlist`` over ``ShiftSignup``): a freed place goes to
  the first in line who can still take it (not holding an overlapping shift), until
  ``PROMOTE_CUTOFF`` before the start;
- one volunteer's sign-ups queue on their resident row (PostgreSQL ``FOR NO KEY UPDATE``,
  SQLite's single writer), so two overlapping shifts can never both be taken.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from community_app import routes
from community_app.models import Activity, Resident, Shift, ShiftSignup, SignupStatus, Team, utcnow
from community_app.services import audit
from community_app.services.access import Actor, require_resident, require_staff
from community_app.services.core import capacity, waitlist
from community_app.services.core.clock import day_bounds_utc, local_to_utc
from community_app.services.core.notify import notify_t
from community_app.services.core.paging import Page, paginate
from community_app.services.core.text import clean_int, clean_text
from community_app.services.core.tx import lock, mutating
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from community_app.services.volunteering.common import (
    active_team_ids,
    digits,
    is_leader,
    leader_team_ids,
    resident_names,
    zone_of,
)

__all__ = [
    "HOLDING", "MAX_SHIFTS", "PROMOTE_CUTOFF", "SPEC", "ShiftCard", "ShiftInput", "activities_page",
    "cancel_activity", "can_lead_shift", "get_shift", "join_waitlist", "open_shifts", "publish", "shift_cards",
    "sign_up", "sign_up_for", "team_shifts", "understaffed", "withdraw",
]

SPEC = waitlist.WaitlistSpec(ShiftSignup, subject="shift_id", waiting="waiting_shift_id", person="resident_id",
                             promoted_status=SignupStatus.SIGNED_UP)
HOLDING = (SignupStatus.SIGNED_UP, SignupStatus.ATTENDED, SignupStatus.ABSENT)
PROMOTE_CUTOFF = timedelta(hours=2)
MAX_SHIFTS = 20
MAX_PLACES = 500
MAX_POINTS = 200
UNDERSTAFFED_DAYS = 2


@dataclass(frozen=True)
class ShiftInput:
    """One shift as a form gives it: a local date and times, places, points, a place."""

    day: date | str
    start: time | str
    end: time | str
    places: int | str
    points: int | str = 0
    location: str = ""


@dataclass(frozen=True)
class ShiftCard:
    shift_id: int
    activity_id: int
    title: str
    team_id: int | None
    team_name: str
    starts_at: datetime  # UTC
    ends_at: datetime
    location: str
    capacity: int
    taken: int
    points: int
    status: str  # open / cancelled
    members_only: bool
    my_status: str = ""  # my sign-up: "" / signed_up / waiting / attended / absent
    my_signup_id: int = 0
    waiting: int = 0  # people in line
    extra: dict = field(default_factory=dict)

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.taken)


# --------------------------------------------------------------------------- publishing


def _parse_day(value) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValidationError("activity.error.shift_time", field="shifts")


def _parse_time(value) -> time:
    if isinstance(value, time):
        return value
    try:
        if isinstance(value, str) and len(value.strip()) == 5:
            return time.fromisoformat(value.strip())
    except ValueError:
        pass
    raise ValidationError("activity.error.shift_time", field="shifts")


def _clean_shifts(shifts: Sequence[ShiftInput], zone, default_location: str, default_points: int
                  ) -> list[tuple[datetime, datetime, int, int, str]]:
    if isinstance(shifts, str | bytes) or not isinstance(shifts, Sequence) or not shifts:
        raise ValidationError("activity.error.no_shifts", field="shifts")
    if len(shifts) > MAX_SHIFTS:
        raise ValidationError("activity.error.too_many_shifts", field="shifts", n=MAX_SHIFTS)
    out = []
    now = utcnow()
    for s in shifts:
        if not isinstance(s, ShiftInput):
            raise ValidationError("activity.error.shift_time", field="shifts")
        day = _parse_day(s.day)
        start = local_to_utc(day, _parse_time(s.start), zone)
        end = local_to_utc(day, _parse_time(s.end), zone)
        if end <= start:
            raise ValidationError("activity.error.shift_order", field="shifts")
        if start <= now:
            raise ValidationError("activity.error.shift_past", field="shifts")
        places = clean_int(s.places, field="shifts", key="activity.error.places", lo=1, hi=MAX_PLACES, required=True)
        pts = clean_int(s.points, field="shifts", key="activity.error.points", lo=0, hi=MAX_POINTS)
        location = clean_text(s.location, field="shifts", max_len=120) or default_location
        out.append((start, end, places, default_points if pts is None else pts, location))
    return sorted(out)


def _publisher(session: Session, actor: Actor, team_id) -> Team | None:
    """Staff of the community publish for any of its teams (or none); a leader for their team."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    team = None
    if team_id not in (None, ""):
        team = session.get(Team, team_id) if isinstance(team_id, int) and not isinstance(team_id, bool) else None
        if team is None:
            raise ValidationError("activity.error.team_invalid", field="team_id")
    community_id = team.community_id if team else actor.community_id
    if actor.can_staff(community_id):
        return team
    if team is not None and is_leader(session, actor, team.id):
        return team
    raise NotAllowed("activity.error.not_publisher")


@mutating
def publish(session: Session, actor: Actor, *, title, shifts: Sequence[ShiftInput], team_id: int | None = None,
            description: str = "", location: str = "", points=0, members_only: bool = False) -> Activity:
    """发布活动: staff or the team's leader publish an activity with its shifts (each: local
    date, start and end, places, points, a place if not the activity's). Audited. Commits."""
    team = _publisher(session, actor, team_id)
    community_id = team.community_id if team else actor.community_id
    title = clean_text(title, field="title", max_len=100, required_key="activity.error.title_required")
    description = clean_text(description, field="description", max_len=1000)
    location = clean_text(location, field="location", max_len=120, required_key="activity.error.location_required")
    pts = clean_int(points, field="points", key="activity.error.points", lo=0, hi=MAX_POINTS) or 0
    if members_only is True and team is None:
        raise ValidationError("activity.error.members_only_team", field="members_only")
    blocks = _clean_shifts(shifts, zone_of(session, community_id), location, pts)
    act = Activity(community_id=community_id, team_id=team.id if team else None, title=title,
                   description=description, location=location, starts_at=blocks[0][0],
                   ends_at=max(b[1] for b in blocks), points=pts, members_only=members_only is True,
                   created_by_account_id=actor.account_id)
    session.add(act)
    session.flush()
    for start, end, places, shift_points, where in blocks:
        session.add(Shift(activity_id=act.id, starts_at=start, ends_at=end, location=where, capacity=places,
                          points=shift_points, checkin_code=digits(6), checkout_code=digits(6)))
    audit.record(session, actor, "activity.publish", target_type="activity", target_id=act.id,
                 community_id=community_id, title=title, shifts=len(blocks), team_id=act.team_id)
    session.commit()
    return act


def _notify_shift_people(session: Session, rows: list[ShiftSignup], shift: Shift, act: Activity, *, key: str,
                         reason: str) -> None:
    for row in rows:
        notify_t(session, resident_id=row.resident_id, kind="shift.cancelled", title_key=f"{key}.title",
                 body_key=f"{key}.body", link=routes.volunteer_shift(shift.id), when=shift.starts_at,
                 zone=zone_of(session, act.community_id), title=act.title, reason=reason)


@mutating
def cancel_activity(session: Session, actor: Actor, *, activity_id: int, reason) -> Activity:
    """取消活动: staff or the team's leader cancel an activity not yet over: its places are
    freed, its waitlists closed and everyone signed up or waiting is told. Audited. Commits."""
    act = session.get(Activity, activity_id) if isinstance(activity_id, int) else None
    if act is None:
        raise NotFound("activity.error.not_found")
    if not (actor is not None and (actor.can_staff(act.community_id) or is_leader(session, actor, act.team_id))):
        raise NotAllowed("activity.error.not_publisher")
    reason = clean_text(reason, field="reason", max_len=200, required_key="activity.error.reason_required")
    act = session.exec(lock(session, select(Activity).where(Activity.id == act.id))).one()
    if act.status == "cancelled" or act.ends_at <= utcnow():
        raise Conflict("activity.error.not_cancellable")
    act.status, act.cancel_reason = "cancelled", reason
    session.add(act)
    for shift in session.exec(select(Shift).where(Shift.activity_id == act.id)).all():
        shift.status = "cancelled"
        session.add(shift)
        holders = list(session.exec(lock(session, select(ShiftSignup).where(ShiftSignup.holding_shift_id == shift.id,
                                                                            ShiftSignup.status == SignupStatus.SIGNED_UP))).all())
        for row in holders:
            row.status, row.holding_shift_id = SignupStatus.CANCELLED, None
            session.add(row)
            capacity.give_back(session, Shift, shift.id)
        waiting = waitlist.end_all(session, SPEC, [shift.id], status=SignupStatus.CANCELLED)
        _notify_shift_people(session, holders + waiting, shift, act, key="shift.notify.cancelled", reason=reason)
    audit.record(session, actor, "activity.cancel", target_type="activity", target_id=act.id,
                 community_id=act.community_id, reason=reason)
    session.commit()
    return act


# --------------------------------------------------------------------------- signing up


def get_shift(session: Session, shift_id) -> tuple[Shift, Activity]:
    shift = session.get(Shift, shift_id) if isinstance(shift_id, int) and not isinstance(shift_id, bool) else None
    if shift is None:
        raise NotFound("shift.error.not_found")
    return shift, session.get(Activity, shift.activity_id)


def can_lead_shift(session: Session, actor: Actor | None, act: Activity) -> bool:
    """Staff of the community or the activity's team leader: shows codes, confirms time."""
    return actor is not None and (actor.can_staff(act.community_id) or is_leader(session, actor, act.team_id))


def eligibility(session: Session, actor: Actor, act: Activity) -> str:
    """"" when the actor may sign up for the activity's shifts, else the i18n key saying why."""
    if actor.resident_id is None:
        return "error.resident_only"
    if actor.community_id != act.community_id:
        return "volunteer.error.other_community"
    teams = active_team_ids(session, actor.resident_id) | leader_team_ids(session, actor)
    if act.members_only and act.team_id not in teams:
        return "shift.error.members_only"
    if not (actor.is_volunteer or teams):
        return "shift.error.not_volunteer"
    return ""


def _lock_person(session: Session, resident_id: int) -> None:
    session.exec(lock(session, select(Resident.id).where(Resident.id == resident_id))).one()


def _overlap(session: Session, resident_id: int, shift: Shift) -> bool:
    """The person holds a place on another shift overlapping this one."""
    return session.exec(select(ShiftSignup.id).join(Shift, Shift.id == ShiftSignup.shift_id).where(
        ShiftSignup.resident_id == resident_id, ShiftSignup.status == SignupStatus.SIGNED_UP,
        ShiftSignup.holding_shift_id.is_not(None), Shift.id != shift.id, Shift.status == "open",
        Shift.starts_at < shift.ends_at, Shift.ends_at > shift.starts_at)).first() is not None


def _open_for_signup(shift: Shift, act: Activity) -> None:
    if shift.status != "open" or act.status != "open":
        raise Conflict("shift.error.cancelled")
    if shift.starts_at <= utcnow():
        raise Conflict("shift.error.started")


def _take_place(session: Session, resident_id: int, shift: Shift, act: Activity) -> ShiftSignup:
    """The sign-up itself, for a person already found eligible (in the caller's transaction)."""
    _lock_person(session, resident_id)
    _open_for_signup(shift, act)
    if session.exec(select(ShiftSignup.id).where(ShiftSignup.holding_shift_id == shift.id,
                                                 ShiftSignup.resident_id == resident_id)).first():
        raise Conflict("shift.error.already")
    if _overlap(session, resident_id, shift):
        raise Conflict("shift.error.overlap")
    if not capacity.take(session, Shift, shift.id):
        raise Conflict("shift.error.full")
    waiting = session.exec(select(ShiftSignup).where(ShiftSignup.waiting_shift_id == shift.id,
                                                     ShiftSignup.resident_id == resident_id)).first()
    if waiting is not None:  # a place came free while they waited: the same row takes it
        waitlist.leave(session, SPEC, waiting, status=SignupStatus.SIGNED_UP)
        row = waiting
    else:
        row = ShiftSignup(shift_id=shift.id, resident_id=resident_id, status=SignupStatus.SIGNED_UP)
    row.holding_shift_id = shift.id
    session.add(row)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Conflict("shift.error.already") from None
    return row


@mutating
def sign_up(session: Session, actor: Actor, *, shift_id: int) -> ShiftSignup:
    """报名: take a place on a shift. Refused: not a volunteer (or not in the team for a team
    shift), other community, started or cancelled, already signed up, holding an overlapping
    shift, full (then the waitlist is offered). Commits."""
    require_resident(actor)
    shift, act = get_shift(session, shift_id)
    why = eligibility(session, actor, act)
    if why:
        raise NotAllowed(why)
    row = _take_place(session, actor.resident_id, shift, act)
    session.commit()
    return row


@mutating
def sign_up_for(session: Session, actor: Actor, *, shift_id: int, resident_id: int) -> ShiftSignup:
    """代报名: the team's leader or staff sign up a member who has no phone (an active member of
    a team of the community; of the activity's team for a team shift). Audited. Commits."""
    shift, act = get_shift(session, shift_id)
    if not can_lead_shift(session, actor, act):
        raise NotAllowed("activity.error.not_publisher")
    person = session.get(Resident, resident_id) if isinstance(resident_id, int) else None
    teams = active_team_ids(session, person.id) if person is not None else set()
    if person is None or person.community_id != act.community_id or not teams:
        raise ValidationError("shift.error.not_volunteer", field="resident_id")
    if act.members_only and act.team_id not in teams:
        raise ValidationError("shift.error.members_only", field="resident_id")
    row = _take_place(session, person.id, shift, act)
    audit.record(session, actor, "shift.sign_up_for", target_type="shift", target_id=shift.id,
                 community_id=act.community_id, resident_id=person.id)
    session.commit()
    return row


@mutating
def join_waitlist(session: Session, actor: Actor, *, shift_id: int) -> ShiftSignup:
    """候补: wait for a place on a full shift. Commits."""
    require_resident(actor)
    shift, act = get_shift(session, shift_id)
    why = eligibility(session, actor, act)
    if why:
        raise NotAllowed(why)
    _lock_person(session, actor.resident_id)
    _open_for_signup(shift, act)
    if session.exec(select(ShiftSignup.id).where(ShiftSignup.holding_shift_id == shift.id,
                                                 ShiftSignup.resident_id == actor.resident_id)).first():
        raise Conflict("shift.error.already")
    current = session.exec(select(Shift.taken, Shift.capacity).where(Shift.id == shift.id)).one()
    if current[0] < current[1]:
        raise Conflict("shift.error.not_full")
    row = waitlist.join(session, SPEC, subject_id=shift.id, person_id=actor.resident_id,
                        already_key="shift.error.already_waiting")
    session.commit()
    return row


def _promote(session: Session, shift: Shift, act: Activity) -> list[ShiftSignup]:
    """Give freed places to the line, in order, until the cut-off before the start."""
    def admit(row: ShiftSignup) -> waitlist.Admit:
        if shift.starts_at - utcnow() < PROMOTE_CUTOFF:
            return waitlist.Admit.STOP
        if _overlap(session, row.resident_id, shift):
            return waitlist.Admit.SKIP
        if not capacity.take(session, Shift, shift.id):
            return waitlist.Admit.STOP
        row.holding_shift_id = shift.id
        return waitlist.Admit.ADMITTED

    promoted = waitlist.promote(session, SPEC, shift.id, admit)
    for row in promoted:
        notify_t(session, resident_id=row.resident_id, kind="shift.promoted", title_key="shift.notify.promoted.title",
                 body_key="shift.notify.promoted.body", link=routes.volunteer_shift(shift.id), when=shift.starts_at,
                 zone=zone_of(session, act.community_id), title=act.title)
    return promoted


@mutating
def withdraw(session: Session, actor: Actor, *, shift_id: int) -> ShiftSignup:
    """取消报名 / 退出候补: before the shift starts. A freed place goes to the waitlist. Commits."""
    require_resident(actor)
    shift, act = get_shift(session, shift_id)
    _lock_person(session, actor.resident_id)
    row = session.exec(lock(session, select(ShiftSignup).where(
        ShiftSignup.shift_id == shift.id, ShiftSignup.resident_id == actor.resident_id,
        (ShiftSignup.holding_shift_id == shift.id) | (ShiftSignup.waiting_shift_id == shift.id)))).first()
    if row is None:
        raise Conflict("shift.error.not_signed_up")
    if row.waiting_shift_id is not None:
        waitlist.leave(session, SPEC, row, status=SignupStatus.LEFT)
        session.commit()
        return row
    if row.status != SignupStatus.SIGNED_UP or shift.starts_at <= utcnow():
        raise Conflict("shift.error.too_late")
    row.status, row.holding_shift_id = SignupStatus.WITHDRAWN, None
    session.add(row)
    session.flush()
    capacity.give_back(session, Shift, shift.id)
    _promote(session, shift, act)
    session.commit()
    return row


# --------------------------------------------------------------------------- views


def shift_cards(session: Session, actor: Actor | None, rows: list[tuple[Shift, Activity]]) -> list[ShiftCard]:
    if not rows:
        return []
    shift_ids = [s.id for s, _ in rows]
    teams = dict(session.exec(select(Team.id, Team.name).where(
        Team.id.in_({a.team_id for _, a in rows if a.team_id}))).all())
    mine: dict[int, ShiftSignup] = {}
    if actor is not None and actor.resident_id is not None:
        for r in session.exec(select(ShiftSignup).where(
                ShiftSignup.resident_id == actor.resident_id, ShiftSignup.shift_id.in_(shift_ids),
                ShiftSignup.status.in_((*HOLDING, SignupStatus.WAITING))).order_by(ShiftSignup.id)):
            mine[r.shift_id] = r
    waiting = dict(session.exec(select(ShiftSignup.waiting_shift_id, func.count(ShiftSignup.id))
                                .where(ShiftSignup.waiting_shift_id.in_(shift_ids))
                                .group_by(ShiftSignup.waiting_shift_id)).all())
    return [ShiftCard(s.id, a.id, a.title, a.team_id, teams.get(a.team_id, ""), s.starts_at, s.ends_at, s.location,
                      s.capacity, s.taken, s.points, "cancelled" if a.status == "cancelled" else s.status,
                      a.members_only, mine[s.id].status if s.id in mine else "", mine[s.id].id if s.id in mine else 0,
                      int(waiting.get(s.id, 0)))
            for s, a in rows]


def open_shifts(session: Session, actor: Actor, *, limit: int = 30) -> list[ShiftCard]:
    """Upcoming shifts of the resident's community they may sign up for (team shifts only for
    the team's members), soonest first."""
    require_resident(actor)
    teams = active_team_ids(session, actor.resident_id) | leader_team_ids(session, actor)
    stmt = (select(Shift, Activity).join(Activity, Activity.id == Shift.activity_id)
            .where(Activity.community_id == actor.community_id, Activity.status == "open", Shift.status == "open",
                   Shift.starts_at > utcnow()))
    rows = [(s, a) for s, a in session.exec(stmt.order_by(Shift.starts_at, Shift.id).limit(200)).all()
            if not a.members_only or a.team_id in teams]
    return shift_cards(session, actor, rows[:max(1, min(int(limit), 100))])


def understaffed(session: Session, community_id: int) -> list[ShiftCard]:
    """Open shifts starting from now to the end of the day after tomorrow with places still
    empty: staff are told two days ahead."""
    zone = zone_of(session, community_id)
    today = utcnow().astimezone(zone).date()
    _, end = day_bounds_utc(today, today + timedelta(days=UNDERSTAFFED_DAYS), zone)
    rows = session.exec(select(Shift, Activity).join(Activity, Activity.id == Shift.activity_id).where(
        Activity.community_id == community_id, Activity.status == "open", Shift.status == "open",
        Shift.starts_at > utcnow(), Shift.starts_at < end, Shift.taken < Shift.capacity)
        .order_by(Shift.starts_at)).all()
    return shift_cards(session, None, list(rows))


ACTIVITY_FILTERS = ("upcoming", "past", "cancelled", "short", "")


@dataclass(frozen=True)
class ActivityRow:
    id: int
    title: str
    team_name: str
    starts_at: datetime
    ends_at: datetime
    location: str
    status: str
    shifts: int
    places: int
    taken: int
    points: int
    first_shift_id: int = 0  # its page has the venue codes and the roster


def activities_page(session: Session, actor: Actor, *, status: str = "upcoming", team_id: int | None = None,
                    page: int = 1, page_size: int = 20) -> Page[ActivityRow]:
    """Staff list of the community's activities with their shifts' places."""
    require_staff(actor)
    if status not in ACTIVITY_FILTERS:
        raise ValidationError("error.invalid", field="status")
    sums = (select(Shift.activity_id, func.count(Shift.id).label("n"), func.sum(Shift.capacity).label("cap"),
                   func.sum(Shift.taken).label("taken"), func.max(Shift.points).label("pts"))
            .group_by(Shift.activity_id).subquery())
    stmt = (select(Activity, sums.c.n, sums.c.cap, sums.c.taken, sums.c.pts)
            .join(sums, sums.c.activity_id == Activity.id, isouter=True)
            .where(Activity.community_id == actor.community_id))
    now = utcnow()
    if status == "upcoming":
        stmt = stmt.where(Activity.status == "open", Activity.ends_at > now).order_by(Activity.starts_at)
    elif status == "short":
        stmt = stmt.where(Activity.status == "open", Activity.ends_at > now, sums.c.taken < sums.c.cap
                          ).order_by(Activity.starts_at)
    elif status == "past":
        stmt = stmt.where(Activity.status == "open", Activity.ends_at <= now).order_by(Activity.starts_at.desc())
    elif status == "cancelled":
        stmt = stmt.where(Activity.status == "cancelled").order_by(Activity.starts_at.desc())
    else:
        stmt = stmt.order_by(Activity.starts_at.desc())
    if team_id is not None:
        stmt = stmt.where(Activity.team_id == team_id)
    rows, total, page, size = paginate(session, stmt.order_by(Activity.id), page=page, page_size=page_size)
    teams = dict(session.exec(select(Team.id, Team.name).where(Team.community_id == actor.community_id)).all())
    firsts: dict[int, int] = {}
    if rows:
        for aid, sid in session.exec(select(Shift.activity_id, Shift.id).where(
                Shift.activity_id.in_([a.id for a, *_ in rows])).order_by(Shift.starts_at, Shift.id)).all():
            firsts.setdefault(aid, sid)
    items = [ActivityRow(a.id, a.title, teams.get(a.team_id, ""), a.starts_at, a.ends_at, a.location, a.status,
                         int(n or 0), int(cap or 0), int(taken or 0), int(pts or 0), firsts.get(a.id, 0))
             for a, n, cap, taken, pts in rows]
    return Page(items, total, page, size)


def names_of_signups(session: Session, rows: list[ShiftSignup]) -> dict[int, str]:
    return resident_names(session, (r.resident_id for r in rows))


def team_shifts(session: Session, actor: Actor, *, team_id: int, limit: int = 20) -> list[ShiftCard]:
    """The team's shifts not yet over, soonest first (its page; the caller checked the reader
    may see the team)."""
    rows = session.exec(select(Shift, Activity).join(Activity, Activity.id == Shift.activity_id).where(
        Activity.team_id == team_id, Activity.status == "open", Shift.status == "open", Shift.ends_at > utcnow())
        .order_by(Shift.starts_at).limit(max(1, min(int(limit), 100)))).all()
    return shift_cards(session, actor, list(rows))
