"""Day-before reminders for anything dated (a booking, a class session, a volunteer shift).

A domain provides a *source*: a function ``(session, community, tomorrow, start, end, zone)`` that
yields a ``Reminder`` for each of its things dated tomorrow in the community's local date
(``start``/``end`` are that day's bounds in UTC). ``send`` runs the given sources for every
community and creates the notifications; each reminder's ``dedupe_key`` (include the thing, the
person and the date) makes it go out once, so the job is safe to run any number of times, and a
thing moved to another date is reminded again for its new date. The list of sources lives in
``services/reminders.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from community_app.models import Community, utcnow
from community_app.services.core.clock import day_bounds_utc, local_today, zone_named
from community_app.services.core.notify import notify_t
from community_app.services.core.tx import begin_write

__all__ = ["Reminder", "Source", "send"]


@dataclass(frozen=True)
class Reminder:
    dedupe_key: str
    title_key: str
    body_key: str
    when: datetime  # UTC, shown as {when}
    kind: str
    link: str = ""
    resident_id: int | None = None
    account_id: int | None = None
    params: dict = field(default_factory=dict)


Source = Callable[[Session, Community, date, datetime, datetime, ZoneInfo], Iterable[Reminder]]


def send(session: Session, sources: Iterable[Source], *, now: datetime | None = None) -> int:
    """Create tomorrow's reminders of every source for every community; returns how many were
    new. Commits."""
    now = now or utcnow()
    sources = list(sources)
    sent = 0
    try:
        begin_write(session)
        for community in session.exec(select(Community).order_by(Community.id)).all():
            zone = zone_named(community.timezone)
            tomorrow = local_today(zone, now) + timedelta(days=1)
            start, end = day_bounds_utc(tomorrow, tomorrow, zone)
            for source in sources:
                for r in source(session, community, tomorrow, start, end, zone):
                    made = notify_t(session, account_id=r.account_id, resident_id=r.resident_id, kind=r.kind,
                                    title_key=r.title_key, body_key=r.body_key, link=r.link,
                                    dedupe_key=r.dedupe_key, when=r.when, zone=zone, **r.params)
                    sent += int(made is not None)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return sent
