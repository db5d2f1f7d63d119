"""预约审批: the staff queue of bookings and requests, built on the generic staff list
(``state/listing.py``: filters, pages, selection, bulk approval behind a confirmation), with
the actions of one booking (通过, 不通过, 派单, 完成, 爽约, 取消预约) in dialogs and the detail
of one booking (also opened by a link: /staff/bookings?open=<id>). Which buttons a row has
comes from the service (``QueueItem.actions``); each action checks the same rule again."""

from __future__ import annotations

from datetime import datetime, timedelta

import reflex as rx

from community_app.i18n import t
from community_app.models import ACTIVE_STATUSES, BookingStatus
from community_app.services import booking, catalogue, registry
from community_app.services.core.clock import community_zone, local_today, zone_named
from community_app.services.core.paging import Page
from community_app.services.errors import DomainError
from community_app.state.base import AppState, parse_id
from community_app.state.bookings.common import (
    BookingMixin,
    form_text,
    local_text,
    options,
    parse_date,
    parse_time,
)
from community_app.state.listing import StaffListMixin, is_id, is_iso_date

PAGE_SIZE = 20
STATUS_FILTERS = ("active", "submitted", "approved", "assigned", "done", "declined", "cancelled", "no_show", "all")
DIALOGS = ("decline", "assign", "done", "noshow", "cancel")


def _flag(on: bool) -> str:
    return "1" if on else ""


def queue_row(it: booking.QueueItem, zone) -> dict[str, str]:
    """One row of the queue as strings for the browser; the buttons from the service's flags."""
    a = it.actions
    return {
        "id": str(it.booking_id), "service": it.service_name, "kind": str(it.kind), "status": str(it.status),
        "resident": it.resident_name, "mobile": it.resident_mobile, "address": it.address, "grid": it.grid_name,
        "description": it.description, "when": local_text(it.scheduled_at, zone),
        "created": local_text(it.created_at, zone, "%m-%d %H:%M"), "on_behalf": _flag(it.on_behalf),
        "assignee": it.assignee_name,
        "can_select": _flag(a.can_approve), "can_approve": _flag(a.can_approve), "can_decline": _flag(a.can_decline),
        "can_assign": _flag(a.can_assign), "can_done": _flag(a.can_done), "can_noshow": _flag(a.can_no_show),
    }


def _options(session, actor) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The service types and grids of the community, for the filters."""
    return (options(catalogue.list_service_types(session, actor), locale=actor.locale),
            options(registry.list_grids(session, actor)))


def _assign_choices(session, actor):
    """Whom the 派单 dialog offers (volunteers and staff, service teams), and tomorrow's date."""
    people = [{"id": str(a.account_id),
               "name": a.display_name + t("english.paren_open", actor.locale) + a.team_name + t("english.paren_close", actor.locale)
               if a.team_name else a.display_name}
              for a in booking.assignable_accounts(session, actor)]
    teams = options(registry.list_teams(session, actor))
    tomorrow = local_today(community_zone(session, actor.community_id)) + timedelta(days=1)
    return people, teams, tomorrow.isoformat()


def _approve_bulk(session, actor, ids: list[int]) -> tuple[int, int]:
    result = booking.bulk_approve(session, actor, booking_ids=ids)
    return len(result.approved), len(result.skipped)


class StaffQueueState(StaffListMixin, BookingMixin, AppState):
    type_options: list[dict[str, str]] = []
    grid_options: list[dict[str, str]] = []

    # One action dialog at a time: "decline" | "assign" | "done" | "noshow" | "cancel".
    dlg: str = ""
    dlg_id: str = ""
    dlg_title: str = ""
    dlg_errors: dict[str, str] = {}
    dlg_message: str = ""
    assignees: list[dict[str, str]] = []
    teams: list[dict[str, str]] = []
    assign_default_date: str = ""

    detail_open: bool = False
    detail: dict[str, str] = {}
    detail_times: list[str] = []
    detail_photos: list[str] = []
    detail_timeline: list[dict[str, str]] = []

    _bulk_done_key = "sbook.bulk.done"
    _bulk_question_key = "sbook.bulk.question"

    # ---- the list (StaffListMixin hooks) ----
    def _filter_spec(self):
        return {"type": is_id, "status": lambda v: v in STATUS_FILTERS, "from": is_iso_date, "to": is_iso_date,
                "grid": is_id}

    def _default_filters(self):
        return {"type": "", "status": "active", "from": "", "to": "", "grid": ""}

    def _fetch(self, session, actor, filters, page) -> Page:
        d_from, d_to = parse_date(filters["from"]), parse_date(filters["to"])
        if d_from and d_to and d_to < d_from:
            raise DomainError("sbook.queue.date_order", field="date_to")
        status = filters["status"]
        statuses = ([s.value for s in ACTIVE_STATUSES] if status == "active"
                    else status if status in {s.value for s in BookingStatus} else None)
        result = booking.staff_queue(session, actor, service_type_id=parse_id(filters["type"]), status=statuses,
                                     date_from=d_from, date_to=d_to, grid_id=parse_id(filters["grid"]),
                                     page=page, page_size=PAGE_SIZE)
        zone = community_zone(session, actor.community_id)
        return Page([queue_row(it, zone) for it in result.items], result.total, result.page, result.page_size)

    def _bulk(self, session, actor, ids):
        return _approve_bulk(session, actor, ids)

    @rx.event
    async def load(self):
        self.dlg = ""
        self.detail_open = False
        out = await self._run(_options, role="staff")
        if not out.ok:
            return self._load_refused(out)
        self.type_options, self.grid_options = out.value
        refused = await self._start_list()
        if refused is not None:
            return refused
        # Notification links for staff lead here as /staff/bookings?open=<id>.
        bid = parse_id(self.router.url.query_parameters.get("open", ""))
        if bid is not None and await self._load_detail(bid) is None:
            self.detail_open = True
        return None

    # ---- one booking ----
    @rx.event
    async def approve(self, booking_id: str):
        bid = parse_id(booking_id)
        if bid is None or self.busy:
            return
        self.busy = True
        yield
        out = await self._write(booking.approve, booking_id=bid, role="staff")
        self.busy = False
        if out.ok:
            self.selected = [i for i in self.selected if i != str(bid)]
        if not out.signed_out:
            await self._reload()
        yield self._done(out, "sbook.toast.approved")

    @rx.event
    async def open_dialog(self, kind: str, booking_id: str):
        bid = parse_id(booking_id)
        if kind not in DIALOGS or bid is None:
            return None
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
            out = await self._run(_assign_choices, role="staff")
            if not out.ok:
                return self._refused(out)
            self.assignees, self.teams, self.assign_default_date = out.value
        self.dlg = kind
        return None

    @rx.event
    def close_dialog(self):
        self.dlg = ""
        self.dlg_errors = {}
        self.dlg_message = ""

    @rx.event
    def dialog_open_change(self, is_open: bool):
        if not is_open:
            self.dlg = ""

    def _dialog_booking(self, kind: str) -> int | None:
        """The booking of the open dialog of this kind (None when none is open or busy)."""
        bid = parse_id(self.dlg_id)
        return bid if bid is not None and self.dlg == kind and not self.busy else None

    async def _dialog_action(self, fn, fields: dict[str, str], done_key: str, **kwargs):
        """Run a dialog's action off the loop: on success close it, refresh the rows (and the
        detail when it shows this booking); on a refusal say why next to the field or above
        the buttons and keep what was typed."""
        self.dlg_errors = {}
        self.dlg_message = ""
        self.busy = True
        yield
        out = await self._write(fn, role="staff", **kwargs)
        self.busy = False
        if not out.ok:
            if out.signed_out:
                yield self._refused(out)
                return
            self.dlg_errors, self.dlg_message = self._placed(out, fields)
            return
        self.dlg = ""
        await self._reload()
        if self.detail_open and self.detail.get("id") == self.dlg_id:
            await self._load_detail(int(self.dlg_id))
        yield rx.toast.success(self._t(done_key))

    @rx.event
    async def submit_decline(self, form: dict):
        bid = self._dialog_booking("decline")
        if bid is None:
            return
        reason = form_text(form, "reason", 400)
        if not reason:
            self.dlg_errors = {"reason": self._t("booking.error.reason_required")}
            self.dlg_message = ""
            return
        async for step in self._dialog_action(booking.decline, {"reason": "reason"}, "sbook.toast.declined",
                                              booking_id=bid, reason=reason):
            yield step

    @rx.event
    async def submit_assign(self, form: dict):
        bid = self._dialog_booking("assign")
        if bid is None:
            return
        name = form_text(form, "assignee_name", 80)
        # Any well-formed id goes to the service, which checks it belongs to the community
        # (and says so next to the field) rather than being dropped here without a word.
        account_id = parse_id(form_text(form, "assignee_account", 20))
        team_id = parse_id(form_text(form, "team_id", 20))
        day, at = parse_date(form_text(form, "visit_date", 20)), parse_time(form_text(form, "visit_time", 20))
        errors = {}
        if day is None:
            errors["visit_date"] = self._t("sbook.assign.date_required")
        if at is None:
            errors["visit_time"] = self._t("sbook.assign.time_required")
        if not name and account_id is None and team_id is None:
            errors["assignee_name"] = self._t("booking.error.assignee_required")
        if errors:
            self.dlg_errors, self.dlg_message = errors, ""
            return
        fields = {"assignee_name": "assignee_name", "assignee_account_id": "assignee_account", "team_id": "team_id",
                  "visit_at": "visit_date", "note": "note"}
        async for step in self._dialog_action(
                booking.assign, fields, "sbook.toast.assigned", booking_id=bid,
                visit_at=datetime.combine(day, at),  # naive = the community's local time
                assignee_name=name, assignee_account_id=account_id, team_id=team_id,
                note=form_text(form, "note", 300)):
            yield step

    @rx.event
    async def submit_done(self, form: dict):
        bid = self._dialog_booking("done")
        if bid is None:
            return
        async for step in self._dialog_action(booking.mark_done, {"note": "note"}, "sbook.toast.done",
                                              booking_id=bid, note=form_text(form, "note", 600)):
            yield step

    @rx.event
    async def confirm_noshow(self):
        bid = self._dialog_booking("noshow")
        if bid is None:
            return
        async for step in self._dialog_action(booking.mark_no_show, {}, "sbook.toast.no_show", booking_id=bid):
            yield step

    @rx.event
    async def submit_cancel(self, form: dict):
        """取消预约 by staff: any active booking of the community, at any time (the service
        checks the role and the community; the reason is optional and goes to the resident)."""
        bid = self._dialog_booking("cancel")
        if bid is None:
            return
        async for step in self._dialog_action(booking.cancel_booking, {"reason": "reason"}, "sbook.toast.cancelled",
                                              booking_id=bid, reason=form_text(form, "reason", 300)):
            yield step

    # ---- detail ----
    async def _load_detail(self, bid: int):
        """Load one booking into the detail; returns the event for a refusal, or None."""
        out = await self._run(booking.booking_detail, booking_id=bid, role="staff")
        if not out.ok:
            return self._refused(out)
        d: booking.BookingDetail = out.value
        zone = zone_named(d.timezone)
        sm = d.summary
        self.detail = {
            "id": str(sm.id), "service": sm.service_name, "kind": str(sm.kind), "status": str(sm.status),
            "resident": sm.resident_name, "mobile": d.resident_mobile, "address": d.address,
            "description": d.description, "when": sm.local_when,
            "location": sm.location if sm.location != d.address else "", "assignee": sm.assignee_name,
            "decline_reason": d.decline_reason, "completion_note": d.completion_note,
            "rating": "★" * (sm.rating or 0), "rating_comment": d.rating_comment, "on_behalf": _flag(sm.on_behalf),
            "created": local_text(sm.created_at, zone), "slot": str(sm.slot_number or ""),
            "can_cancel": _flag(d.actions.can_cancel),
        }
        self.detail_times = list(d.preferred_times)
        self.detail_photos = [str(p.id) for p in d.photos]
        loc = self._loc()
        self.detail_timeline = [
            {"status": str(step.status), "at": local_text(step.at, zone), "actor": step.actor_name,
             "note": step.note_text(loc), "assignee": step.assignee_name,
             "scheduled": local_text(step.scheduled_at, zone)}
            for step in d.timeline
        ]
        return None

    @rx.event
    async def show_detail(self, booking_id: str):
        bid = parse_id(booking_id)
        if bid is None:
            return None
        refused = await self._load_detail(bid)
        if refused is not None:
            return refused
        self.detail_open = True
        return None

    @rx.event
    def detail_open_change(self, is_open: bool):
        self.detail_open = bool(is_open)
