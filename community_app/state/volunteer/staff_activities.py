"""志愿活动 desk (/staff/volunteer/activities[?f=short]): the community's activities with their
places (filter: upcoming, short of people, past, cancelled; by team), publishing one with its
shifts, and cancelling one with a reason (everyone signed up is told)."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.services import registry
from community_app.services.core.paging import Page
from community_app.services.volunteering import activities
from community_app.services.volunteering.activities import ACTIVITY_FILTERS
from community_app.services.volunteering.common import zone_of
from community_app.state.base import parse_id
from community_app.state.listing import StaffListMixin, is_id
from community_app.state.volunteer.common import VolBase
from community_app.state.volunteer.publish import PublishForm


class StaffVolActivitiesState(StaffListMixin, PublishForm, VolBase):
    teams: list[dict[str, str]] = []
    publish_open: bool = False
    cancel_id: int = 0
    cancel_title: str = ""
    cancel_errors: dict[str, str] = {}

    def _filter_spec(self):
        return {"status": lambda v: v in ACTIVITY_FILTERS, "team": is_id}

    def _default_filters(self):
        wanted = self.router.url.query_parameters.get("f", "")
        return {"status": wanted if wanted in ACTIVITY_FILTERS and wanted else "upcoming", "team": ""}

    def _fetch(self, session, actor, filters, page) -> Page:
        result = activities.activities_page(session, actor, status=filters["status"],
                                            team_id=parse_id(filters["team"]), page=page)
        zone = zone_of(session, actor.community_id)
        rows = [{"id": str(a.id), "can_select": "", "title": a.title, "team": a.team_name,
                 "when": self._span(a.starts_at, a.ends_at, zone), "location": a.location,
                 "shifts": self._t("vol.staff.shifts_n", n=a.shifts),
                 "places": self._t("vol.shift.places_of", n=a.taken, m=a.places),
                 "short": "1" if a.taken < a.places and a.status == "open" else "",
                 "points": self._t("vol.points_plus", n=a.points) if a.points else "",
                 "status": a.status, "status_label": self._t(f"vol.shift.state.{a.status}"),
                 "href": routes.volunteer_shift(a.first_shift_id) if a.first_shift_id else ""} for a in result.items]
        return Page(rows, result.total, result.page, result.page_size)

    @rx.event
    async def load(self):
        out = await self._run(lambda s, a: [{"id": str(t.id), "name": t.name} for t in registry.list_teams(s, a)],
                              role="staff")
        if not out.ok:
            return self._refused(out)
        self.teams = out.value
        self.publish_open, self.cancel_id = False, 0
        return await self.load_list()

    @rx.event
    def open_publish(self):
        self._reset_form()
        self.publish_open = True

    @rx.event
    def close_publish(self):
        self.publish_open = False

    @rx.event
    async def submit_publish(self, form: dict):
        if self.p_busy:
            return
        self.p_busy = True
        yield
        out = await self._publish(form)
        self.p_busy = False
        if out.ok:
            self.publish_open = False
            refused = await self._reload()
            yield refused or rx.toast.success(self._t("vol.publish.done"))
        elif out.signed_out:
            yield self._refused(out)

    @rx.event
    def ask_cancel(self, activity_id: str):
        row = next((r for r in self.rows if r["id"] == activity_id and r["status"] == "open"), None)
        if row is not None:
            self.cancel_id, self.cancel_title, self.cancel_errors = int(row["id"]), row["title"], {}

    @rx.event
    def close_cancel(self):
        self.cancel_id = 0

    @rx.event
    async def submit_cancel(self, form: dict):
        reason = form.get("reason", "") if isinstance(form, dict) else ""
        if not self.cancel_id or self.busy:
            return
        self.busy = True
        yield
        out, event = await self._do(activities.cancel_activity, activity_id=self.cancel_id, reason=reason,
                                    ok_key="vol.staff.cancelled_ok", errors_attr="cancel_errors")
        self.busy = False
        if out.ok:
            self.cancel_id = 0
            refused = await self._reload()
            yield refused or event
        elif event is not None:
            yield event
