"""Staff: enrolments, waitlists (in line order) and join requests of their own community's people,
on the shared staff list (approve requests in bulk), with 移出 after a reason, and 代办报名 for a
resident who phoned or came in (find them, pick the course, enrol or put on the waitlist)."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.services import booking
from community_app.services.classes import enrolment, groups, staff_views
from community_app.services.core.paging import Page
from community_app.state.base import parse_id
from community_app.state.classes.base import ClassesBase, text_of
from community_app.state.listing import StaffListMixin, is_id


class StaffEnrolmentsState(StaffListMixin, ClassesBase):
    _bulk_done_key = "classes.staff.bulk_done"
    course_options: list[dict[str, str]] = []
    remove_id: str = ""
    remove_name: str = ""
    remove_error: str = ""
    # 代办
    results: list[dict[str, str]] = []
    searched: bool = False
    picked_id: str = ""
    picked_name: str = ""
    picked_course: str = ""
    agent_error: str = ""
    busy: bool = False

    def _filter_spec(self):
        return {"course": is_id, "status": lambda v: v in staff_views.STATUS_FILTERS, "q": lambda v: len(v) <= 40}

    def _default_filters(self):
        q = self.router.url.query_parameters
        course, status = q.get("course", ""), q.get("status", "")
        return {"course": course if is_id(course) else "",
                "status": status if status in staff_views.STATUS_FILTERS else "live", "q": ""}

    def _fetch(self, session, actor, filters, page) -> Page:
        result = staff_views.enrolment_page(session, actor, filters=filters, page=page)
        rows = []
        for e in result.items:
            status = self._t("classes.status.waiting_n", n=e.position) if e.status == "waiting" else \
                self._status(e.status, e.kind)
            notes = [self._t("classes.staff.behind")] if e.behind else []
            if e.on_behalf:
                notes.append(self._t("classes.note.on_behalf"))
            if not e.has_account:
                notes.append(self._t("classes.staff.no_account"))
            rows.append({
                "id": str(e.id), "can_select": "1" if e.can_decide else "", "name": e.name,
                "age": self._t("classes.person.age", n=e.age) if e.age is not None else self._t("classes.person.no_date"),
                "course": e.course_title, "course_href": routes.staff_class(e.course_id), "status": e.status,
                "status_text": status, "notes": " · ".join(notes),
                "can_remove": "1" if e.can_remove else "", "can_decide": "1" if e.can_decide else "",
            })
        return Page(rows, result.total, result.page, result.page_size)

    def _bulk(self, session, actor, ids):
        return staff_views.bulk_approve(session, actor, enrollment_ids=ids)

    @rx.event
    async def load(self):
        out = await self._run(staff_views.course_options, role="staff")
        if out.ok:
            self.course_options = [{"id": str(i), "name": t} for i, t in out.value]
        self.remove_id, self.results, self.searched, self.picked_id, self.agent_error = "", [], False, "", ""
        self.picked_course = self._default_filters()["course"]
        return await self.load_list()

    @rx.event
    def ask_remove(self, enrollment_id: str):
        row = next((r for r in self.rows if r["id"] == enrollment_id and r["can_remove"] == "1"), None)
        if row is not None:
            self.remove_id, self.remove_name, self.remove_error = enrollment_id, row["name"], ""

    @rx.event
    def keep(self):
        self.remove_id = ""

    @rx.event
    async def confirm_remove(self, form: dict):
        eid = parse_id(self.remove_id)
        if eid is None:
            return
        out = await self._run(enrolment.remove, write=True, role="staff", enrollment_id=eid,
                              reason=text_of(form, "reason", 200))
        if not out.ok:
            if out.signed_out:
                yield self._refused(out)
                return
            self.remove_error = self._err(out.error)
            return
        self.remove_id = ""
        yield await self._reload()
        yield rx.toast.success(self._t("classes.staff.removed"))

    @rx.event
    async def decide(self, enrollment_id: str, approve: bool):
        eid = parse_id(enrollment_id)
        if eid is None:
            return
        out = await self._run(groups.decide_request, write=True, role="staff", enrollment_id=eid,
                              approve=approve is True)
        refused = None if out.ok else self._refused(out)
        yield await self._reload()
        yield refused or rx.toast.success(self._t("classes.done.approved" if approve is True else "classes.done.declined"))

    # ---- 代办报名 ----
    @rx.event
    async def search(self, form: dict):
        out = await self._run(booking.find_residents, role="staff", query=text_of(form, "q", 64))
        self.searched = True
        if not out.ok:
            self.results = []
            yield self._refused(out)
            return
        self.results = [{"id": str(r.resident_id), "name": r.name, "mobile": r.mobile, "address": r.address,
                         "age": self._t("classes.person.age", n=r.age) if r.age is not None else ""}
                        for r in out.value]

    @rx.event
    def pick(self, resident_id: str):
        row = next((r for r in self.results if r["id"] == resident_id), None)
        if row is not None:
            self.picked_id, self.picked_name, self.agent_error = resident_id, row["name"], ""

    @rx.event
    def change_person(self):
        self.picked_id = ""

    @rx.event
    def pick_course(self, course_id: str):
        self.picked_course = course_id if is_id(course_id) else ""

    @rx.event
    async def enrol_for(self, waitlist: bool):
        rid, cid = parse_id(self.picked_id), parse_id(self.picked_course)
        if rid is None or cid is None or self.busy:
            self.agent_error = self._t("classes.staff.pick_both")
            return
        self.busy, self.agent_error = True, ""
        yield
        out = await self._run(enrolment.enrol_on_behalf, write=True, role="staff", course_id=cid, resident_id=rid,
                              waitlist=waitlist is True)
        self.busy = False
        if not out.ok:
            if out.signed_out:
                yield self._refused(out)
                return
            self.agent_error = self._err(out.error)
            return
        yield await self._reload()
        key = "classes.done.waiting" if out.value.status == "waiting" else "classes.done.enrolled"
        yield rx.toast.success(self.picked_name + " · " + self._t(key))
