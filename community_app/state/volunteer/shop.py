"""爱心积分超市 (/volunteer/shop): the goods offered in my community, what I can redeem now and
why not otherwise; redeeming (with a confirmation) shows the pick-up code at once."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from community_app import routes
from community_app.services.volunteering import shop
from community_app.services.volunteering.common import qr_svg
from community_app.state.base import parse_id
from community_app.state.volunteer.common import VolBase, absolute


@dataclass
class GoodRow:
    id: int = 0
    name: str = ""
    description: str = ""
    photo: str = ""
    cost: int = 0
    cost_text: str = ""
    stock_text: str = ""
    limit_text: str = ""
    can_redeem: bool = False
    why_not: str = ""


class VolShopState(VolBase):
    loaded: bool = False
    no_resident: bool = False
    balance: int = 0
    goods: list[GoodRow] = []
    pending_id: int = 0
    pending_name: str = ""
    pending_cost: str = ""
    busy: bool = False
    done_name: str = ""
    done_code: str = ""
    done_qr: str = ""

    def _fetch(self, session, actor):
        return shop.shop_goods(session, actor) if actor.resident_id is not None else None

    @rx.event
    async def load(self):
        out = await self._run(self._fetch)
        if not out.ok:
            return self._refused(out)
        self.loaded, self.no_resident = True, out.value is None
        if out.value is None:
            return None
        balance, cards = out.value
        self.balance = balance
        self.goods = [GoodRow(
            id=c.id, name=c.name, description=c.description, photo=c.photo_url, cost=c.cost_points,
            cost_text=self._t("vol.shop.cost", n=c.cost_points),
            stock_text=self._t("vol.shop.stock", n=c.stock) if c.stock > 0 else self._t("shop.why.out_of_stock"),
            limit_text=self._t("vol.shop.limit", n=c.monthly_limit) if c.monthly_limit else "",
            can_redeem=c.can_redeem, why_not=self._t(c.why_not) if c.why_not else "") for c in cards]
        return None

    @rx.event
    def ask(self, reward_id: int):
        rid = parse_id(reward_id)
        row = next((g for g in self.goods if g.id == rid and g.can_redeem), None)
        if row is not None:
            self.pending_id, self.pending_name = row.id, row.name
            self.pending_cost = self._t("vol.shop.confirm_body", n=row.cost, name=row.name, left=self.balance - row.cost)

    @rx.event
    def close(self):
        self.pending_id = 0

    @rx.event
    def close_done(self):
        self.done_code = ""

    @rx.event
    async def confirm(self):
        if not self.pending_id or self.busy:
            return
        self.busy = True
        yield
        out, event = await self._do(shop.redeem, reward_id=self.pending_id)
        self.busy = False
        name = self.pending_name
        self.pending_id = 0
        if not out.ok:
            await self.load()
            yield event
            return
        red = out.value
        self.done_name, self.done_code = name, shop.format_code(red.pickup_code)
        self.done_qr = qr_svg(absolute(routes.handover_path(red.pickup_code)))
        refused = await self.load()
        yield refused
