"""One shift (/volunteer/shifts/<id>): sign up, wait, withdraw; check in and out with the venue
code (typed, or filled in by the QR code's link ?code=...); for its leader and staff the
venue codes as QR codes and the roster to confirm time or mark absent."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from community_app import routes
from community_app.services.volunteering import activities, hours, shiftview
from community_app.services.volunteering.common import qr_svg
from community_app.state.base import parse_id
from community_app.state.volunteer.common import VolBase, absolute, with_zone


@dataclass
class ShiftView:
    id: int = 0
    title: str = ""
    team: str = ""
    when: str = ""
    location: str = ""
    places: str = ""
    points: str = ""
    description: str = ""
    status: str = "open"
    status_label: str = ""
    cancel_reason: str = ""
    why_not: str = ""
    can_sign_up: bool = False
    can_wait: bool = False
    can_withdraw: bool = False
    can_leave_wait: bool = False
    position: str = ""
    my_state: str = ""  # "" / signed_up / waiting / attended / absent
    my_label: str = ""
    checked_in: str = ""
    verified: str = ""
    can_check_in: bool = False
    can_check_out: bool = False
    code_locked: bool = False
    can_lead: bool = False
    length: str = ""


@dataclass
class RosterRow:
    id: int = 0
    name: str = ""
    mobile: str = ""
    status: str = ""
    status_label: str = ""
    detail: str = ""
    can_confirm: bool = False
    can_absent: bool = False


class VolShiftState(VolBase):
    loaded: bool = False
    found: bool = False
    load_error: str = ""
    v: ShiftView = ShiftView()
    roster: list[RosterRow] = []
    waiting_names: list[str] = []
    code: str = ""
    code_error: str = ""
    qr_in: str = ""
    qr_out: str = ""
    code_in: str = ""
    code_out: str = ""
    show_out: bool = False  # which venue code the leader shows
    busy: bool = False
    ask_withdraw: bool = False
    confirm_id: int = 0
    confirm_name: str = ""
    confirm_minutes: str = ""
    confirm_errors: dict[str, str] = {}

    def _shift_id(self) -> int | None:
        return parse_id((self.router.url.path or "").rstrip("/").rsplit("/", 1)[-1])

    def _status(self, d: shiftview.ShiftDetail) -> tuple[str, str]:
        if d.card.status == "cancelled":
            return "cancelled", self._t("vol.shift.state.cancelled")
        st = d.card.my_status
        return (st, self._t(f"vol.shift.state.{st}")) if st else ("", "")

    def _apply(self, d: shiftview.ShiftDetail, zone) -> None:
        c = d.card
        st, label = self._status(d)
        verified = ""
        if c.my_status == "attended" and d.minutes:
            verified = self._t("vol.shift.verified_text", hours=self._hours(d.minutes), n=c.points)
        self.v = ShiftView(
            id=c.shift_id, title=c.title, team=d.team_name, when=self._span(c.starts_at, c.ends_at, zone),
            location=c.location, places=self._t("vol.shift.places_of", n=c.taken, m=c.capacity),
            points=self._t("vol.points_plus", n=c.points) if c.points else "", description=d.description,
            status=c.status, status_label=self._t(f"vol.shift.state.{c.status}"), cancel_reason=d.cancel_reason,
            why_not=self._t(d.why_not) if d.why_not and not (c.my_status or d.can_lead) else "",
            can_sign_up=d.can_sign_up, can_wait=d.can_wait, can_withdraw=d.can_withdraw,
            can_leave_wait=d.can_leave_wait,
            position=self._t("vol.shift.position", n=d.position) if d.position else "",
            my_state=st, my_label=label,
            checked_in=self._t("vol.shift.checked_in_at", at=self._when(d.checked_in_at, zone))
            if d.checked_in_at and c.my_status != "attended" else "",
            verified=verified, can_check_in=d.can_check_in, can_check_out=d.can_check_out,
            code_locked=d.code_locked, can_lead=d.can_lead, length=self._hours(d.length_minutes))
        self.roster = [RosterRow(
            id=r.signup_id, name=r.name, mobile=r.mobile, status=r.status,
            status_label=self._t(f"vol.shift.state.{r.status}"),
            detail=self._roster_detail(r, zone), can_confirm=r.can_confirm, can_absent=r.can_absent)
            for r in d.roster]
        self.waiting_names = d.waiting_names
        if d.can_lead:
            self.code_in, self.code_out = d.checkin_code, d.checkout_code
            self.qr_in = qr_svg(absolute(routes.shift_code_path(c.shift_id, d.checkin_code)))
            self.qr_out = qr_svg(absolute(routes.shift_code_path(c.shift_id, d.checkout_code)))
        else:
            self.code_in = self.code_out = self.qr_in = self.qr_out = ""

    def _roster_detail(self, r: shiftview.RosterRow, zone) -> str:
        parts = []
        if r.checked_in_at:
            parts.append(self._t("vol.shift.in_at", at=r.checked_in_at.astimezone(zone).strftime("%H:%M")))
        if r.checked_out_at:
            parts.append(self._t("vol.shift.out_at", at=r.checked_out_at.astimezone(zone).strftime("%H:%M")))
        if r.minutes:
            parts.append(self._hours(r.minutes))
        return " · ".join(parts)

    async def _reload(self) -> object:
        sid = self._shift_id()
        out = await self._run(with_zone(lambda s, a: shiftview.shift_detail(s, a, shift_id=sid or 0)))
        self.loaded = True
        if not out.ok:
            if out.signed_out:
                return self._refused(out)
            self.found, self.load_error = False, self._error_text(out.error)
            return None
        detail, zone = out.value
        self._apply(detail, zone)
        self.found = True
        return None

    @rx.event
    async def load(self):
        code = self.router.url.query_parameters.get("code", "")
        self.code = code if isinstance(code, str) and code.isdigit() and len(code) == 6 else ""
        self.code_error, self.ask_withdraw, self.confirm_id, self.show_out = "", False, 0, False
        return await self._reload()

    @rx.event
    def show_code(self, which: str):
        self.show_out = which == "out"

    async def _action(self, fn, ok_key: str, **kw):
        if self.busy:
            return
        self.busy = True
        yield
        out, event = await self._do(fn, shift_id=self.v.id, ok_key=ok_key, **kw)
        self.busy = False
        self.ask_withdraw = False
        refused = await self._reload()
        yield refused or event

    @rx.event
    async def sign_up(self):
        async for step in self._action(activities.sign_up, "vol.shift.signed_up_done"):
            yield step

    @rx.event
    async def join_wait(self):
        async for step in self._action(activities.join_waitlist, "vol.shift.waiting_done"):
            yield step

    @rx.event
    def open_withdraw(self):
        self.ask_withdraw = True

    @rx.event
    def close_withdraw(self):
        self.ask_withdraw = False

    @rx.event
    async def withdraw(self):
        async for step in self._action(activities.withdraw, "vol.shift.withdrawn_done"):
            yield step

    @rx.event
    async def use_code(self, form: dict | None = None):
        raw = (form or {}).get("code", self.code) if isinstance(form, dict) else self.code
        code = raw if isinstance(raw, str) else ""
        if self.busy:
            return
        self.busy = True
        yield
        out, event = await self._do(hours.use_code, shift_id=self.v.id, code=code, errors_attr="")
        self.busy = False
        if out.ok:
            self.code = ""
            self.code_error = ""
            done = out.value.status == "attended"
            refused = await self._reload()
            yield refused or [rx.set_value("f-code", ""),
                              rx.toast.success(self._t("vol.shift.checked_out" if done else "vol.shift.checked_in"))]
            return
        if out.error is not None:
            self.code_error = self._error_text(out.error)
            await self._reload()
            return
        yield event

    # ---- the leader's roster

    @rx.event
    def open_confirm(self, signup_id: int):
        sid = parse_id(signup_id)
        row = next((r for r in self.roster if r.id == sid and r.can_confirm), None)
        if row is None:
            return
        self.confirm_id, self.confirm_name, self.confirm_minutes, self.confirm_errors = row.id, row.name, "", {}

    @rx.event
    def close_confirm(self):
        self.confirm_id = 0

    @rx.event
    async def submit_confirm(self, form: dict):
        minutes = form.get("minutes", "") if isinstance(form, dict) else ""
        if not self.confirm_id or self.busy:
            return
        self.busy = True
        yield
        out, event = await self._do(hours.confirm, signup_id=self.confirm_id, minutes=minutes or None,
                                    ok_key="vol.shift.confirmed_done", errors_attr="confirm_errors")
        self.busy = False
        if out.ok:
            self.confirm_id = 0
            refused = await self._reload()
            yield refused or event
        elif event is not None:
            yield event

    @rx.event
    async def mark_absent(self, signup_id: int):
        sid = parse_id(signup_id)
        if sid is None or self.busy:
            return
        self.busy = True
        yield
        out, event = await self._do(hours.mark_absent, signup_id=sid, ok_key="vol.shift.absent_done")
        self.busy = False
        refused = await self._reload()
        yield refused or event
