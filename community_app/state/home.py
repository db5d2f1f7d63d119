"""首页's own part: the resident's next booking with what they may do with it (取消), the
last visit waiting for stars (评价 right here), and where the 预约义剪 tile leads (straight to
the 义剪 page, whose next open day is already chosen). Every journey from 首页 in three taps.

What the reader may do comes from the booking service (``can_cancel``, ``can_rate``); the
actions call the same service functions as the booking page, which check the rules again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import reflex as rx

from community_app import routes
from community_app.services import booking as booking_svc
from community_app.services import catalogue, hotline
from community_app.services.core.clock import community_zone, local_today
from community_app.state.base import AppState, parse_id
from community_app.state.bookings.common import BookingMixin, RatingMixin

PAST_LOOKED_AT = 5  # the last few ended bookings: the newest done one without stars is asked for


@dataclass
class NextView:
    id: int = 0
    href: str = ""
    service_name: str = ""
    icon: str = ""
    status: str = ""
    status_label: str = ""
    status_icon: str = ""
    when: str = ""
    location: str = ""
    can_cancel: bool = False
    cancel_until: str = ""


@dataclass
class RateView:
    id: int = 0
    href: str = ""
    service_name: str = ""
    when: str = ""


@dataclass(frozen=True)
class _Home:
    haircut_id: int | None
    upcoming: booking_svc.BookingDetail | None
    to_rate: booking_svc.BookingDetail | None
    zone: ZoneInfo
    hotline: hotline.Hotline | None = None  # the community's phone for the help card


def _home(session, actor) -> _Home:
    """One read off the event loop. Accounts without a resident record (staff only) see none."""
    zone = community_zone(session, actor.community_id)
    phone = hotline.community_hotline(session, actor) if actor.community_id else None
    if actor.resident_id is None:
        return _Home(None, None, None, zone, phone)
    haircut = next((o.id for o in catalogue.offered_services(session, actor)
                    if o.kind == "slot" and o.category == "haircut" and o.eligible), None)
    active = booking_svc.my_bookings(session, actor, scope="active", limit=1)
    upcoming = booking_svc.booking_detail(session, actor, booking_id=active[0].id) if active else None
    past = booking_svc.my_bookings(session, actor, scope="past", limit=PAST_LOOKED_AT)
    done = next((b for b in past if b.status == "done" and b.rating is None), None)
    to_rate = booking_svc.booking_detail(session, actor, booking_id=done.id) if done else None
    if to_rate is not None and not to_rate.can_rate:
        to_rate = None
    return _Home(haircut, upcoming, to_rate, zone, phone)


class HomeState(BookingMixin, RatingMixin, AppState):
    loaded: bool = False
    haircut_href: str = routes.SERVICES
    next: NextView = NextView()
    has_next: bool = False
    rate: RateView = RateView()
    has_rate: bool = False
    cancel_open: bool = False
    busy: bool = False
    help_phone: str = ""  # the community's phone on the help card ("" until staff set it)
    help_href: str = ""

    def _show(self, home: _Home) -> None:
        today: date = local_today(home.zone)
        if home.hotline is not None:
            self.help_phone, self.help_href = home.hotline.phone, home.hotline.href
        self.haircut_href = routes.service(home.haircut_id) if home.haircut_id else routes.SERVICES
        d = home.upcoming
        if d is None:
            self.next, self.has_next = NextView(), False
        else:
            sm = d.summary
            label, icon = self._status(sm.status)
            when = self._when_local_text(sm.local_when, today) if sm.local_when else self._t("rbook.when_pending")
            until = ""
            if d.can_cancel and d.cancel_deadline is not None:
                until = self._t("rbook.cancel_until", when=self._when(d.cancel_deadline, home.zone))
            self.next = NextView(id=sm.id, href=routes.booking(sm.id), service_name=sm.service_name, icon=sm.icon,
                                 status=sm.status, status_label=label, status_icon=icon, when=when,
                                 location=sm.location, can_cancel=d.can_cancel, cancel_until=until)
            self.has_next = True
        r = home.to_rate
        if r is None:
            self.rate, self.has_rate = RateView(), False
        else:
            sm = r.summary
            when = self._when_local_text(sm.local_when, today) if sm.local_when else ""
            if self.rate.id != sm.id:
                self.rate_value, self.rate_error = 0, ""
            self.rate = RateView(id=sm.id, href=routes.booking(sm.id), service_name=sm.service_name, when=when)
            self.has_rate = True

    async def _fill(self):
        out = await self._run(_home)
        if out.signed_out:
            return self._refused(out)
        if out.ok:
            self._show(out.value)
        else:  # 首页 still works without this part
            self.next, self.has_next, self.rate, self.has_rate = NextView(), False, RateView(), False
        return None

    @rx.event
    async def load(self):
        refused = await self._fill()
        self.loaded = True
        return refused

    # ---- 取消 the next booking (with a confirmation)

    @rx.event
    def open_cancel(self):
        if self.has_next and self.next.can_cancel:
            self.cancel_open = True

    @rx.event
    def cancel_change(self, open_: bool):
        if not open_ and not self.busy:
            self.cancel_open = False

    @rx.event
    async def confirm_cancel(self, booking_id: int):
        bid = parse_id(booking_id)
        if self.busy or bid is None or bid != self.next.id:
            return
        self.busy = True
        yield
        out = await self._write(booking_svc.cancel_booking, booking_id=bid)
        self.busy = False
        self.cancel_open = False
        if out.signed_out:
            yield self._refused(out)
            return
        await self._fill()
        if not out.ok:
            yield rx.toast.error(self._error_text(out.error), position="top-center")
            return
        await self._refresh_bell()
        yield rx.toast.success(self._t("rbook.cancelled_toast"), position="top-center")

    # ---- stars for the last visit, right on 首页

    @rx.event
    async def submit_rating(self, booking_id: int):
        bid = parse_id(booking_id)
        if self.busy or bid is None or bid != self.rate.id:
            return
        rating = self._chosen_rating()
        if rating is None:
            return
        self.busy = True
        yield
        out = await self._write(booking_svc.rate_booking, booking_id=bid, rating=rating)
        self.busy = False
        if not out.ok:
            yield self._rating_refused(out)
            return
        self.rate_value = 0
        await self._fill()
        yield rx.toast.success(self._t("rbook.rated_toast"), position="top-center")
