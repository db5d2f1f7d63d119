"""调解统计: cases by category and month, the share settled and the median days to close."""

from __future__ import annotations

import reflex as rx

from community_app.services.mediation import stats
from community_app.state.mediation.base import MediationBase


class NumbersState(MediationBase):
    loaded: bool = False
    headers: list[str] = []
    rows: list[list[str]] = []
    totals: list[str] = []
    summary: list[dict[str, str]] = []
    outcomes: list[dict[str, str]] = []

    @rx.event
    async def load(self):
        out = await self._run(stats.numbers, role="staff")
        if not out.ok:
            return self._refused(out)
        n: stats.Numbers = out.value
        cats = n.categories
        self.headers = [self._category(c) for c in cats]
        self.rows = [[self._t("mediation.numbers.month", y=m.year, m=m.month)] + [str(m.counts.get(c, 0) or "")
                                                                                   for c in cats] + [str(m.total)]
                     for m in n.months]
        self.totals = [self._t("mediation.numbers.total")] + [str(n.category_totals[c]) for c in cats] + [str(n.filed)]
        share = f"{round(100 * n.share_settled)}%" if n.share_settled is not None else "—"
        median = self._t("mediation.numbers.days", n=n.median_days) if n.median_days is not None else "—"
        self.summary = [
            {"label": self._t("mediation.numbers.filed"), "value": str(n.filed), "id": "num-filed"},
            {"label": self._t("mediation.numbers.share_settled"), "value": share, "id": "num-settled"},
            {"label": self._t("mediation.numbers.median"), "value": median, "id": "num-median"},
            {"label": self._t("mediation.numbers.open_now"), "value": str(n.open_now), "id": "num-open"},
        ]
        self.outcomes = [
            {"label": self._t("mediation.numbers.closed"), "value": str(n.closed)},
            {"label": self._t("mediation.outcome.agreed"), "value": str(n.agreed)},
            {"label": self._t("mediation.outcome.partly"), "value": str(n.partly)},
            {"label": self._t("mediation.outcome.not_agreed"), "value": str(n.not_agreed)},
            {"label": self._t("mediation.numbers.quiet_now"), "value": str(n.quiet_now)},
            {"label": self._t("mediation.numbers.late_now"), "value": str(n.late_now)},
        ]
        self.loaded = True
        return None
