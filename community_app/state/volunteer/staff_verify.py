"""核验 desk (/staff/volunteer/verify): shifts with time to confirm (today's, upcoming, past);
for one shift its venue codes (QR + digits, to show on a screen or print), the roster to
confirm or mark absent, make-up time with a reason; and done assigned bookings whose time is
not counted yet."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from community_app import routes
from community_app.services import booking
from community_app.services.core.paging import Page
from community_app.services.volunteering import hours, shiftview
from community_app.services.volunteering.common import qr_svg, zone_of
from community_app.services.volunteering.shiftview import VERIFY_FILTERS
from community_app.state.base import parse_id
from community_app.state.listing import StaffListMixin
from community_app.state.volunteer.common import VolBase, absolute, with_zone


@dataclass
class Person:
    id: int = 0
    name: str = ""
    detail: str = ""
    status: str = ""
    status_label: str = ""
    can_confirm: bool = False
    can_absent: bool = False


class StaffVolVerifyState(StaffListMixin, VolBase):
    shift_id: int = 0
    shift_title: str = ""
    shift_when: str = ""
    length: int = 0
    qr_in: str = ""
    qr_out: str = ""
    code_in: str = ""
    code_out: str = ""
    people: list[Person] = []
    tasks: list[dict[str, str]] = []
    query: str = ""
    found: list[dict[str, str]] = []
    makeup_for: str = ""
    makeup_name: str = ""
    errors: dict[str, str] = {}

    def _filter_spec(self):
        return {"status": lambda v: v in VERIFY_FILTERS}

    def _default_filters(self):
        return {"status": "to_verify"}

    def _fetch(self, session, actor, filters, page) -> Page:
        result = shiftview.shifts_page(session, actor, status=filters["status"], page=page)
        zone = zone_of(session, actor.community_id)
        rows = [{"id": str(r.shift_id), "can_select": "", "title": r.title, "team": r.team_name,
                 "when": self._span(r.starts_at, r.ends_at, zone), "location": r.location,
                 "places": self._t("vol.shift.places_of", n=r.taken, m=r.capacity),
                 "attended": self._t("vol.staff.attended_n", n=r.attended),
                 "unverified": self._t("vol.staff.unverified_n", n=r.unverified) if r.unverified else ""}
                for r in result.items]
        return Page(rows, result.total, result.page, result.page_size)

    def _uncredited(self, session, actor):
        zone = zone_of(session, actor.community_id)
        return [{"id": str(b.id), "when": self._when(b.scheduled_at, zone), "who": b.assignee_name,
                 "what": b.description[:60]} for b in hours.uncredited_tasks(session, actor)]

    @rx.event
    async def load(self):
        self.shift_id = 0
        out = await self._run(self._uncredited, role="staff")
        if not out.ok:
            return self._refused(out)
        self.tasks = out.value
        return await self.load_list()

    async def _load_shift(self, sid: int):
        out = await self._run(with_zone(lambda s, a: shiftview.shift_detail(s, a, shift_id=sid)), role="staff")
        if not out.ok:
            return self._refused(out)
        d, zone = out.value
        self.shift_id, self.shift_title = d.card.shift_id, d.card.title
        self.shift_when, self.length = self._span(d.card.starts_at, d.card.ends_at, zone), d.length_minutes
        self.code_in, self.code_out = d.checkin_code, d.checkout_code
        self.qr_in = qr_svg(absolute(routes.shift_code_path(sid, d.checkin_code))) if d.checkin_code else ""
        self.qr_out = qr_svg(absolute(routes.shift_code_path(sid, d.checkout_code))) if d.checkout_code else ""
        self.people = [Person(r.signup_id, r.name, " · ".join(x for x in (
            self._t("vol.shift.in_at", at=self._when(r.checked_in_at, zone)) if r.checked_in_at else "",
            self._hours(r.minutes) if r.minutes else "") if x), r.status, self._t(f"vol.shift.state.{r.status}"),
            r.can_confirm, r.can_absent) for r in d.roster]
        return None

    @rx.event
    async def open_shift(self, shift_id: str):
        sid = parse_id(shift_id)
        if sid is None or shift_id not in {r["id"] for r in self.rows}:
            return None
        self.found, self.makeup_for, self.errors, self.query = [], "", {}, ""
        return await self._load_shift(sid)

    @rx.event
    def close_shift(self):
        self.shift_id = 0

    async def _act(self, fn, ok_key: str, **kw):
        if self.busy:
            return
        self.busy = True
        yield
        out, event = await self._do(fn, ok_key=ok_key, errors_attr="errors", **kw)
        self.busy = False
        if out.ok:
            self.makeup_for = ""
            await self._load_shift(self.shift_id)
            refused = await self._reload()
            yield refused or event
        elif event is not None:
            yield event

    @rx.event
    async def confirm(self, signup_id: int):
        sid = parse_id(signup_id)
        if sid is not None:
            async for step in self._act(hours.confirm, "vol.shift.confirmed_done", signup_id=sid):
                yield step

    @rx.event
    async def absent(self, signup_id: int):
        sid = parse_id(signup_id)
        if sid is not None:
            async for step in self._act(hours.mark_absent, "vol.shift.absent_done", signup_id=sid):
                yield step

    @rx.event
    async def search(self, form: dict):
        q = str(form.get("q", ""))[:40] if isinstance(form, dict) else ""
        self.query = q
        out = await self._run(lambda s, a: booking.find_residents(s, a, query=q, limit=10), role="staff")
        if not out.ok:
            return self._refused(out)
        self.found = [{"id": str(m.resident_id), "name": m.name, "address": m.address} for m in out.value]
        return None

    @rx.event
    def pick(self, resident_id: str):
        row = next((r for r in self.found if r["id"] == resident_id), None)
        if row is not None:
            self.makeup_for, self.makeup_name, self.errors = row["id"], row["name"], {}

    @rx.event
    async def submit_makeup(self, form: dict):
        form = form if isinstance(form, dict) else {}
        rid = parse_id(self.makeup_for)
        if rid is None:
            return
        async for step in self._act(hours.makeup, "vol.staff.makeup_ok", shift_id=self.shift_id, resident_id=rid,
                                    minutes=form.get("minutes", ""), reason=form.get("reason", "")):
            yield step

    @rx.event
    async def credit(self, booking_id: str):
        bid = parse_id(booking_id)
        if bid is None or self.busy:
            return
        self.busy = True
        yield
        out, event = await self._do(hours.credit_task, booking_id=bid, ok_key="vol.staff.credited_ok")
        self.busy = False
        again = await self._run(self._uncredited, role="staff")
        if again.ok:
            self.tasks = again.value
        yield event
