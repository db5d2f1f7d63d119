"""通知公告: staff publish (to everyone, chosen grids and/or care categories, with the audience
counted before sending) and withdraw; residents see theirs on 首页 (unread first) and read one."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from community_app import routes
from community_app.models import CareCategory
from community_app.services.core.clock import community_zone
from community_app.services.register import notices, search
from community_app.state.base import AppState, parse_id
from community_app.state.register.common import care_text, when

CARE = tuple(c.value for c in CareCategory)


@dataclass
class NoticeRow:
    id: int = 0
    title: str = ""
    body: str = ""
    author: str = ""
    when: str = ""
    audience: str = ""
    reach: int = 0
    reads: int = 0
    withdrawn: bool = False


def _desk(session, actor):
    return (notices.staff_notices(session, actor), search.register_options(session, actor),
            community_zone(session, actor.community_id))


def _text(form: dict, key: str) -> str:
    value = form.get(key, "") if isinstance(form, dict) else ""
    return value if isinstance(value, str) else ""


class StaffNoticesState(AppState):
    rows: list[NoticeRow] = []
    grid_options: list[dict[str, str]] = []  # id, name, level ("grid" / "micro")
    picked_grids: list[str] = []
    picked_care: list[str] = []
    reach: str = ""
    form_open: bool = False
    errors: dict[str, str] = {}
    busy: bool = False
    loaded: bool = False
    withdraw_id: int = 0

    @rx.event
    async def load(self):
        out = await self._run(_desk, role="staff")
        if not out.ok:
            return self._refused(out)
        rows, options, zone = out.value
        self._show(rows, zone)
        choices: list[dict[str, str]] = []
        for gid, name in options.grids:
            choices.append({"id": str(gid), "name": name, "level": "grid"})
            choices += [{"id": str(m), "name": n, "level": "micro"} for m, n, p in options.micro_grids if p == gid]
        self.grid_options = choices
        self.loaded = True
        query = self.router.url.query_parameters
        grid, care = query.get("grid", ""), query.get("care", "")
        if grid or care:  # from the register list: "notify them"
            self.picked_grids = [grid] if any(o["id"] == grid for o in self.grid_options) else []
            self.picked_care = [care] if care in CARE else []
            self.form_open, self.errors = True, {}
            return await self._count()
        return None

    def _show(self, rows, zone) -> None:
        loc = self._loc()

        def audience(r) -> str:
            parts = [self._t("english.list_sep").join(r.grids) if r.grids else "", care_text(r.categories, loc)]
            return " · ".join(p for p in parts if p) or self._t("notice.audience.all")

        self.rows = [NoticeRow(r.id, r.title, r.body, r.author, when(r.created_at, zone, loc), audience(r), r.audience,
                               r.reads, r.withdrawn) for r in rows]

    async def _count(self):
        grids = [parse_id(g) for g in self.picked_grids]
        out = await self._run(notices.audience_size, grid_ids=[g for g in grids if g], categories=list(self.picked_care),
                              role="staff")
        if not out.ok:
            self.reach = self._error_text(out.error) if out.error else ""
            return None
        people, accounts = out.value
        self.reach = self._t("notice.reach", n=people, k=accounts)
        return None

    @rx.event
    async def open_form(self):
        self.form_open, self.errors, self.picked_grids, self.picked_care = True, {}, [], []
        return await self._count()

    @rx.event
    def close_form(self):
        self.form_open = False

    @rx.event
    async def toggle_grid(self, grid_id: str):
        if any(o["id"] == grid_id for o in self.grid_options):
            self.picked_grids = [g for g in self.picked_grids if g != grid_id] if grid_id in self.picked_grids \
                else [*self.picked_grids, grid_id]
            return await self._count()

    @rx.event
    async def toggle_care(self, key: str):
        if key in CARE:
            self.picked_care = [c for c in self.picked_care if c != key] if key in self.picked_care \
                else [*self.picked_care, key]
            return await self._count()

    @rx.event
    async def publish(self, form: dict):
        if self.busy:
            return
        self.busy = True
        yield
        grids = [parse_id(g) for g in self.picked_grids]
        out = await self._run(notices.publish_notice, title=_text(form, "title"), body=_text(form, "body"),
                              grid_ids=[g for g in grids if g], categories=list(self.picked_care), write=True,
                              role="staff")
        self.busy = False
        if not out.ok:
            if out.error is not None:
                self.errors = {out.error.field or "title": self._error_text(out.error)}
            else:
                yield self._refused(out)
            return
        self.form_open = False
        yield rx.toast.success(self._t("notice.published"))
        yield StaffNoticesState.reload

    @rx.event
    async def reload(self):
        out = await self._run(_desk, role="staff")
        if out.ok:
            self._show(out.value[0], out.value[2])

    @rx.event
    def ask_withdraw(self, notice_id: int):
        if any(r.id == notice_id for r in self.rows):
            self.withdraw_id = notice_id

    @rx.event
    def cancel_withdraw(self):
        self.withdraw_id = 0

    @rx.event
    async def withdraw(self):
        nid, self.withdraw_id = self.withdraw_id, 0
        if not nid:
            return
        out = await self._run(notices.withdraw_notice, notice_id=nid, write=True, role="staff")
        if not out.ok:
            yield self._refused(out)
            return
        yield rx.toast.success(self._t("notice.withdrawn"))
        yield StaffNoticesState.reload


@dataclass
class HomeNotice:
    id: int = 0
    title: str = ""
    body: str = ""
    when: str = ""
    unread: bool = False
    href: str = ""


def _mine(session, actor):
    if actor.resident_id is None:
        return 0, [], None
    unread, views = notices.my_notices(session, actor, limit=4)
    return unread, views, community_zone(session, actor.community_id)


class ResidentNoticesState(AppState):
    """The notices block of 首页 and one notice (/notices/[id], read when opened)."""

    notices: list[HomeNotice] = []
    unread_notices: int = 0
    one: HomeNotice = HomeNotice()
    found: bool = False
    loaded: bool = False

    @rx.event
    async def load(self):
        out = await self._run(_mine)
        if not out.ok:
            self.notices, self.unread_notices = [], 0
            return None
        unread, views, zone = out.value
        loc = self._loc()
        self.unread_notices = unread
        self.notices = [HomeNotice(v.id, v.title, v.body[:60], when(v.created_at, zone, loc), v.unread,
                                   routes.notice(v.id)) for v in views]
        return None

    @rx.event
    async def open_one(self):
        nid = parse_id(self.router.page.params.get("notice_id", ""))
        self.loaded = False

        def read(session, actor):
            view = notices.notice_for_resident(session, actor, notice_id=nid or 0)
            zone = community_zone(session, actor.community_id)
            notices.mark_read(session, actor, notice_id=view.id)
            return view, zone

        out = await self._run(read)  # mark_read makes its own short write
        self.loaded = True
        if not out.ok:
            self.found = False
            return None if out.error is not None else self._refused(out)
        v, zone = out.value
        self.found = True
        self.one = HomeNotice(v.id, v.title, v.body, when(v.created_at, zone, self._loc()), False, "")
        return None
