"""定期探望 desk (/staff/volunteer/visits[?f=overdue|concerns]): pairs of volunteers and elders
living alone (active, overdue, with open concerns, ended), pairing a new one, ending one, and
following up the concerns volunteers raised."""

from __future__ import annotations

import reflex as rx

from community_app.services.core.paging import Page
from community_app.services.volunteering import visits
from community_app.services.volunteering.common import resident_names, zone_of
from community_app.services.volunteering.visits import PAIR_FILTERS
from community_app.state.base import parse_id
from community_app.state.listing import StaffListMixin
from community_app.state.volunteer.common import VolBase


class StaffVolVisitsState(StaffListMixin, VolBase):
    elders: list[dict[str, str]] = []
    volunteers: list[dict[str, str]] = []
    concerns: list[dict[str, str]] = []
    pair_open: bool = False
    errors: dict[str, str] = {}
    handle_id: int = 0
    handle_text: str = ""

    def _filter_spec(self):
        return {"status": lambda v: v in PAIR_FILTERS}

    def _default_filters(self):
        wanted = self.router.url.query_parameters.get("f", "")
        return {"status": wanted if wanted in PAIR_FILTERS and wanted else "active"}

    def _fetch(self, session, actor, filters, page) -> Page:
        result = visits.pairs_page(session, actor, status=filters["status"], page=page)
        rows = [{"id": str(p.id), "can_select": "", "elder": p.elder_name, "address": p.elder_address,
                 "volunteer": p.volunteer_name, "interval": self._t("vol.visit.every", n=p.interval_days),
                 "due": self._t("vol.visit.overdue_days", n=p.overdue_days) if p.overdue_days
                 else self._t("vol.visit.due_on", day=self._day(p.next_due)),
                 "overdue": "1" if p.overdue_days else "", "active": "1" if p.active else "",
                 "concerns": self._t("vol.staff.concerns_n", n=p.open_concerns) if p.open_concerns else ""}
                for p in result.items]
        return Page(rows, result.total, result.page, result.page_size)

    def _extras(self, session, actor):
        zone = zone_of(session, actor.community_id)
        concerns = visits.open_concerns(session, actor)
        who = resident_names(session, [c.elder_resident_id for c in concerns] + [c.volunteer_resident_id
                                                                                 for c in concerns])
        return (
            [{"id": str(rid), "name": name + self._t("english.paren_open") + self._t("vol.staff.paired_n", n=n) + self._t("english.paren_close") if n else name}
             for rid, name, n in visits.elders_living_alone(session, actor)],
            [{"id": str(rid), "name": name} for rid, name in visits.volunteer_choices(session, actor)],
            [{"id": str(c.id), "elder": who.get(c.elder_resident_id, ""), "by": who.get(c.volunteer_resident_id, ""),
              "when": self._when(c.visited_at, zone), "text": c.concern} for c in concerns],
        )

    @rx.event
    async def load(self):
        self.pair_open, self.handle_id = False, 0
        out = await self._run(self._extras, role="staff")
        if not out.ok:
            return self._refused(out)
        self.elders, self.volunteers, self.concerns = out.value
        return await self.load_list()

    @rx.event
    def open_pair(self):
        self.pair_open, self.errors = True, {}

    @rx.event
    def close_pair(self):
        self.pair_open = False

    async def _after(self, out, event):
        if out.ok:
            again = await self._run(self._extras, role="staff")
            if again.ok:
                self.elders, self.volunteers, self.concerns = again.value
            refused = await self._reload()
            return refused or event
        return event

    @rx.event
    async def submit_pair(self, form: dict):
        form = form if isinstance(form, dict) else {}
        if self.busy:
            return
        self.busy = True
        yield
        out, event = await self._do(visits.pair, elder_resident_id=parse_id(form.get("elder", "")) or 0,
                                    volunteer_resident_id=parse_id(form.get("volunteer", "")) or 0,
                                    interval_days=form.get("interval", ""), ok_key="vol.staff.paired_ok",
                                    errors_attr="errors")
        self.busy = False
        if out.ok:
            self.pair_open = False
        yield await self._after(out, event)

    @rx.event
    async def end(self, pair_id: str):
        pid = parse_id(pair_id)
        if pid is None or self.busy:
            return
        self.busy = True
        yield
        out, event = await self._do(visits.end_pair, pair_id=pid, ok_key="vol.staff.ended_ok")
        self.busy = False
        yield await self._after(out, event)

    @rx.event
    def open_handle(self, log_id: str):
        row = next((c for c in self.concerns if c["id"] == log_id), None)
        if row is not None:
            self.handle_id, self.handle_text, self.errors = int(row["id"]), row["text"], {}

    @rx.event
    def close_handle(self):
        self.handle_id = 0

    @rx.event
    async def submit_handle(self, form: dict):
        note = form.get("note", "") if isinstance(form, dict) else ""
        if not self.handle_id or self.busy:
            return
        self.busy = True
        yield
        out, event = await self._do(visits.handle_concern, log_id=self.handle_id, note=note,
                                    ok_key="vol.staff.handled_ok", errors_attr="errors")
        self.busy = False
        if out.ok:
            self.handle_id = 0
        yield await self._after(out, event)
