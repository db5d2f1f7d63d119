"""Regular visits to elders living alone (定期探望): staff pair a volunteer with a resident of
the register's 独居老人 category and set how often they visit; the volunteer logs each visit
(when, how the person is, any concern for staff); a pair whose next visit date has passed is
overdue and shows on the staff home. A visit counts as the volunteer's served time and pays
``VISIT_POINTS``. Staff actions are audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from community_app import routes
from community_app.models import (
    CareCategory,
    MemberStatus,
    Resident,
    ResidentCare,
    Team,
    TeamMember,
    VisitLog,
    VisitPair,
    utcnow,
)
from community_app.services import audit, booking
from community_app.services.access import Actor, require_resident, require_staff
from community_app.services.core.clock import local_to_utc
from community_app.services.core.notify import notify_t
from community_app.services.core.paging import Page, paginate
from community_app.services.core.text import clean_int, clean_text
from community_app.services.core.tx import lock, mutating
from community_app.services.errors import Conflict, NotFound, ValidationError
from community_app.services.volunteering import points
from community_app.services.volunteering.common import (
    active_team_ids,
    get_resident,
    local_day,
    resident_names,
    today_in,
    zone_of,
)
from community_app.services.volunteering.hours import record_hours

__all__ = [
    "VISIT_POINTS", "WELLBEING", "PairView", "elders_living_alone", "end_pair", "handle_concern", "log_visit", "my_visits",
    "open_concerns", "overdue_count", "pair", "pairs_page", "visit_log", "volunteer_choices",
]

VISIT_POINTS = 5
WELLBEING = ("good", "fair", "poor", "not_home")
MAX_INTERVAL = 90
VISIT_MINUTES = 60


@dataclass(frozen=True)
class PairView:
    id: int
    elder_id: int
    elder_name: str
    elder_address: str
    elder_mobile: str
    volunteer_id: int
    volunteer_name: str
    interval_days: int
    next_due: date
    last_visit_at: datetime | None
    overdue_days: int  # 0 when not overdue
    active: bool
    open_concerns: int


def _address(session: Session, resident: Resident) -> str:
    return booking.household_address(session, resident)  # worded as bookings word it


def _views(session: Session, pairs: list[VisitPair], today: date) -> list[PairView]:
    ids = {p.elder_resident_id for p in pairs} | {p.volunteer_resident_id for p in pairs}
    people = {r.id: r for r in session.exec(select(Resident).where(Resident.id.in_(ids)))} if ids else {}
    concerns = dict(session.exec(select(VisitLog.pair_id, func.count(VisitLog.id))
                                 .where(VisitLog.pair_id.in_([p.id for p in pairs]), VisitLog.concern_status == "open")
                                 .group_by(VisitLog.pair_id)).all()) if pairs else {}
    out = []
    for p in pairs:
        elder, vol = people.get(p.elder_resident_id), people.get(p.volunteer_resident_id)
        out.append(PairView(
            p.id, p.elder_resident_id, elder.name if elder else "", _address(session, elder) if elder else "",
            (elder.mobile or "") if elder else "", p.volunteer_resident_id, vol.name if vol else "", p.interval_days,
            p.next_due, p.last_visit_at, max(0, (today - p.next_due).days) if p.active_elder_id else 0,
            p.active_elder_id is not None, int(concerns.get(p.id, 0))))
    return out


def _living_alone(session: Session, resident_id: int) -> bool:
    return session.exec(select(ResidentCare.id).where(ResidentCare.resident_id == resident_id,
                                                      ResidentCare.category == CareCategory.LIVING_ALONE)).first() is not None


def elders_living_alone(session: Session, actor: Actor) -> list[tuple[int, str, int]]:
    """(id, name, active pairs) of the community's residents in the 独居老人 category."""
    require_staff(actor)
    rows = session.exec(select(Resident.id, Resident.name).join(ResidentCare, ResidentCare.resident_id == Resident.id)
                        .where(Resident.community_id == actor.community_id,
                               ResidentCare.category == CareCategory.LIVING_ALONE).order_by(Resident.name)).all()
    counts = dict(session.exec(select(VisitPair.elder_resident_id, func.count(VisitPair.id))
                               .where(VisitPair.community_id == actor.community_id,
                                      VisitPair.active_elder_id.is_not(None))
                               .group_by(VisitPair.elder_resident_id)).all())
    return [(rid, name, int(counts.get(rid, 0))) for rid, name in rows]


@mutating
def pair(session: Session, actor: Actor, *, elder_resident_id: int, volunteer_resident_id: int, interval_days,
         first_due: date | None = None) -> VisitPair:
    """Staff pair a volunteer (a member of a team) with an elder living alone, every
    ``interval_days`` (1-90), the first visit due ``first_due`` (default: in one interval).
    The volunteer is told. Audited. Commits."""
    require_staff(actor)
    elder = get_resident(session, elder_resident_id if isinstance(elder_resident_id, int) else 0)
    vol = get_resident(session, volunteer_resident_id if isinstance(volunteer_resident_id, int) else 0)
    if elder.community_id != actor.community_id or not _living_alone(session, elder.id):
        raise ValidationError("visit.error.elder_invalid", field="elder")
    if vol.community_id != actor.community_id or vol.id == elder.id or not active_team_ids(session, vol.id):
        raise ValidationError("visit.error.volunteer_invalid", field="volunteer")
    interval = clean_int(interval_days, field="interval", key="visit.error.interval", lo=1, hi=MAX_INTERVAL,
                         required=True)
    today = today_in(session, actor.community_id)
    if first_due is not None and (not isinstance(first_due, date) or first_due < today):
        raise ValidationError("visit.error.first_due", field="first_due")
    row = VisitPair(community_id=actor.community_id, elder_resident_id=elder.id, volunteer_resident_id=vol.id,
                    active_elder_id=elder.id, interval_days=interval,
                    next_due=first_due or today + timedelta(days=interval), created_by_account_id=actor.account_id)
    session.add(row)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Conflict("visit.error.already_paired") from None
    notify_t(session, resident_id=vol.id, kind="visit.paired", title_key="visit.notify.paired.title",
             body_key="visit.notify.paired.body", link=routes.VOL_VISITS, name=elder.name, n=interval)
    audit.record(session, actor, "visit.pair", target_type="visitpair", target_id=row.id, elder_id=elder.id,
                 volunteer_id=vol.id, interval=interval)
    session.commit()
    return row


@mutating
def end_pair(session: Session, actor: Actor, *, pair_id: int) -> VisitPair:
    """Staff end a pairing (its visits stay as history). Audited. Commits."""
    row = session.get(VisitPair, pair_id) if isinstance(pair_id, int) else None
    if row is None:
        raise NotFound("visit.error.not_found")
    require_staff(actor, row.community_id)
    row = session.exec(lock(session, select(VisitPair).where(VisitPair.id == row.id))).one()
    if row.active_elder_id is None:
        raise Conflict("visit.error.ended")
    row.active_elder_id, row.ended_at = None, utcnow()
    session.add(row)
    audit.record(session, actor, "visit.end", target_type="visitpair", target_id=row.id)
    session.commit()
    return row


def my_visits(session: Session, actor: Actor) -> list[PairView]:
    """The elders the volunteer visits, the most overdue first."""
    require_resident(actor)
    pairs = list(session.exec(select(VisitPair).where(VisitPair.volunteer_resident_id == actor.resident_id,
                                                      VisitPair.active_elder_id.is_not(None))
                              .order_by(VisitPair.next_due, VisitPair.id)).all())
    return _views(session, pairs, today_in(session, actor.community_id))


def _visit_time(session: Session, community_id: int, visited_on, at) -> datetime:
    """The visit's moment from a local date and time (default: now); not in the future, at most
    30 days back."""
    zone = zone_of(session, community_id)
    now = utcnow()
    if visited_on in (None, "") and at in (None, ""):
        return now
    try:
        day = visited_on if isinstance(visited_on, date) else date.fromisoformat(str(visited_on))
        moment = at if isinstance(at, time) else time.fromisoformat(str(at or "10:00"))
    except ValueError:
        raise ValidationError("visit.error.when", field="visited_at") from None
    when = local_to_utc(day, moment, zone)
    if when > now + timedelta(minutes=5) or when < now - timedelta(days=30):
        raise ValidationError("visit.error.when", field="visited_at")
    return when


@mutating
def log_visit(session: Session, actor: Actor, *, pair_id: int, wellbeing: str, note: str = "", concern: str = "",
              minutes=None, visited_on=None, at=None) -> VisitLog:
    """探望记录: the paired volunteer logs a visit (one a day per elder): how the person is, a
    note, and a concern raised to staff (it stays open until staff handle it). The next visit
    falls due one interval later; the time counts as service with ``VISIT_POINTS``. Commits."""
    require_resident(actor)
    row = session.get(VisitPair, pair_id) if isinstance(pair_id, int) else None
    if row is None or row.volunteer_resident_id != actor.resident_id:
        raise NotFound("visit.error.not_found")
    if row.active_elder_id is None:
        raise Conflict("visit.error.ended")
    if wellbeing not in WELLBEING:
        raise ValidationError("visit.error.wellbeing", field="wellbeing")
    note = clean_text(note, field="note", max_len=500)
    concern = clean_text(concern, field="concern", max_len=500)
    minutes = clean_int(minutes, field="minutes", key="visit.error.minutes", lo=1, hi=480) or VISIT_MINUTES
    when = _visit_time(session, row.community_id, visited_on, at)
    zone = zone_of(session, row.community_id)
    day = local_day(when, zone)
    row = session.exec(lock(session, select(VisitPair).where(VisitPair.id == row.id))).one()
    log = VisitLog(pair_id=row.id, community_id=row.community_id, elder_resident_id=row.elder_resident_id,
                   volunteer_resident_id=actor.resident_id, visited_at=when, visit_day=day, minutes=minutes,
                   wellbeing=wellbeing, note=note, concern=concern, concern_status="open" if concern else "")
    session.add(log)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Conflict("visit.error.same_day") from None
    if row.last_visit_at is None or when >= row.last_visit_at:
        row.last_visit_at = when
        row.next_due = day + timedelta(days=row.interval_days)
    session.add(row)
    elder = resident_names(session, [row.elder_resident_id]).get(row.elder_resident_id, "")
    record_hours(session, community_id=row.community_id, resident_id=actor.resident_id, team_id=None, kind="visit",
                 how="visit", source=f"visit:{log.id}", title=elder, served_on=day, minutes=minutes, actor=actor)
    points.award(session, resident_id=actor.resident_id, points=VISIT_POINTS, reason_key="points.reason.visit",
                 reason=elder, source=f"visit:{log.id}", actor=actor)
    session.commit()
    return log


def visit_log(session: Session, actor: Actor, *, pair_id: int, limit: int = 20) -> list[VisitLog]:
    """The last visits of a pair: for its volunteer and for staff."""
    row = session.get(VisitPair, pair_id) if isinstance(pair_id, int) else None
    if row is None or not (actor is not None and (actor.resident_id == row.volunteer_resident_id
                                                  or actor.can_staff(row.community_id))):
        raise NotFound("visit.error.not_found")
    return list(session.exec(select(VisitLog).where(VisitLog.pair_id == row.id)
                             .order_by(VisitLog.visited_at.desc()).limit(max(1, min(limit, 100)))).all())


@mutating
def handle_concern(session: Session, actor: Actor, *, log_id: int, note) -> VisitLog:
    """Staff record what they did about a concern a volunteer raised. Audited. Commits."""
    log = session.get(VisitLog, log_id) if isinstance(log_id, int) else None
    if log is None:
        raise NotFound("visit.error.not_found")
    require_staff(actor, log.community_id)
    note = clean_text(note, field="note", max_len=300, required_key="visit.error.handled_note")
    log = session.exec(lock(session, select(VisitLog).where(VisitLog.id == log.id))).one()
    if log.concern_status != "open":
        raise Conflict("visit.error.no_concern")
    log.concern_status, log.handled_note = "handled", note
    log.handled_by_account_id, log.handled_at = actor.account_id, utcnow()
    session.add(log)
    audit.record(session, actor, "visit.concern_handled", target_type="visitlog", target_id=log.id, note=note)
    session.commit()
    return log


def overdue_count(session: Session, community_id: int) -> int:
    today = today_in(session, community_id)
    return int(session.exec(select(func.count(VisitPair.id)).where(
        VisitPair.community_id == community_id, VisitPair.active_elder_id.is_not(None),
        VisitPair.next_due < today)).one())


def open_concerns(session: Session, actor: Actor, *, limit: int = 50) -> list[VisitLog]:
    require_staff(actor)
    return list(session.exec(select(VisitLog).where(VisitLog.community_id == actor.community_id,
                                                    VisitLog.concern_status == "open")
                             .order_by(VisitLog.visited_at).limit(limit)).all())


PAIR_FILTERS = ("active", "overdue", "concerns", "ended", "")


def pairs_page(session: Session, actor: Actor, *, status: str = "active", page: int = 1, page_size: int = 20
               ) -> Page[PairView]:
    """Staff list of the community's pairs."""
    require_staff(actor)
    if status not in PAIR_FILTERS:
        raise ValidationError("error.invalid", field="status")
    today = today_in(session, actor.community_id)
    stmt = select(VisitPair).where(VisitPair.community_id == actor.community_id)
    if status in ("active", "overdue", "concerns"):
        stmt = stmt.where(VisitPair.active_elder_id.is_not(None))
    if status == "overdue":
        stmt = stmt.where(VisitPair.next_due < today)
    elif status == "concerns":
        stmt = stmt.where(VisitPair.id.in_(select(VisitLog.pair_id).where(VisitLog.concern_status == "open")))
    elif status == "ended":
        stmt = stmt.where(VisitPair.active_elder_id.is_(None))
    rows, total, page, size = paginate(session, stmt.order_by(VisitPair.next_due, VisitPair.id), page=page,
                                       page_size=page_size)
    return Page(_views(session, rows, today), total, page, size)



def volunteer_choices(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of the community's team members, for pairing."""
    require_staff(actor)
    return list(session.exec(
        select(Resident.id, Resident.name).join(TeamMember, TeamMember.resident_id == Resident.id)
        .join(Team, Team.id == TeamMember.team_id)
        .where(Team.community_id == actor.community_id, TeamMember.status == MemberStatus.ACTIVE)
        .distinct().order_by(Resident.name)).all())
