"""定期探望 (/volunteer/visits): the elders I visit, when each is due, and logging a visit (how
the person is, a note, a concern for staff)."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from community_app.services.volunteering import visits
from community_app.state.base import parse_id
from community_app.state.volunteer.common import VolBase, with_zone

WELLBEING = visits.WELLBEING


@dataclass
class PairRow:
    id: int = 0
    name: str = ""
    address: str = ""
    mobile: str = ""
    interval: str = ""
    due: str = ""
    overdue: bool = False
    last: str = ""


class VolVisitsState(VolBase):
    loaded: bool = False
    rows: list[PairRow] = []
    log_id: int = 0
    log_name: str = ""
    wellbeing: str = "good"
    errors: dict[str, str] = {}
    busy: bool = False

    @rx.event
    async def load(self):
        out = await self._run(with_zone(lambda s, a: visits.my_visits(s, a) if a.resident_id else []))
        if not out.ok:
            return self._refused(out)
        pairs, zone = out.value
        self.rows = [PairRow(
            p.id, p.elder_name, p.elder_address, p.elder_mobile, self._t("vol.visit.every", n=p.interval_days),
            self._t("vol.visit.overdue_days", n=p.overdue_days) if p.overdue_days
            else self._t("vol.visit.due_on", day=self._day(p.next_due)), p.overdue_days > 0,
            self._t("vol.visit.last", at=self._when(p.last_visit_at, zone)) if p.last_visit_at else "")
            for p in pairs]
        self.loaded = True
        return None

    @rx.event
    def open_log(self, pair_id: int):
        pid = parse_id(pair_id)
        row = next((r for r in self.rows if r.id == pid), None)
        if row is not None:
            self.log_id, self.log_name, self.wellbeing, self.errors = row.id, row.name, "good", {}

    @rx.event
    def close(self):
        self.log_id = 0

    @rx.event
    def pick_wellbeing(self, value: str):
        if value in WELLBEING:
            self.wellbeing = value

    @rx.event
    async def submit(self, form: dict):
        form = form if isinstance(form, dict) else {}
        if not self.log_id or self.busy:
            return
        self.busy = True
        yield
        out, event = await self._do(visits.log_visit, pair_id=self.log_id, wellbeing=self.wellbeing,
                                    note=form.get("note", ""), concern=form.get("concern", ""),
                                    minutes=form.get("minutes", "") or None, ok_key="vol.visit.logged",
                                    errors_attr="errors")
        self.busy = False
        if out.ok:
            self.log_id = 0
            refused = await self.load()
            yield refused or event
        elif event is not None:
            yield event
