"""What the 志愿 tab shows about a person and their community: the summary at the top (points,
hours, this month's rank), monthly rankings of volunteers (points earned) and teams (hours
served), and the 爱心存折 — a resident's points passbook, month by month, for printing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from community_app.models import (
    Booking,
    BookingStatus,
    Community,
    PointsBalance,
    PointsEntry,
    PointsKind,
    Redemption,
    RedemptionStatus,
    Resident,
    ServiceHours,
    Team,
)
from community_app.services.access import Actor, require_resident, require_staff
from community_app.services.core.clock import day_bounds_utc
from community_app.services.errors import NotAllowed, NotFound, ValidationError
from community_app.services.volunteering import points
from community_app.services.volunteering.common import (
    MONTHS_BACK,
    active_team_ids,
    leader_team_ids,
    month_first,
    month_range,
    resident_names,
    today_in,
    volunteer_identifier,
    zone_of,
)

__all__ = ["HubSummary", "MonthBlock", "Passbook", "RankRow", "Rankings", "hub_summary", "passbook", "rankings"]

TOP = 20


@dataclass(frozen=True)
class HubSummary:
    balance: int
    earned_total: int
    year_minutes: int
    month_points: int
    month_rank: int  # 0: nothing earned this month
    open_tasks: int
    pending_redemptions: int
    is_volunteer: bool
    team_names: list[str]
    leader_team_ids: list[int]


def _month_bounds(session: Session, community_id: int, first: date) -> tuple[datetime, datetime]:
    start, nxt = month_range(first)
    return day_bounds_utc(start, nxt - timedelta(days=1), zone_of(session, community_id))


def _earned_by(session: Session, community_id: int, start: datetime, end: datetime):
    return (select(PointsEntry.resident_id, func.sum(PointsEntry.delta).label("pts"))
            .where(PointsEntry.community_id == community_id, PointsEntry.kind == PointsKind.EARNED,
                   PointsEntry.created_at >= start, PointsEntry.created_at < end)
            .group_by(PointsEntry.resident_id))


def _rank_of(session: Session, community_id: int, start: datetime, end: datetime, resident_id: int) -> tuple[int, int]:
    """(points earned by the resident in [start, end), their rank: 1 + people who earned more)."""
    sums = _earned_by(session, community_id, start, end).subquery()
    mine = session.exec(select(sums.c.pts).where(sums.c.resident_id == resident_id)).first()
    if not mine:
        return 0, 0
    ahead = session.exec(select(func.count()).select_from(sums).where(sums.c.pts > mine)).one()
    return int(mine), int(ahead) + 1


def hub_summary(session: Session, actor: Actor) -> HubSummary:
    require_resident(actor)
    rid, cid = actor.resident_id, actor.community_id
    row = session.get(PointsBalance, rid)
    today = today_in(session, cid)
    year_minutes = session.exec(select(func.coalesce(func.sum(ServiceHours.minutes), 0)).where(
        ServiceHours.resident_id == rid, ServiceHours.served_on >= date(today.year, 1, 1))).one()
    start, end = _month_bounds(session, cid, month_first(today))
    month_points, rank = _rank_of(session, cid, start, end, rid)
    open_tasks = session.exec(select(func.count(Booking.id)).where(
        Booking.assignee_account_id == actor.account_id,
        Booking.status.in_((BookingStatus.APPROVED, BookingStatus.ASSIGNED)))).one()
    pending = session.exec(select(func.count(Redemption.id)).where(
        Redemption.resident_id == rid, Redemption.status == RedemptionStatus.PENDING)).one()
    teams = active_team_ids(session, rid) | leader_team_ids(session, actor)
    names = list(session.exec(select(Team.name).where(Team.id.in_(teams)).order_by(Team.id))) if teams else []
    return HubSummary(row.balance if row else 0, row.earned if row else 0, int(year_minutes), month_points, rank,
                      int(open_tasks), int(pending), actor.is_volunteer or bool(teams), names,
                      sorted(leader_team_ids(session, actor)))


@dataclass(frozen=True)
class RankRow:
    rank: int
    id: int
    name: str
    points: int
    minutes: int
    me: bool = False
    people: int = 0  # a team: how many of its people served


@dataclass(frozen=True)
class Rankings:
    month: date  # its first day
    volunteers: list[RankRow]  # by points earned in the month
    teams: list[RankRow]  # by hours served in the month
    my_points: int
    my_rank: int
    months: list[date] = field(default_factory=list)  # months one can pick, newest first


def _clean_month(month, today: date) -> date:
    if month in (None, ""):
        return month_first(today)
    if isinstance(month, str):
        try:
            month = date.fromisoformat(month[:7] + "-01")
        except ValueError:
            raise ValidationError("volunteer.error.month_invalid", field="month") from None
    if not isinstance(month, date):
        raise ValidationError("volunteer.error.month_invalid", field="month")
    month = month_first(month)
    oldest = month_first(today)
    for _ in range(MONTHS_BACK - 1):
        oldest = month_first(oldest - timedelta(days=1))
    if month > month_first(today) or month < oldest:
        raise ValidationError("volunteer.error.month_invalid", field="month")
    return month


def _months(today: date) -> list[date]:
    out, m = [], month_first(today)
    for _ in range(12):
        out.append(m)
        m = month_first(m - timedelta(days=1))
    return out


def rankings(session: Session, actor: Actor, *, month=None) -> Rankings:
    """光荣榜 of one month of the reader's community: the top volunteers by points earned (with
    their hours) and the teams by hours their people served."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    cid = actor.community_id
    today = today_in(session, cid)
    first = _clean_month(month, today)
    start, end = _month_bounds(session, cid, first)
    top = session.exec(_earned_by(session, cid, start, end)
                       .order_by(func.sum(PointsEntry.delta).desc(), PointsEntry.resident_id).limit(TOP)).all()
    last = month_range(first)[1] - timedelta(days=1)
    mins = dict(session.exec(select(ServiceHours.resident_id, func.sum(ServiceHours.minutes)).where(
        ServiceHours.community_id == cid, ServiceHours.served_on >= first, ServiceHours.served_on <= last,
        ServiceHours.resident_id.in_([r for r, _ in top])).group_by(ServiceHours.resident_id)).all()) if top else {}
    names = resident_names(session, (r for r, _ in top))
    volunteers = [RankRow(i + 1, rid, names.get(rid, ""), int(p), int(mins.get(rid, 0)), rid == actor.resident_id)
                  for i, (rid, p) in enumerate(top)]
    team_rows = session.exec(select(ServiceHours.team_id, func.sum(ServiceHours.minutes).label("m"),
                                    func.count(func.distinct(ServiceHours.resident_id)))
                             .where(ServiceHours.community_id == cid, ServiceHours.team_id.is_not(None),
                                    ServiceHours.served_on >= first, ServiceHours.served_on <= last)
                             .group_by(ServiceHours.team_id).order_by(func.sum(ServiceHours.minutes).desc())
                             .limit(TOP)).all()
    tnames = dict(session.exec(select(Team.id, Team.name).where(Team.community_id == cid)).all())
    mine = active_team_ids(session, actor.resident_id) if actor.resident_id else set()
    teams = [RankRow(i + 1, tid, tnames.get(tid, ""), 0, int(m), tid in mine, int(people))
             for i, (tid, m, people) in enumerate(team_rows)]
    my_points, my_rank = _rank_of(session, cid, start, end, actor.resident_id) if actor.resident_id else (0, 0)
    return Rankings(first, volunteers, teams, my_points, my_rank, _months(today))


@dataclass(frozen=True)
class MonthBlock:
    month: date
    opening: int
    closing: int
    earned: int  # every line that added points (earned, refunded, adjusted up)
    spent: int  # every line that took points away, as a positive number
    lines: list[points.EntryView]


@dataclass(frozen=True)
class Passbook:
    resident_id: int
    name: str
    identifier: str
    community_name: str
    year: int
    years: list[int]
    balance: int
    months: list[MonthBlock]


def passbook(session: Session, actor: Actor, *, resident_id: int | None = None, year=None) -> Passbook:
    """爱心存折: one year of a resident's points, month by month (opening balance, each line,
    closing balance), oldest first, for the resident or staff of their community."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    if resident_id is None:
        require_resident(actor)
        resident_id = actor.resident_id
    resident = session.get(Resident, resident_id) if isinstance(resident_id, int) else None
    if resident is None:
        raise NotFound("volunteer.error.resident_not_found")
    if resident.id != actor.resident_id:
        require_staff(actor, resident.community_id)
    today = today_in(session, resident.community_id)
    first_entry = session.exec(select(func.min(PointsEntry.created_at)).where(
        PointsEntry.resident_id == resident.id)).one()
    zone = zone_of(session, resident.community_id)
    first_year = first_entry.astimezone(zone).year if first_entry else today.year
    years = list(range(today.year, first_year - 1, -1))
    if year in (None, ""):
        year = today.year
    if isinstance(year, str) and year.isdigit():
        year = int(year)
    if not isinstance(year, int) or isinstance(year, bool) or year not in years:
        raise ValidationError("volunteer.error.year_invalid", field="year")
    start, end = day_bounds_utc(date(year, 1, 1), date(year, 12, 31), zone)
    before = session.exec(select(PointsEntry.balance_after).where(
        PointsEntry.resident_id == resident.id, PointsEntry.created_at < start)
        .order_by(PointsEntry.created_at.desc(), PointsEntry.id.desc()).limit(1)).first()
    opening = int(before or 0)
    by_month: dict[int, list[points.EntryView]] = {}
    for e in points.entries_between(session, resident.id, start, end):
        by_month.setdefault(e.at.astimezone(zone).month, []).append(e)
    months = []
    for m in sorted(by_month):
        lines = by_month[m]
        closing = lines[-1].balance_after
        months.append(MonthBlock(
            date(year, m, 1), opening, closing,
            sum(e.delta for e in lines if e.delta > 0), -sum(e.delta for e in lines if e.delta < 0), lines))
        opening = closing
    community = session.get(Community, resident.community_id)
    return Passbook(resident.id, resident.name, volunteer_identifier(community.code, resident.id), community.name,
                    year, years, points.balance_of(session, resident.id), months)
