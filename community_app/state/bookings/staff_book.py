"""代办预约: staff book for a resident who phoned or came in. Find them, pick the service, then
a slot with free places or the request details. The booking service applies the same rules
as for the resident (eligibility, limits, full slots) and writes the audit log."""

from __future__ import annotations

import dataclasses

import reflex as rx

from community_app.models import ServiceKind
from community_app.services import booking, catalogue
from community_app.state.base import AppState, parse_id
from community_app.state.bookings.common import BookingMixin, ResidentView, form_text, resident_view

DAYS_SHOWN = 14
REQUEST_FIELDS = {"description": "description", "preferred_times": "preferred_times", "address": "address"}


@dataclasses.dataclass
class SlotChoice:
    id: str = ""
    start: str = ""
    end: str = ""
    free: int = 0
    capacity: int = 0


@dataclasses.dataclass
class DayChoice:
    id: str = ""
    day: str = ""
    weekday: str = ""
    location: str = ""
    free: int = 0
    slots: list[SlotChoice] = dataclasses.field(default_factory=list)


def _types(session, actor) -> list[dict[str, str]]:
    return [{"id": str(x.id), "name": x.name_in(actor.locale), "kind": str(x.kind)}
            for x in catalogue.list_service_types(session, actor, include_inactive=False)]


def day_choices(views: list[catalogue.DayView]) -> list[DayChoice]:
    return [
        DayChoice(id=str(d.id), day=d.day.isoformat(), weekday=str(d.day.weekday()), location=d.location, free=d.free,
                  slots=[SlotChoice(str(sl.id), sl.local_start, sl.local_end, sl.free, sl.capacity) for sl in d.slots])
        for d in views
    ]


class StaffBookState(BookingMixin, AppState):
    results: list[ResidentView] = []
    searched: bool = False
    search_error: str = ""
    resident: ResidentView = ResidentView()
    type_options: list[dict[str, str]] = []
    type_id: str = ""
    type_kind: str = ""
    days: list[DayChoice] = []
    pick_day_id: str = ""
    slot_id: str = ""
    errors: dict[str, str] = {}
    message: str = ""
    busy: bool = False
    result_text: str = ""

    @rx.var
    def day_slots(self) -> list[SlotChoice]:
        day = next((d for d in self.days if d.id == self.pick_day_id), None)
        return day.slots if day else []

    @rx.var
    def slot_label(self) -> str:
        for d in self.days:
            for sl in d.slots:
                if sl.id == self.slot_id:
                    return f"{d.day} {sl.start}–{sl.end}"
        return ""

    def _service_name(self) -> str:
        return next((o["name"] for o in self.type_options if o["id"] == self.type_id), "")

    @rx.event
    async def load(self):
        out = await self._run(_types, role="staff")
        if not out.ok:
            return self._load_refused(out)
        self.type_options = out.value
        if self.type_id and self.type_id not in {o["id"] for o in self.type_options}:
            self._clear_type()
        return None

    def _clear_type(self) -> None:
        self.type_id = ""
        self.type_kind = ""
        self.days = []
        self.pick_day_id = ""
        self.slot_id = ""

    @rx.event
    async def search(self, form: dict):
        self.search_error = ""
        out = await self._run(booking.find_residents, query=form_text(form, "q", 40), limit=20, role="staff")
        if not out.ok:
            if out.signed_out:
                return self._refused(out)
            self.search_error = self._error_text(out.error)
            return None
        self.results = [resident_view(m) for m in out.value]
        self.searched = True
        return None

    @rx.event
    def pick_resident(self, resident_id: str):
        rid = parse_id(resident_id)
        match = next((r for r in self.results if r.id == str(rid)), None) if rid else None
        if match is None:
            return
        self.resident = match
        self.result_text = ""
        self.errors = {}
        self.message = ""

    @rx.event
    def change_resident(self):
        self.resident = ResidentView()
        self.result_text = ""

    @rx.event
    async def pick_type(self, type_id: str):
        option = next((o for o in self.type_options if o["id"] == type_id), None) \
            if isinstance(type_id, str) else None
        self._clear_type()
        self.errors = {}
        self.message = ""
        self.result_text = ""
        if option is None:
            return None
        self.type_id = option["id"]
        self.type_kind = option["kind"]
        if self.type_kind == ServiceKind.SLOT:
            return await self._load_days()
        return None

    async def _load_days(self):
        """The type's next open days (off the loop); returns the event for a refusal, or None."""
        tid = parse_id(self.type_id)
        if tid is None:
            return None
        out = await self._run(catalogue.open_days, service_type_id=tid, limit=DAYS_SHOWN, role="staff")
        if not out.ok:
            if out.signed_out:
                return self._refused(out)
            self.message = self._error_text(out.error)
            return None
        self.days = day_choices(out.value)
        first = next((d for d in self.days if d.free > 0), None)
        self.pick_day_id = first.id if first else ""
        self.slot_id = ""
        return None

    @rx.event
    def pick_day(self, day_id: str):
        if isinstance(day_id, str) and any(d.id == day_id for d in self.days):
            self.pick_day_id = day_id
            self.slot_id = ""

    @rx.event
    def pick_slot(self, slot_id: str):
        slot = next((sl for sl in self.day_slots if sl.id == slot_id), None) if isinstance(slot_id, str) else None
        if slot is not None and slot.free > 0:
            self.slot_id = slot.id

    @rx.event
    async def book_slot(self):
        rid, sid = parse_id(self.resident.id), parse_id(self.slot_id)
        self.errors = {}
        self.message = ""
        if rid is None:
            self.message = self._t("sbook.book.pick_resident_first")
            return
        if sid is None:
            self.message = self._t("sbook.book.pick_slot_first")
            return
        if self.busy:
            return
        label, service = self.slot_label, self._service_name()
        self.busy = True
        yield
        out = await self._write(lambda s, a: booking.book_on_behalf(s, a, resident_id=rid, slot_id=sid).id,
                                role="staff")
        self.busy = False
        if out.signed_out:
            yield self._refused(out)
            return
        if not out.ok:
            self.message = self._error_text(out.error)
        else:
            self.result_text = self._t("sbook.book.booked", name=self.resident.name, service=service, when=label)
        await self._load_days()
        if out.ok:
            yield rx.toast.success(self.result_text)

    @rx.event
    async def submit_request(self, form: dict):
        rid, tid = parse_id(self.resident.id), parse_id(self.type_id)
        self.errors = {}
        self.message = ""
        if rid is None:
            self.message = self._t("sbook.book.pick_resident_first")
            return
        if tid is None or self.type_kind != ServiceKind.REQUEST or self.busy:
            return
        description = form_text(form, "description", 1000)
        note = form_text(form, "visit_note", 200)
        if note and description:  # no field for it in the booking: kept with the description
            description = f"{description}\n{self._t('sbook.book.visit_note_prefix')}{note}"
        times = [x for x in (form_text(form, f"time{i}", 40) for i in (1, 2, 3)) if x]
        address = form_text(form, "address", 200)
        service = self._service_name()
        self.busy = True
        yield
        out = await self._write(lambda s, a: booking.book_on_behalf(
            s, a, resident_id=rid, service_type_id=tid, description=description, preferred_times=times,
            address=address or None).id, role="staff")
        self.busy = False
        if not out.ok:
            if out.signed_out:
                yield self._refused(out)
                return
            self.errors, self.message = self._placed(out, REQUEST_FIELDS)
            return
        self.result_text = self._t("sbook.book.requested", name=self.resident.name, service=service)
        yield rx.toast.success(self.result_text)
        for key in ("f-description", "f-visit_note", "f-time1", "f-time2", "f-time3"):
            yield rx.set_value(key, "")
