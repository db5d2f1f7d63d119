"""Staff: the courses and groups list (their own and those partners share with them) on the
shared staff list, and the community's class rules (no-shows)."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.services.classes import common, courses, staff_views
from community_app.services.core import clock
from community_app.services.core.paging import Page
from community_app.state.classes.base import ClassesBase, text_of
from community_app.state.listing import StaffListMixin

KINDS = ("", *common.KINDS)
PROGRAMMES = ("", *common.PROGRAMMES)


class StaffClassesState(StaffListMixin, ClassesBase):
    no_show_limit: str = "3"
    no_show_days: str = "180"
    settings_errors: dict[str, str] = {}
    settings_busy: bool = False

    def _filter_spec(self):
        return {"kind": lambda v: v in KINDS, "programme": lambda v: v in PROGRAMMES,
                "status": lambda v: v in ("", "active", "closed"), "owner": lambda v: v in ("", "ours", "shared"),
                "q": lambda v: len(v) <= 40}

    def _default_filters(self):
        return {"kind": "", "programme": "", "status": "active", "owner": "", "q": ""}

    def _fetch(self, session, actor, filters, page) -> Page:
        result = staff_views.course_page(session, actor, filters=filters, page=page)
        zone = clock.community_zone(session, actor.community_id)
        rows = [{
            "id": str(c.id), "can_select": "", "title": c.title, "href": routes.staff_class(c.id),
            "kind": self._t(f"classes.kind.{c.kind}"), "programme": self._programme(c.programme),
            "teacher": c.teacher, "next": self._when(c.next_start, zone) if c.next_start else self._t("classes.card.no_sessions"),
            "places": f"{c.enrolled}/{c.capacity}", "waiting": str(c.waiting) if c.waiting else "",
            "requests": str(c.requests) if c.requests else "",
            "status": "active" if c.active else "closed",
            "status_text": self._t("classes.staff.active") if c.active else self._t("classes.staff.closed"),
            "owner": self._t("classes.staff.shared_by", name=c.owner) if c.owner else "",
            "enrol_href": routes.staff_enrolments(c.id),
        } for c in result.items]
        return Page(rows, result.total, result.page, result.page_size)

    @rx.event
    async def load(self):
        out = await self._run(courses.get_settings, role="staff")
        if out.ok:
            self.no_show_limit, self.no_show_days = str(out.value.no_show_limit), str(out.value.no_show_days)
        self.settings_errors = {}
        return await self.load_list()

    @rx.event
    async def save_settings(self, form: dict):
        if self.settings_busy:
            return
        self.settings_busy = True
        self.settings_errors = {}
        yield
        out = await self._run(courses.update_settings, write=True, role="staff",
                              no_show_limit=text_of(form, "no_show_limit", 12),
                              no_show_days=text_of(form, "no_show_days", 12))
        self.settings_busy = False
        if not out.ok:
            if out.error is not None and out.field:
                self.settings_errors = {out.field: self._err(out.error)}
                return
            yield self._refused(out)
            return
        self.no_show_limit, self.no_show_days = str(out.value.no_show_limit), str(out.value.no_show_days)
        yield rx.toast.success(self._t("classes.staff.settings_saved"))
