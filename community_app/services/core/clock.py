"""The community clock. Timestamps are stored as aware UTC; people read them in their
community's zone (``Community.timezone``). Local dates and "tomorrow" are always the community's.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, select

from community_app.models import Community, utcnow
from community_app.models.base import NOW_OVERRIDE
from community_app.settings import get_settings

__all__ = [
    "PERIODS", "age_on", "community_zone", "day_bounds_utc", "format_when", "local_date", "local_hm",
    "local_to_utc", "local_today", "period_bounds", "travel", "utcnow", "zone_named",
]

PERIODS = ("day", "week", "month", "year")


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone_named(name: str | None) -> ZoneInfo:
    """A zone by name, falling back to the deployment default on a missing or bad name."""
    try:
        return _zone(name or get_settings().timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return _zone(get_settings().timezone)


def community_zone(session: Session, community_id: int) -> ZoneInfo:
    """The community's zone."""
    return zone_named(session.exec(select(Community.timezone).where(Community.id == community_id)).first())


def local_today(zone: ZoneInfo, now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(zone).date()


def local_date(at: datetime, zone: ZoneInfo) -> date:
    return at.astimezone(zone).date()


def local_hm(at: datetime, zone: ZoneInfo) -> str:
    """"09:15" in the zone."""
    return at.astimezone(zone).strftime("%H:%M")


def local_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A local wall-clock time on a local date, as aware UTC."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def day_bounds_utc(first: date, last: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[first 00:00, last+1 00:00) local, as UTC instants."""
    return local_to_utc(first, time(0), zone), local_to_utc(last + timedelta(days=1), time(0), zone)


def period_bounds(period: str, day: date) -> tuple[date, date]:
    """The period ("day", "week" from Monday, "month", "year") containing ``day`` as
    [first, last] dates."""
    if period == "day":
        return day, day
    if period == "week":
        first = day - timedelta(days=day.weekday())
        return first, first + timedelta(days=6)
    if period == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    first = day.replace(day=1)
    return first, first.replace(day=calendar.monthrange(day.year, day.month)[1])


def age_on(birth: date, day: date) -> int:
    """Completed years on ``day`` (a birthday counts from its date; 29 February from 1 March
    in common years)."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def format_when(at: datetime, zone: ZoneInfo, locale: str = "zh_CN") -> str:
    """A time as people read it, in the community's zone: 11月26日 09:15 / 2026-11-26 09:15."""
    local = at.astimezone(zone)
    if locale == "zh_CN":
        return f"{local.month}月{local.day}日 {local:%H:%M}"
    return f"{local:%Y-%m-%d %H:%M}"


@contextmanager
def travel(at: datetime) -> Iterator[None]:
    """Run the code inside as if it were ``at`` (aware): every ``utcnow()`` returns it. For the
    demo, which replays past visits through the real services, and for tests. Not for requests."""
    if at.tzinfo is None:
        raise ValueError("travel() needs an aware datetime")
    token = NOW_OVERRIDE.set(at.astimezone(UTC))
    try:
        yield
    finally:
        NOW_OVERRIDE.reset(token)
