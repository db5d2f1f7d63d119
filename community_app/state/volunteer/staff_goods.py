"""商品 desk (/staff/volunteer/goods): the goods this community keeps for the points
supermarket; add or change one (name, photo, points, restock, monthly limit per person,
which partner communities may redeem it, on or off)."""

from __future__ import annotations

import asyncio

import reflex as rx

from community_app.services.core.paging import Page
from community_app.services.volunteering import goods, photos
from community_app.services.volunteering.goods import GOOD_FILTERS
from community_app.state.base import parse_id
from community_app.state.listing import StaffListMixin
from community_app.state.volunteer.common import VolBase

PHOTO_ACCEPT = {"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"]}


class StaffVolGoodsState(StaffListMixin, VolBase):
    communities: list[dict[str, str]] = []
    edit_open: bool = False
    edit_id: str = ""
    edit: dict[str, str] = {}
    chosen: list[str] = []
    errors: dict[str, str] = {}
    message: str = ""
    photo_name: str = ""
    photo_error: str = ""
    _photo: bytes = b""

    def _filter_spec(self):
        return {"status": lambda v: v in GOOD_FILTERS, "q": lambda v: len(v) <= 40}

    def _default_filters(self):
        return {"status": "", "q": ""}

    def _fetch(self, session, actor, filters, page) -> Page:
        result = goods.goods_page(session, actor, status=filters["status"], q=filters["q"], page=page)
        rows = [{"id": str(g.id), "can_select": "", "name": g.name, "description": g.description,
                 "cost": str(g.cost_points), "stock": str(g.stock), "limit": str(g.monthly_limit or ""),
                 "limit_text": self._t("vol.shop.limit", n=g.monthly_limit) if g.monthly_limit else "",
                 "active": "1" if g.active else "", "photo": g.photo_url,
                 "communities": self._t("english.list_sep").join(g.community_names), "community_ids": ",".join(map(str, g.community_ids)),
                 "pending": self._t("vol.staff.pending_n", n=g.pending) if g.pending else ""}
                for g in result.items]
        return Page(rows, result.total, result.page, result.page_size)

    @rx.event
    async def load(self):
        out = await self._run(lambda s, a: [{"id": str(c.id), "name": c.name} for c in goods.offer_choices(s, a)],
                              role="staff")
        if not out.ok:
            return self._refused(out)
        self.communities, self.edit_open = out.value, False
        return await self.load_list()

    def _open(self, row: dict[str, str] | None) -> None:
        self.edit_id = row["id"] if row else ""
        self.edit = dict(row) if row else {"name": "", "description": "", "cost": "", "stock": "", "limit": "",
                                           "active": "1"}
        own = self.communities[0]["id"] if self.communities else ""
        self.chosen = row["community_ids"].split(",") if row and row["community_ids"] else ([own] if own else [])
        self.errors, self.message, self.photo_name, self.photo_error, self._photo = {}, "", "", "", b""
        self.edit_open = True

    @rx.event
    def open_new(self):
        self._open(None)

    @rx.event
    def open_edit(self, reward_id: str):
        self._open(next((r for r in self.rows if r["id"] == reward_id), None) or None)
        if not self.edit_id:
            self.edit_open = False

    @rx.event
    def close_edit(self):
        self.edit_open = False
        self._photo = b""

    @rx.event
    def toggle_community(self, cid: str, on: bool):
        if cid not in {c["id"] for c in self.communities}:
            return
        self.chosen = sorted(set(self.chosen) | {cid}) if on is True else [c for c in self.chosen if c != cid]

    @rx.event
    async def add_photo(self, files: list[rx.UploadFile]):
        if not files or not isinstance(files, list):
            return
        f = files[0]
        data = await f.read(photos.MAX_BYTES + 1)
        try:
            await asyncio.to_thread(photos.clean_photo, data)
        except Exception as err:  # noqa: BLE001 - a ValidationError with the message to show
            self.photo_error = self._error_text(err) if hasattr(err, "key") else self._t("shop.error.photo", mb=5)
            return
        self._photo, self.photo_name, self.photo_error = data, str(getattr(f, "name", "") or "photo")[:80], ""

    @rx.event
    async def submit(self, form: dict):
        form = form if isinstance(form, dict) else {}
        if self.busy:
            return
        self.busy = True
        yield
        kw = dict(name=form.get("name", ""), description=form.get("description", ""),
                  cost_points=form.get("cost", ""), monthly_limit=form.get("limit", "") or None,
                  community_ids=[int(c) for c in self.chosen if parse_id(c)], photo=self._photo or None)
        if self.edit_id:
            out, event = await self._do(goods.update_good, reward_id=int(self.edit_id),
                                        add_stock=form.get("add_stock", "") or 0,
                                        active=form.get("active") in ("on", True, "true"),
                                        ok_key="vol.staff.good_saved", errors_attr="errors", **kw)
        else:
            out, event = await self._do(goods.create_good, stock=form.get("stock", ""), ok_key="vol.staff.good_saved",
                                        errors_attr="errors", **kw)
        self.busy = False
        if out.ok:
            self.edit_open, self._photo = False, b""
            refused = await self._reload()
            yield refused or event
        elif event is not None:
            yield event
