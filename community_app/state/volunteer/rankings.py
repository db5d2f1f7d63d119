"""光荣榜 (/volunteer/rankings?month=2026-11): the month's volunteers by points earned and teams
by hours served in my community."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from community_app import routes
from community_app.services.volunteering import views
from community_app.state.volunteer.common import VolBase


@dataclass
class RankRow:
    rank: int = 0
    name: str = ""
    value: str = ""
    sub: str = ""
    me: bool = False


class VolRankingsState(VolBase):
    loaded: bool = False
    month: str = ""
    months: list[dict[str, str]] = []
    volunteers: list[RankRow] = []
    teams: list[RankRow] = []
    mine: str = ""

    @rx.event
    async def load(self):
        month = self.router.url.query_parameters.get("month", "")
        month = month if isinstance(month, str) and len(month) == 7 else None
        out = await self._run(lambda s, a: views.rankings(s, a, month=month))
        if not out.ok and out.error is not None and out.field:
            out = await self._run(lambda s, a: views.rankings(s, a))
        if not out.ok:
            return self._refused(out)
        r = out.value
        self.month = r.month.isoformat()[:7]
        self.months = [{"id": m.isoformat()[:7], "name": self._month(m)} for m in r.months]
        self.volunteers = [RankRow(x.rank, x.name, self._t("vol.points_n", n=x.points), self._hours(x.minutes), x.me)
                           for x in r.volunteers]
        self.teams = [RankRow(x.rank, x.name, self._hours(x.minutes), self._t("vol.rank.people", n=x.people), x.me)
                      for x in r.teams]
        self.mine = (self._t("vol.rank.mine", n=r.my_rank, p=r.my_points) if r.my_rank
                     else self._t("vol.rank.mine_none"))
        self.loaded = True
        return None

    @rx.event
    def pick(self, month: str):
        if any(m["id"] == month for m in self.months):
            return rx.redirect(f"{routes.VOL_RANKINGS}?month={month}")
        return None
