"""服务日: the coming service days of the slot-based services with their booked places, and
取消本次 / 改期 of one day (the services notify everyone booked or waiting)."""

from __future__ import annotations

from datetime import timedelta

import reflex as rx

from community_app.i18n import t
from community_app.models import ServiceKind
from community_app.services import booking, catalogue
from community_app.services.core.clock import community_zone, local_today
from community_app.state.base import AppState, parse_id
from community_app.state.bookings.common import BookingMixin, form_text, options, parse_date

RANGES = ("7", "30", "90")


def _day_rows(session, actor, type_filter: str, days_ahead: int):
    """(slot-based types for the filter, the days of the chosen ones as rows, today)."""
    types = [x for x in catalogue.list_service_types(session, actor) if x.kind == ServiceKind.SLOT]
    today = local_today(community_zone(session, actor.community_id))
    last = today + timedelta(days=days_ahead)
    rows = []
    for stype in types:
        if type_filter and str(stype.id) != type_filter:
            continue
        for d in catalogue.list_days(session, actor, service_type_id=stype.id, from_date=today, to_date=last):
            taken = sum(sl.taken for sl in d.slots)
            capacity = sum(sl.capacity for sl in d.slots)
            rows.append({
                "id": str(d.id), "type": stype.name_in(actor.locale), "type_id": str(stype.id),
                "day": d.day.isoformat(), "weekday": str(d.day.weekday()),
                "time": f"{d.slots[0].local_start}–{d.slots[-1].local_end}" if d.slots else "",
                "location": d.location or stype.location, "status": d.status, "note": d.note,
                "taken": str(taken), "capacity": str(capacity), "free": str(max(0, capacity - taken)),
                "slots": str(len(d.slots)), "today": "1" if d.day == today else "",
                "open": "1" if d.status == catalogue.DAY_OPEN else "",
                "inactive": "" if stype.active else "1",
            })
    rows.sort(key=lambda r: (r["day"], r["time"], r["type"]))
    return options(types, locale=actor.locale), rows, today


def _cancel_counts(session, actor, day_id: int) -> tuple[int, int]:
    """Who a cancellation of the day would notify: (places booked, people waiting)."""
    sheet = booking.day_sheet(session, actor, day_id=day_id)
    booked = sum(1 for sl in sheet.slots for r in sl.rows if r.status in booking.HOLDING_ACTIVE)
    return booked, sum(len(sl.waiting) for sl in sheet.slots)


class StaffDaysState(BookingMixin, AppState):
    type_options: list[dict[str, str]] = []
    f_type: str = ""
    f_range: str = "30"
    days: list[dict[str, str]] = []
    loaded: bool = False
    busy: bool = False

    dlg: str = ""  # "cancel" | "move"
    dlg_id: str = ""
    dlg_label: str = ""
    dlg_booked: int = 0
    dlg_waiting: int = 0
    dlg_errors: dict[str, str] = {}
    dlg_message: str = ""
    move_min: str = ""

    @rx.var
    def notify_text(self) -> str:
        loc = self._loc()
        return t("sbook.days.cancel_notify", loc, n=self.dlg_booked + self.dlg_waiting, b=self.dlg_booked,
                 w=self.dlg_waiting)

    async def _query(self):
        """Read the days again; returns the event for a refusal, or None."""
        out = await self._run(_day_rows, self.f_type, int(self.f_range if self.f_range in RANGES else "30"),
                              role="staff")
        if not out.ok:
            return self._load_refused(out)
        self.type_options, self.days, today = out.value
        if self.f_type and self.f_type not in {o["id"] for o in self.type_options}:
            self.f_type = ""
            return await self._query()
        self.move_min = today.isoformat()
        self.loaded = True
        return None

    @rx.event
    async def load(self):
        self.dlg = ""
        return await self._query()

    @rx.event
    async def set_type(self, value: str):
        self.f_type = value if isinstance(value, str) and (value == "" or parse_id(value)) else ""
        return await self._query()

    @rx.event
    async def set_range(self, value: str):
        self.f_range = value if value in RANGES else "30"
        return await self._query()

    @rx.event
    async def open_dialog(self, kind: str, day_id: str):
        did = parse_id(day_id)
        if kind not in ("cancel", "move") or did is None:
            return None
        row = next((r for r in self.days if r["id"] == str(did)), None)
        self.dlg_label = f"{row['type']} · {row['day']}" if row else ""
        self.dlg_errors = {}
        self.dlg_message = ""
        self.dlg_booked = self.dlg_waiting = 0
        if kind == "cancel":
            out = await self._run(_cancel_counts, did, role="staff")
            if not out.ok:
                return self._refused(out)
            self.dlg_booked, self.dlg_waiting = out.value
        self.dlg_id = str(did)
        self.dlg = kind
        return None

    @rx.event
    def dialog_open_change(self, is_open: bool):
        if not is_open:
            self.dlg = ""

    @rx.event
    def close_dialog(self):
        self.dlg = ""

    async def _dialog_action(self, fn, fields: dict[str, str], ok, **kwargs):
        """Run the dialog's action off the loop: on success close it, refresh the days and say
        ``ok(value)``; on a refusal say why next to the field or above the buttons."""
        self.busy = True
        yield
        out = await self._write(fn, role="staff", **kwargs)
        self.busy = False
        if not out.ok:
            if out.signed_out:
                yield self._refused(out)
                return
            self.dlg_errors, self.dlg_message = self._placed(out, fields)
            return
        self.dlg = ""
        await self._query()
        yield rx.toast.success(ok(out.value))

    @rx.event
    async def confirm_cancel(self, form: dict):
        did = parse_id(self.dlg_id)
        if did is None or self.dlg != "cancel" or self.busy:
            return
        reason = form_text(form, "reason", 300)
        self.dlg_errors = {}
        self.dlg_message = ""
        if not reason:
            self.dlg_errors = {"reason": self._t("catalogue.error.reason_required")}
            return
        async for step in self._dialog_action(booking.cancel_day, {"reason": "reason"},
                                              lambda n: self._t("sbook.days.cancelled", n=n),
                                              day_id=did, reason=reason):
            yield step

    @rx.event
    async def confirm_move(self, form: dict):
        did = parse_id(self.dlg_id)
        if did is None or self.dlg != "move" or self.busy:
            return
        self.dlg_errors = {}
        self.dlg_message = ""
        new_day = parse_date(form_text(form, "new_day", 20))
        if new_day is None:
            self.dlg_errors = {"new_day": self._t("catalogue.error.date_invalid")}
            return
        async for step in self._dialog_action(booking.move_day, {"new_day": "new_day", "reason": "reason"},
                                              lambda _: self._t("sbook.days.moved", day=new_day.isoformat()),
                                              day_id=did, new_day=new_day, reason=form_text(form, "reason", 300)):
            yield step
