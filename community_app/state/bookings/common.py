"""What the booking page states share: argument checks for what the browser sends, view rows
used by more than one page, the resident's wording of dates and times, and the small action
helpers built on ``AppState._run`` (the one way a handler reaches the database: the actor is
resolved from the session cookie and the service runs in a worker thread, never on the event
loop). The services decide what may be done (``can_*`` flags); nothing here knows a rule."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import reflex as rx

from community_app import routes
from community_app.models import CareCategory
from community_app.services import booking as booking_svc
from community_app.services import notifications
from community_app.services.core.clock import local_today
from community_app.state.base import Outcome, parse_id

# Status -> icon (a badge always shows the icon *and* the words).
STATUS_ICONS = {
    "submitted": "clock",
    "approved": "circle-check",
    "assigned": "user-check",
    "done": "check-check",
    "declined": "circle-x",
    "cancelled": "ban",
    "no_show": "user-x",
    "rescheduled": "calendar-clock",
}
# Care categories that have a label (care.<code>): anything else is not shown.
CARE_CODES = tuple(c.value for c in CareCategory)


# --------------------------------------------------------------------------- what the browser sends


def form_text(form, key: str, limit: int | None = 1000, *, strip: bool = True) -> str:
    """One text field of a submitted form ("" when missing or not text), cut at ``limit``."""
    value = form.get(key, "") if isinstance(form, dict) else ""
    if not isinstance(value, str):
        return ""
    value = value.strip() if strip else value
    return value[:limit] if limit is not None else value


def parse_date(value) -> date | None:
    """YYYY-MM-DD from a date input, or None."""
    text = value.strip()[:10] if isinstance(value, str) else ""
    if len(text) != 10:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_time(value) -> time | None:
    """HH:MM from a time input, or None."""
    text = value.strip()[:5] if isinstance(value, str) else ""
    if len(text) != 5:
        return None
    try:
        return time.fromisoformat(text)
    except ValueError:
        return None


def small_int(value, hi: int) -> int | None:
    """0..hi from an int or a short string of digits (a star, a list index), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 3:
        value = int(value)
    return value if isinstance(value, int) and 0 <= value <= hi else None


def path_id(path) -> int | None:
    """The id at the end of a page's path (/bookings/12 -> 12)."""
    return parse_id(str(path or "").rstrip("/").rsplit("/", 1)[-1])


def local_text(at: datetime | None, zone: ZoneInfo, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored instant (UTC; SQLite may hand it back naive) in the community's zone."""
    if at is None:
        return ""
    if at.tzinfo is None:
        at = at.replace(tzinfo=ZoneInfo("UTC"))
    return at.astimezone(zone).strftime(fmt)


def resident_link(link: str) -> str:
    """Where a notification leads, as a local path (older links used /services/bookings/N)."""
    if not isinstance(link, str) or not link.startswith("/") or link.startswith("//"):
        return ""
    prefix = "/services/bookings/"
    if link.startswith(prefix) and link[len(prefix):].isdigit():
        return routes.booking(link[len(prefix):])
    return link


def options(items, *, name: str = "name", locale: str | None = None) -> list[dict[str, str]]:
    """{id, name} dicts for a select, from anything with ``id`` and a name attribute (service
    types: their name in ``locale`` when given)."""
    if locale is not None:
        return [{"id": str(x.id), "name": x.name_in(locale)} for x in items]
    return [{"id": str(x.id), "name": getattr(x, name)} for x in items]


# --------------------------------------------------------------------------- shared view rows


@dataclasses.dataclass
class ResidentView:
    """A resident found by staff (代办, 现场登记)."""

    id: str = ""
    name: str = ""
    mobile: str = ""
    address: str = ""
    age: str = ""
    care: list[str] = dataclasses.field(default_factory=list)
    has_account: bool = False


def resident_view(m: booking_svc.ResidentMatch) -> ResidentView:
    return ResidentView(str(m.resident_id), m.name, m.mobile, m.address, str(m.age) if m.age is not None else "",
                        [c for c in m.care if c in CARE_CODES], m.has_account)


# --------------------------------------------------------------------------- helpers for the states


def unread_count(session, actor) -> int:
    """The bell's count, read in a worker (``_run``) after an action that may have notified."""
    return notifications.unread_count(session, actor)


class BookingMixin(rx.State, mixin=True):
    """Helpers every booking page state mixes in (``class X(BookingMixin, AppState)``): no vars
    and no public handlers, only server-side helpers."""

    # ---- wording (residents read dates as 今天 / 明天（周五）/ 11月26日（周四）) ----
    def _weekday(self, d: date) -> str:
        return self._t(f"rbook.weekday.{d.weekday()}")

    def _day_label(self, d: date) -> str:
        return self._t("rbook.date", m=d.month, d=d.day)

    def _day_sub(self, d: date, today: date) -> str:
        if d == today:
            return self._t("rbook.today")
        if (d - today).days == 1:
            return self._t("rbook.tomorrow")
        return self._weekday(d)

    def _word_when(self, local: datetime, today: date | None) -> str:
        """今天 09:15 / 明天（周五）09:15 / 11月26日（周四）09:15."""
        hm = local.strftime("%H:%M")
        day = local.date()
        if today is not None and day == today:
            return self._t("rbook.when_today", hm=hm)
        if today is not None and (day - today).days == 1:
            return self._t("rbook.when_tomorrow", w=self._weekday(day), hm=hm)
        return self._t("rbook.when", m=local.month, d=local.day, w=self._weekday(day), hm=hm)

    def _when(self, at: datetime | None, zone: ZoneInfo) -> str:
        """A UTC instant in the community's zone, worded for residents."""
        if at is None:
            return ""
        if at.tzinfo is None:
            at = at.replace(tzinfo=ZoneInfo("UTC"))
        return self._word_when(at.astimezone(zone), local_today(zone))

    def _when_local_text(self, local_when: str, today: date | None = None) -> str:
        """The summaries' "2026-11-26 09:15" (already local) worded like ``_when``."""
        try:
            local = datetime.strptime(local_when, "%Y-%m-%d %H:%M")
        except (TypeError, ValueError):
            return local_when or ""
        return self._word_when(local, today)

    def _status(self, status: str) -> tuple[str, str]:
        return self._t(f"booking.status.{status}"), STATUS_ICONS.get(status, "circle")

    # ---- running actions (all through AppState._run) ----
    async def _write(self, fn, /, *args, role: str = "account", **kwargs) -> Outcome:
        """``fn(session, actor, ...)`` in a write transaction, off the event loop."""
        return await self._run(fn, *args, write=True, role=role, **kwargs)

    def _done(self, out: Outcome, ok_key: str, **kw):
        """The event that answers a one-click action: a success toast, or the refusal (a toast,
        or to sign-in when signed out)."""
        return rx.toast.success(self._t(ok_key, **kw)) if out.ok else self._refused(out)

    def _load_refused(self, out: Outcome):
        """A staff page's load refused: nothing more to say when the page guard (on_load
        ``require_staff``) has answered already (signed out, or not staff), else a toast."""
        if out.signed_out or (out.error is not None and out.error.key == "error.staff_only"):
            return None
        return self._refused(out)

    def _placed(self, out: Outcome, fields: Mapping[str, str]) -> tuple[dict[str, str], str]:
        """A refused form: (errors next to their field, message for the whole form). ``fields``
        maps the service's field names to the form's; a field the form has not gets the message."""
        if out.error is None:
            return {}, ""
        text = self._error_text(out.error)
        key = fields.get(out.field or "")
        return ({key: text}, "") if key else ({}, text)

    async def _refresh_bell(self) -> None:
        """Re-read the bell's count off the loop (after an action that may have notified)."""
        out = await self._run(unread_count)
        if out.ok:
            self.unread = out.value


class RatingMixin(rx.State, mixin=True):
    """The stars for a finished visit, on its booking page and on 首页: the choice, its words,
    and the checks and refusals of sending it (each page sends and refreshes its own way)."""

    rate_value: int = 0
    rate_error: str = ""

    @rx.event
    def set_rating(self, value: int):
        n = small_int(value, 5)
        if n is not None and n >= 1:
            self.rate_value = n
            self.rate_error = ""

    @rx.var
    def rate_label(self) -> str:
        return self._t(f"rbook.stars.{self.rate_value}") if 1 <= self.rate_value <= 5 else ""

    def _chosen_rating(self) -> int | None:
        """The stars chosen, or None with the message next to them."""
        if not 1 <= self.rate_value <= 5:
            self.rate_error = self._t("booking.error.rating_invalid")
            return None
        return self.rate_value

    def _rating_refused(self, out: Outcome):
        """A refused rating: its reason next to the stars, or to sign-in when signed out."""
        if out.signed_out:
            return self._refused(out)
        self.rate_error = self._error_text(out.error)
        return None
