"""我的兑换 (/volunteer/redemptions): what I redeemed, the pick-up code (digits and a QR code
the staff's phone opens) of each one waiting, until when, and cancelling one (points back)."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from community_app.services.volunteering import shop
from community_app.services.volunteering.common import qr_svg
from community_app.state.base import parse_id
from community_app.state.volunteer.common import VolBase, absolute, with_zone


@dataclass
class RedemptionRow:
    id: int = 0
    name: str = ""
    points: str = ""
    status: str = ""
    status_label: str = ""
    code: str = ""
    qr: str = ""
    until: str = ""
    when: str = ""
    note: str = ""
    can_cancel: bool = False


class VolRedemptionsState(VolBase):
    loaded: bool = False
    rows: list[RedemptionRow] = []
    cancel_id: int = 0
    cancel_name: str = ""
    busy: bool = False

    @rx.event
    async def load(self):
        out = await self._run(with_zone(lambda s, a: shop.my_redemptions(s, a) if a.resident_id else []))
        if not out.ok:
            return self._refused(out)
        views, zone = out.value
        rows = []
        for v in views:
            note = ""
            if v.status in ("cancelled", "expired"):
                note = self._t("vol.redeem.refunded", n=v.points) + (self._t("english.paren_open") + v.cancel_reason + self._t("english.paren_close") if v.cancel_reason else "")
            elif v.status == "handed_over":
                note = self._t("vol.redeem.picked_at", at=self._when(v.closed_at, zone))
            rows.append(RedemptionRow(
                id=v.id, name=v.reward_name, points=self._t("vol.shop.cost", n=v.points), status=v.status,
                status_label=self._t(f"vol.redeem.status.{v.status}"), code=v.code,
                qr=qr_svg(absolute(v.qr_link)) if v.qr_link else "",
                until=self._t("vol.redeem.until", at=self._when(v.expires_at, zone)) if v.code else "",
                when=self._when(v.created_at, zone), note=note, can_cancel=v.can_cancel))
        self.rows, self.loaded = rows, True
        return None

    @rx.event
    def ask_cancel(self, redemption_id: int):
        rid = parse_id(redemption_id)
        row = next((r for r in self.rows if r.id == rid and r.can_cancel), None)
        if row is not None:
            self.cancel_id, self.cancel_name = row.id, row.name

    @rx.event
    def close(self):
        self.cancel_id = 0

    @rx.event
    async def confirm_cancel(self):
        if not self.cancel_id or self.busy:
            return
        self.busy = True
        yield
        out, event = await self._do(shop.cancel, redemption_id=self.cancel_id, ok_key="vol.redeem.cancelled_ok")
        self.busy, self.cancel_id = False, 0
        refused = await self.load()
        yield refused or event
