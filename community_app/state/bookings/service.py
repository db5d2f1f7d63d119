"""/services/<id>: one service. Slot-based: pick a day and a time (book, or join the waitlist
of a full slot), with what the resident may do in each slot decided by the booking service
(``service_days``: the per-period limit applied to every day). Request-based: a form with
preferred times and photos.

A refusal answers without reloading every day: "full" (the common answer in a rush) turns
that slot's row full; a successful booking goes straight to the booking's page."""

from __future__ import annotations

import asyncio
import secrets
import shutil
import time as time_mod
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import reflex as rx

from community_app import routes
from community_app.i18n import DEFAULT_LOCALE, t
from community_app.services import booking as booking_svc
from community_app.services import catalogue
from community_app.services.core.clock import community_zone, local_today
from community_app.services.errors import NotFound
from community_app.settings import get_settings
from community_app.state.base import AppState, parse_id, plain
from community_app.state.bookings.common import BookingMixin, form_text, path_id, small_int
from community_app.state.bookings.services import eligibility

# Preferred time windows offered as chips (the free-text box adds one more: max 5 in all).
TIME_CHIPS = ("weekday_am", "weekday_pm", "weekday_evening", "weekend")
PHOTO_ACCEPT = {"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"]}
TMP_MAX_AGE = 24 * 3600
DAYS_SHOWN = 14
# Categories with their own example text in the request form (rbook.ph.<category>).
PLACEHOLDER_CATEGORIES = ("haircut", "repair", "gas", "plumbing", "facility")


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
    free: int = 0
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
    free: int = 0
    free_text: str = ""
    full: bool = False
    mine: bool = False
    waiting: bool = False
    can_book: bool = False  # from the service: a free place, not theirs, the limit not used
    can_wait: bool = False  # from the service: full, not theirs, not waiting, the limit not used
    blocked: bool = False  # neither: the limit is used in this slot's period


@dataclass(frozen=True)
class _Page:
    offer: catalogue.ServiceOffer
    address: str
    limit: booking_svc.LimitStatus | None
    days: booking_svc.ServiceDays | None
    zone: ZoneInfo


def _days(session, actor, type_id: int) -> tuple[booking_svc.ServiceDays, ZoneInfo]:
    days = booking_svc.service_days(session, actor, service_type_id=type_id, limit=DAYS_SHOWN)
    return days, community_zone(session, actor.community_id)


def _page(session, actor, type_id: int | None) -> _Page:
    """Everything the page shows, in one read off the event loop."""
    offer = next((o for o in catalogue.offered_services(session, actor) if o.id == type_id), None)
    if offer is None:
        raise NotFound("catalogue.error.type_not_found")
    address = booking_svc.my_address(session, actor)
    limit = days = None
    if offer.eligible and offer.kind != "slot":
        limit = booking_svc.limit_status(session, actor, service_type_id=offer.id)
    if offer.eligible and offer.kind == "slot":
        days = booking_svc.service_days(session, actor, service_type_id=offer.id, limit=DAYS_SHOWN)
    return _Page(offer, address, limit, days, community_zone(session, actor.community_id))


def _signed_in(session, actor) -> bool:
    return True


def _read_photos(photos: list[tuple[str, str, str]]) -> list[tuple[str, bytes, str]]:
    return [(name, Path(path).read_bytes(), ctype) for name, path, ctype in photos]


def _new_photo_folder() -> str:
    """A folder of its own for one form's photos; sweeps folders of forms never sent (a day old)."""
    root = Path(get_settings().upload_dir) / "tmp"
    root.mkdir(parents=True, exist_ok=True)
    now = time_mod.time()
    for old in root.iterdir():
        try:
            if old.is_dir() and now - old.stat().st_mtime > TMP_MAX_AGE:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass
    folder = root / secrets.token_hex(16)
    folder.mkdir()
    return str(folder)


class ServiceState(BookingMixin, AppState):
    found: bool = False
    loaded: bool = False
    load_error: str = ""
    svc: ServiceInfo = ServiceInfo()

    # slot-based
    days: list[DayRow] = []
    selected_day: str = ""
    slots: list[SlotRow] = []
    # Rows kept as tuples: Reflex tracks changes to lists and dataclasses through a proxy on every
    # read in a handler, which a rush of taps paid for on each lookup; a tuple is read as is.
    _slots_by_day: dict[str, tuple[SlotRow, ...]] = {}
    _day_titles: dict[str, str] = {}  # day key -> "11月26日（周四）", for the confirmation
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

    # ---- wording

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

    def _free_text(self, free: int) -> str:
        return self._t("service.free_places", n=free) if free > 0 else self._t("service.full")

    def _day_free_text(self, free: int, limit_used: bool) -> str:
        return self._t("rbook.day_limit") if limit_used else self._free_text(free)

    def _slot_row(self, offer: booking_svc.SlotOffer) -> SlotRow:
        sl = offer.slot
        mine, waiting = sl.booked_by_me, sl.waiting_by_me
        return SlotRow(id=sl.id, number=sl.number, time=f"{sl.local_start}–{sl.local_end}", free=sl.free,
                       free_text=self._free_text(sl.free), full=sl.free <= 0, mine=mine, waiting=waiting,
                       can_book=offer.can_book, can_wait=offer.can_wait,
                       blocked=not (offer.can_book or offer.can_wait or mine or waiting))

    # ---- days and slots

    def _show_days(self, sd: booking_svc.ServiceDays, zone: ZoneInfo) -> None:
        today = local_today(zone)
        days, by_day, notices, cancelled = [], {}, {}, []
        for offer in sd.days:
            v = offer.day
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
            if offer.period is not None:
                notices[key] = self._limit_notice(offer.period, self.svc.name, today)
            free_text = self._day_free_text(v.free, offer.limit_used)
            days.append(DayRow(
                key=key, label=label, sub=sub, free=v.free, free_text=free_text, full=v.free <= 0, mine=offer.mine,
                location=v.location, note=v.note, limit_used=offer.limit_used,
                aria=f"{label} {sub} {self._t('rbook.day_mine') if offer.mine else free_text}",
            ))
            by_day[key] = tuple(self._slot_row(s) for s in offer.slots)
        self.days = days
        self._slots_by_day = by_day
        self._day_titles = {d.key: self._t("rbook.day_full", label=d.label, sub=d.sub) for d in days}
        self.cancelled_notes = cancelled
        self._limit_notices = notices
        self._today_notice = (self._limit_notice(sd.today_limit, self.svc.name, today)
                              if sd.today_limit is not None else "")
        if self.selected_day not in by_day:
            # The first day the resident can book (a free place, the limit not used), else the
            # first open day; cancelled days are never selected.
            open_days = [d for d in days if not d.cancelled]
            self.selected_day = next((d.key for d in open_days if not d.full and not d.limit_used),
                                     open_days[0].key if open_days else "")
        self.slots = list(by_day.get(self.selected_day, ()))
        self._show_limit_notice()

    def _show_limit_notice(self) -> None:
        self.limit_notice = self._limit_notices.get(self.selected_day) or self._today_notice

    async def _reload_days(self) -> None:
        """Read the days again (off the loop) after a refusal that says the page is out of date
        in a way one row cannot show (the day was cancelled, the slot has begun ...)."""
        out = await self._run(_days, self.svc.id)
        if out.ok:
            self._show_days(*out.value)

    def _update_slot(self, slot_id: int, **changes) -> None:
        """Change one slot's row (and its day's count) without reading anything again."""
        by_day = plain(self._slots_by_day)
        for key, rows in by_day.items():
            if any(r.id == slot_id for r in rows):
                rows = tuple(replace(r, **changes) if r.id == slot_id else r for r in rows)
                self._slots_by_day = {**by_day, key: rows}
                free = sum(r.free for r in rows)
                self.days = [replace(d, free=free, full=free <= 0,
                                     free_text=self._day_free_text(free, d.limit_used)) if d.key == key else d
                             for d in plain(self.days)]
                if key == self.selected_day:
                    self.slots = list(rows)
                return

    def _mark_full(self, key: str, full_ids: set[int]) -> None:
        """Show the slots ``full_ids`` of day ``key`` as full (one pass, one assignment)."""
        if not full_ids:
            return
        none = self._free_text(0)
        by_day = plain(self._slots_by_day)
        rows = tuple(replace(r, free=0, free_text=none, full=True, can_book=False,
                             can_wait=not r.waiting and not r.mine)
                     if r.id in full_ids else r for r in by_day.get(key, ()))
        self._slots_by_day = {**by_day, key: rows}
        free = sum(r.free for r in rows)
        self.days = [replace(d, free=free, full=free <= 0, free_text=self._day_free_text(free, d.limit_used))
                     if d.key == key else d for d in plain(self.days)]
        if key == self.selected_day:
            self.slots = list(rows)

    # ---- page load

    @rx.event
    async def load(self):
        type_id = path_id(self.router.url.path)
        if type_id != self.svc.id:
            # Another service: start a fresh form. (The same one again, e.g. after the socket
            # reconnected and on_load ran once more, keeps the chips and photos chosen.)
            self.times = []
            self.selected_day = ""
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
        out = await self._run(_page, type_id)
        if out.signed_out:
            return self._refused(out)
        self.loaded = True
        if not out.ok:
            self.load_error = self._error_text(out.error)
            return None
        page: _Page = out.value
        offer = page.offer
        self.svc = ServiceInfo(
            id=offer.id, name=offer.name, description=offer.description, icon=offer.icon, kind=offer.kind,
            eligible=offer.eligible, location=offer.location, phone=offer.contact_phone,
            limit_text=self._limit_text(offer.limit_count, offer.limit_period),
            cutoff_text=self._cutoff_text(offer.cancel_cutoff_minutes),
            placeholder=self._t(f"rbook.ph.{offer.category}" if offer.category in PLACEHOLDER_CATEGORIES
                                else "rbook.ph.other"),
            reason=eligibility(offer, self._loc(), with_call=True),
        )
        self.address_default = page.address
        if page.limit is not None and page.limit.reached:
            # Asked without a day, the status is for today's period: word it as the current one.
            self.limit_notice = self._limit_notice(page.limit, offer.name, page.limit.period_first)
            self.request_blocked = True
        if page.days is not None:
            self._show_days(page.days, page.zone)
        self.found = True
        return None

    # ---- slots

    @rx.event
    def pick_day(self, key: str):
        by_day = plain(self._slots_by_day)
        if isinstance(key, str) and key in by_day:
            self.selected_day = key
            self.slots = list(by_day[key])
            self.action_error = ""
            self._show_limit_notice()

    def _find_slot(self, slot_id) -> tuple[SlotRow, str] | None:
        """The row of a slot on screen, with its day's key."""
        sid = parse_id(slot_id)
        for key, rows in plain(self._slots_by_day).items():
            for row in rows:
                if row.id == sid:
                    return row, key
        return None

    @rx.event
    def ask(self, slot_id: int):
        """Open the confirmation (book) or the waitlist explanation (full slot)."""
        found = self._find_slot(slot_id)
        if found is None or not (found[0].can_book or found[0].can_wait):
            return
        row, key = found
        self._pending_slot_id = row.id
        self.pending_time = row.time
        self.pending_day = self._day_titles.get(key, "")
        self.action_error = ""
        self.dialog = "book" if row.can_book else "wait"

    @rx.event
    def close_dialog(self):
        if not self.busy:
            self.dialog = ""

    @rx.event
    def dialog_change(self, open_: bool):
        if not open_ and not self.busy:
            self.dialog = ""

    @rx.event
    async def confirm_book(self):
        slot_id = self._pending_slot_id
        if self.busy or not slot_id or self.dialog != "book":
            return
        self.busy = True
        yield
        out = await self._write(lambda s, a: booking_svc.book_slot(s, a, slot_id=slot_id).id)
        self.busy = False
        self.dialog = ""
        self._pending_slot_id = 0
        if out.ok:
            yield [rx.redirect(routes.booking(out.value)),
                   rx.toast.success(self._t("rbook.booked_toast"), position="top-center")]
            return
        if out.signed_out:
            yield self._refused(out)
            return
        self.action_error = self._error_text(out.error)
        found = self._find_slot(slot_id)
        if out.error.key == "booking.error.full" and found is not None:
            # Someone was quicker: that slot is full now, and its waitlist is offered (the
            # service checks again when they join); the refusal also says which places of the
            # day are still free, so the others filled meanwhile show as full too.
            still_free = set(out.error.params.get("free") or ())
            self._mark_full(found[1], {row.id for row in plain(self._slots_by_day).get(found[1], ())
                                       if row.id == slot_id or (row.can_book and row.id not in still_free)})
        else:
            await self._reload_days()
        yield rx.toast.error(self.action_error, position="top-center")

    @rx.event
    async def confirm_wait(self):
        slot_id = self._pending_slot_id
        if self.busy or not slot_id or self.dialog != "wait":
            return
        self.busy = True
        yield
        out = await self._write(lambda s, a: booking_svc.join_waitlist(s, a, slot_id=slot_id).id)
        self.busy = False
        self.dialog = ""
        self._pending_slot_id = 0
        if out.ok:
            self._update_slot(slot_id, waiting=True, can_wait=False)
            yield rx.toast.success(self._t("rbook.waitlist_toast"), position="top-center")
            return
        if out.signed_out:
            yield self._refused(out)
            return
        self.action_error = self._error_text(out.error)
        await self._reload_days()
        yield rx.toast.error(self.action_error, position="top-center")

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

    def _drop_photos(self) -> None:
        if self._photo_dir:
            shutil.rmtree(self._photo_dir, ignore_errors=True)
        self._photo_dir = ""
        self._photos = []
        self.photo_names = []

    @rx.event
    async def add_photos(self, files: list[rx.UploadFile]):
        if not files or not isinstance(files, list):
            return
        if not (await self._run(_signed_in)).ok:  # files go to disk only for a signed-in resident
            return
        self.photo_error = ""
        limit, max_bytes = booking_svc.MAX_PHOTOS, booking_svc.MAX_PHOTO_BYTES
        for f in files:
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
            if not self._photo_dir:
                self._photo_dir = await asyncio.to_thread(_new_photo_folder)
            path = Path(self._photo_dir) / f"{len(self._photos)}-{secrets.token_hex(4)}"
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
        i = small_int(index, 99)
        if i is not None and i < len(self._photos):
            Path(self._photos[i][1]).unlink(missing_ok=True)
            self._photos = [p for j, p in enumerate(self._photos) if j != i]
            self.photo_names = [p[0] for p in self._photos]
            self.photo_error = ""

    @rx.event
    async def submit_request(self, form: dict):
        if self.busy:
            return
        self.errors = {}
        self.message = ""
        description = form_text(form, "description", None, strip=False)
        address = form_text(form, "address", None, strip=False)
        other = form_text(form, "times_other", None)
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
        self.busy = True
        yield
        try:  # read before the write transaction: a slow disk never holds the write lock
            photos = await asyncio.to_thread(_read_photos, list(self._photos))
        except OSError:
            self.busy = False
            self._drop_photos()
            self.photo_error = self._t("rbook.photo_lost")
            return
        out = await self._write(lambda s, a: booking_svc.request_service(
            s, a, service_type_id=type_id, description=description, preferred_times=windows, address=address,
            photos=photos).id)
        self.busy = False
        if not out.ok:
            if out.signed_out:
                yield self._refused(out)
                return
            errors, message = self._placed(out, {"description": "description", "address": "address",
                                                 "preferred_times": "preferred_times"})
            if out.field == "photos":
                self.photo_error, message = message, ""
            self.errors, self.message = errors, message
            return
        self._drop_photos()
        self.times = []
        yield rx.redirect(routes.booking(out.value))
        yield rx.toast.success(self._t("rbook.request_toast"), position="top-center")
