"""The month in numbers for the staff home (and the monthly report upward): per grid, services
delivered, 诉求 solved, satisfaction from ratings (bookings and 诉求), points earned and redeemed;
and services delivered by type. Grouped queries over the community's rows of one month, so they
stay fast for a district's data (``benchmarks/district.py``).

A booking counts as delivered in the month it was done (its scheduled time, else when it was last
updated); a 诉求 as solved in the month of its fix. Points come from the ledger's ``delta`` only
(earned > 0, redeemed < 0), read defensively: if the points tables change shape, the other
numbers still show.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from community_app.models import (
    Booking,
    BookingStatus,
    Grid,
    Household,
    Resident,
    ResidentRequest,
    ServiceType,
)
from community_app.services.access import Actor, require_staff
from community_app.services.core.clock import community_zone, day_bounds_utc, local_today, period_bounds
from community_app.services.errors import ValidationError
from community_app.services.register.scope import grid_family, home_grid

log = logging.getLogger(__name__)

__all__ = ["GridNumbers", "MonthNumbers", "month_numbers"]

NO_GRID = 0  # people without a grid (a household not placed yet)


@dataclass
class GridNumbers:
    grid_id: int
    name: str
    services: int = 0
    solved: int = 0
    new_requests: int = 0
    rating_sum: int = 0
    ratings: int = 0
    points_earned: int = 0
    points_redeemed: int = 0

    @property
    def satisfaction(self) -> float | None:
        return round(self.rating_sum / self.ratings, 1) if self.ratings else None


@dataclass(frozen=True)
class MonthNumbers:
    month: date  # its first day
    grid_id: int | None  # the grid the numbers by type are for (None: the whole community)
    home_grid_id: int | None
    grids: list[GridNumbers]
    by_type: list[tuple[str, int]]
    total: GridNumbers
    points_ok: bool = True
    months: list[str] = field(default_factory=list)  # the months one can pick, newest first


def _month(raw: str | None, today: date) -> date:
    if not raw:
        return today.replace(day=1)
    try:
        year, month = (int(p) for p in str(raw).split("-"))
        first = date(year, month, 1)
    except (TypeError, ValueError):
        raise ValidationError("register.error.filter_invalid", field="month") from None
    if first > today or first.year < 2000:
        raise ValidationError("register.error.filter_invalid", field="month")
    return first


def _top(session: Session, cid: int) -> tuple[dict[int, int], list[Grid]]:
    """{any grid id: its top grid id} and the top grids."""
    grids = session.exec(select(Grid).where(Grid.community_id == cid).order_by(Grid.id)).all()
    return {g.id: g.parent_id or g.id for g in grids}, [g for g in grids if g.parent_id is None]


def month_numbers(session: Session, actor: Actor, *, month: str | None = None, grid_id: int | None = None
                  ) -> MonthNumbers:
    require_staff(actor)
    cid = actor.community_id
    zone = community_zone(session, cid)
    today = local_today(zone)
    first = _month(month, today)
    start, end = day_bounds_utc(*period_bounds("month", first), zone)
    top_of, tops = _top(session, cid)
    if grid_id is not None and grid_id not in top_of:
        raise ValidationError("register.error.filter_invalid", field="grid")
    rows = {g.id: GridNumbers(g.id, g.name) for g in tops}
    rows[NO_GRID] = GridNumbers(NO_GRID, "")

    def row(gid) -> GridNumbers:
        return rows[top_of.get(gid, NO_GRID)] if gid is not None else rows[NO_GRID]

    done_at = func.coalesce(Booking.scheduled_at, Booking.updated_at)
    delivered = (Booking.community_id == cid, Booking.status == BookingStatus.DONE, done_at >= start, done_at < end)
    for gid, n, rsum, rn in session.exec(
            select(Household.grid_id, func.count(Booking.id), func.coalesce(func.sum(Booking.rating), 0),
                   func.count(Booking.rating))
            .join(Resident, Resident.id == Booking.resident_id).join(Household, Household.id == Resident.household_id,
                                                                      isouter=True)
            .where(*delivered).group_by(Household.grid_id)).all():
        r = row(gid)
        r.services += int(n)
        r.rating_sum += int(rsum)
        r.ratings += int(rn)
    R = ResidentRequest
    solved_in = (R.solved_at >= start) & (R.solved_at < end)
    new_in = (R.created_at >= start) & (R.created_at < end)
    rated_in = (R.closed_at >= start) & (R.closed_at < end) & R.rating.is_not(None)
    for gid, solved, new, rsum, rn in session.exec(
            select(R.grid_id, func.sum(case((solved_in, 1), else_=0)), func.sum(case((new_in, 1), else_=0)),
                   func.sum(case((rated_in, R.rating), else_=0)), func.sum(case((rated_in, 1), else_=0)))
            .where(R.community_id == cid, solved_in | new_in | rated_in)
            .group_by(R.grid_id)).all():
        r = row(gid)
        r.solved += int(solved or 0)
        r.new_requests += int(new or 0)
        r.rating_sum += int(rsum or 0)
        r.ratings += int(rn or 0)
    points_ok = _points(session, cid, start, end, row)
    by_type_stmt = (select(ServiceType.name, ServiceType.name_en, func.count(Booking.id)).join(ServiceType, ServiceType.id == Booking.service_type_id)
                    .where(*delivered))
    if grid_id is not None:
        by_type_stmt = (by_type_stmt.join(Resident, Resident.id == Booking.resident_id)
                        .join(Household, Household.id == Resident.household_id)
                        .where(Household.grid_id.in_(grid_family(session, grid_id))))
    named = by_type_stmt.group_by(ServiceType.name, ServiceType.name_en).order_by(func.count(Booking.id).desc())
    by_type = [(en if actor.locale == "en" and en else n, int(c)) for n, en, c in session.exec(named).all()]
    grids = [rows[g.id] for g in tops] + ([rows[NO_GRID]] if _any(rows[NO_GRID]) else [])
    total = GridNumbers(-1, "")
    for g in grids:
        for key in ("services", "solved", "new_requests", "rating_sum", "ratings", "points_earned", "points_redeemed"):
            setattr(total, key, getattr(total, key) + getattr(g, key))
    months = [(today.replace(day=1).year * 12 + today.month - 1 - i) for i in range(12)]
    return MonthNumbers(first, grid_id, home_grid(session, actor, cid), grids, by_type, total, points_ok,
                        [f"{m // 12}-{m % 12 + 1:02d}" for m in months])


def _any(g: GridNumbers) -> bool:
    return any((g.services, g.solved, g.new_requests, g.ratings, g.points_earned, g.points_redeemed))


def _points(session: Session, cid: int, start, end, row) -> bool:
    """Points earned and redeemed per grid from the ledger's ``delta``; False when the ledger
    cannot be read (another domain is reshaping it)."""
    try:
        from community_app.models import PointsEntry

        delta = PointsEntry.delta
        rows = session.exec(
            select(Household.grid_id, func.coalesce(func.sum(case((delta > 0, delta), else_=0)), 0),
                   func.coalesce(func.sum(case((delta < 0, -delta), else_=0)), 0))
            .join(Resident, Resident.id == PointsEntry.resident_id)
            .join(Household, Household.id == Resident.household_id, isouter=True)
            .where(Resident.community_id == cid, PointsEntry.created_at >= start, PointsEntry.created_at < end)
            .group_by(Household.grid_id)).all()
    except (ImportError, AttributeError, SQLAlchemyError):
        log.warning("points ledger unreadable for the month numbers", exc_info=True)
        session.rollback()
        return False
    for gid, earned, redeemed in rows:
        r = row(gid)
        r.points_earned += int(earned)
        r.points_redeemed += int(redeemed)
    return True

