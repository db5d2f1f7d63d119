"""Resident bookings: the service list, one service (slots or a request form), my bookings,
one booking, and the notifications list. Thin: every handler resolves the account on the
server again and lets the services decide; the rows sent to the browser are small view
dataclasses with the texts already worded in the reader's language and local time."""

from __future__ import annotations

import asyncio
import secrets
import shutil
import time as time_mod
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import reflex as rx

from community_app import db, routes
from community_app.i18n import DEFAULT_LOCALE, t
from community_app.models import BookingStatus, Resident
from community_app.services import booking as booking_svc
from community_app.services import catalogue, notifications
from community_app.services.access import Actor
from community_app.services.errors import DomainError, NotAllowed, NotFound
from community_app.settings import get_settings
from community_app.state.base import AppState, parse_id

# Preferred time windows offered as chips (the free-text box adds one more: max 5 in all).
TIME_CHIPS = ("weekday_am", "weekday_pm", "weekday_evening", "weekend")
PHOTO_ACCEPT = {"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"]}
_TMP_MAX_AGE = 24 * 3600
NOTES_PAGE = 20
# Categories with their own example text in the request form (rbook.ph.<category>).
PLACEHOLDER_CATEGORIES = ("haircut", "repair", "gas", "plumbing", "facility")

# Status -> icon (the badge always shows the icon *and* the words).
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


def _text(form: dict, name: str) -> str:
    value = form.get(name, "") if isinstance(form, dict) else ""
    return value if isinstance(value, str) else ""


def resident_link(link: str) -> str:
    """Where a notification leads, as a local path (older links used /services/bookings/N)."""
    if not isinstance(link, str) or not link.startswith("/") or link.startswith("//"):
        return ""
    prefix = "/services/bookings/"
    if link.startswith(prefix) and link[len(prefix):].isdigit():
        return routes.booking(link[len(prefix):])
    return link


# ----------------------------------------------------------------------------- view rows


@dataclass
class OfferRow:
    id: int = 0
    code: str = ""
    name: str = ""
    description: str = ""
    icon: str = ""
    kind: str = ""
    eligible: bool = True
    home_visit: bool = False
    href: str = ""
    reason: str = ""  # who the service is for, when the reader is not eligible


@dataclass
class ServiceInfo:
    id: int = 0
    name: str = ""
    description: str = ""
    icon: str = ""
    kind: str = ""
    eligible: bool = True
    location: str = ""
    phone: str = ""
    limit_text: str = ""
    cutoff_text: str = ""
    placeholder: str = ""
    reason: str = ""  # who the service is for and whom to phone, when the reader is not eligible


@dataclass
class DayRow:
    key: str = ""  # ISO date
    label: str = ""  # 11月26日
    sub: str = ""  # 周四 / 今天
    free_text: str = ""
    full: bool = False
    mine: bool = False
    location: str = ""
    note: str = ""  # staff's note; for a cancelled day the reason
    cancelled: bool = False  # shown, not selectable
    limit_used: bool = False  # the resident used the type's limit in this day's period
    aria: str = ""


@dataclass
class SlotRow:
    id: int = 0
    number: int = 0
    time: str = ""  # 09:00–09:15
    free_text: str = ""
    full: bool = False
    mine: bool = False
    waiting: bool = False
    blocked: bool = False  # the limit is used in this slot's period: no booking, no waitlist


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


@dataclass
class NoteRow:
    id: int = 0
    title: str = ""
    body: str = ""
    when: str = ""
    unread: bool = False
    has_link: bool = False


# ----------------------------------------------------------------------------- base


class BookingBase(AppState):
    """Shared helpers for the resident booking pages (no vars, no public handlers)."""

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
        return self._word_when(at.astimezone(zone), catalogue.local_today(zone))

    def _when_local_text(self, local_when: str, today: date | None = None) -> str:
        """The summaries' "2026-11-26 09:15" (already local) worded like ``_when``."""
        try:
            local = datetime.strptime(local_when, "%Y-%m-%d %H:%M")
        except (TypeError, ValueError):
            return local_when or ""
        return self._word_when(local, today)

    def _status(self, status: str) -> tuple[str, str]:
        return self._t(f"booking.status.{status}"), STATUS_ICONS.get(status, "circle")

    def _month(self, m: int) -> str:
        return self._t(f"rbook.month.{m}")

    def _limit_notice(self, st: booking_svc.LimitStatus, service: str, today: date) -> str:
        """您本月已经约过义剪了，每人每月限约 1 次。下次可以在12月预约。"""
        p, first, nxt = st.period, st.period_first, st.next_first
        if first <= today <= st.period_last:
            span = self._t(f"rbook.span.{p}.current")
        else:
            span = self._t(f"rbook.span.{p}", m=first.month, d=first.day, y=first.year, month=self._month(first.month))
        again = self._t(f"rbook.limit_again.{p}", m=nxt.month, d=nxt.day, y=nxt.year, month=self._month(nxt.month))
        return self._t("rbook.limit_used", span=span, service=service, rule=self._t(f"rbook.limit.{p}", n=st.limit_count),
                       again=again)

    def _eligibility(self, offer: catalogue.ServiceOffer, *, with_call: bool) -> str:
        if offer.eligible:
            return ""
        return catalogue.eligibility_text(service_name=offer.name, care=offer.eligible_care,
                                          min_age=offer.eligible_min_age, phone=offer.contact_phone,
                                          locale=self._loc(), with_call=with_call)


# ----------------------------------------------------------------------------- /services


class ServicesState(BookingBase):
    offers: list[OfferRow] = []
    load_error: str = ""
    loaded: bool = False

    @rx.event
    def load(self):
        actor = self._actor()
        if actor is None:
            return self._login_redirect()
        self.load_error = ""
        try:
            with db.session() as s:
                offers = catalogue.offered_services(s, actor)
        except DomainError as err:
            self.offers = []
            self.load_error = self._error_text(err)
            self.loaded = True
            return
        self.offers = [
            OfferRow(id=o.id, code=o.code, name=o.name, description=o.description, icon=o.icon, kind=o.kind,
                     eligible=o.eligible, home_visit=o.home_visit, href=routes.service(o.id),
                     reason=self._eligibility(o, with_call=False))
            for o in offers
        ]
        self.loaded = True

    @rx.var
    def slot_offers(self) -> list[OfferRow]:
        return [o for o in self.offers if o.kind == "slot"]

    @rx.var
    def request_offers(self) -> list[OfferRow]:
        return [o for o in self.offers if o.kind != "slot"]


# ----------------------------------------------------------------------------- /services/[type_id]


class ServiceState(BookingBase):
    found: bool = False
    loaded: bool = False
    load_error: str = ""
    svc: ServiceInfo = ServiceInfo()

    # slot-based
    days: list[DayRow] = []
    selected_day: str = ""
    slots: list[SlotRow] = []
    _slots_by_day: dict[str, list[SlotRow]] = {}
    cancelled_notes: list[str] = []  # "11月26日（周四）已取消：理发师生病"
    limit_notice: str = ""  # the limit is used (for the selected day's period, or today's)
    _limit_notices: dict[str, str] = {}  # day key -> notice, for days in a used-up period
    _today_notice: str = ""
    request_blocked: bool = False  # request type whose limit is used this period
    action_error: str = ""
    dialog: str = ""  # "" / "book" / "wait"
    pending_time: str = ""
    pending_day: str = ""
    _pending_slot_id: int = 0
    busy: bool = False

    # request-based
    errors: dict[str, str] = {}
    message: str = ""
    times: list[str] = []
    address_default: str = ""
    photo_names: list[str] = []
    photo_error: str = ""
    _photo_dir: str = ""
    _photos: list[tuple[str, str, str]] = []  # (shown name, path on disk, content type)

    # ---- helpers

    def _type_id(self) -> int | None:
        path = self.router.url.path or ""
        return parse_id(path.rstrip("/").rsplit("/", 1)[-1])

    def _drop_photos(self) -> None:
        if self._photo_dir:
            shutil.rmtree(self._photo_dir, ignore_errors=True)
        self._photo_dir = ""
        self._photos = []
        self.photo_names = []

    def _load_days(self, actor: Actor) -> None:
        type_id = self.svc.id
        with db.session() as s:
            zone = catalogue.community_zone(s, actor.community_id)
            views = catalogue.open_days(s, actor, service_type_id=type_id, limit=14, include_cancelled=True)
            # The limit ("one 义剪 a month") per period the shown days fall in, and today's.
            now_status = booking_svc.limit_status(s, actor, service_type_id=type_id)
            periods: list[booking_svc.LimitStatus] = [now_status] if now_status is not None else []
            if now_status is not None:
                for v in views:
                    if not v.cancelled and not any(p.period_first <= v.day <= p.period_last for p in periods):
                        periods.append(booking_svc.limit_status(s, actor, service_type_id=type_id, day=v.day))
        today = catalogue.local_today(zone)
        used = [p for p in periods if p.reached]
        days, by_day, notices, cancelled = [], {}, {}, []
        for v in views:
            key = v.day.isoformat()
            label, sub = self._day_label(v.day), self._day_sub(v.day, today)
            if v.cancelled:
                text = self._t("rbook.day_cancelled")
                days.append(DayRow(key=key, label=label, sub=sub, free_text=text, full=True, location=v.location,
                                   note=v.note, cancelled=True, aria=f"{label} {sub} {text} {v.note}".strip()))
                day_text = self._t("rbook.day_full", label=label, sub=sub)
                cancelled.append(self._t("rbook.cancelled_day_note", day=day_text, reason=v.note) if v.note
                                 else self._t("rbook.cancelled_day_plain", day=day_text))
                continue
            period = next((p for p in used if p.period_first <= v.day <= p.period_last), None)
            if period is not None:
                notices[key] = self._limit_notice(period, self.svc.name, today)
            free = v.free
            mine = any(sl.booked_by_me for sl in v.slots)
            limit_used = period is not None and not mine
            free_text = (self._t("rbook.day_limit") if limit_used else
                         self._t("service.free_places", n=free) if free > 0 else self._t("service.full"))
            days.append(DayRow(
                key=key, label=label, sub=sub, free_text=free_text, full=free <= 0, mine=mine, location=v.location,
                note=v.note, limit_used=limit_used,
                aria=f"{label} {sub} {self._t('rbook.day_mine') if mine else free_text}",
            ))
            by_day[key] = [
                SlotRow(id=sl.id, number=sl.number, time=f"{sl.local_start}–{sl.local_end}",
                        free_text=self._t("service.free_places", n=sl.free) if sl.free > 0
                        else self._t("service.full"),
                        full=sl.free <= 0, mine=sl.booked_by_me, waiting=sl.waiting_by_me,
                        blocked=period is not None and not sl.booked_by_me and not sl.waiting_by_me)
                for sl in v.slots
            ]
        self.days = days
        self._slots_by_day = by_day
        self.cancelled_notes = cancelled
        self._limit_notices = notices
        self._today_notice = (self._limit_notice(now_status, self.svc.name, today)
                              if now_status is not None and now_status.reached else "")
        if self.selected_day not in by_day:
            # The first day the resident can book (a free place, the limit not used), else the
            # first open day; cancelled days are never selected.
            open_days = [d for d in days if not d.cancelled]
            self.selected_day = next(
                (d.key for d in open_days if not d.full and not d.limit_used),
                open_days[0].key if open_days else "",
            )
        self.slots = by_day.get(self.selected_day, [])
        self._show_limit_notice()

    def _show_limit_notice(self) -> None:
        self.limit_notice = self._limit_notices.get(self.selected_day) or self._today_notice

    def _limit_text(self, count: int | None, period: str | None) -> str:
        if not count or period not in ("day", "week", "month", "year"):
            return ""
        return self._t(f"rbook.limit.{period}", n=count)

    def _cutoff_text(self, minutes: int) -> str:
        if minutes <= 0:
            return self._t("rbook.cutoff.any")
        if minutes % 60 == 0:
            return self._t("rbook.cutoff.hours", n=minutes // 60)
        return self._t("rbook.cutoff.minutes", n=minutes)

    # ---- page load

    @rx.event
    def load(self):
        actor = self._actor()
        if actor is None:
            return self._login_redirect()
        type_id = self._type_id()
        if type_id != self.svc.id:
            # Another service: start a fresh form. (The same one again, e.g. after the socket
            # reconnected and on_load ran once more, keeps the chips and photos chosen.)
            self.times = []
            self._drop_photos()
        self.found = False
        self.load_error = ""
        self.action_error = ""
        self.dialog = ""
        self.busy = False
        self.errors = {}
        self.message = ""
        self.photo_error = ""
        self.days, self.slots, self._slots_by_day = [], [], {}
        self.cancelled_notes, self.limit_notice, self._limit_notices, self._today_notice = [], "", {}, ""
        self.request_blocked = False
        try:
            with db.session() as s:
                offers = catalogue.offered_services(s, actor)
                offer = next((o for o in offers if o.id == type_id), None)
                if offer is None:
                    raise NotFound("catalogue.error.type_not_found")
                resident = s.get(Resident, actor.resident_id)
                address = booking_svc.household_address(s, resident) if resident else ""
                limit = (booking_svc.limit_status(s, actor, service_type_id=offer.id)
                         if offer.kind != "slot" and offer.eligible else None)
        except DomainError as err:
            self.load_error = self._error_text(err)
            self.loaded = True
            return
        if self.svc.id != offer.id:
            self.selected_day = ""
            self.times = []
            self._drop_photos()
        self.svc = ServiceInfo(
            id=offer.id, name=offer.name, description=offer.description, icon=offer.icon, kind=offer.kind,
            eligible=offer.eligible, location=offer.location, phone=offer.contact_phone,
            limit_text=self._limit_text(offer.limit_count, offer.limit_period),
            cutoff_text=self._cutoff_text(offer.cancel_cutoff_minutes),
            placeholder=self._t(f"rbook.ph.{offer.category}" if offer.category in PLACEHOLDER_CATEGORIES
                                else "rbook.ph.other"),
            reason=self._eligibility(offer, with_call=True),
        )
        self.address_default = address
        if limit is not None and limit.reached:
            # Asked without a day, the status is for today's period: word it as the current one.
            self.limit_notice = self._limit_notice(limit, offer.name, limit.period_first)
            self.request_blocked = True
        if offer.kind == "slot" and offer.eligible:
            try:
                self._load_days(actor)
            except DomainError as err:
                self.load_error = self._error_text(err)
                self.loaded = True
                return
        self.found = True
        self.loaded = True

    # ---- slots

    @rx.event
    def pick_day(self, key: str):
        if isinstance(key, str) and key in self._slots_by_day:
            self.selected_day = key
            self.slots = self._slots_by_day[key]
            self.action_error = ""
            self._show_limit_notice()

    def _find_slot(self, slot_id) -> SlotRow | None:
        sid = parse_id(slot_id)
        if sid is None:
            return None
        for rows in self._slots_by_day.values():
            for row in rows:
                if row.id == sid:
                    return row
        return None

    @rx.event
    def ask(self, slot_id: int):
        """Open the confirmation (book) or the waitlist explanation (full slot)."""
        row = self._find_slot(slot_id)
        if row is None or row.mine or row.waiting or row.blocked:
            return
        self._pending_slot_id = row.id
        self.pending_time = row.time
        day = next((d for d in self.days if any(r.id == row.id for r in self._slots_by_day.get(d.key, []))), None)
        self.pending_day = self._t("rbook.day_full", label=day.label, sub=day.sub) if day else ""
        self.action_error = ""
        self.dialog = "wait" if row.full else "book"

    @rx.event
    def close_dialog(self):
        self.dialog = ""

    @rx.event
    def dialog_change(self, open_: bool):
        if not open_:
            self.dialog = ""

    @rx.event
    def confirm_book(self):
        if self.busy:
            return
        actor = self._actor()
        if actor is None:
            return self._login_redirect()
        slot_id, self._pending_slot_id = self._pending_slot_id, 0
        self.dialog = ""
        if not slot_id:
            return
        self.busy = True
        try:
            with db.write_session() as s:
                booking = booking_svc.book_slot(s, actor, slot_id=slot_id)
                new_id = booking.id
        except DomainError as err:
            self.busy = False
            self.action_error = self._error_text(err)
            self._reload_days_quietly(actor)
            return rx.toast.error(self.action_error, position="top-center")
        self.busy = False
        self._refresh_unread(actor)
        return [rx.redirect(routes.booking(new_id)),
                rx.toast.success(self._t("rbook.booked_toast"), position="top-center")]

    @rx.event
    def confirm_wait(self):
        if self.busy:
            return
        actor = self._actor()
        if actor is None:
            return self._login_redirect()
        slot_id, self._pending_slot_id = self._pending_slot_id, 0
        self.dialog = ""
        if not slot_id:
            return
        self.busy = True
        try:
            with db.write_session() as s:
                booking_svc.join_waitlist(s, actor, slot_id=slot_id)
        except DomainError as err:
            self.busy = False
            self.action_error = self._error_text(err)
            self._reload_days_quietly(actor)
            return rx.toast.error(self.action_error, position="top-center")
        self.busy = False
        self._reload_days_quietly(actor)
        return rx.toast.success(self._t("rbook.waitlist_toast"), position="top-center")

    def _reload_days_quietly(self, actor: Actor) -> None:
        try:
            self._load_days(actor)
        except DomainError:
            pass

    # ---- request form

    @rx.event
    def toggle_time(self, key: str):
        if key not in TIME_CHIPS:
            return
        if key in self.times:
            self.times = [k for k in self.times if k != key]
        else:
            self.times = [k for k in TIME_CHIPS if k in self.times or k == key]
        self.errors = {k: v for k, v in self.errors.items() if k != "preferred_times"}

    def _photo_folder(self) -> Path:
        root = Path(get_settings().upload_dir) / "tmp"
        if not self._photo_dir:
            root.mkdir(parents=True, exist_ok=True)
            # Sweep folders left behind by forms never sent (older than a day).
            now = time_mod.time()
            for old in root.iterdir():
                try:
                    if old.is_dir() and now - old.stat().st_mtime > _TMP_MAX_AGE:
                        shutil.rmtree(old, ignore_errors=True)
                except OSError:
                    pass
            folder = root / secrets.token_hex(16)
            folder.mkdir()
            self._photo_dir = str(folder)
        return Path(self._photo_dir)

    @rx.event
    async def add_photos(self, files: list[rx.UploadFile]):
        actor = self._actor()
        if actor is None or not files or not isinstance(files, list):
            return
        self.photo_error = ""
        limit = booking_svc.MAX_PHOTOS
        max_bytes = booking_svc.MAX_PHOTO_BYTES
        for f in files or []:
            if len(self._photos) >= limit:
                self.photo_error = self._t("photo.error.too_many", n=limit)
                break
            content_type = (getattr(f, "content_type", "") or "").split(";")[0].strip().lower()
            content_type = content_type.replace("image/jpg", "image/jpeg")
            name = Path(str(getattr(f, "name", "") or "photo")).name[:80] or "photo"
            if content_type not in booking_svc.PHOTO_TYPES:
                self.photo_error = self._t("photo.error.type")
                continue
            data = await f.read(max_bytes + 1)
            if len(data) > max_bytes:
                self.photo_error = self._t("photo.error.too_large", mb=max_bytes // 2**20)
                continue
            if not data:
                self.photo_error = self._t("photo.error.type")
                continue
            path = self._photo_folder() / f"{len(self._photos)}-{secrets.token_hex(4)}"
            await asyncio.to_thread(path.write_bytes, data)
            self._photos = [*self._photos, (name, str(path), content_type)]
        self.photo_names = [p[0] for p in self._photos]
        if not self.photo_error:
            self.errors = {k: v for k, v in self.errors.items() if k != "photos"}

    @rx.event
    def photos_rejected(self, rejected: list):
        """react-dropzone refused files in the browser (type, size or count): one string of
        comma-separated error codes per file."""
        codes: set[str] = set()
        for item in rejected[:20] if isinstance(rejected, list) else []:
            if isinstance(item, str):
                codes.update(item[:200].split(","))
        if "too-many-files" in codes:
            self.photo_error = self._t("photo.error.too_many", n=booking_svc.MAX_PHOTOS)
        elif "file-too-large" in codes:
            self.photo_error = self._t("photo.error.too_large", mb=booking_svc.MAX_PHOTO_BYTES // 2**20)
        else:
            self.photo_error = self._t("photo.error.type")

    @rx.event
    def remove_photo(self, index: int):
        i = index if isinstance(index, int) and not isinstance(index, bool) else (
            int(index) if isinstance(index, str) and index.isdigit() else -1)
        if 0 <= i < len(self._photos):
            name, path, ctype = self._photos[i]
            Path(path).unlink(missing_ok=True)
            self._photos = [p for j, p in enumerate(self._photos) if j != i]
            self.photo_names = [p[0] for p in self._photos]
            self.photo_error = ""

    @rx.event
    async def submit_request(self, form: dict):
        if self.busy:
            return
        actor = self._actor()
        if actor is None:
            yield self._login_redirect()
            return
        self.errors = {}
        self.message = ""
        description = _text(form, "description")
        address = _text(form, "address")
        other = _text(form, "times_other").strip()
        # Chip texts are stored in the community's language: staff read them.
        windows = [t(f"rbook.time.{k}", DEFAULT_LOCALE) for k in self.times if k in TIME_CHIPS]
        if other:
            windows.append(other)
        if not description.strip():
            self.errors = {"description": self._t("booking.error.description_required")}
            return
        if not address.strip():
            self.errors = {"address": self._t("booking.error.address_required")}
            return
        type_id = self.svc.id
        photos = list(self._photos)
        self.busy = True
        yield

        def work() -> int:
            loaded = [(name, Path(path).read_bytes(), ctype) for name, path, ctype in photos]
            with db.write_session() as s:
                return booking_svc.request_service(
                    s, actor, service_type_id=type_id, description=description, preferred_times=windows,
                    address=address, photos=loaded,
                ).id

        try:
            new_id = await asyncio.to_thread(work)
        except DomainError as err:
            self.busy = False
            text = self._error_text(err)
            if err.field in ("description", "address", "preferred_times"):
                self.errors = {err.field: text}
            elif err.field == "photos":
                self.photo_error = text
            else:
                self.message = text
            return
        except OSError:
            self.busy = False
            self._drop_photos()
            self.photo_error = self._t("rbook.photo_lost")
            return
        self.busy = False
        self._drop_photos()
        self.times = []
        self._refresh_unread(actor)
        yield rx.redirect(routes.booking(new_id))
        yield rx.toast.success(self._t("rbook.request_toast"), position="top-center")


# ----------------------------------------------------------------------------- /bookings


PAST_PAGE = 20  # 已结束: shown a page at a time


class BookingsState(BookingBase):
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

    def _row(self, b: booking_svc.BookingSummary, today: date, zone: ZoneInfo) -> BookingRow:
        label, icon = self._status(b.status)
        if b.local_when:
            when = self._when_local_text(b.local_when, today)
        elif b.status in booking_svc.ACTIVE_STATUSES:
            when = self._t("rbook.when_pending")
        else:  # ended before a time was set (declined, cancelled): when it was sent
            when = self._t("rbook.submitted_when", when=self._when(b.created_at, zone))
        return BookingRow(id=b.id, href=routes.booking(b.id), service_name=b.service_name, icon=b.icon,
                          status=b.status, status_label=label, status_icon=icon, when=when, location=b.location)

    def _fill(self, actor: Actor) -> None:
        with db.session() as s:
            active = booking_svc.my_bookings(s, actor, scope="active")
            past = booking_svc.my_bookings(s, actor, scope="past", limit=self.past_limit)
            _, self.past_total = booking_svc.count_my_bookings(s, actor)
            waits = booking_svc.my_waitlist(s, actor)
            zone = catalogue.community_zone(s, actor.community_id)
            today = catalogue.local_today(zone)
        self.active = [self._row(b, today, zone) for b in active]
        self.past = [self._row(b, today, zone) for b in past]
        self.waits = [
            WaitRow(entry_id=w.entry_id, service_name=w.service_name,
                    when=self._when_local_text(w.local_when, today),
                    position=self._t("booking.waitlist_position", n=w.position),
                    href=routes.service(w.service_type_id))
            for w in waits
        ]

    @rx.event
    def load(self):
        actor = self._actor()
        if actor is None:
            return self._login_redirect()
        self.load_error = ""
        try:
            self._fill(actor)
        except DomainError as err:
            self.active, self.past, self.waits = [], [], []
            self.load_error = self._error_text(err)
        self.loaded = True

    @rx.event
    def set_tab(self, tab: str):
        if tab in ("active", "past"):
            self.tab = tab

    @rx.event
    def show_more_past(self):
        actor = self._actor()
        if actor is None:
            return self._login_redirect()
        self.past_limit = min(self.past_limit + PAST_PAGE, 10_000)
        self._fill_quietly(actor)

    @rx.event
    def leave_wait(self, entry_id: int):
        actor = self._actor()
        if actor is None:
            return self._login_redirect()
        eid = parse_id(entry_id)
        if eid is None or not any(w.entry_id == eid for w in self.waits):
            return
        try:
            with db.write_session() as s:
                booking_svc.leave_waitlist(s, actor, entry_id=eid)
        except DomainError as err:
            self._fill_quietly(actor)
            return rx.toast.error(self._error_text(err), position="top-center")
        self._fill_quietly(actor)
        return rx.toast.success(self._t("rbook.left_waitlist"), position="top-center")

    def _fill_quietly(self, actor: Actor) -> None:
        try:
            self._fill(actor)
        except DomainError:
            pass


# ----------------------------------------------------------------------------- /bookings/[booking_id]


class BookingState(BookingBase):
    found: bool = False
    loaded: bool = False
    load_error: str = ""
    d: DetailView = DetailView()
    timeline: list[StepRow] = []
    photo_urls: list[str] = []
    cancel_open: bool = False
    busy: bool = False
    rate_value: int = 0
    rate_error: str = ""
    action_error: str = ""

    def _booking_id(self) -> int | None:
        path = self.router.url.path or ""
        return parse_id(path.rstrip("/").rsplit("/", 1)[-1])

    def _step_lines(self, step: booking_svc.TimelineStep, zone: ZoneInfo) -> list[str]:
        lines: list[str] = []
        if step.assignee_name:
            lines.append(self._t("rbook.step.assignee", name=step.assignee_name))
        if step.scheduled_at is not None and step.status in ("approved", "assigned", "rescheduled"):
            lines.append(self._t("rbook.step.time", when=self._when(step.scheduled_at, zone)))
        if step.note_key:
            lines.append(step.note_text(self._loc()))
        elif step.note:
            key = {"done": "rbook.step.done_note", "declined": "rbook.step.reason",
                   "cancelled": "rbook.step.reason", "rescheduled": "rbook.step.reason"}.get(
                step.status, "rbook.step.note")
            lines.append(self._t(key, note=step.note))
        return lines

    def _fill(self, actor: Actor, booking_id: int) -> None:
        with db.session() as s:
            detail = booking_svc.booking_detail(s, actor, booking_id=booking_id)
        try:
            zone = ZoneInfo(detail.timezone)
        except (KeyError, ValueError):
            zone = ZoneInfo(get_settings().timezone)
        sm = detail.summary
        label, icon = self._status(sm.status)
        confirmed = sm.status in (BookingStatus.APPROVED, BookingStatus.ASSIGNED) and sm.scheduled_at is not None
        rating = sm.rating or 0
        phone = detail.contact_phone or ""
        self.d = DetailView(
            id=sm.id, service_name=sm.service_name, icon=sm.icon, kind=sm.kind, status=sm.status,
            status_label=label, status_icon=icon,
            when=self._when(sm.scheduled_at, zone) if sm.scheduled_at else self._t("rbook.when_pending"),
            location=sm.location if sm.slot_id else "",
            address=detail.address if not sm.slot_id else "",
            slot_text=self._t("rbook.slot_number", n=sm.slot_number) if sm.slot_number else "",
            assignee=sm.assignee_name, description=detail.description,
            preferred_times=" / ".join(detail.preferred_times), decline_reason=detail.decline_reason,
            completion_note=detail.completion_note, rating=rating,
            rating_label=self._t(f"rbook.stars.{rating}") if rating else "",
            rating_comment=detail.rating_comment, can_cancel=detail.can_cancel,
            cancel_until=self._t("rbook.cancel_until", when=self._when(detail.cancel_deadline, zone))
            if detail.can_cancel and detail.cancel_deadline else "",
            past_cutoff=detail.past_cutoff, phone=phone,
            phone_href="tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+") if phone else "",
            can_rate=detail.can_rate, ics_href=f"/api/booking/{sm.id}.ics" if confirmed else "",
            service_href=routes.service(sm.service_type_id),
        )
        self.timeline = [
            StepRow(status=st.status, label=self._t(st.label_key), icon=STATUS_ICONS.get(st.status, "circle"),
                    at=self._when(st.at, zone), lines=self._step_lines(st, zone))
            for st in detail.timeline
        ]
        self.photo_urls = [routes.photo(p.id) for p in detail.photos]

    @rx.event
    def load(self):
        actor = self._actor()
        if actor is None:
            return self._login_redirect()
        self.found = False
        self.load_error = ""
        self.action_error = ""
        self.cancel_open = False
        self.busy = False
        self.rate_value = 0
        self.rate_error = ""
        booking_id = self._booking_id()
        try:
            if booking_id is None:
                raise NotFound("booking.error.not_found")
            self._fill(actor, booking_id)
        except (NotFound, NotAllowed):
            self.load_error = self._t("rbook.detail.not_found")
            self.loaded = True
            return
        except DomainError as err:
            self.load_error = self._error_text(err)
            self.loaded = True
            return
        self.found = True
        self.loaded = True

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
    def confirm_cancel(self):
        if self.busy:
            return
        actor = self._actor()
        if actor is None:
            return self._login_redirect()
        self.cancel_open = False
        booking_id = self._booking_id()
        if booking_id is None or booking_id != self.d.id:
            return
        self.busy = True
        try:
            with db.write_session() as s:
                booking_svc.cancel_booking(s, actor, booking_id=booking_id)
        except DomainError as err:
            self.busy = False
            self.action_error = self._error_text(err)
            self._fill_quietly(actor, booking_id)
            return rx.toast.error(self.action_error, position="top-center")
        self.busy = False
        self._fill_quietly(actor, booking_id)
        self._refresh_unread(actor)
        return rx.toast.success(self._t("rbook.cancelled_toast"), position="top-center")

    def _fill_quietly(self, actor: Actor, booking_id: int) -> None:
        try:
            self._fill(actor, booking_id)
        except DomainError:
            pass

    @rx.event
    def set_rating(self, value: int):
        n = value if isinstance(value, int) and not isinstance(value, bool) else (
            int(value) if isinstance(value, str) and value.isdigit() and len(value) == 1 else 0)
        if 1 <= n <= 5:
            self.rate_value = n
            self.rate_error = ""

    @rx.var
    def rate_label(self) -> str:
        return self._t(f"rbook.stars.{self.rate_value}") if 1 <= self.rate_value <= 5 else ""

    @rx.event
    def submit_rating(self, form: dict):
        if self.busy:
            return
        actor = self._actor()
        if actor is None:
            return self._login_redirect()
        booking_id = self._booking_id()
        if booking_id is None or booking_id != self.d.id:
            return
        if not 1 <= self.rate_value <= 5:
            self.rate_error = self._t("booking.error.rating_invalid")
            return
        self.busy = True
        try:
            with db.write_session() as s:
                booking_svc.rate_booking(s, actor, booking_id=booking_id, rating=self.rate_value,
                                         comment=_text(form, "comment"))
        except DomainError as err:
            self.busy = False
            self.rate_error = self._error_text(err)
            return
        self.busy = False
        self._fill_quietly(actor, booking_id)
        return rx.toast.success(self._t("rbook.rated_toast"), position="top-center")


# ----------------------------------------------------------------------------- /notifications


class NotificationsState(BookingBase):
    items: list[NoteRow] = []
    has_more: bool = False
    loaded: bool = False
    _links: dict[int, str] = {}
    _count: int = 0

    def _fetch(self, actor: Actor, limit: int) -> None:
        with db.session() as s:
            zone = catalogue.community_zone(s, actor.community_id)
            rows = notifications.list_notifications(s, actor, limit=limit + 1, offset=0)
        self.has_more = len(rows) > limit
        rows = rows[:limit]
        self._count = len(rows)
        self._links = {n.id: resident_link(n.link) for n in rows}
        self.items = [
            NoteRow(id=n.id, title=n.title, body=n.body, when=self._when(n.created_at, zone),
                    unread=n.read_at is None, has_link=bool(self._links[n.id]))
            for n in rows
        ]

    @rx.event
    def load(self):
        actor = self._actor()
        if actor is None:
            return self._login_redirect()
        self._fetch(actor, NOTES_PAGE)
        self.loaded = True

    @rx.event
    def load_more(self):
        actor = self._actor()
        if actor is None:
            return self._login_redirect()
        # Re-read from the top (newest first): a notification arriving meanwhile shifts
        # offsets, and a re-read never skips or repeats one.
        self._fetch(actor, min(self._count + NOTES_PAGE, 200))

    @rx.event
    def open_note(self, notification_id: int):
        actor = self._actor()
        if actor is None:
            return self._login_redirect()
        nid = parse_id(notification_id)
        if nid is None:
            return
        try:
            with db.write_session() as s:
                notifications.mark_read(s, actor, notification_id=nid)
        except DomainError as err:
            return rx.toast.error(self._error_text(err), position="top-center")
        self._refresh_unread(actor)
        self.items = [NoteRow(**{**n.__dict__, "unread": False}) if n.id == nid else n for n in self.items]
        link = self._links.get(nid, "")
        if link:
            return rx.redirect(link)

    @rx.event
    def mark_all(self):
        actor = self._actor()
        if actor is None:
            return self._login_redirect()
        with db.write_session() as s:
            n = notifications.mark_all_read(s, actor)
        self._refresh_unread(actor)
        self._fetch(actor, max(self._count, NOTES_PAGE))
        return rx.toast.success(self._t("rbook.notes.all_read", n=n), position="top-center")

    @rx.var
    def unread_text(self) -> str:
        return self._t("notify.unread", n=self.unread)
