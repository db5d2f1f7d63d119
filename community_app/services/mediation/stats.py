"""Numbers for staff (调解统计): cases filed by category and month, the share settled and the
median days to close, over the last twelve months of the actor's community."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from community_app.models import MediationCase
from community_app.services.access import Actor
from community_app.services.core.clock import day_bounds_utc, local_date, local_today
from community_app.services.errors import NotAllowed
from community_app.services.mediation import clocks
from community_app.services.mediation.common import CATEGORIES, can_mediate, community_zone_of

__all__ = ["MonthRow", "Numbers", "numbers"]


@dataclass(frozen=True)
class MonthRow:
    year: int
    month: int
    counts: dict[str, int]  # category -> cases filed that month
    total: int


@dataclass(frozen=True)
class Numbers:
    months: list[MonthRow]  # oldest first
    categories: list[str]  # the categories with at least one case, in the standard order
    category_totals: dict[str, int]
    filed: int
    closed: int  # closed in the period
    agreed: int
    partly: int
    not_agreed: int
    share_settled: float | None  # agreed / closed (0..1), None with nothing closed
    median_days: float | None  # filing to closing, of the cases closed in the period
    open_now: int
    quiet_now: int
    late_now: int


def _months_back(today: date, n: int) -> list[tuple[int, int]]:
    index = today.year * 12 + today.month - 1
    return [((index - k) // 12, (index - k) % 12 + 1) for k in range(n - 1, -1, -1)]


def numbers(session: Session, actor: Actor, *, months: int = 12, today: date | None = None) -> Numbers:
    """The community's mediation figures over the last ``months`` months (this one included)."""
    cid = actor.community_id if actor is not None else 0
    if not can_mediate(session, actor, cid):
        raise NotAllowed("error.staff_only")
    zone = community_zone_of(session, cid)
    today = today or local_today(zone)
    span = _months_back(today, max(1, min(int(months), 36)))
    first = date(span[0][0], span[0][1], 1)
    start, _ = day_bounds_utc(first, first, zone)
    filed = session.exec(select(MediationCase.category, MediationCase.created_at)
                         .where(MediationCase.community_id == cid, MediationCase.created_at >= start)).all()
    counts: dict[tuple[int, int], dict[str, int]] = {ym: {} for ym in span}
    for category, created in filed:
        d = local_date(created, zone)
        bucket = counts.get((d.year, d.month))
        if bucket is not None:
            bucket[category] = bucket.get(category, 0) + 1
    rows = [MonthRow(y, m, counts[(y, m)], sum(counts[(y, m)].values())) for y, m in span]
    totals = {c: sum(r.counts.get(c, 0) for r in rows) for c in CATEGORIES}
    closed = session.exec(select(MediationCase.outcome, MediationCase.created_at, MediationCase.closed_at)
                          .where(MediationCase.community_id == cid, MediationCase.status == "closed",
                                 MediationCase.closed_at >= start)).all()
    outcomes = [o for o, _, _ in closed]
    days = [(c - f).total_seconds() / 86400 for _, f, c in closed]
    rules = clocks.get_rules(session, cid)
    flags = clocks.flag_conditions(rules, zone)
    def count(*conds) -> int:
        return int(session.exec(select(func.count(MediationCase.id))
                                .where(MediationCase.community_id == cid, *conds)).one())

    return Numbers(
        months=rows, categories=[c for c in CATEGORIES if totals[c]], category_totals=totals, filed=len(filed),
        closed=len(closed), agreed=outcomes.count("agreed"), partly=outcomes.count("partly"),
        not_agreed=outcomes.count("not_agreed"),
        share_settled=outcomes.count("agreed") / len(closed) if closed else None,
        median_days=round(statistics.median(days), 1) if days else None,
        open_now=count(MediationCase.status.in_(("new", "in_progress"))), quiet_now=count(flags["quiet"]),
        late_now=count(flags["late"]),
    )
