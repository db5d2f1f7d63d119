"""点名: the roll of one session, for the teacher on a phone (one big toggle per person: 到了 /
没到) and for staff (their community's people). The check-in code is shown large for residents
to type; "其余记为缺席" marks everyone not marked yet, after a confirmation."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from community_app import routes
from community_app.services.classes import attendance
from community_app.services.core import clock
from community_app.state.base import parse_id
from community_app.state.classes.base import ClassesBase


@dataclass
class RollRow:
    id: int = 0
    name: str = ""
    status: str = ""  # present / absent / ""
    status_text: str = ""
    partner: str = ""
    by_code: bool = False


class RollState(ClassesBase):
    title: str = ""
    when: str = ""
    location: str = ""
    code: str = ""
    can_mark: bool = False
    cancelled: bool = False
    rows: list[RollRow] = []
    counts: str = ""
    unmarked: int = 0
    course_href: str = ""
    register_href: str = ""
    loaded: bool = False
    found: bool = False
    load_error: str = ""
    busy_id: int = 0
    rest_open: bool = False

    def _session_id(self) -> int | None:
        return parse_id(self.router.page.params.get("session_id", ""))

    async def _reload(self):
        sid = self._session_id()
        if sid is None:
            self.found, self.loaded = False, True
            return None
        out = await self._run(attendance.roll, session_id=sid)
        self.loaded = True
        if not out.ok:
            self.found = False
            self.load_error = self._err(out.error)
            return self._refused(out) if out.signed_out else None
        r: attendance.RollView = out.value
        self.found, self.load_error = True, ""
        self.title, self.location, self.code = r.course_title, r.location, r.checkin_code
        self.when = self._when(r.starts_at, r.zone or clock.zone_named(None), end=r.ends_at)
        self.can_mark, self.cancelled = r.can_mark, r.status == "cancelled"
        self.rows = [RollRow(x.resident_id, x.name, x.status,
                             self._t(f"classes.mark.{x.status}") if x.status else self._t("classes.mark.none"),
                             x.community, x.method == "code") for x in r.rows]
        self.counts = self._t("classes.roll.counts", present=r.present, absent=r.absent, unmarked=r.unmarked)
        self.unmarked = r.unmarked
        self.course_href = routes.class_course(r.course_id)
        self.register_href = routes.class_register(r.course_id)
        return None

    @rx.event
    async def load(self):
        self.rest_open = False
        self.busy_id = 0
        return await self._reload()

    @rx.event
    async def toggle(self, resident_id: int):
        """到了 <-> 没到 (a person not marked yet becomes 到了)."""
        rid, sid = parse_id(resident_id), self._session_id()
        row = next((x for x in self.rows if x.id == rid), None) if rid else None
        if row is None or sid is None or self.busy_id:
            return
        status = "absent" if row.status == "present" else "present"
        self.busy_id = rid
        self.rows = [RollRow(x.id, x.name, status if x.id == rid else x.status,
                             self._t(f"classes.mark.{status}") if x.id == rid else x.status_text, x.partner,
                             x.by_code and x.id != rid) for x in self.rows]  # at once on screen
        yield
        out = await self._run(attendance.mark, write=True, session_id=sid, resident_id=rid, status=status)
        self.busy_id = 0
        refused = None if out.ok else self._refused(out)
        yield await self._reload()
        if refused is not None:
            yield refused

    @rx.event
    def ask_rest(self):
        self.rest_open = self.unmarked > 0

    @rx.event
    def close_rest(self):
        self.rest_open = False

    @rx.event
    async def confirm_rest(self):
        sid = self._session_id()
        self.rest_open = False
        if sid is None:
            return
        out = await self._run(attendance.mark_rest_absent, write=True, session_id=sid)
        if not out.ok:
            yield self._refused(out)
            return
        yield await self._reload()
        yield rx.toast.success(self._t("classes.done.rest_absent", n=out.value))
