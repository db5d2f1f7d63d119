"""诉求 on the staff desk: the queue (urgent and unanswered first, filters, the hotline form) and
one 诉求 (the five steps as public replies, internal notes, assignment, triage, closing)."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from community_app import routes
from community_app.i18n import t
from community_app.services.core.clock import community_zone
from community_app.services.core.paging import Page
from community_app.services.register import requests, requests_desk, search
from community_app.state.base import AppState, parse_id
from community_app.state.listing import StaffListMixin, is_id
from community_app.state.register.common import when

CATEGORIES = (*requests.CATEGORIES, requests.OPINION_CATEGORY)


def _text(form: dict, key: str) -> str:
    value = form.get(key, "") if isinstance(form, dict) else ""
    return value if isinstance(value, str) else ""


def _queue(session, actor, filters: dict, page: int):
    result = requests_desk.request_queue(
        session, actor, status=filters["status"], category=filters["category"], grid_id=parse_id(filters["grid"]),
        urgent=filters["urgent"], q=filters["q"], page=page, page_size=20)
    return result, community_zone(session, actor.community_id)


class StaffRequestsState(StaffListMixin, AppState):
    grid_options: list[dict[str, str]] = []
    hotline_open: bool = False
    hotline_errors: dict[str, str] = {}
    hotline_kind: str = "report"
    hotline_urgent: bool = False
    hotline_category: str = ""
    caller_q: str = ""
    callers: list[dict[str, str]] = []
    caller: dict[str, str] = {}

    def _filter_spec(self):
        return {"status": lambda v: v in requests_desk.QUEUE_STATUSES, "category": lambda v: v == "" or v in CATEGORIES,
                "grid": is_id, "urgent": lambda v: v in ("", "1", "0"), "q": lambda v: len(v) <= 40}

    def _default_filters(self):
        return {"status": "open", "category": "", "grid": "", "urgent": "", "q": ""}

    def _fetch(self, session, actor, filters, page) -> Page:
        result, zone = _queue(session, actor, filters, page)
        loc = self._loc()
        rows = [{
            "id": str(r.id), "can_select": "", "href": routes.staff_request(r.id), "kind": r.kind,
            "what": t(f"request.category.{r.category}", loc), "description": r.description[:120],
            "location": r.location, "urgent": "1" if r.urgent else "", "status": r.status,
            "status_label": t(f"request.status.{r.status}", loc), "resident": r.resident, "grid": r.grid,
            "assignee": r.assignee, "created": when(r.created_at, zone, loc),
            "due": when(r.due_at, zone, loc) if r.waiting else "", "overdue": "1" if r.overdue else "",
        } for r in result.items]
        return Page(rows, result.total, result.page, result.page_size)

    @rx.event
    async def load(self):
        out = await self._run(lambda s, a: search.register_options(s, a).grids, role="staff")
        if not out.ok:
            return self._refused(out)
        self.grid_options = [{"id": str(i), "name": n} for i, n in out.value]
        spec, query = self._filter_spec(), self.router.url.query_parameters
        filters = self._default_filters()
        for key in filters:
            value = query.get(key)
            if isinstance(value, str) and spec[key](value.strip()[:40]):
                filters[key] = value.strip()[:40]
        self.filters, self.page, self.selected = filters, 1, []
        return await self._reload()

    # ---- the hotline (热线代登记)
    @rx.event
    def open_hotline(self):
        self.hotline_open, self.hotline_errors, self.hotline_kind, self.hotline_urgent = True, {}, "report", False
        self.hotline_category, self.caller_q, self.callers, self.caller = "", "", [], {}

    @rx.event
    def close_hotline(self):
        self.hotline_open = False

    @rx.event
    def set_hotline(self, key: str, value):
        if key == "kind" and value in ("report", "opinion"):
            self.hotline_kind = value
        elif key == "urgent":
            self.hotline_urgent = value is True
        elif key == "category" and value in requests.CATEGORIES:
            self.hotline_category = value

    @rx.event
    async def find_caller(self, form: dict):
        q = _text(form, "caller_q").strip()[:40]
        self.caller_q = q
        if not q:
            self.callers = []
            return
        out = await self._run(search.search_register, filters={"q": q}, page=1, page_size=6, role="staff")
        if not out.ok:
            return self._refused(out)
        self.callers = [{"id": str(r.resident_id), "name": r.name, "address": r.address, "mobile": r.mobile}
                        for r in out.value.items]

    @rx.event
    def pick_caller(self, resident_id: str):
        self.caller = next((c for c in self.callers if c["id"] == resident_id), {})

    @rx.event
    async def submit_hotline(self, form: dict):
        if self.busy:
            return
        self.busy = True
        yield
        out = await self._run(requests_desk.report_on_behalf, resident_id=parse_id(self.caller.get("id", "")),
                              kind=self.hotline_kind, category=self.hotline_category,
                              description=_text(form, "description"), location=_text(form, "location"),
                              urgent=self.hotline_urgent, write=True, role="staff")
        self.busy = False
        if not out.ok:
            if out.error is not None:
                self.hotline_errors = {out.error.field or "description": self._error_text(out.error)}
            else:
                yield self._refused(out)
            return
        self.hotline_open = False
        yield rx.redirect(routes.staff_request(out.value.id))


@dataclass
class StepView:
    status: str = ""
    label: str = ""
    actor: str = ""
    at: str = ""
    note: str = ""
    public: bool = True


@dataclass
class RequestView:
    id: int = 0
    kind: str = ""
    what: str = ""
    category: str = ""
    description: str = ""
    location: str = ""
    urgent: bool = False
    status: str = ""
    status_label: str = ""
    created: str = ""
    due: str = ""
    waiting: bool = False
    resident: str = ""
    mobile: str = ""
    household_href: str = ""
    grid: str = ""
    assignee: str = ""
    assignee_id: str = ""
    close_reason: str = ""
    rating: int = 0
    rating_comment: str = ""
    can_act: bool = False
    can_review: bool = False


def _detail(session, actor, request_id: int):
    return (requests.request_detail(session, actor, request_id=request_id), requests_desk.staff_choices(session, actor),
            community_zone(session, actor.community_id))


class StaffRequestState(AppState):
    found: bool = False
    loaded: bool = False
    r: RequestView = RequestView()
    steps: list[StepView] = []
    photos: list[str] = []
    staff_options: list[dict[str, str]] = []
    step: str = "respond"
    busy: bool = False
    errors: dict[str, str] = {}
    close_open: bool = False

    def _request_id(self) -> int | None:
        return parse_id(self.router.page.params.get("request_id", ""))

    @rx.event
    async def load(self):
        rid = self._request_id()
        self.loaded, self.close_open, self.errors = False, False, {}
        out = await self._run(_detail, rid or 0, role="staff")
        self.loaded = True
        if not out.ok:
            self.found = False
            return None if out.error is not None else self._refused(out)
        d, staff, zone = out.value
        loc, s = self._loc(), out.value[0].summary
        self.found = True
        waiting = d.responded_at is None and s.status != "closed"
        self.r = RequestView(
            s.id, s.kind, t(f"request.category.{s.category}", loc), s.category, s.description, s.location, s.urgent,
            s.status, t(f"request.status.{s.status}", loc), when(s.created_at, zone, loc),
            when(d.due_at, zone, loc), waiting, d.resident_name, d.resident_mobile,
            routes.staff_household(d.household_id) if d.household_id else "", d.grid, d.assignee,
            str(d.assignee_id or ""), d.close_reason, s.rating or 0, d.rating_comment, d.can_act, d.can_review)
        self.steps = [StepView(st.status, t(st.label_key, loc), st.actor_name, when(st.at, zone, loc),
                               st.note_text(loc), bool(st.extra.get("public", True))) for st in d.steps]
        self.photos = [routes.request_photo(p) for p in d.photo_ids]
        self.staff_options = [{"id": str(i), "name": n} for i, n in staff]
        self.step = "respond" if waiting else ("review" if d.can_review else "inform")
        return None

    @rx.event
    def pick_step(self, value: str):
        if value in requests.STEPS:
            self.step = value

    async def _act(self, fn, done_key: str, **kwargs):
        if self.busy:
            return
        self.busy = True
        yield
        out = await self._run(fn, request_id=self.r.id, write=True, role="staff", **kwargs)
        self.busy = False
        if not out.ok:
            if out.error is not None:
                self.errors = {out.error.field or "note": self._error_text(out.error)}
                yield rx.toast.error(self._error_text(out.error))
            else:
                yield self._refused(out)
            return
        self.errors = {}
        yield rx.set_value("req-note", "")
        yield rx.toast.success(self._t(done_key))
        yield StaffRequestState.load

    @rx.event
    async def reply(self, form: dict):
        async for e in self._act(requests_desk.add_step, "request.desk.replied", step=self.step,
                                 note=_text(form, "note")):
            yield e

    @rx.event
    async def internal(self, form: dict):
        async for e in self._act(requests_desk.add_note, "request.desk.noted", note=_text(form, "internal")):
            yield e

    @rx.event
    async def assign(self, account_id: str):
        aid = parse_id(account_id)
        if aid is None:
            return
        async for e in self._act(requests_desk.assign_request, "request.desk.assigned", account_id=aid):
            yield e

    @rx.event
    async def triage(self, category: str, urgent: bool):
        if category not in requests.CATEGORIES and category != requests.OPINION_CATEGORY:
            return
        async for e in self._act(requests_desk.triage, "request.desk.triaged", category=category,
                                 urgent=urgent is True):
            yield e

    @rx.event
    def open_close(self):
        self.close_open, self.errors = True, {}

    @rx.event
    def cancel_close(self):
        self.close_open = False

    @rx.event
    async def close(self, form: dict):
        async for e in self._act(requests_desk.close_request, "request.desk.closed", reason=_text(form, "reason")):
            yield e
