"""/bookings/<id>: one booking with its timeline (代办 / 现场登记 / 候补转正 notes included), for
the resident who made it (cancel, calendar file, rating) and for the volunteer sent to do it
(the resident's address and mobile, and 完成 with a note once the visit day has come). What
the reader may do comes from the service (``can_cancel``, ``can_rate``, ``can_mark_done``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import reflex as rx

from community_app import routes
from community_app.services import booking as booking_svc
from community_app.services.core.clock import zone_named
from community_app.services.errors import NotAllowed, NotFound
from community_app.services.phone import tel_href
from community_app.state.base import AppState
from community_app.state.bookings.common import STATUS_ICONS, BookingMixin, RatingMixin, form_text, path_id

# Steps that show the time they set (the approval of a slot booking, an assignment, a move).
TIMED_STEPS = ("approved", "assigned", "rescheduled")
# How a note someone wrote is introduced on each kind of step.
NOTE_KEYS = {"done": "rbook.step.done_note", "declined": "rbook.step.reason", "cancelled": "rbook.step.reason",
             "rescheduled": "rbook.step.reason"}


@dataclass
class StepRow:
    status: str = ""
    label: str = ""
    icon: str = ""
    at: str = ""
    lines: list[str] = field(default_factory=list)


@dataclass
class DetailView:
    id: int = 0
    service_name: str = ""
    icon: str = ""
    kind: str = ""
    status: str = ""
    status_label: str = ""
    status_icon: str = ""
    when: str = ""
    location: str = ""
    address: str = ""
    slot_text: str = ""
    assignee: str = ""
    description: str = ""
    preferred_times: str = ""
    decline_reason: str = ""
    completion_note: str = ""
    rating: int = 0
    rating_label: str = ""
    rating_comment: str = ""
    can_cancel: bool = False
    cancel_until: str = ""
    past_cutoff: bool = False
    phone: str = ""
    phone_href: str = ""
    can_rate: bool = False
    ics_href: str = ""
    service_href: str = ""
    # For the volunteer sent (or staff): whom to visit, and 完成.
    own: bool = True  # the reader is the resident who booked
    resident_name: str = ""
    resident_mobile: str = ""
    resident_tel: str = ""
    can_mark_done: bool = False


def _detail(session, actor, booking_id: int | None) -> tuple[booking_svc.BookingDetail, bool]:
    """The booking as this reader may see it, and whether it is their own."""
    if booking_id is None:
        raise NotFound("booking.error.not_found")
    detail = booking_svc.booking_detail(session, actor, booking_id=booking_id)
    return detail, detail.viewer == "owner"


class BookingState(BookingMixin, RatingMixin, AppState):
    found: bool = False
    loaded: bool = False
    load_error: str = ""
    d: DetailView = DetailView()
    timeline: list[StepRow] = []
    photo_urls: list[str] = []
    cancel_open: bool = False
    busy: bool = False
    action_error: str = ""
    done_open: bool = False
    done_errors: dict[str, str] = {}
    done_message: str = ""

    def _step_lines(self, step: booking_svc.TimelineStep, zone: ZoneInfo) -> list[str]:
        lines: list[str] = []
        if step.assignee_name:
            lines.append(self._t("rbook.step.assignee", name=step.assignee_name))
        if step.scheduled_at is not None and step.status in TIMED_STEPS:
            lines.append(self._t("rbook.step.time", when=self._when(step.scheduled_at, zone)))
        note = step.note_text(self._loc())
        if step.note_key:  # a standard note (代办, 现场登记, 候补转正), already in the reader's words
            lines.append(note)
        elif note:
            lines.append(self._t(NOTE_KEYS.get(step.status, "rbook.step.note"), note=note))
        return lines

    def _show(self, detail: booking_svc.BookingDetail, own: bool) -> None:
        zone = zone_named(detail.timezone)
        sm = detail.summary
        label, icon = self._status(sm.status)
        confirmed = detail.has_calendar
        rating = sm.rating or 0
        phone = detail.contact_phone or ""
        self.d = DetailView(
            id=sm.id, service_name=sm.service_name, icon=sm.icon, kind=sm.kind, status=sm.status,
            status_label=label, status_icon=icon,
            when=self._when(sm.scheduled_at, zone) if sm.scheduled_at else self._t("rbook.when_pending"),
            location=sm.location if sm.slot_id else "",
            # The resident knows where they live: the address shows for a visit at home, and
            # always for whoever goes there.
            address=detail.address if (not sm.slot_id or not own) else "",
            slot_text=self._t("rbook.slot_number", n=sm.slot_number) if sm.slot_number else "",
            assignee=sm.assignee_name, description=detail.description,
            preferred_times=" / ".join(detail.preferred_times), decline_reason=detail.decline_reason,
            completion_note=detail.completion_note, rating=rating,
            rating_label=self._t(f"rbook.stars.{rating}") if rating else "",
            rating_comment=detail.rating_comment, can_cancel=detail.can_cancel,
            cancel_until=self._t("rbook.cancel_until", when=self._when(detail.cancel_deadline, zone))
            if detail.can_cancel and detail.cancel_deadline and own else "",
            past_cutoff=detail.past_cutoff and own, phone=phone, phone_href=tel_href(phone),
            can_rate=detail.can_rate, ics_href=f"/api/booking/{sm.id}.ics" if confirmed else "",
            service_href=routes.service(sm.service_type_id),
            own=own, resident_name="" if own else sm.resident_name,
            resident_mobile=detail.resident_mobile, resident_tel=tel_href(detail.resident_mobile),
            can_mark_done=detail.can_mark_done,
        )
        self.timeline = [
            StepRow(status=st.status, label=self._t(st.label_key), icon=STATUS_ICONS.get(st.status, "circle"),
                    at=self._when(st.at, zone), lines=self._step_lines(st, zone))
            for st in detail.timeline
        ]
        self.photo_urls = [routes.photo(p.id) for p in detail.photos]

    async def _refill(self) -> None:
        """Read the booking again after an action (off the loop); keeps what is shown on a refusal."""
        out = await self._run(_detail, self.d.id)
        if out.ok:
            self._show(*out.value)

    @rx.event
    async def load(self):
        self.found = False
        self.load_error = ""
        self.action_error = ""
        self.cancel_open = False
        self.done_open = False
        self.busy = False
        self.rate_value = 0
        self.rate_error = ""
        out = await self._run(_detail, path_id(self.router.url.path))
        if out.signed_out:
            return self._refused(out)
        self.loaded = True
        if not out.ok:
            if isinstance(out.error, NotFound | NotAllowed):
                self.load_error = self._t("rbook.detail.not_found")
            else:
                self.load_error = self._error_text(out.error)
            return None
        self._show(*out.value)
        self.found = True
        return None

    def _same_booking(self) -> bool:
        """The handler acts on the booking on screen, the one of the page's address."""
        return self.d.id != 0 and path_id(self.router.url.path) == self.d.id

    # ---- cancel (the resident, before the cut-off)

    @rx.event
    def open_cancel(self):
        if self.d.can_cancel:
            self.cancel_open = True

    @rx.event
    def cancel_change(self, open_: bool):
        if not open_:
            self.cancel_open = False

    @rx.event
    def close_cancel(self):
        self.cancel_open = False

    @rx.event
    async def confirm_cancel(self):
        if self.busy or not self._same_booking():
            return
        booking_id = self.d.id
        self.busy = True
        yield
        out = await self._write(booking_svc.cancel_booking, booking_id=booking_id)
        self.busy = False
        self.cancel_open = False
        if out.signed_out:
            yield self._refused(out)
            return
        self.action_error = "" if out.ok else self._error_text(out.error)
        await self._refill()
        if not out.ok:
            yield rx.toast.error(self.action_error, position="top-center")
            return
        await self._refresh_bell()
        yield rx.toast.success(self._t("rbook.cancelled_toast"), position="top-center")

    # ---- rating (the resident, once done)

    @rx.event
    async def submit_rating(self, form: dict):
        if self.busy or not self._same_booking():
            return
        rating = self._chosen_rating()
        if rating is None:
            return
        booking_id, comment = self.d.id, form_text(form, "comment", None, strip=False)
        self.busy = True
        yield
        out = await self._write(booking_svc.rate_booking, booking_id=booking_id, rating=rating, comment=comment)
        self.busy = False
        if not out.ok:
            yield self._rating_refused(out)
            return
        await self._refill()
        yield rx.toast.success(self._t("rbook.rated_toast"), position="top-center")

    # ---- 完成 (the volunteer sent, or staff, once the visit day has come)

    @rx.event
    def open_done(self):
        if self.d.can_mark_done:
            self.done_errors = {}
            self.done_message = ""
            self.done_open = True

    @rx.event
    def done_change(self, open_: bool):
        if not open_ and not self.busy:
            self.done_open = False

    @rx.event
    async def confirm_done(self, form: dict):
        if self.busy or not self.done_open or not self._same_booking():
            return
        booking_id, note = self.d.id, form_text(form, "note", 600)
        self.done_errors = {}
        self.done_message = ""
        self.busy = True
        yield
        out = await self._write(booking_svc.mark_done, booking_id=booking_id, note=note)
        self.busy = False
        if not out.ok:
            if out.signed_out:
                yield self._refused(out)
                return
            self.done_errors, self.done_message = self._placed(out, {"note": "note"})
            return
        self.done_open = False
        await self._refill()
        yield rx.toast.success(self._t("sbook.toast.done"), position="top-center")
