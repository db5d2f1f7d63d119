"""服务日名单: one day's sheet, who comes in which slot, with 到场 / 爽约, each slot's waitlist
(移出候补) and 现场登记 (walk-ins). The buttons come from the service's flags
(``SheetRow.can_attend`` / ``can_no_show``, ``SheetSlot.can_walk_in``)."""

from __future__ import annotations

import dataclasses

import reflex as rx

from community_app.services import booking, catalogue
from community_app.services.core.clock import community_zone, local_today
from community_app.state.base import AppState, parse_id
from community_app.state.bookings.common import (
    CARE_CODES,
    BookingMixin,
    ResidentView,
    form_text,
    path_id,
    resident_view,
)


@dataclasses.dataclass
class SheetRowView:
    booking_id: str = ""
    name: str = ""
    mobile: str = ""
    address: str = ""
    care: list[str] = dataclasses.field(default_factory=list)
    status: str = ""
    on_behalf: bool = False
    can_mark: bool = False
    can_noshow: bool = False


@dataclasses.dataclass
class WaitView:
    entry_id: str = ""
    position: str = ""
    name: str = ""
    mobile: str = ""


@dataclasses.dataclass
class SlotSheetView:
    slot_id: str = ""
    number: str = ""
    start: str = ""
    end: str = ""
    capacity: int = 0
    taken: int = 0
    free: int = 0
    can_walk_in: bool = False
    rows: list[SheetRowView] = dataclasses.field(default_factory=list)
    waiting: list[WaitView] = dataclasses.field(default_factory=list)


def _sheet(session, actor, day_id: int):
    """(the day's sheet, its type's location, today) in one read."""
    sheet = booking.day_sheet(session, actor, day_id=day_id)
    stype = catalogue.get_service_type(session, actor, service_type_id=sheet.service_type_id)
    return sheet, stype.location, local_today(community_zone(session, actor.community_id))


def _slot_view(sl: booking.SheetSlot) -> SlotSheetView:
    rows = [SheetRowView(booking_id=str(r.booking_id), name=r.resident_name, mobile=r.mobile, address=r.address,
                         care=[c for c in r.care if c in CARE_CODES], status=str(r.status), on_behalf=r.on_behalf,
                         can_mark=r.can_attend, can_noshow=r.can_no_show)
            for r in sl.rows]
    return SlotSheetView(
        slot_id=str(sl.slot_id), number=str(sl.number), start=sl.local_start, end=sl.local_end,
        capacity=sl.capacity, taken=sl.taken, free=max(0, sl.capacity - sl.taken), can_walk_in=sl.can_walk_in,
        rows=rows, waiting=[WaitView(str(w.entry_id), str(w.position), w.resident_name, w.mobile) for w in sl.waiting],
    )


def _walk_in(session, actor, slot_id: int, resident_id: int | None, name: str, mobile: str) -> int:
    if resident_id is not None:
        return booking.add_walk_in(session, actor, slot_id=slot_id, resident_id=resident_id).id
    return booking.add_walk_in(session, actor, slot_id=slot_id, name=name, mobile=mobile).id


class StaffDaySheetState(BookingMixin, AppState):
    found: bool = False
    loaded: bool = False
    error: str = ""
    sheet_id: str = ""
    service_name: str = ""
    day: str = ""
    weekday: str = ""
    location: str = ""
    status: str = ""
    note: str = ""
    is_today: bool = False
    total_taken: int = 0
    total_capacity: int = 0
    slots: list[SlotSheetView] = []
    busy: bool = False

    noshow_id: str = ""
    noshow_name: str = ""

    unwait_id: str = ""
    unwait_name: str = ""

    walk_slot_id: str = ""
    walk_slot_label: str = ""
    walk_results: list[ResidentView] = []
    walk_searched: bool = False
    walk_pick_id: str = ""
    walk_pick_name: str = ""
    walk_errors: dict[str, str] = {}
    walk_message: str = ""

    @rx.event
    async def load(self):
        self.noshow_id = ""
        self.unwait_id = ""
        self.walk_slot_id = ""
        did = path_id(self.router.url.path)
        self.sheet_id = str(did or "")
        await self._query()

    async def _query(self) -> None:
        """Read the sheet again (the page guard answers a visitor signed out or not staff)."""
        did = parse_id(self.sheet_id)
        self.loaded = True
        if did is None:
            self.found = False
            self.error = self._t("catalogue.error.day_not_found")
            return
        out = await self._run(_sheet, did, role="staff")
        if not out.ok:
            self.found = False
            self.error = self._error_text(out.error) if out.error is not None else ""
            self.slots = []
            return
        sheet, type_location, today = out.value
        self.found = True
        self.error = ""
        self.service_name = sheet.service_name
        self.day = sheet.day.isoformat()
        self.weekday = str(sheet.day.weekday())
        self.location = sheet.location or type_location
        self.status = sheet.status
        self.note = sheet.note
        self.is_today = sheet.day == today
        self.total_taken = sum(sl.taken for sl in sheet.slots)
        self.total_capacity = sum(sl.capacity for sl in sheet.slots)
        self.slots = [_slot_view(sl) for sl in sheet.slots]

    async def _act(self, fn, ok_key: str, close: str = "", **kwargs):
        """A one-click action on the sheet, off the loop; then close the dialog that asked
        (``close``: the var holding its item), read the sheet again and say how it went."""
        self.busy = True
        yield
        out = await self._write(fn, role="staff", **kwargs)
        self.busy = False
        if close:
            setattr(self, close, "")
        if not out.signed_out:
            await self._query()
        yield self._done(out, ok_key)

    @rx.event
    async def attended(self, booking_id: str):
        bid = parse_id(booking_id)
        if bid is None or self.busy:
            return
        async for step in self._act(booking.mark_attended, "sbook.toast.attended", booking_id=bid):
            yield step

    @rx.event
    def ask_noshow(self, booking_id: str, name: str):
        bid = parse_id(booking_id)
        if bid is None:
            return
        self.noshow_id = str(bid)
        self.noshow_name = str(name)[:64] if isinstance(name, str) else ""

    @rx.event
    def noshow_open_change(self, is_open: bool):
        if not is_open:
            self.noshow_id = ""

    @rx.event
    async def confirm_noshow(self):
        bid = parse_id(self.noshow_id)
        if bid is None or self.busy:
            return
        async for step in self._act(booking.mark_no_show, "sbook.toast.no_show", "noshow_id", booking_id=bid):
            yield step

    # ---- waitlist ----
    @rx.event
    def ask_unwait(self, entry_id: str):
        """Ask before taking someone off a slot's waitlist (the name comes from the sheet)."""
        eid = parse_id(entry_id)
        waiting = next((w for sl in self.slots for w in sl.waiting if w.entry_id == str(eid)), None) \
            if eid is not None else None
        if waiting is None:
            return
        self.unwait_id = waiting.entry_id
        self.unwait_name = waiting.name

    @rx.event
    def unwait_open_change(self, is_open: bool):
        if not is_open:
            self.unwait_id = ""

    @rx.event
    async def confirm_unwait(self):
        eid = parse_id(self.unwait_id)
        if eid is None or self.busy:
            return
        async for step in self._act(booking.leave_waitlist, "sbook.toast.unwaited", "unwait_id", entry_id=eid):
            yield step

    # ---- walk-ins ----
    @rx.event
    def open_walk_in(self, slot_id: str):
        sid = parse_id(slot_id)
        slot = next((x for x in self.slots if x.slot_id == str(sid)), None) if sid else None
        if slot is None:
            return
        self.walk_slot_id = slot.slot_id
        self.walk_slot_label = f"{slot.start}–{slot.end}"
        self.walk_results = []
        self.walk_searched = False
        self.walk_pick_id = ""
        self.walk_pick_name = ""
        self.walk_errors = {}
        self.walk_message = ""

    @rx.event
    def walk_open_change(self, is_open: bool):
        if not is_open:
            self.walk_slot_id = ""

    @rx.event
    async def walk_search(self, form: dict):
        out = await self._run(booking.find_residents, query=form_text(form, "q", 40), limit=10, role="staff")
        if not out.ok:
            if out.signed_out:
                return self._refused(out)
            self.walk_message = self._error_text(out.error)
            return None
        self.walk_results = [resident_view(m) for m in out.value]
        self.walk_searched = True
        return None

    @rx.event
    def walk_pick(self, resident_id: str):
        rid = parse_id(resident_id)
        match = next((r for r in self.walk_results if r.id == str(rid)), None) if rid else None
        if match is None:
            return
        self.walk_pick_id = match.id
        self.walk_pick_name = match.name

    @rx.event
    def walk_unpick(self):
        self.walk_pick_id = ""
        self.walk_pick_name = ""

    @rx.event
    async def confirm_walk_in(self, form: dict):
        sid = parse_id(self.walk_slot_id)
        if sid is None or self.busy:
            return
        self.walk_errors = {}
        self.walk_message = ""
        rid = parse_id(self.walk_pick_id)
        name, mobile = form_text(form, "name", 40), form_text(form, "mobile", 20)
        if rid is None and not name:
            self.walk_errors = {"name": self._t("sbook.walkin.name_required")}
            return
        self.busy = True
        yield
        out = await self._write(_walk_in, sid, rid, name, mobile, role="staff")
        self.busy = False
        if not out.ok:
            if out.signed_out:
                yield self._refused(out)
                return
            self.walk_errors, self.walk_message = self._placed(out, {"name": "name", "mobile": "mobile"})
            return
        who = self.walk_pick_name or name
        self.walk_slot_id = ""
        await self._query()
        yield rx.toast.success(self._t("sbook.walkin.done", name=who))

    @rx.event
    def print_sheet(self):
        return rx.call_script("window.print()")
