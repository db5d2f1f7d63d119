"""/bookings (我的预约): the resident's bookings in progress with their waitlist places, and
the ended ones a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import reflex as rx

from community_app import routes
from community_app.services import booking as booking_svc
from community_app.services.core.clock import community_zone, local_today
from community_app.state.base import AppState, parse_id
from community_app.state.bookings.common import BookingMixin

PAST_PAGE = 20  # 已结束: shown a page at a time


@dataclass
class BookingRow:
    id: int = 0
    href: str = ""
    service_name: str = ""
    icon: str = ""
    status: str = ""
    status_label: str = ""
    status_icon: str = ""
    when: str = ""
    location: str = ""


@dataclass
class WaitRow:
    entry_id: int = 0
    service_name: str = ""
    when: str = ""
    position: str = ""
    href: str = ""


@dataclass(frozen=True)
class _Mine:
    active: list[booking_svc.BookingSummary]
    past: list[booking_svc.BookingSummary]
    past_total: int
    waits: list[booking_svc.WaitlistView]
    zone: ZoneInfo


def _mine(session, actor, past_limit: int) -> _Mine:
    """The resident's bookings and waitlist places, in one read off the event loop."""
    active = booking_svc.my_bookings(session, actor, scope="active")
    past = booking_svc.my_bookings(session, actor, scope="past", limit=past_limit)
    _, past_total = booking_svc.count_my_bookings(session, actor)
    waits = booking_svc.my_waitlist(session, actor)
    return _Mine(active, past, past_total, waits, community_zone(session, actor.community_id))


class BookingsState(BookingMixin, AppState):
    tab: str = "active"
    active: list[BookingRow] = []
    past: list[BookingRow] = []
    past_total: int = 0
    past_limit: int = PAST_PAGE
    waits: list[WaitRow] = []
    loaded: bool = False
    load_error: str = ""

    @rx.var
    def past_more(self) -> int:
        """How many earlier bookings are not shown yet."""
        return max(0, self.past_total - len(self.past))

    def _row(self, b: booking_svc.BookingSummary, today: date, zone: ZoneInfo, *, active: bool) -> BookingRow:
        label, icon = self._status(b.status)
        if b.local_when:
            when = self._when_local_text(b.local_when, today)
        elif active:
            when = self._t("rbook.when_pending")
        else:  # ended before a time was set (declined, cancelled): when it was sent
            when = self._t("rbook.submitted_when", when=self._when(b.created_at, zone))
        return BookingRow(id=b.id, href=routes.booking(b.id), service_name=b.service_name, icon=b.icon,
                          status=b.status, status_label=label, status_icon=icon, when=when, location=b.location)

    def _show(self, mine: _Mine) -> None:
        today = local_today(mine.zone)
        self.active = [self._row(b, today, mine.zone, active=True) for b in mine.active]
        self.past = [self._row(b, today, mine.zone, active=False) for b in mine.past]
        self.past_total = mine.past_total
        self.waits = [
            WaitRow(entry_id=w.entry_id, service_name=w.service_name,
                    when=self._when_local_text(w.local_when, today),
                    position=self._t("booking.waitlist_position", n=w.position),
                    href=routes.service(w.service_type_id))
            for w in mine.waits
        ]

    async def _fill(self):
        """Read the lists again; returns the event for a refusal (signed out), or None."""
        out = await self._run(_mine, self.past_limit)
        if out.signed_out:
            return self._refused(out)
        if out.ok:
            self.load_error = ""
            self._show(out.value)
        else:
            self.active, self.past, self.waits = [], [], []
            self.load_error = self._error_text(out.error)
        return None

    @rx.event
    async def load(self):
        refused = await self._fill()
        self.loaded = True
        return refused

    @rx.event
    def set_tab(self, tab: str):
        if tab in ("active", "past"):
            self.tab = tab

    @rx.event
    async def show_more_past(self):
        self.past_limit = min(self.past_limit + PAST_PAGE, 10_000)
        return await self._fill()

    @rx.event
    async def leave_wait(self, entry_id: int):
        eid = parse_id(entry_id)
        if eid is None or not any(w.entry_id == eid for w in self.waits):
            return None
        out = await self._write(booking_svc.leave_waitlist, entry_id=eid)
        if out.signed_out:
            return self._refused(out)
        if not out.ok:
            await self._fill()
            return rx.toast.error(self._error_text(out.error), position="top-center")
        self.waits = [w for w in self.waits if w.entry_id != eid]
        return rx.toast.success(self._t("rbook.left_waitlist"), position="top-center")
