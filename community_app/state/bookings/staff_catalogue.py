"""服务目录: the community's service types (create, edit, 停用 / 启用) and the schedule rules of
the slot-based ones (每周 / 每月), plus 立即生成 of the service days. The catalogue service
checks every value and the staff role."""

from __future__ import annotations

import dataclasses

import reflex as rx

from community_app.models import ServiceKind
from community_app.services import catalogue
from community_app.state.base import AppState, parse_id
from community_app.state.bookings.common import CARE_CODES, BookingMixin, form_text, parse_time

ICONS = ("scissors", "house", "wrench", "flame", "droplets", "lamp", "book-open", "users", "heart-pulse",
         "hand-helping")
CATEGORIES = catalogue.CATEGORIES
LIMIT_PERIODS = catalogue.LIMIT_PERIODS
SCHEDULE_FIELD_IDS = {
    "day_of_month": "s-day_of_month", "weekday": "s-weekday", "start_time": "s-start", "end_time": "s-end",
    "slot_minutes": "s-slot_minutes", "places_per_slot": "s-places", "generate_days_ahead": "s-ahead",
    "location": "s-location",
}


@dataclasses.dataclass
class TypeView:
    id: str = ""
    name: str = ""
    name_en: str = ""
    label: str = ""  # the name in the reader's language (the list, the dialogs)
    code: str = ""
    kind: str = ""
    category: str = ""
    icon: str = ""
    location: str = ""
    active: bool = True
    home_visit: bool = False
    staff_only: bool = False
    limit_count: str = ""
    limit_period: str = ""
    care: list[str] = dataclasses.field(default_factory=list)
    min_age: str = ""


def type_view(x, *, with_limit: bool = True, locale: str = "zh_CN") -> TypeView:
    return TypeView(
        id=str(x.id), name=x.name, name_en=x.name_en, label=x.name_in(locale), code=x.code, kind=str(x.kind), category=x.category, icon=x.icon,
        location=x.location, active=x.active, home_visit=x.home_visit, staff_only=x.staff_only,
        limit_count=str(x.limit_count or "") if with_limit and x.limit_period else "",
        limit_period=(x.limit_period or "") if with_limit and x.limit_count else "",
        care=[c for c in (x.eligible_care or "").split(",") if c in CARE_CODES],
        min_age=str(x.eligible_min_age or ""),
    )


def schedule_row(r) -> dict[str, str]:
    return {
        "id": str(r.id), "mode": "month" if r.day_of_month is not None else "week",
        "day_of_month": str(r.day_of_month or ""), "weekday": str(r.weekday) if r.weekday is not None else "",
        "start": r.start_time.strftime("%H:%M"), "end": r.end_time.strftime("%H:%M"),
        "slot_minutes": str(r.slot_minutes), "places": str(r.places_per_slot), "location": r.location,
        "ahead": str(r.generate_days_ahead), "active": "1" if r.active else "",
    }


def _types(session, actor) -> list[TypeView]:
    return [type_view(x, locale=actor.locale) for x in catalogue.list_service_types(session, actor)]


def _one_type(session, actor, type_id: int):
    x = catalogue.get_service_type(session, actor, service_type_id=type_id)
    return type_view(x, with_limit=False, locale=actor.locale), x.description, x.contact_phone, \
        x.cancel_cutoff_minutes, x.limit_count, x.limit_period, x.description_en


def _schedules(session, actor, type_id: int) -> list[dict[str, str]]:
    return [schedule_row(r) for r in catalogue.list_schedules(session, actor, service_type_id=type_id)]


def _save_type(session, actor, type_id: int | None, code: str, values: dict) -> str:
    if type_id is None:
        return catalogue.create_service_type(session, actor, code=code, **values).name_in(actor.locale)
    return catalogue.update_service_type(session, actor, service_type_id=type_id, **values).name_in(actor.locale)


def _save_schedule(session, actor, type_id: int, schedule_id: int | None, active: bool, values: dict) -> None:
    if schedule_id is None:
        catalogue.add_schedule(session, actor, service_type_id=type_id, **values)
    else:
        catalogue.update_schedule(session, actor, schedule_id=schedule_id, active=active, **values)


class StaffCatalogueState(BookingMixin, AppState):
    types: list[TypeView] = []
    loaded: bool = False
    busy: bool = False

    edit_open: bool = False
    edit_id: str = ""  # "" = a new type
    edit: TypeView = TypeView()
    edit_description: str = ""
    edit_description_en: str = ""
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

    async def _query(self):
        """Read the types again; returns the event for a refusal, or None."""
        out = await self._run(_types, role="staff")
        if not out.ok:
            return self._load_refused(out)
        self.types = out.value
        self.loaded = True
        return None

    @rx.event
    async def load(self):
        self.edit_open = False
        self.toggle_id = ""
        self.sched_type_id = ""
        return await self._query()

    # ---- create / edit ----
    @rx.event
    def new_type(self):
        self.edit_id = ""
        self.edit = TypeView(kind="request", category="other", icon="wrench")
        self.edit_description = ""
        self.edit_description_en = ""
        self.edit_phone = ""
        self.edit_cutoff = "120"
        self.edit_limit_count = ""
        self.edit_limit_period = ""
        self.errors = {}
        self.message = ""
        self.edit_open = True

    @rx.event
    async def edit_type(self, type_id: str):
        tid = parse_id(type_id)
        if tid is None:
            return None
        out = await self._run(_one_type, tid, role="staff")
        if not out.ok:
            return self._refused(out)
        view, description, phone, cutoff, limit_count, limit_period, description_en = out.value
        self.edit_id = view.id
        self.edit = view
        self.edit_description = description
        self.edit_description_en = description_en
        self.edit_phone = phone
        self.edit_cutoff = str(cutoff)
        self.edit_limit_count = str(limit_count or "")
        self.edit_limit_period = limit_period or ""
        self.errors = {}
        self.message = ""
        self.edit_open = True
        return None

    @rx.event
    def edit_open_change(self, is_open: bool):
        if not is_open:
            self.edit_open = False

    @rx.event
    async def save_type(self, form: dict):
        if self.busy or not self.edit_open:
            return
        self.errors = {}
        self.message = ""
        icon = form_text(form, "icon", 32)
        values = dict(
            name=form_text(form, "name", 80),
            description=form_text(form, "description", 600),
            name_en=form_text(form, "name_en", 80),
            description_en=form_text(form, "description_en", 600),
            kind=form_text(form, "kind", 16),
            category=form_text(form, "category", 32),
            icon=icon if icon in ICONS else "wrench",
            home_visit=bool(form_text(form, "home_visit", 8)),
            staff_only=bool(form_text(form, "staff_only", 8)),
            eligible_care=[c for c in CARE_CODES if form_text(form, f"care_{c}", 8)],
            eligible_min_age=form_text(form, "eligible_min_age", 8) or None,
            cancel_cutoff_minutes=form_text(form, "cancel_cutoff_minutes", 8),
            limit_count=form_text(form, "limit_count", 8) or None,
            limit_period=form_text(form, "limit_period", 8) or None,
            contact_phone=form_text(form, "contact_phone", 40),
            location=form_text(form, "location", 140),
        )
        self.busy = True
        yield
        out = await self._write(_save_type, parse_id(self.edit_id), form_text(form, "code", 40), values, role="staff")
        self.busy = False
        if not out.ok:
            if out.signed_out:
                yield self._refused(out)
            elif out.field:
                self.errors = {out.field: self._error_text(out.error)}
                # The dialog is long: bring the field with the error into view.
                yield rx.scroll_to("f-home_visit" if out.field == "eligible_care" else f"f-{out.field}")
            else:
                self.message = self._error_text(out.error)
            return
        self.edit_open = False
        await self._query()
        yield rx.toast.success(self._t("sbook.cat.saved", name=out.value))

    # ---- activate / deactivate ----
    @rx.event
    def ask_toggle(self, type_id: str):
        row = next((x for x in self.types if x.id == type_id), None) if isinstance(type_id, str) else None
        if row is None:
            return
        self.toggle_id = row.id
        self.toggle_name = row.label
        self.toggle_to_active = not row.active

    @rx.event
    def toggle_open_change(self, is_open: bool):
        if not is_open:
            self.toggle_id = ""

    @rx.event
    async def confirm_toggle(self):
        tid = parse_id(self.toggle_id)
        if tid is None or self.busy:
            return
        active = bool(self.toggle_to_active)
        self.busy = True
        yield
        out = await self._write(catalogue.set_service_type_active, service_type_id=tid, active=active, role="staff")
        self.busy = False
        self.toggle_id = ""
        if out.ok:
            await self._query()
        yield self._done(out, "sbook.cat.activated" if active else "sbook.cat.deactivated", name=self.toggle_name)

    # ---- schedules ----
    async def _load_schedules(self):
        """Read the open type's rules again; returns the event for a refusal, or None."""
        tid = parse_id(self.sched_type_id)
        if tid is None:
            return None
        out = await self._run(_schedules, tid, role="staff")
        if not out.ok:
            return self._refused(out)
        self.schedules = out.value
        return None

    @rx.event
    async def open_schedules(self, type_id: str):
        row = next((x for x in self.types if x.id == type_id and x.kind == ServiceKind.SLOT), None) \
            if isinstance(type_id, str) else None
        if row is None:
            return None
        self.sched_type_id = row.id
        self.sched_type_name = row.label
        self.sched_form = False
        refused = await self._load_schedules()
        if refused is not None:
            self.sched_type_id = ""
        return refused

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
        tid, sid = parse_id(self.sched_type_id), parse_id(self.sched_id)
        if tid is None or self.busy or not self.sched_form:
            return
        self.sched_errors = {}
        self.sched_message = ""
        monthly = self.sched_mode == "month"
        values = dict(
            day_of_month=(form_text(form, "day_of_month", 4) or None) if monthly else None,
            weekday=None if monthly else (form_text(form, "weekday", 2) or None),
            start_time=parse_time(form_text(form, "start_time", 8)),
            end_time=parse_time(form_text(form, "end_time", 8)),
            slot_minutes=form_text(form, "slot_minutes", 6),
            places_per_slot=form_text(form, "places_per_slot", 6),
            location=form_text(form, "location", 140),
            generate_days_ahead=form_text(form, "generate_days_ahead", 6),
        )
        if monthly and values["day_of_month"] is None:
            self.sched_errors = {"day_of_month": self._t("catalogue.error.day_of_month_invalid")}
            return
        self.busy = True
        yield
        out = await self._write(_save_schedule, tid, sid, bool(form_text(form, "active", 8)), values, role="staff")
        self.busy = False
        if not out.ok:
            if out.signed_out:
                yield self._refused(out)
            elif out.field:
                field = "day_of_month" if out.field == "service_type_id" else out.field
                self.sched_errors = {field: self._error_text(out.error)}
                yield rx.scroll_to(SCHEDULE_FIELD_IDS.get(field, "s-mode"))
            else:
                self.sched_message = self._error_text(out.error)
            return
        self.sched_form = False
        await self._load_schedules()
        yield rx.toast.success(self._t("sbook.sched.saved"))

    @rx.event
    async def generate_days(self):
        if self.busy:
            return
        self.busy = True
        yield
        out = await self._write(catalogue.generate_days_now, role="staff")
        self.busy = False
        yield self._done(out, "sbook.cat.generated", n=out.value if out.ok else 0)
