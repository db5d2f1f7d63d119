"""The staff case board (调解台账), on the shared staff list (``StaffListMixin``): by status or
flag (not answered in time, quiet too long, reopen asked, 回访 due), category and a search; and
the community's promise settings (quiet days, answer hours, the mediation room)."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.services.core.paging import Page
from community_app.services.mediation import clocks, views
from community_app.services.mediation.common import CATEGORIES, community_zone_of
from community_app.services.mediation.sessions import room_choices
from community_app.state.listing import StaffListMixin
from community_app.state.mediation.base import MediationBase

BOARD_CHOICES = [(v, f"mediation.board.view.{v}") for v in views.BOARD_VIEWS]


class StaffBoardState(StaffListMixin, MediationBase):
    settings_open: bool = False
    settings: dict[str, str] = {}
    room_options: list[dict[str, str]] = []
    settings_errors: dict[str, str] = {}

    def _filter_spec(self):
        return {"view": lambda v: v in views.BOARD_VIEWS, "category": lambda v: v == "" or v in CATEGORIES,
                "q": lambda v: len(v) <= 40}

    def _default_filters(self):
        wanted = self.router.url.query_parameters.get("view", "")
        return {"view": wanted if wanted in views.BOARD_VIEWS else "open", "category": "", "q": ""}

    def _fetch(self, session, actor, filters, page) -> Page:
        result = views.staff_board(session, actor, view=filters["view"], category=filters["category"],
                                   query=filters["q"], page=page, page_size=20)
        zone = community_zone_of(session, actor.community_id)
        rows = []
        for r in result.items:
            flag = ""
            if r.late:
                flag = self._t("mediation.board.flag_late")
            elif r.quiet:
                flag = self._t("mediation.board.flag_quiet")
            elif r.reopen_requested:
                flag = self._t("mediation.board.flag_reopen")
            elif r.followup_due:
                flag = self._t("mediation.board.flag_followup")
            rows.append({
                "id": str(r.id), "can_select": "", "href": routes.staff_mediation_case(r.id), "number": r.number,
                "category": self._category(r.category), "title": r.title, "status": r.status,
                "status_label": self._status_label(r.status), "parties": r.parties,
                "mediator": r.mediator or self._t("mediation.board.no_mediator"), "created": self._when(r.created_at, zone),
                "quiet": self._quiet_text(r.days_quiet), "flag": flag,
                "on_behalf": self._t("mediation.board.on_behalf") if r.on_behalf else "",
            })
        return Page(rows, result.total, result.page, result.page_size)

    @rx.event
    async def open_settings(self):
        def work(s, a):
            return clocks.get_rules(s, a.community_id), room_choices(s, a)

        out = await self._run(work, role="staff")
        if not out.ok:
            return self._refused(out)
        rules, rooms = out.value
        self.settings = {"quiet_days": str(rules.quiet_days), "answer_hours": str(rules.answer_hours),
                         "room_type_id": str(rules.room_type_id or "")}
        self.room_options = [{"id": "", "name": self._t("mediation.settings.room_default")}] + [
            {"id": str(i), "name": n} for i, n in rooms]
        self.settings_errors = {}
        self.settings_open = True
        return None

    @rx.event
    def close_settings(self):
        self.settings_open = False

    @rx.event
    def settings_change(self, open_: bool):
        if open_ is not True:
            self.settings_open = False

    @rx.event
    async def save_settings(self, form: dict):
        def value(name):
            v = form.get(name, "") if isinstance(form, dict) else ""
            return v[:12] if isinstance(v, str) else ""

        out = await self._run(clocks.update_rules, write=True, role="staff", quiet_days=value("quiet_days"),
                              answer_hours=value("answer_hours"), room_type_id=value("room_type_id") or None)
        if not out.ok:
            if out.field and not out.signed_out:
                self.settings_errors, _ = self._form_errors(out.error)
                return None
            return self._refused(out)
        self.settings_open = False
        refused = await self._reload()
        return refused or rx.toast.success(self._t("mediation.settings.saved"))
