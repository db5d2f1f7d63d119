"""One shift as its reader sees it: a volunteer (sign up, wait, withdraw, check in and out with
the venue code) or the one who leads it (the team's leader or staff: the venue codes and the
roster to confirm). The service computes every ``can_*``; the actions check the same rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, func
from sqlmodel import Session, select

from community_app.models import Activity, Resident, Shift, ShiftSignup, SignupStatus, Team, utcnow
from community_app.services.access import Actor, require_staff
from community_app.services.core import waitlist
from community_app.services.core.clock import day_bounds_utc
from community_app.services.core.paging import Page, paginate
from community_app.services.errors import NotAllowed, NotFound, ValidationError
from community_app.services.volunteering.activities import (
    SPEC,
    ShiftCard,
    can_lead_shift,
    eligibility,
    get_shift,
    shift_cards,
)
from community_app.services.volunteering.common import resident_names, zone_of
from community_app.services.volunteering.hours import (
    CHECKOUT_CLOSES,
    MAX_CODE_FAILURES,
    code_window,
    shift_minutes,
)

__all__ = ["RosterRow", "ShiftDetail", "ShiftRow", "shift_detail", "shifts_page"]


@dataclass(frozen=True)
class RosterRow:
    signup_id: int
    resident_id: int
    name: str
    mobile: str
    status: str
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    minutes: int | None
    can_confirm: bool
    can_absent: bool


@dataclass(frozen=True)
class ShiftDetail:
    card: ShiftCard
    description: str
    team_name: str
    cancel_reason: str
    length_minutes: int
    why_not: str  # i18n key: why the reader may not sign up ("" when they may)
    can_sign_up: bool
    can_wait: bool
    can_withdraw: bool
    can_leave_wait: bool
    position: int  # in the waitlist, 0 when not waiting
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    minutes: int | None
    can_check_in: bool
    can_check_out: bool
    code_locked: bool
    can_lead: bool
    checkin_code: str = ""  # only for the one who leads
    checkout_code: str = ""
    roster: list[RosterRow] = field(default_factory=list)
    waiting_names: list[str] = field(default_factory=list)


def _roster(session: Session, shift_id: int, started: bool) -> tuple[list[RosterRow], list[str]]:
    rows = list(session.exec(select(ShiftSignup).where(
        ShiftSignup.shift_id == shift_id,
        ShiftSignup.status.in_((SignupStatus.SIGNED_UP, SignupStatus.ATTENDED, SignupStatus.ABSENT)))
        .order_by(ShiftSignup.created_at, ShiftSignup.id)).all())
    ids = {r.resident_id for r in rows}
    people = {r.id: r for r in session.exec(select(Resident).where(Resident.id.in_(ids)))} if ids else {}
    roster = [RosterRow(r.id, r.resident_id, people[r.resident_id].name if r.resident_id in people else "",
                        (people[r.resident_id].mobile or "") if r.resident_id in people else "", r.status,
                        r.checked_in_at, r.checked_out_at, r.minutes,
                        started and r.status in (SignupStatus.SIGNED_UP, SignupStatus.ABSENT)
                        and r.holding_shift_id is not None,
                        started and r.status == SignupStatus.SIGNED_UP)
              for r in rows]
    waiting = waitlist.waiting_rows(session, SPEC, shift_id)
    names = resident_names(session, (w.resident_id for w in waiting))
    return roster, [names.get(w.resident_id, "") for w in waiting]


def shift_detail(session: Session, actor: Actor, *, shift_id: int) -> ShiftDetail:
    """The shift page for a resident of its community or its staff."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    shift, act = get_shift(session, shift_id)
    lead = can_lead_shift(session, actor, act)
    if not lead and actor.community_id != act.community_id:
        raise NotFound("shift.error.not_found")
    card = shift_cards(session, actor, [(shift, act)])[0]
    mine = None
    if actor.resident_id is not None:
        mine = session.exec(select(ShiftSignup).where(
            ShiftSignup.shift_id == shift.id, ShiftSignup.resident_id == actor.resident_id,
            (ShiftSignup.holding_shift_id == shift.id) | (ShiftSignup.waiting_shift_id == shift.id))).first()
    now = utcnow()
    open_ = card.status == "open" and shift.starts_at > now
    why = eligibility(session, actor, act) if actor.resident_id is not None else "error.resident_only"
    holding = mine is not None and mine.holding_shift_id is not None
    waiting = mine is not None and mine.waiting_shift_id is not None
    can_in, can_out = code_window(shift, now)
    live = holding and card.status == "open" and mine.status == SignupStatus.SIGNED_UP
    locked = bool(mine and mine.code_failures >= MAX_CODE_FAILURES)
    team = session.get(Team, act.team_id) if act.team_id else None
    show_codes = lead and card.status == "open" and now <= shift.ends_at + CHECKOUT_CLOSES
    roster, waiting_names = _roster(session, shift.id, shift.starts_at <= now) if lead else ([], [])
    return ShiftDetail(
        card=card, description=act.description, team_name=team.name if team else "", cancel_reason=act.cancel_reason,
        length_minutes=shift_minutes(shift), why_not=why,
        can_sign_up=open_ and not why and not holding and not waiting and card.free > 0,
        can_wait=open_ and not why and not holding and not waiting and card.free <= 0,
        can_withdraw=open_ and holding and mine.status == SignupStatus.SIGNED_UP,
        can_leave_wait=waiting and card.status == "open",
        position=waitlist.position(session, SPEC, mine) if waiting else 0,
        checked_in_at=mine.checked_in_at if mine else None, checked_out_at=mine.checked_out_at if mine else None,
        minutes=mine.minutes if mine else None,
        can_check_in=live and can_in and mine.checked_in_at is None and not locked,
        can_check_out=live and can_out and mine.checked_in_at is not None and not locked,
        code_locked=locked and live, can_lead=lead,
        checkin_code=shift.checkin_code if show_codes else "", checkout_code=shift.checkout_code if show_codes else "",
        roster=roster, waiting_names=waiting_names,
    )


VERIFY_FILTERS = ("to_verify", "today", "upcoming", "past")
VERIFY_DAYS = 14


@dataclass(frozen=True)
class ShiftRow:
    shift_id: int
    activity_id: int
    title: str
    team_name: str
    starts_at: datetime
    ends_at: datetime
    location: str
    capacity: int
    taken: int
    attended: int
    unverified: int  # holding a place, started, not verified


def shifts_page(session: Session, actor: Actor, *, status: str = "to_verify", page: int = 1, page_size: int = 20
                ) -> Page[ShiftRow]:
    """核验: the community's shifts with how many served and how many still wait for their
    time to be confirmed (``to_verify``: started in the last two weeks with someone unverified)."""
    require_staff(actor)
    if status not in VERIFY_FILTERS:
        raise ValidationError("error.invalid", field="status")
    now = utcnow()
    counts = (select(ShiftSignup.shift_id,
                     func.sum(case((ShiftSignup.status == SignupStatus.ATTENDED, 1), else_=0)).label("att"),
                     func.sum(case((ShiftSignup.status == SignupStatus.SIGNED_UP, 1), else_=0)).label("open"))
              .where(ShiftSignup.holding_shift_id.is_not(None)).group_by(ShiftSignup.shift_id).subquery())
    stmt = (select(Shift, Activity, counts.c.att, counts.c.open)
            .join(Activity, Activity.id == Shift.activity_id)
            .join(counts, counts.c.shift_id == Shift.id, isouter=True)
            .where(Activity.community_id == actor.community_id, Shift.status == "open", Activity.status == "open"))
    zone = zone_of(session, actor.community_id)
    today = now.astimezone(zone).date()
    if status == "to_verify":
        stmt = stmt.where(Shift.starts_at <= now, Shift.starts_at > now - timedelta(days=VERIFY_DAYS),
                          counts.c.open > 0).order_by(Shift.starts_at.desc())
    elif status == "today":
        start, end = day_bounds_utc(today, today, zone)
        stmt = stmt.where(Shift.starts_at >= start, Shift.starts_at < end).order_by(Shift.starts_at)
    elif status == "upcoming":
        stmt = stmt.where(Shift.starts_at > now).order_by(Shift.starts_at)
    else:
        stmt = stmt.where(Shift.starts_at <= now).order_by(Shift.starts_at.desc())
    rows, total, page, size = paginate(session, stmt.order_by(Shift.id), page=page, page_size=page_size)
    teams = dict(session.exec(select(Team.id, Team.name).where(Team.community_id == actor.community_id)).all())
    items = [ShiftRow(s.id, a.id, a.title, teams.get(a.team_id, ""), s.starts_at, s.ends_at, s.location, s.capacity,
                      s.taken, int(att or 0), int(op or 0) if s.starts_at <= now else 0)
             for s, a, att, op in rows]
    return Page(items, total, page, size)
