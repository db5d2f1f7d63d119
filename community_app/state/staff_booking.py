"""Staff desk for bookings: the approval queue (预约审批), service days and their day sheets
(服务日), booking on behalf of a resident (代办预约) and the service catalogue (服务目录).

Every handler is a public endpoint that anyone can call with any arguments: it re-resolves
the actor from the session cookie, validates what it is given (ids arrive as strings, dates
as text) and calls a service, which checks the staff role and the community again. Client
vars only hold view data (strings), never the models themselves."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import reflex as rx

from community_app import db
from community_app.i18n import t
from community_app.models import ACTIVE_STATUSES, BookingStatus, CareCategory, ServiceKind, utcnow
from community_app.services import booking, catalogue, registry
from community_app.services.access import Actor
from community_app.services.errors import DomainError
from community_app.state.base import AppState, parse_id

PAGE_SIZE = 20
STATUS_FILTERS = ("active", "submitted", "approved", "assigned", "done", "declined", "cancelled", "no_show", "all")
HOLDING = {BookingStatus.APPROVED.value, BookingStatus.ASSIGNED.value}
CARE_CODES = tuple(c.value for c in CareCategory)
ICONS = ("scissors", "house", "wrench", "flame", "droplets", "lamp", "book-open", "users", "heart-pulse",
         "hand-helping")
RANGES = ("7", "30", "90")
CATEGORIES = catalogue.CATEGORIES
SCHEDULE_FIELD_IDS = {
    "day_of_month": "s-day_of_month", "weekday": "s-weekday", "start_time": "s-start", "end_time": "s-end",
    "slot_minutes": "s-slot_minutes", "places_per_slot": "s-places", "generate_days_ahead": "s-ahead",
    "location": "s-location",
}
LIMIT_PERIODS = catalogue.LIMIT_PERIODS


# --------------------------------------------------------------------------- argument checks


def _date(value) -> date | None:
    text = str(value).strip()[:10] if isinstance(value, str) else ""
    if len(text) != 10:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _time(value) -> time | None:
    text = str(value).strip()[:5] if isinstance(value, str) else ""
    if len(text) != 5:
        return None
    try:
        return time.fromisoformat(text)
    except ValueError:
        return None


def _text(form, key: str, limit: int = 1000) -> str:
    value = form.get(key, "") if isinstance(form, dict) else ""
    return value.strip()[:limit] if isinstance(value, str) else ""


def _local(dt: datetime | None, zone: ZoneInfo, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if dt is None:
        return ""
    if dt.tzinfo is None:  # stored as UTC; SQLite may hand it back naive
        dt = dt.replace(tzinfo=ZoneInfo("UTC"))
    return dt.astimezone(zone).strftime(fmt)


def _aware(dt: datetime | None) -> datetime | None:
    if dt is not None and dt.tzinfo is None:
        return dt.replace(tzinfo=ZoneInfo("UTC"))
    return dt


async def _write(fn):
    """Run one write service call in a worker thread (a writer may wait for the SQLite lock;
    the event loop must not)."""

    def work():
        with db.write_session() as s:
            return fn(s)

    return await asyncio.to_thread(work)


async def _act(state, actor: Actor, fn, ok_key: str, after=None):
    """The shape of every one-click staff action: mark busy, run the service call off the
    loop, then (success or not) run ``after``, reload the page's rows and say how it went.
    Handlers delegate with ``async for update in _act(...): yield update``."""
    state.busy = True
    yield
    try:
        await _write(fn)
        ok = True
    except DomainError as err:
        ok, message = False, state._error_text(err)
    state.busy = False
    if after is not None:
        after(ok)
    state._query(actor)
    yield rx.toast.success(state._t(ok_key)) if ok else rx.toast.error(message)


async def _confirm(state, pending_attr: str, call, ok_key: str):
    """The confirm button of an "are you sure?" dialog: the dialog holds the id of the item
    in ``pending_attr``; run ``call(session, actor, id)`` through ``_act`` and close the
    dialog (clear the id) whatever the outcome."""
    actor = state._staff_actor()
    if actor is None:
        yield state._login_redirect()
        return
    item_id = parse_id(getattr(state, pending_attr))
    if item_id is None or state.busy:
        return
    async for update in _act(state, actor, lambda s: call(s, actor, item_id), ok_key,
                             lambda _ok: setattr(state, pending_attr, "")):
        yield update


def _grid_options(session, actor: Actor) -> list[dict[str, str]]:
    """Grids for the queue filter."""
    return [{"id": str(g.id), "name": g.name} for g in registry.list_grids(session, actor)]


def _team_options(session, actor: Actor) -> list[dict[str, str]]:
    """The community's service teams (服务队) to send in the 派单 dialog."""
    return [{"id": str(x.id), "name": x.name} for x in registry.list_teams(session, actor)]


def _assignable(session, actor: Actor) -> list[dict[str, str]]:
    """Volunteer and staff accounts to pick from in the 派单 dialog."""
    return [
        {"id": str(a.account_id), "name": f"{a.display_name}（{a.team_name}）" if a.team_name else a.display_name}
        for a in booking.assignable_accounts(session, actor)
    ]


# --------------------------------------------------------------------------- view records


@dataclasses.dataclass
class ResidentView:
    id: str = ""
    name: str = ""
    mobile: str = ""
    address: str = ""
    age: str = ""
    care: list[str] = dataclasses.field(default_factory=list)
    has_account: bool = False


def _resident_view(m: booking.ResidentMatch) -> ResidentView:
    return ResidentView(str(m.resident_id), m.name, m.mobile, m.address, str(m.age) if m.age is not None else "",
                        list(m.care), m.has_account)


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


@dataclasses.dataclass
class TypeView:
    id: str = ""
    name: str = ""
    code: str = ""
    kind: str = ""
    category: str = ""
    icon: str = ""
    location: str = ""
    active: bool = True
    home_visit: bool = False
    limit_count: str = ""
    limit_period: str = ""
    care: list[str] = dataclasses.field(default_factory=list)
    min_age: str = ""


# =========================================================================== 预约审批


class StaffQueueState(AppState):
    type_options: list[dict[str, str]] = []
    grid_options: list[dict[str, str]] = []
    f_type: str = ""
    f_status: str = "active"
    f_from: str = ""
    f_to: str = ""
    f_grid: str = ""
    filter_error: str = ""

    rows: list[dict[str, str]] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    selected: list[str] = []
    loaded: bool = False
    busy: bool = False

    # One action dialog at a time: "decline" | "assign" | "done" | "noshow" | "cancel".
    dlg: str = ""
    dlg_id: str = ""
    dlg_title: str = ""
    dlg_errors: dict[str, str] = {}
    dlg_message: str = ""
    assignees: list[dict[str, str]] = []
    teams: list[dict[str, str]] = []
    assign_default_date: str = ""

    bulk_open: bool = False

    detail_open: bool = False
    detail: dict[str, str] = {}
    detail_times: list[str] = []
    detail_photos: list[str] = []
    detail_timeline: list[dict[str, str]] = []

    @rx.var
    def page_label(self) -> str:
        loc = self._loc()
        return t("sbook.queue.page", loc, n=self.page, m=self.pages)

    @rx.var
    def total_label(self) -> str:
        loc = self._loc()
        return t("sbook.queue.total", loc, n=self.total)

    @rx.var
    def selected_count(self) -> int:
        return len(self.selected)

    @rx.var
    def all_selected(self) -> bool:
        ids = [r["id"] for r in self.rows if r.get("can_approve") == "1"]
        return bool(ids) and all(i in self.selected for i in ids)

    @rx.var
    def bulk_question(self) -> str:
        loc = self._loc()
        return t("sbook.bulk.question", loc, n=len(self.selected))

    # ---- loading ----
    @rx.event
    def load(self):
        actor = self._staff_actor()
        if actor is None:
            return
        self.dlg = ""
        self.bulk_open = False
        self.detail_open = False
        self.selected = []
        try:
            with db.session() as s:
                types = catalogue.list_service_types(s, actor)
                self.grid_options = _grid_options(s, actor)
        except DomainError as err:
            return rx.toast.error(self._error_text(err))
        self.type_options = [{"id": str(x.id), "name": x.name} for x in types]
        result = self._query(actor)
        # Notification links for staff lead here as /staff/bookings?open=<id>.
        bid = parse_id(self.router.url.query_parameters.get("open", ""))
        if bid is not None and not self._load_detail(actor, bid):
            self.detail_open = True
        return result

    def _query(self, actor: Actor):
        kw: dict = dict(page=max(1, self.page), page_size=PAGE_SIZE)
        tid = parse_id(self.f_type)
        if tid is not None:
            kw["service_type_id"] = tid
        if self.f_status == "active":
            kw["status"] = [s.value for s in ACTIVE_STATUSES]
        elif self.f_status in {s.value for s in BookingStatus}:
            kw["status"] = self.f_status
        d_from, d_to = _date(self.f_from), _date(self.f_to)
        if d_from and d_to and d_to < d_from:
            self.filter_error = self._t("sbook.queue.date_order")
            return
        kw["date_from"], kw["date_to"] = d_from, d_to
        gid = parse_id(self.f_grid)
        if gid is not None:
            kw["grid_id"] = gid
        self.filter_error = ""
        try:
            with db.session() as s:
                zone = catalogue.community_zone(s, actor.community_id)
                result = booking.staff_queue(s, actor, **kw)
                if not result.items and result.page > 1 and result.total:
                    kw["page"] = result.pages
                    result = booking.staff_queue(s, actor, **kw)
        except DomainError as err:
            self.filter_error = self._error_text(err)
            return
        now = utcnow()
        rows = []
        for it in result.items:
            status = str(it.status)
            kind = str(it.kind)
            scheduled = _aware(it.scheduled_at)
            rows.append({
                "id": str(it.booking_id),
                "service": it.service_name,
                "kind": kind,
                "status": status,
                "resident": it.resident_name,
                "mobile": it.resident_mobile,
                "address": it.address,
                "grid": it.grid_name,
                "description": it.description,
                "when": _local(scheduled, zone),
                "created": _local(it.created_at, zone, "%m-%d %H:%M"),
                "on_behalf": "1" if it.on_behalf else "",
                "assignee": it.assignee_name,
                "can_approve": "1" if status == BookingStatus.SUBMITTED else "",
                "can_decline": "1" if kind == ServiceKind.REQUEST and status in (
                    BookingStatus.SUBMITTED, BookingStatus.APPROVED) else "",
                "can_assign": "1" if kind == ServiceKind.REQUEST and status in {
                    s.value for s in ACTIVE_STATUSES} else "",
                # A slot booking is done once its time has come (the day sheet's 到场 does the same).
                "can_done": "1" if status in HOLDING and (
                    kind == ServiceKind.REQUEST or (scheduled is not None and scheduled <= now)) else "",
                "can_noshow": "1" if status in HOLDING and scheduled is not None and scheduled <= now else "",
            })
        self.rows = rows
        self.total = result.total
        self.page = result.page
        self.pages = result.pages
        visible = {r["id"] for r in rows if r["can_approve"]}
        self.selected = [i for i in self.selected if i in visible]
        self.loaded = True

    # ---- filters and pages ----
    @rx.event
    def set_filter(self, key: str, value: str):
        actor = self._staff_actor()
        if actor is None:
            return self._login_redirect()
        value = value[:20] if isinstance(value, str) else ""
        if key == "type":
            self.f_type = value if value == "" or parse_id(value) else ""
        elif key == "status":
            self.f_status = value if value in STATUS_FILTERS else "active"
        elif key == "from":
            self.f_from = value if _date(value) else ""
        elif key == "to":
            self.f_to = value if _date(value) else ""
        elif key == "grid":
            self.f_grid = value if value == "" or parse_id(value) else ""
        else:
            return
        self.page = 1
        self.selected = []
        return self._query(actor)

    @rx.event
    def clear_filters(self):
        actor = self._staff_actor()
        if actor is None:
            return self._login_redirect()
        self.f_type = self.f_from = self.f_to = self.f_grid = ""
        self.f_status = "active"
        self.page = 1
        self.selected = []
        return self._query(actor)

    @rx.event
    def next_page(self):
        actor = self._staff_actor()
        if actor is None:
            return self._login_redirect()
        if self.page < self.pages:
            self.page += 1
            self.selected = []
            return self._query(actor)

    @rx.event
    def prev_page(self):
        actor = self._staff_actor()
        if actor is None:
            return self._login_redirect()
        if self.page > 1:
            self.page -= 1
            self.selected = []
            return self._query(actor)

    # ---- selection and bulk approval ----
    @rx.event
    def toggle(self, booking_id: str, on: bool):
        bid = str(booking_id) if parse_id(booking_id) else ""
        if not bid or bid not in {r["id"] for r in self.rows if r.get("can_approve") == "1"}:
            return
        if on is True and bid not in self.selected:
            self.selected = [*self.selected, bid]
        elif on is not True:
            self.selected = [i for i in self.selected if i != bid]

    @rx.event
    def toggle_all(self, on: bool):
        ids = [r["id"] for r in self.rows if r.get("can_approve") == "1"]
        self.selected = ids if on is True else []

    @rx.event
    def open_bulk(self):
        if self.selected:
            self.bulk_open = True

    @rx.event
    def close_bulk(self):
        self.bulk_open = False

    @rx.event
    async def confirm_bulk(self):
        actor = self._staff_actor()
        if actor is None:
            yield self._login_redirect()
            return
        ids = [int(i) for i in self.selected if parse_id(i)][:booking.MAX_BULK]
        if not ids or self.busy:
            self.bulk_open = False
            return
        self.busy = True
        yield
        try:
            result = await _write(lambda s: booking.bulk_approve(s, actor, booking_ids=ids))
        except DomainError as err:
            self.busy = False
            self.bulk_open = False
            yield rx.toast.error(self._error_text(err))
            return
        self.busy = False
        self.bulk_open = False
        self.selected = []
        self._query(actor)
        yield rx.toast.success(self._t("sbook.bulk.done", n=len(result.approved), k=len(result.skipped)))

    # ---- one booking ----
    @rx.event
    async def approve(self, booking_id: str):
        actor = self._staff_actor()
        if actor is None:
            yield self._login_redirect()
            return
        bid = parse_id(booking_id)
        if bid is None or self.busy:
            return

        def unselect(ok: bool):
            if ok:
                self.selected = [i for i in self.selected if i != str(bid)]

        async for update in _act(self, actor, lambda s: booking.approve(s, actor, booking_id=bid),
                                 "sbook.toast.approved", unselect):
            yield update

    @rx.event
    def open_dialog(self, kind: str, booking_id: str):
        actor = self._staff_actor()
        if actor is None:
            return self._login_redirect()
        bid = parse_id(booking_id)
        if kind not in ("decline", "assign", "done", "noshow", "cancel") or bid is None:
            return
        row = next((r for r in self.rows if r["id"] == str(bid)), None)
        if row is not None:
            self.dlg_title = f"{row['service']} · {row['resident']}"
        elif self.detail.get("id") == str(bid):  # opened from the detail (e.g. a ?open= link)
            self.dlg_title = f"{self.detail.get('service', '')} · {self.detail.get('resident', '')}"
        else:
            self.dlg_title = ""
        self.dlg_errors = {}
        self.dlg_message = ""
        self.dlg_id = str(bid)
        if kind == "assign":
            try:
                with db.session() as s:
                    self.assignees = _assignable(s, actor)
                    self.teams = _team_options(s, actor)
                    zone = catalogue.community_zone(s, actor.community_id)
            except DomainError as err:
                return rx.toast.error(self._error_text(err))
            self.assign_default_date = (catalogue.local_today(zone) + timedelta(days=1)).isoformat()
        self.dlg = kind

    @rx.event
    def close_dialog(self):
        self.dlg = ""
        self.dlg_errors = {}
        self.dlg_message = ""

    @rx.event
    def dialog_open_change(self, is_open: bool):
        if not is_open:
            self.dlg = ""

    def _dialog_error(self, err: DomainError, fields: dict[str, str]) -> None:
        """Show a service error next to its field in the dialog, or above the buttons."""
        key = fields.get(err.field or "")
        if key:
            self.dlg_errors = {key: self._error_text(err)}
        else:
            self.dlg_message = self._error_text(err)

    async def _dialog_action(self, actor: Actor, fn, fields: dict[str, str], done_key: str):
        self.busy = True
        yield
        try:
            await _write(fn)
        except DomainError as err:
            self.busy = False
            self._dialog_error(err, fields)
            return
        self.busy = False
        self.dlg = ""
        self._query(actor)
        if self.detail_open and self.detail.get("id") == self.dlg_id:
            self._load_detail(actor, int(self.dlg_id))
        yield rx.toast.success(self._t(done_key))

    @rx.event
    async def submit_decline(self, form: dict):
        actor = self._staff_actor()
        if actor is None:
            yield self._login_redirect()
            return
        bid = parse_id(self.dlg_id)
        if bid is None or self.dlg != "decline" or self.busy:
            return
        reason = _text(form, "reason", 400)
        self.dlg_errors = {}
        self.dlg_message = ""
        if not reason:
            self.dlg_errors = {"reason": self._t("booking.error.reason_required")}
            return
        async for step in self._dialog_action(
                actor, lambda s: booking.decline(s, actor, booking_id=bid, reason=reason),
                {"reason": "reason"}, "sbook.toast.declined"):
            yield step

    @rx.event
    async def submit_assign(self, form: dict):
        actor = self._staff_actor()
        if actor is None:
            yield self._login_redirect()
            return
        bid = parse_id(self.dlg_id)
        if bid is None or self.dlg != "assign" or self.busy:
            return
        self.dlg_errors = {}
        self.dlg_message = ""
        name = _text(form, "assignee_name", 80)
        # Any well-formed id goes to the service, which checks it belongs to the community
        # (and says so next to the field) rather than being dropped here without a word.
        account_id = parse_id(_text(form, "assignee_account", 20))
        team_id = parse_id(_text(form, "team_id", 20))
        day, at = _date(_text(form, "visit_date", 20)), _time(_text(form, "visit_time", 20))
        errors = {}
        if day is None:
            errors["visit_date"] = self._t("sbook.assign.date_required")
        if at is None:
            errors["visit_time"] = self._t("sbook.assign.time_required")
        if not name and account_id is None and team_id is None:
            errors["assignee_name"] = self._t("booking.error.assignee_required")
        if errors:
            self.dlg_errors = errors
            return
        note = _text(form, "note", 300)
        visit_at = datetime.combine(day, at)  # naive = the community's local time

        def work(s):
            return booking.assign(s, actor, booking_id=bid, visit_at=visit_at, assignee_name=name,
                                  assignee_account_id=account_id, team_id=team_id, note=note)

        async for step in self._dialog_action(
                actor, work,
                {"assignee_name": "assignee_name", "assignee_account_id": "assignee_account",
                 "team_id": "team_id", "visit_at": "visit_date", "note": "note"},
                "sbook.toast.assigned"):
            yield step

    @rx.event
    async def submit_done(self, form: dict):
        actor = self._staff_actor()
        if actor is None:
            yield self._login_redirect()
            return
        bid = parse_id(self.dlg_id)
        if bid is None or self.dlg != "done" or self.busy:
            return
        self.dlg_errors = {}
        self.dlg_message = ""
        note = _text(form, "note", 600)
        async for step in self._dialog_action(
                actor, lambda s: booking.mark_done(s, actor, booking_id=bid, note=note),
                {"note": "note"}, "sbook.toast.done"):
            yield step

    @rx.event
    async def confirm_noshow(self):
        actor = self._staff_actor()
        if actor is None:
            yield self._login_redirect()
            return
        bid = parse_id(self.dlg_id)
        if bid is None or self.dlg != "noshow" or self.busy:
            return
        self.dlg_message = ""
        async for step in self._dialog_action(
                actor, lambda s: booking.mark_no_show(s, actor, booking_id=bid), {}, "sbook.toast.no_show"):
            yield step

    @rx.event
    async def submit_cancel(self, form: dict):
        """取消预约 by staff: any active booking of the community, at any time (the service
        checks the role and the community; the reason is optional and goes to the resident)."""
        actor = self._staff_actor()
        if actor is None:
            yield self._login_redirect()
            return
        bid = parse_id(self.dlg_id)
        if bid is None or self.dlg != "cancel" or self.busy:
            return
        self.dlg_errors = {}
        self.dlg_message = ""
        reason = _text(form, "reason", 300)
        async for step in self._dialog_action(
                actor, lambda s: booking.cancel_booking(s, actor, booking_id=bid, reason=reason),
                {"reason": "reason"}, "sbook.toast.cancelled"):
            yield step

    # ---- detail ----
    def _load_detail(self, actor: Actor, bid: int) -> str | None:
        try:
            with db.session() as s:
                d = booking.booking_detail(s, actor, booking_id=bid)
        except DomainError as err:
            return self._error_text(err)
        try:
            zone = ZoneInfo(d.timezone)
        except (ValueError, KeyError):
            zone = ZoneInfo("Asia/Shanghai")
        sm = d.summary
        self.detail = {
            "id": str(sm.id),
            "service": sm.service_name,
            "kind": str(sm.kind),
            "status": str(sm.status),
            "resident": sm.resident_name,
            "mobile": d.resident_mobile,
            "address": d.address,
            "description": d.description,
            "when": sm.local_when,
            "location": sm.location if sm.location != d.address else "",
            "assignee": sm.assignee_name,
            "decline_reason": d.decline_reason,
            "completion_note": d.completion_note,
            "rating": "★" * (sm.rating or 0),
            "rating_comment": d.rating_comment,
            "on_behalf": "1" if sm.on_behalf else "",
            "created": _local(sm.created_at, zone),
            "slot": str(sm.slot_number or ""),
            "can_cancel": "1" if str(sm.status) in {x.value for x in ACTIVE_STATUSES} else "",
        }
        self.detail_times = list(d.preferred_times)
        self.detail_photos = [str(p.id) for p in d.photos]
        loc = self._loc()
        self.detail_timeline = [
            {
                "status": str(step.status),
                "at": _local(step.at, zone),
                "actor": step.actor_name,
                "note": step.note_text(loc),
                "assignee": step.assignee_name,
                "scheduled": _local(step.scheduled_at, zone),
            }
            for step in d.timeline
        ]
        return None

    @rx.event
    def show_detail(self, booking_id: str):
        actor = self._staff_actor()
        if actor is None:
            return self._login_redirect()
        bid = parse_id(booking_id)
        if bid is None:
            return
        problem = self._load_detail(actor, bid)
        if problem:
            return rx.toast.error(problem)
        self.detail_open = True

    @rx.event
    def detail_open_change(self, is_open: bool):
        self.detail_open = bool(is_open)


# =========================================================================== 服务日


class StaffDaysState(AppState):
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

    @rx.event
    def load(self):
        actor = self._staff_actor()
        if actor is None:
            return
        self.dlg = ""
        try:
            with db.session() as s:
                types = [x for x in catalogue.list_service_types(s, actor) if x.kind == ServiceKind.SLOT]
        except DomainError as err:
            return rx.toast.error(self._error_text(err))
        self.type_options = [{"id": str(x.id), "name": x.name} for x in types]
        if self.f_type and self.f_type not in {o["id"] for o in self.type_options}:
            self.f_type = ""
        return self._query(actor)

    def _query(self, actor: Actor):
        try:
            with db.session() as s:
                types = [x for x in catalogue.list_service_types(s, actor) if x.kind == ServiceKind.SLOT]
                zone = catalogue.community_zone(s, actor.community_id)
                today = catalogue.local_today(zone)
                last = today + timedelta(days=int(self.f_range if self.f_range in RANGES else "30"))
                chosen = [x for x in types if not self.f_type or str(x.id) == self.f_type]
                out = []
                for stype in chosen:
                    for d in catalogue.list_days(s, actor, service_type_id=stype.id, from_date=today, to_date=last):
                        taken = sum(sl.taken for sl in d.slots)
                        capacity = sum(sl.capacity for sl in d.slots)
                        out.append({
                            "id": str(d.id), "type": stype.name, "type_id": str(stype.id),
                            "day": d.day.isoformat(), "weekday": str(d.day.weekday()),
                            "time": f"{d.slots[0].local_start}–{d.slots[-1].local_end}" if d.slots else "",
                            "location": d.location or stype.location, "status": d.status, "note": d.note,
                            "taken": str(taken), "capacity": str(capacity), "free": str(max(0, capacity - taken)),
                            "slots": str(len(d.slots)), "today": "1" if d.day == today else "",
                            "open": "1" if d.status == catalogue.DAY_OPEN else "",
                            "inactive": "" if stype.active else "1",
                        })
        except DomainError as err:
            return rx.toast.error(self._error_text(err))
        out.sort(key=lambda r: (r["day"], r["time"], r["type"]))
        self.days = out
        self.move_min = today.isoformat()
        self.loaded = True

    @rx.event
    def set_type(self, value: str):
        actor = self._staff_actor()
        if actor is None:
            return self._login_redirect()
        self.f_type = value if isinstance(value, str) and (value == "" or parse_id(value)) else ""
        return self._query(actor)

    @rx.event
    def set_range(self, value: str):
        actor = self._staff_actor()
        if actor is None:
            return self._login_redirect()
        self.f_range = value if value in RANGES else "30"
        return self._query(actor)

    @rx.event
    def open_dialog(self, kind: str, day_id: str):
        actor = self._staff_actor()
        if actor is None:
            return self._login_redirect()
        did = parse_id(day_id)
        if kind not in ("cancel", "move") or did is None:
            return
        row = next((r for r in self.days if r["id"] == str(did)), None)
        self.dlg_label = f"{row['type']} · {row['day']}" if row else ""
        self.dlg_errors = {}
        self.dlg_message = ""
        self.dlg_booked = self.dlg_waiting = 0
        if kind == "cancel":
            try:
                with db.session() as s:
                    sheet = booking.day_sheet(s, actor, day_id=did)
            except DomainError as err:
                return rx.toast.error(self._error_text(err))
            self.dlg_booked = sum(1 for sl in sheet.slots for r in sl.rows if str(r.status) in HOLDING)
            self.dlg_waiting = sum(len(sl.waiting) for sl in sheet.slots)
        self.dlg_id = str(did)
        self.dlg = kind

    @rx.event
    def dialog_open_change(self, is_open: bool):
        if not is_open:
            self.dlg = ""

    @rx.event
    def close_dialog(self):
        self.dlg = ""

    @rx.event
    async def confirm_cancel(self, form: dict):
        actor = self._staff_actor()
        if actor is None:
            yield self._login_redirect()
            return
        did = parse_id(self.dlg_id)
        if did is None or self.dlg != "cancel" or self.busy:
            return
        reason = _text(form, "reason", 300)
        self.dlg_errors = {}
        self.dlg_message = ""
        if not reason:
            self.dlg_errors = {"reason": self._t("catalogue.error.reason_required")}
            return
        self.busy = True
        yield
        try:
            n = await _write(lambda s: booking.cancel_day(s, actor, day_id=did, reason=reason))
        except DomainError as err:
            self.busy = False
            if err.field == "reason":
                self.dlg_errors = {"reason": self._error_text(err)}
            else:
                self.dlg_message = self._error_text(err)
            return
        self.busy = False
        self.dlg = ""
        self._query(actor)
        yield rx.toast.success(self._t("sbook.days.cancelled", n=n))

    @rx.event
    async def confirm_move(self, form: dict):
        actor = self._staff_actor()
        if actor is None:
            yield self._login_redirect()
            return
        did = parse_id(self.dlg_id)
        if did is None or self.dlg != "move" or self.busy:
            return
        self.dlg_errors = {}
        self.dlg_message = ""
        new_day = _date(_text(form, "new_day", 20))
        if new_day is None:
            self.dlg_errors = {"new_day": self._t("catalogue.error.date_invalid")}
            return
        reason = _text(form, "reason", 300)
        self.busy = True
        yield
        try:
            await _write(lambda s: booking.move_day(s, actor, day_id=did, new_day=new_day, reason=reason))
        except DomainError as err:
            self.busy = False
            if err.field in ("new_day", "reason"):
                self.dlg_errors = {err.field: self._error_text(err)}
            else:
                self.dlg_message = self._error_text(err)
            return
        self.busy = False
        self.dlg = ""
        self._query(actor)
        yield rx.toast.success(self._t("sbook.days.moved", day=new_day.isoformat()))


# =========================================================================== 服务日名单


class StaffDaySheetState(AppState):
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

    def _route_day_id(self) -> int | None:
        path = str(self.router.url.path or "")
        return parse_id(path.rstrip("/").rsplit("/", 1)[-1])

    @rx.event
    def load(self):
        actor = self._staff_actor()
        if actor is None:
            return
        self.noshow_id = ""
        self.unwait_id = ""
        self.walk_slot_id = ""
        did = self._route_day_id()
        self.sheet_id = str(did or "")
        return self._query(actor)

    def _query(self, actor: Actor):
        did = parse_id(self.sheet_id)
        self.loaded = True
        if did is None:
            self.found = False
            self.error = self._t("catalogue.error.day_not_found")
            return
        try:
            with db.session() as s:
                sheet = booking.day_sheet(s, actor, day_id=did)
                zone = catalogue.community_zone(s, actor.community_id)
                stype = catalogue.get_service_type(s, actor, service_type_id=sheet.service_type_id)
        except DomainError as err:
            self.found = False
            self.error = self._error_text(err)
            self.slots = []
            return
        now = utcnow()
        today = catalogue.local_today(zone, now)
        is_open = sheet.status == catalogue.DAY_OPEN
        self.found = True
        self.error = ""
        self.service_name = sheet.service_name
        self.day = sheet.day.isoformat()
        self.weekday = str(sheet.day.weekday())
        self.location = sheet.location or stype.location
        self.status = sheet.status
        self.note = sheet.note
        self.is_today = sheet.day == today
        self.total_taken = sum(sl.taken for sl in sheet.slots)
        self.total_capacity = sum(sl.capacity for sl in sheet.slots)
        slots = []
        for sl in sheet.slots:
            started = _aware(sl.starts_at) <= now
            rows = [
                SheetRowView(
                    booking_id=str(r.booking_id), name=r.resident_name, mobile=r.mobile, address=r.address,
                    care=[c for c in r.care if c in CARE_CODES], status=str(r.status), on_behalf=r.on_behalf,
                    # 到场 from the day itself on (or later, when the paper sheet is typed in).
                    can_mark=str(r.status) in HOLDING and (self.is_today or started),
                    can_noshow=str(r.status) in HOLDING and started,
                )
                for r in sl.rows
            ]
            slots.append(SlotSheetView(
                slot_id=str(sl.slot_id), number=str(sl.number), start=sl.local_start, end=sl.local_end,
                capacity=sl.capacity, taken=sl.taken, free=max(0, sl.capacity - sl.taken),
                can_walk_in=is_open and self.is_today and sl.taken < sl.capacity and stype.active,
                rows=rows,
                waiting=[WaitView(str(w.entry_id), str(w.position), w.resident_name, w.mobile) for w in sl.waiting],
            ))
        self.slots = slots

    @rx.event
    async def attended(self, booking_id: str):
        actor = self._staff_actor()
        if actor is None:
            yield self._login_redirect()
            return
        bid = parse_id(booking_id)
        if bid is None or self.busy:
            return
        async for update in _act(self, actor, lambda s: booking.mark_attended(s, actor, booking_id=bid),
                                 "sbook.toast.attended"):
            yield update

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
        async for update in _confirm(self, "noshow_id", lambda s, actor, bid: booking.mark_no_show(
                s, actor, booking_id=bid), "sbook.toast.no_show"):
            yield update

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
        async for update in _confirm(self, "unwait_id", lambda s, actor, eid: booking.leave_waitlist(
                s, actor, entry_id=eid), "sbook.toast.unwaited"):
            yield update

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
    def walk_search(self, form: dict):
        actor = self._staff_actor()
        if actor is None:
            return self._login_redirect()
        query = _text(form, "q", 40)
        try:
            with db.session() as s:
                found = booking.find_residents(s, actor, query=query, limit=10)
        except DomainError as err:
            self.walk_message = self._error_text(err)
            return
        self.walk_results = [_resident_view(m) for m in found]
        self.walk_searched = True

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
        actor = self._staff_actor()
        if actor is None:
            yield self._login_redirect()
            return
        sid = parse_id(self.walk_slot_id)
        if sid is None or self.busy:
            return
        self.walk_errors = {}
        self.walk_message = ""
        rid = parse_id(self.walk_pick_id)
        name, mobile = _text(form, "name", 40), _text(form, "mobile", 20)
        if rid is None and not name:
            self.walk_errors = {"name": self._t("sbook.walkin.name_required")}
            return
        self.busy = True
        yield

        def work(s):
            if rid is not None:
                b = booking.add_walk_in(s, actor, slot_id=sid, resident_id=rid)
            else:
                b = booking.add_walk_in(s, actor, slot_id=sid, name=name, mobile=mobile)
            return b.id

        try:
            await _write(work)
        except DomainError as err:
            self.busy = False
            if err.field in ("name", "mobile"):
                self.walk_errors = {err.field: self._error_text(err)}
            else:
                self.walk_message = self._error_text(err)
            return
        self.busy = False
        who = self.walk_pick_name or name
        self.walk_slot_id = ""
        self._query(actor)
        yield rx.toast.success(self._t("sbook.walkin.done", name=who))

    @rx.event
    def print_sheet(self):
        return rx.call_script("window.print()")


# =========================================================================== 代办预约


class StaffBookState(AppState):
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

    @rx.event
    def load(self):
        actor = self._staff_actor()
        if actor is None:
            return
        try:
            with db.session() as s:
                types = catalogue.list_service_types(s, actor, include_inactive=False)
        except DomainError as err:
            return rx.toast.error(self._error_text(err))
        self.type_options = [{"id": str(x.id), "name": x.name, "kind": str(x.kind)} for x in types]
        if self.type_id and self.type_id not in {o["id"] for o in self.type_options}:
            self._clear_type()

    def _clear_type(self) -> None:
        self.type_id = ""
        self.type_kind = ""
        self.days = []
        self.pick_day_id = ""
        self.slot_id = ""

    @rx.event
    def search(self, form: dict):
        actor = self._staff_actor()
        if actor is None:
            return self._login_redirect()
        query = _text(form, "q", 40)
        self.search_error = ""
        try:
            with db.session() as s:
                found = booking.find_residents(s, actor, query=query, limit=20)
        except DomainError as err:
            self.search_error = self._error_text(err)
            return
        self.results = [_resident_view(m) for m in found]
        self.searched = True

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
    def pick_type(self, type_id: str):
        actor = self._staff_actor()
        if actor is None:
            return self._login_redirect()
        option = next((o for o in self.type_options if o["id"] == type_id), None) \
            if isinstance(type_id, str) else None
        self._clear_type()
        self.errors = {}
        self.message = ""
        self.result_text = ""
        if option is None:
            return
        self.type_id = option["id"]
        self.type_kind = option["kind"]
        if self.type_kind == ServiceKind.SLOT:
            return self._load_days(actor)

    def _load_days(self, actor: Actor):
        tid = parse_id(self.type_id)
        if tid is None:
            return
        try:
            with db.session() as s:
                views = catalogue.open_days(s, actor, service_type_id=tid, limit=14)
        except DomainError as err:
            self.message = self._error_text(err)
            return
        self.days = [
            DayChoice(
                id=str(d.id), day=d.day.isoformat(), weekday=str(d.day.weekday()), location=d.location,
                free=d.free,
                slots=[SlotChoice(str(sl.id), sl.local_start, sl.local_end, sl.free, sl.capacity) for sl in d.slots],
            )
            for d in views
        ]
        first = next((d for d in self.days if d.free > 0), None)
        self.pick_day_id = first.id if first else ""
        self.slot_id = ""

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
        actor = self._staff_actor()
        if actor is None:
            yield self._login_redirect()
            return
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
        self.busy = True
        yield
        try:
            await _write(lambda s: booking.book_on_behalf(s, actor, resident_id=rid, slot_id=sid).id)
        except DomainError as err:
            self.busy = False
            self.message = self._error_text(err)
            self._load_days(actor)
            return
        self.busy = False
        label = self.slot_label
        service = next((o["name"] for o in self.type_options if o["id"] == self.type_id), "")
        self.result_text = self._t("sbook.book.booked", name=self.resident.name, service=service, when=label)
        self._load_days(actor)
        yield rx.toast.success(self.result_text)

    @rx.event
    async def submit_request(self, form: dict):
        actor = self._staff_actor()
        if actor is None:
            yield self._login_redirect()
            return
        rid, tid = parse_id(self.resident.id), parse_id(self.type_id)
        self.errors = {}
        self.message = ""
        if rid is None:
            self.message = self._t("sbook.book.pick_resident_first")
            return
        if tid is None or self.type_kind != ServiceKind.REQUEST or self.busy:
            return
        description = _text(form, "description", 1000)
        note = _text(form, "visit_note", 200)
        if note and description:  # no field for it in the booking: kept with the description
            description = f"{description}\n{self._t('sbook.book.visit_note_prefix')}{note}"
        times = [_text(form, f"time{i}", 40) for i in (1, 2, 3)]
        times = [x for x in times if x]
        address = _text(form, "address", 200)
        self.busy = True
        yield
        try:
            await _write(lambda s: booking.book_on_behalf(
                s, actor, resident_id=rid, service_type_id=tid, description=description,
                preferred_times=times, address=address or None).id)
        except DomainError as err:
            self.busy = False
            if err.field in ("description", "preferred_times", "address"):
                self.errors = {err.field: self._error_text(err)}
            else:
                self.message = self._error_text(err)
            return
        self.busy = False
        service = next((o["name"] for o in self.type_options if o["id"] == self.type_id), "")
        self.result_text = self._t("sbook.book.requested", name=self.resident.name, service=service)
        yield rx.toast.success(self.result_text)
        for key in ("f-description", "f-visit_note", "f-time1", "f-time2", "f-time3"):
            yield rx.set_value(key, "")


# =========================================================================== 服务目录


class StaffCatalogueState(AppState):
    types: list[TypeView] = []
    loaded: bool = False
    busy: bool = False

    edit_open: bool = False
    edit_id: str = ""  # "" = a new type
    edit: TypeView = TypeView()
    edit_description: str = ""
    edit_phone: str = ""
    edit_cutoff: str = "120"
    edit_limit_count: str = ""
    edit_limit_period: str = ""
    errors: dict[str, str] = {}
    message: str = ""

    toggle_id: str = ""
    toggle_name: str = ""
    toggle_to_active: bool = False

    sched_type_id: str = ""
    sched_type_name: str = ""
    schedules: list[dict[str, str]] = []
    sched_form: bool = False
    sched_id: str = ""  # "" = a new rule
    sched: dict[str, str] = {}
    sched_mode: str = "week"
    sched_errors: dict[str, str] = {}
    sched_message: str = ""

    @rx.event
    def load(self):
        actor = self._staff_actor()
        if actor is None:
            return
        self.edit_open = False
        self.toggle_id = ""
        self.sched_type_id = ""
        return self._query(actor)

    def _query(self, actor: Actor):
        try:
            with db.session() as s:
                types = catalogue.list_service_types(s, actor)
        except DomainError as err:
            return rx.toast.error(self._error_text(err))
        self.types = [
            TypeView(
                id=str(x.id), name=x.name, code=x.code, kind=str(x.kind), category=x.category, icon=x.icon,
                location=x.location, active=x.active, home_visit=x.home_visit,
                limit_count=str(x.limit_count or "") if x.limit_period else "",
                limit_period=(x.limit_period or "") if x.limit_count else "",
                care=[c for c in (x.eligible_care or "").split(",") if c in CARE_CODES],
                min_age=str(x.eligible_min_age or ""),
            )
            for x in types
        ]
        self.loaded = True

    # ---- create / edit ----
    @rx.event
    def new_type(self):
        self.edit_id = ""
        self.edit = TypeView(kind="request", category="other", icon="wrench")
        self.edit_description = ""
        self.edit_phone = ""
        self.edit_cutoff = "120"
        self.edit_limit_count = ""
        self.edit_limit_period = ""
        self.errors = {}
        self.message = ""
        self.edit_open = True

    @rx.event
    def edit_type(self, type_id: str):
        actor = self._staff_actor()
        if actor is None:
            return self._login_redirect()
        tid = parse_id(type_id)
        if tid is None:
            return
        try:
            with db.session() as s:
                x = catalogue.get_service_type(s, actor, service_type_id=tid)
                if not actor.can_staff(x.community_id):
                    return
        except DomainError as err:
            return rx.toast.error(self._error_text(err))
        self.edit_id = str(x.id)
        self.edit = TypeView(
            id=str(x.id), name=x.name, code=x.code, kind=str(x.kind), category=x.category, icon=x.icon,
            location=x.location, active=x.active, home_visit=x.home_visit,
            care=[c for c in (x.eligible_care or "").split(",") if c in CARE_CODES],
            min_age=str(x.eligible_min_age or ""),
        )
        self.edit_description = x.description
        self.edit_phone = x.contact_phone
        self.edit_cutoff = str(x.cancel_cutoff_minutes)
        self.edit_limit_count = str(x.limit_count or "")
        self.edit_limit_period = x.limit_period or ""
        self.errors = {}
        self.message = ""
        self.edit_open = True

    @rx.event
    def edit_open_change(self, is_open: bool):
        if not is_open:
            self.edit_open = False

    @rx.event
    async def save_type(self, form: dict):
        actor = self._staff_actor()
        if actor is None:
            yield self._login_redirect()
            return
        if self.busy or not self.edit_open:
            return
        self.errors = {}
        self.message = ""
        values = dict(
            name=_text(form, "name", 80),
            description=_text(form, "description", 600),
            kind=_text(form, "kind", 16),
            category=_text(form, "category", 32),
            icon=_text(form, "icon", 32) if _text(form, "icon", 32) in ICONS else "wrench",
            home_visit=bool(_text(form, "home_visit", 8)),
            eligible_care=[c for c in CARE_CODES if _text(form, f"care_{c}", 8)],
            eligible_min_age=_text(form, "eligible_min_age", 8) or None,
            cancel_cutoff_minutes=_text(form, "cancel_cutoff_minutes", 8),
            limit_count=_text(form, "limit_count", 8) or None,
            limit_period=_text(form, "limit_period", 8) or None,
            contact_phone=_text(form, "contact_phone", 40),
            location=_text(form, "location", 140),
        )
        edit_id = parse_id(self.edit_id)
        code = _text(form, "code", 40)
        self.busy = True
        yield

        def work(s):
            if edit_id is None:
                return catalogue.create_service_type(s, actor, code=code, **values).name
            return catalogue.update_service_type(s, actor, service_type_id=edit_id, **values).name

        try:
            name = await _write(work)
        except DomainError as err:
            self.busy = False
            if err.field:
                self.errors = {err.field: self._error_text(err)}
                # The dialog is long: bring the field with the error into view.
                yield rx.scroll_to("f-home_visit" if err.field == "eligible_care" else f"f-{err.field}")
            else:
                self.message = self._error_text(err)
            return
        self.busy = False
        self.edit_open = False
        self._query(actor)
        yield rx.toast.success(self._t("sbook.cat.saved", name=name))

    # ---- activate / deactivate ----
    @rx.event
    def ask_toggle(self, type_id: str):
        row = next((x for x in self.types if x.id == type_id), None) if isinstance(type_id, str) else None
        if row is None:
            return
        self.toggle_id = row.id
        self.toggle_name = row.name
        self.toggle_to_active = not row.active

    @rx.event
    def toggle_open_change(self, is_open: bool):
        if not is_open:
            self.toggle_id = ""

    @rx.event
    async def confirm_toggle(self):
        actor = self._staff_actor()
        if actor is None:
            yield self._login_redirect()
            return
        tid = parse_id(self.toggle_id)
        if tid is None or self.busy:
            return
        active = bool(self.toggle_to_active)
        self.busy = True
        yield
        try:
            await _write(lambda s: catalogue.set_service_type_active(s, actor, service_type_id=tid, active=active))
        except DomainError as err:
            self.busy = False
            self.toggle_id = ""
            yield rx.toast.error(self._error_text(err))
            return
        self.busy = False
        self.toggle_id = ""
        self._query(actor)
        yield rx.toast.success(self._t("sbook.cat.activated" if active else "sbook.cat.deactivated",
                                       name=self.toggle_name))

    # ---- schedules ----
    def _load_schedules(self, actor: Actor) -> str | None:
        tid = parse_id(self.sched_type_id)
        if tid is None:
            return None
        try:
            with db.session() as s:
                rules = catalogue.list_schedules(s, actor, service_type_id=tid)
        except DomainError as err:
            return self._error_text(err)
        self.schedules = [
            {
                "id": str(r.id),
                "mode": "month" if r.day_of_month is not None else "week",
                "day_of_month": str(r.day_of_month or ""),
                "weekday": str(r.weekday) if r.weekday is not None else "",
                "start": r.start_time.strftime("%H:%M"),
                "end": r.end_time.strftime("%H:%M"),
                "slot_minutes": str(r.slot_minutes),
                "places": str(r.places_per_slot),
                "location": r.location,
                "ahead": str(r.generate_days_ahead),
                "active": "1" if r.active else "",
            }
            for r in rules
        ]
        return None

    @rx.event
    def open_schedules(self, type_id: str):
        actor = self._staff_actor()
        if actor is None:
            return self._login_redirect()
        row = next((x for x in self.types if x.id == type_id and x.kind == ServiceKind.SLOT), None) \
            if isinstance(type_id, str) else None
        if row is None:
            return
        self.sched_type_id = row.id
        self.sched_type_name = row.name
        self.sched_form = False
        problem = self._load_schedules(actor)
        if problem:
            self.sched_type_id = ""
            return rx.toast.error(problem)

    @rx.event
    def schedules_open_change(self, is_open: bool):
        if not is_open:
            self.sched_type_id = ""
            self.sched_form = False

    @rx.event
    def new_schedule(self):
        if not self.sched_type_id:
            return
        self.sched_id = ""
        self.sched = {"day_of_month": "", "weekday": "4", "start": "09:00", "end": "11:00", "slot_minutes": "30",
                      "places": "1", "location": "", "ahead": "60", "active": "1"}
        self.sched_mode = "week"
        self.sched_errors = {}
        self.sched_message = ""
        self.sched_form = True

    @rx.event
    def edit_schedule(self, schedule_id: str):
        row = next((r for r in self.schedules if r["id"] == schedule_id), None) \
            if isinstance(schedule_id, str) else None
        if row is None:
            return
        self.sched_id = row["id"]
        self.sched = dict(row)
        self.sched_mode = row["mode"]
        self.sched_errors = {}
        self.sched_message = ""
        self.sched_form = True

    @rx.event
    def set_sched_mode(self, mode: str):
        self.sched_mode = mode if mode in ("week", "month") else "week"

    @rx.event
    def cancel_schedule_form(self):
        self.sched_form = False

    @rx.event
    async def save_schedule(self, form: dict):
        actor = self._staff_actor()
        if actor is None:
            yield self._login_redirect()
            return
        tid, sid = parse_id(self.sched_type_id), parse_id(self.sched_id)
        if tid is None or self.busy or not self.sched_form:
            return
        self.sched_errors = {}
        self.sched_message = ""
        start, end = _time(_text(form, "start_time", 8)), _time(_text(form, "end_time", 8))
        monthly = self.sched_mode == "month"
        values = dict(
            day_of_month=(_text(form, "day_of_month", 4) or None) if monthly else None,
            weekday=None if monthly else (_text(form, "weekday", 2) or None),
            start_time=start,
            end_time=end,
            slot_minutes=_text(form, "slot_minutes", 6),
            places_per_slot=_text(form, "places_per_slot", 6),
            location=_text(form, "location", 140),
            generate_days_ahead=_text(form, "generate_days_ahead", 6),
        )
        if monthly and values["day_of_month"] is None:
            self.sched_errors = {"day_of_month": self._t("catalogue.error.day_of_month_invalid")}
            return
        active = bool(_text(form, "active", 8))
        self.busy = True
        yield

        def work(s):
            if sid is None:
                return catalogue.add_schedule(s, actor, service_type_id=tid, **values)
            return catalogue.update_schedule(s, actor, schedule_id=sid, active=active, **values)

        try:
            await _write(work)
        except DomainError as err:
            self.busy = False
            if err.field:
                field = "day_of_month" if err.field == "service_type_id" else err.field
                self.sched_errors = {field: self._error_text(err)}
                yield rx.scroll_to(SCHEDULE_FIELD_IDS.get(field, "s-mode"))
            else:
                self.sched_message = self._error_text(err)
            return
        self.busy = False
        self.sched_form = False
        self._load_schedules(actor)
        yield rx.toast.success(self._t("sbook.sched.saved"))

    @rx.event
    async def generate_days(self):
        actor = self._staff_actor()
        if actor is None:
            yield self._login_redirect()
            return
        if self.busy:
            return
        self.busy = True
        yield
        try:
            n = await _write(lambda s: catalogue.generate_days_now(s, actor))
        except DomainError as err:
            self.busy = False
            yield rx.toast.error(self._error_text(err))
            return
        self.busy = False
        yield rx.toast.success(self._t("sbook.cat.generated", n=n))
