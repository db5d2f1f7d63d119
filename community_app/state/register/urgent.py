"""The urgent 诉求 clock on every staff page: polled every ~30 s (and when a page opens) with one
cheap indexed query; the browser counts the seconds in between."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from community_app import routes
from community_app.i18n import t
from community_app.services.core.clock import community_zone, local_hm
from community_app.services.register import requests_desk
from community_app.state.base import AppState


@dataclass
class UrgentView:
    id: int = 0
    what: str = ""
    where: str = ""
    since: str = ""  # ISO, for the browser's running clock
    due: str = ""  # "请在 10:42 前响应" / "已超时（应在 10:42 前响应）"
    overdue: bool = False
    href: str = ""


def _urgent(session, actor):
    n, items = requests_desk.urgent_waiting(session, actor)
    return n, items, community_zone(session, actor.community_id)


class UrgentState(AppState):
    urgent_n: int = 0
    urgent: list[UrgentView] = []

    @rx.event
    async def poll(self, _tick: str = ""):
        out = await self._run(_urgent, role="staff")
        if not out.ok:
            self.urgent_n, self.urgent = 0, []
            return
        n, items, zone = out.value
        loc = self._loc()
        self.urgent_n = n
        self.urgent = [UrgentView(i.id, t(f"request.category.{i.category}", loc), i.location, i.created_at.isoformat(),
                                  t("urgent.overdue" if i.overdue else "urgent.due", loc, time=local_hm(i.due_at, zone)),
                                  i.overdue, routes.staff_request(i.id)) for i in items]
