"""积分台账 desk (/staff/volunteer/ledger): every ledger line of the community, filtered by person
(name or mobile), kind and dates, exported as an Excel sheet as filtered; a staff adjustment
(a reason required, audited), a resident's passbook and the hours sheet of everyone."""

from __future__ import annotations

from urllib.parse import urlencode

import reflex as rx

from community_app import routes
from community_app.services import booking
from community_app.services.core.paging import Page
from community_app.services.volunteering import ledger, points
from community_app.services.volunteering.common import zone_of
from community_app.state.base import parse_id
from community_app.state.listing import StaffListMixin, is_iso_date
from community_app.state.volunteer.common import VolBase


class StaffVolLedgerState(StaffListMixin, VolBase):
    adjust_open: bool = False
    found: list[dict[str, str]] = []
    picked_id: str = ""
    picked_name: str = ""
    errors: dict[str, str] = {}

    def _filter_spec(self):
        return {"q": lambda v: len(v) <= 32, "kind": lambda v: v in ("", *ledger.KINDS), "first": is_iso_date,
                "last": is_iso_date}

    def _default_filters(self):
        return {"q": "", "kind": "", "first": "", "last": ""}

    def _fetch(self, session, actor, filters, page) -> Page:
        result = ledger.ledger_page(session, actor, q=filters["q"], kind=filters["kind"], first=filters["first"],
                                    last=filters["last"], page=page)
        zone = zone_of(session, actor.community_id)
        rows = [{"id": str(r.id), "can_select": "", "when": self._when(r.at, zone), "name": r.resident_name,
                 "kind": r.kind, "kind_label": self._t(f"points.kind.{r.kind}"), "text": r.text(self._loc()),
                 "delta": f"{r.delta:+d}", "plus": "1" if r.delta > 0 else "", "balance": str(r.balance_after),
                 "actor": r.actor_name,
                 "passbook": f"{routes.VOL_PASSBOOK}?resident={r.resident_id}"} for r in result.items]
        return Page(rows, result.total, result.page, result.page_size)

    @rx.var
    def export_href(self) -> str:
        f = {k: v for k, v in self.filters.items() if v}
        return routes.LEDGER_SHEET_API + ("?" + urlencode(f) if f else "")

    @rx.var
    def hours_href(self) -> str:
        return routes.HOURS_SHEET_API + "?all=1"

    @rx.event
    async def load(self):
        self.adjust_open = False
        return await self.load_list()

    @rx.event
    def open_adjust(self):
        self.adjust_open, self.found, self.picked_id, self.picked_name, self.errors = True, [], "", "", {}

    @rx.event
    def close_adjust(self):
        self.adjust_open = False

    @rx.event
    async def search(self, form: dict):
        q = str(form.get("q", ""))[:40] if isinstance(form, dict) else ""
        out = await self._run(lambda s, a: booking.find_residents(s, a, query=q, limit=10), role="staff")
        if not out.ok:
            return self._refused(out)
        self.found = [{"id": str(m.resident_id), "name": m.name, "address": m.address} for m in out.value]
        return None

    @rx.event
    async def pick(self, resident_id: str):
        row = next((r for r in self.found if r["id"] == resident_id), None)
        if row is None:
            return None
        rid = int(row["id"])
        out = await self._run(lambda s, a: points.my_balance(s, a, resident_id=rid), role="staff")
        if not out.ok:
            return self._refused(out)
        self.picked_id = row["id"]
        self.picked_name = self._t("vol.staff.picked_balance", name=row["name"], n=out.value)
        return None

    @rx.event
    async def submit_adjust(self, form: dict):
        form = form if isinstance(form, dict) else {}
        rid = parse_id(self.picked_id)
        if rid is None or self.busy:
            return
        self.busy = True
        yield
        kind = form.get("kind", "adjust")
        fn = points.expire if kind == "expire" else points.adjust
        amount = {"points": form.get("delta", "")} if kind == "expire" else {"delta": form.get("delta", "")}
        out, event = await self._do(fn, resident_id=rid, reason=form.get("reason", ""), ok_key="vol.staff.adjusted_ok",
                                    errors_attr="errors", **amount)
        if not out.ok and out.field == "points":
            self.errors = {"delta": self.errors.get("points", "")}
        self.busy = False
        if out.ok:
            self.adjust_open = False
            refused = await self._reload()
            yield refused or event
        elif event is not None:
            yield event
