"""Staff: one course or group (new or existing): the form, open / close enrolment, sharing with
partner communities, and the sessions: upcoming ones with their check-in codes (cancel with a
reason), past ones with their attendance sheets, and adding single dates or a weekly rule with
skipped dates. A partner's shared course is shown read-only with its sessions and sheets."""

from __future__ import annotations

import re
from dataclasses import dataclass

import reflex as rx

from community_app import routes
from community_app.services.classes import courses, sessions
from community_app.services.classes.common import get_course, zone_of
from community_app.state.base import parse_id
from community_app.state.classes.base import ClassesBase, text_of

FORM_FIELDS = ("kind", "programme", "title", "description", "teacher", "teacher_account_id", "room_type_id",
               "location", "min_age", "max_age", "capacity")


@dataclass
class SessionRow:
    id: str = ""
    when: str = ""
    location: str = ""
    code: str = ""
    cancelled: bool = False
    note: str = ""
    room_problem: bool = False
    sheet_href: str = ""


def _dates(raw: str) -> list[str]:
    """"2026-12-24, 2026-12-31" (any separators) as a list; the service checks each."""
    return [d for d in re.split(r"[\s,，、;；]+", raw or "") if d][:60]


class StaffCourseState(ClassesBase):
    is_new: bool = True
    found: bool = True
    loaded: bool = False
    can_manage: bool = True
    owner: str = ""
    active: bool = True
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    message: str = ""
    busy: bool = False
    teachers: list[dict[str, str]] = []
    rooms: list[dict[str, str]] = []
    partners: list[dict[str, str]] = []
    shares: list[str] = []
    upcoming: list[SessionRow] = []
    past: list[SessionRow] = []
    weekdays: list[str] = []
    session_errors: dict[str, str] = {}
    cancel_id: str = ""
    cancel_error: str = ""
    close_open: bool = False
    enrol_href: str = ""
    register_href: str = ""

    def _course_id(self) -> int | None:
        return parse_id(self.router.page.params.get("course_id", ""))

    def _rows(self, views, zone) -> list[SessionRow]:
        return [SessionRow(str(v.id), self._when(v.starts_at, zone, end=v.ends_at), v.location, v.checkin_code,
                           v.status == "cancelled", v.note, v.room_problem, routes.staff_class_sheet(v.id))
                for v in views]

    async def _load_sessions(self, course_id: int):
        def both(s, a):
            return (sessions.course_sessions(s, a, course_id=course_id),
                    sessions.course_sessions(s, a, course_id=course_id, upcoming=False, limit=30),
                    zone_of(s, get_course(s, course_id)))

        out = await self._run(both, role="staff")
        if out.ok:
            upcoming, past, zone = out.value
            self.upcoming, self.past = self._rows(upcoming, zone), self._rows(past, zone)

    @rx.event
    async def load(self):
        course_id = self._course_id()
        self.is_new = course_id is None
        self.errors, self.message, self.session_errors = {}, "", {}
        self.cancel_id, self.close_open, self.weekdays = "", False, []
        out = await self._run(courses.edit_view, role="staff", course_id=course_id)
        self.loaded = True
        if not out.ok:
            self.found = False
            return self._refused(out) if out.signed_out else None
        v: courses.EditView = out.value
        self.found, self.can_manage, self.owner = True, v.can_manage, v.owner
        self.teachers = [{"id": str(o.id), "name": o.name} for o in v.teachers]
        self.rooms = [{"id": str(o.id), "name": o.name} for o in v.rooms]
        self.partners = [{"id": str(o.id), "name": o.name} for o in v.partners]
        self.shares = [str(i) for i in v.shares]
        c = v.course
        if c is None:
            self.values = {"kind": "course", "programme": "elderly", "capacity": "20", "teacher_account_id": "",
                           "room_type_id": "", "title": "", "description": "", "teacher": "", "location": "",
                           "min_age": "", "max_age": ""}
            self.upcoming, self.past, self.active = [], [], True
            return None
        self.active = c.active
        self.values = {k: "" if getattr(c, k) is None else str(getattr(c, k)) for k in FORM_FIELDS}
        self.enrol_href, self.register_href = routes.staff_enrolments(c.id), routes.class_register(c.id)
        await self._load_sessions(c.id)
        return None

    @rx.event
    def set_value(self, key: str, value: str):
        if key in FORM_FIELDS and isinstance(value, str):
            self.values = {**self.values, key: value[:1000]}

    @rx.event
    async def save(self, form: dict):
        if self.busy:
            return
        values = {k: text_of(form, k) for k in FORM_FIELDS if k in form}
        values.update({k: self.values.get(k, "") for k in ("kind", "programme", "teacher_account_id", "room_type_id")})
        self.values = {**self.values, **values}
        fields = courses.CourseFields(**values)
        self.busy, self.errors, self.message = True, {}, ""
        yield
        cid = self._course_id()
        if cid is None:
            out = await self._run(courses.create_course, write=True, role="staff", fields=fields)
        else:
            out = await self._run(courses.update_course, write=True, role="staff", course_id=cid, fields=fields)
        self.busy = False
        if not out.ok:
            if out.signed_out:
                yield self._refused(out)
                return
            self.errors, self.message = self._form_errors(out.error)
            return
        yield rx.toast.success(self._t("classes.staff.saved"))
        if cid is None:
            yield rx.redirect(routes.staff_class(out.value.id))

    @rx.event
    def ask_close(self):
        self.close_open = True

    @rx.event
    def keep_open(self):
        self.close_open = False

    @rx.event
    async def set_active(self, on: bool):
        cid = self._course_id()
        self.close_open = False
        if cid is None:
            return
        out = await self._run(courses.set_course_active, write=True, role="staff", course_id=cid, active=on is True)
        if not out.ok:
            yield self._refused(out)
            return
        self.active = out.value.active
        yield rx.toast.success(self._t("classes.staff.opened" if self.active else "classes.staff.closed_done"))

    @rx.event
    def toggle_share(self, community_id: str, on: bool):
        if parse_id(community_id) is None or community_id not in {p["id"] for p in self.partners}:
            return
        rest = [s for s in self.shares if s != community_id]
        self.shares = [*rest, community_id] if on is True else rest

    @rx.event
    async def save_shares(self):
        cid = self._course_id()
        if cid is None:
            return
        ids = [int(s) for s in self.shares if parse_id(s)]
        out = await self._run(courses.set_shares, write=True, role="staff", course_id=cid, community_ids=ids)
        if not out.ok:
            yield self._refused(out)
            return
        yield rx.toast.success(self._t("classes.staff.shares_saved"))

    @rx.event
    def toggle_weekday(self, day: str):
        if day not in {str(i) for i in range(7)}:
            return
        self.weekdays = [d for d in self.weekdays if d != day] if day in self.weekdays else sorted([*self.weekdays, day])

    async def _add(self, fn, **kw):
        cid = self._course_id()
        if cid is None or self.busy:
            return
        self.busy, self.session_errors = True, {}
        yield
        out = await self._run(fn, write=True, role="staff", course_id=cid, **kw)
        self.busy = False
        if not out.ok:
            if out.signed_out:
                yield self._refused(out)
                return
            self.session_errors = {out.field or "form": self._err(out.error)}
            return
        n = len(out.value) if isinstance(out.value, list) else 1
        await self._load_sessions(cid)
        yield rx.toast.success(self._t("classes.staff.sessions_added", n=n))

    @rx.event
    async def add_single(self, form: dict):
        async for ev in self._add(sessions.add_session, day=text_of(form, "day", 12), start=text_of(form, "start", 8),
                                  end=text_of(form, "end", 8)):
            yield ev

    @rx.event
    async def add_weekly(self, form: dict):
        async for ev in self._add(sessions.add_weekly, weekdays=[int(d) for d in self.weekdays],
                                  start=text_of(form, "w_start", 8), end=text_of(form, "w_end", 8),
                                  first=text_of(form, "first", 12), last=text_of(form, "last", 12),
                                  skip=_dates(text_of(form, "skip", 800))):
            yield ev

    @rx.event
    def ask_cancel(self, session_id: str):
        if any(r.id == session_id for r in self.upcoming):
            self.cancel_id, self.cancel_error = session_id, ""

    @rx.event
    def keep_session(self):
        self.cancel_id = ""

    @rx.event
    async def cancel_session(self, form: dict):
        sid, cid = parse_id(self.cancel_id), self._course_id()
        if sid is None or cid is None:
            return
        out = await self._run(sessions.cancel_session, write=True, role="staff", session_id=sid,
                              reason=text_of(form, "reason", 200))
        if not out.ok:
            if out.signed_out:
                yield self._refused(out)
                return
            self.cancel_error = self._err(out.error)
            return
        self.cancel_id = ""
        await self._load_sessions(cid)
        yield rx.toast.success(self._t("classes.staff.session_cancelled"))
