"""交付 desk (/staff/volunteer/handover[?code=12345678]): on the staff's phone or laptop, type
the resident's pick-up code (or open it from the code's QR with the phone camera), check the
redemption and hand the good over; the list of redemptions (waiting, handed over, cancelled,
expired) with cancel-and-refund for one waiting."""

from __future__ import annotations

import reflex as rx

from community_app.services.core.paging import Page
from community_app.services.volunteering import shop
from community_app.services.volunteering.common import zone_of
from community_app.services.volunteering.shop import REDEMPTION_FILTERS
from community_app.state.listing import StaffListMixin
from community_app.state.volunteer.common import VolBase, with_zone


class StaffVolHandoverState(StaffListMixin, VolBase):
    code: str = ""
    code_error: str = ""
    match: dict[str, str] = {}
    cancel_id: str = ""
    cancel_name: str = ""
    errors: dict[str, str] = {}

    def _filter_spec(self):
        return {"status": lambda v: v in REDEMPTION_FILTERS, "q": lambda v: len(v) <= 40}

    def _default_filters(self):
        return {"status": "pending", "q": ""}

    def _row(self, v: shop.RedemptionView, zone) -> dict[str, str]:
        return {"id": str(v.id), "can_select": "", "name": v.resident_name, "good": v.reward_name,
                "points": self._t("vol.shop.cost", n=v.points), "when": self._when(v.created_at, zone),
                "status": v.status, "status_label": self._t(f"vol.redeem.status.{v.status}"), "code": v.code,
                "until": self._t("vol.redeem.until", at=self._when(v.expires_at, zone)) if v.code else "",
                "can_cancel": "1" if v.can_cancel else "", "can_hand_over": "1" if v.can_hand_over else ""}

    def _fetch(self, session, actor, filters, page) -> Page:
        result = shop.redemptions_page(session, actor, status=filters["status"], q=filters["q"], page=page)
        zone = zone_of(session, actor.community_id)
        return Page([self._row(v, zone) for v in result.items], result.total, result.page, result.page_size)

    async def _lookup(self, code: str):
        out = await self._run(with_zone(lambda s, a: shop.find_by_code(s, a, code=code)), role="staff")
        if not out.ok:
            self.match = {}
            if out.signed_out:
                return self._refused(out)
            self.code_error = self._error_text(out.error)
            return None
        view, zone = out.value
        self.match, self.code_error = self._row(view, zone), ""
        return None

    @rx.event
    async def load(self):
        self.match, self.code_error, self.cancel_id = {}, "", ""
        code = self.router.url.query_parameters.get("code", "")
        self.code = code if isinstance(code, str) and code.isdigit() and len(code) == 8 else ""
        refused = await self.load_list()
        if refused is None and self.code:
            return await self._lookup(self.code)
        return refused

    @staticmethod
    def _digits(value) -> str:
        return "".join(ch for ch in value if ch.isdigit())[:8] if isinstance(value, str) else ""

    @rx.event
    async def find(self, form: dict | None = None):
        raw = form.get("code", self.code) if isinstance(form, dict) else self.code
        self.code = self._digits(raw)  # the form holds the last keystroke; the state may lag
        return await self._lookup(self.code)

    @rx.event
    async def hand_over(self):
        code = self.match.get("code", "").replace(" ", "")
        if not code or self.busy:
            return
        self.busy = True
        yield
        out, event = await self._do(shop.hand_over, code=code, ok_key="vol.staff.handed_over")
        self.busy = False
        if out.ok:
            self.match, self.code = {}, ""
        refused = await self._reload()
        yield refused or ([rx.set_value("pickup-code", ""), event] if out.ok else event)

    @rx.event
    def ask_cancel(self, redemption_id: str):
        row = next((r for r in [*self.rows, self.match] if r and r.get("id") == redemption_id
                    and r.get("can_cancel") == "1"), None)
        if row is not None:
            self.cancel_id, self.cancel_name, self.errors = row["id"], f"{row['name']} · {row['good']}", {}

    @rx.event
    def close_cancel(self):
        self.cancel_id = ""

    @rx.event
    async def submit_cancel(self, form: dict):
        reason = form.get("reason", "") if isinstance(form, dict) else ""
        if not self.cancel_id.isdigit() or self.busy:
            return
        self.busy = True
        yield
        out, event = await self._do(shop.cancel, redemption_id=int(self.cancel_id), reason=reason,
                                    ok_key="vol.staff.refunded_ok", errors_attr="errors")
        self.busy = False
        if out.ok:
            self.cancel_id, self.match = "", {}
            refused = await self._reload()
            yield refused or event
        elif event is not None:
            yield event
