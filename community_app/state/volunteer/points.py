"""我的积分 (/volunteer/points): balance, hours, every ledger line with the balance after it
(20 at a time), the hours sheet and the passbook."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from community_app.services.volunteering import points, views
from community_app.state.volunteer.common import VolBase, with_zone

PAGE = 20


@dataclass
class EntryRow:
    id: int = 0
    when: str = ""
    text: str = ""
    delta: str = ""
    plus: bool = True
    balance: str = ""
    kind: str = ""


def entry_rows(state: VolBase, items, zone) -> list[EntryRow]:
    return [EntryRow(e.id, state._when(e.at, zone), e.text(state._loc()), f"{e.delta:+d}", e.delta > 0,
                     state._t("vol.points.balance_after", n=e.balance_after), state._t(f"points.kind.{e.kind}"))
            for e in items]


class VolPointsState(VolBase):
    loaded: bool = False
    no_resident: bool = False
    balance: int = 0
    earned: int = 0
    year_hours: str = ""
    rows: list[EntryRow] = []
    total: int = 0
    page: int = 1

    def _fetch(self, session, actor, page: int):
        if actor.resident_id is None:
            return None
        return views.hub_summary(session, actor), points.history(session, actor, page=page, page_size=PAGE)

    @rx.event
    async def load(self):
        self.page = 1
        out = await self._run(with_zone(lambda s, a: self._fetch(s, a, 1)))
        if not out.ok:
            return self._refused(out)
        value, zone = out.value
        self.loaded, self.no_resident = True, value is None
        if value is None:
            return None
        summary, page = value
        self.balance, self.earned, self.year_hours = summary.balance, summary.earned_total, \
            self._hour_number(summary.year_minutes)
        self.rows, self.total = entry_rows(self, page.items, zone), page.total
        return None

    @rx.event
    async def more(self):
        nxt = self.page + 1
        out = await self._run(with_zone(lambda s, a: points.history(s, a, page=nxt, page_size=PAGE)))
        if not out.ok:
            return self._refused(out)
        page, zone = out.value
        if page.page == nxt:
            self.rows = self.rows + entry_rows(self, page.items, zone)
            self.page = nxt
        return None

    @rx.var
    def has_more(self) -> bool:
        return len(self.rows) < self.total
