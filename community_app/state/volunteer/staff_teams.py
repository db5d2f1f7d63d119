"""服务队 desk (/staff/volunteer/teams[?f=pending]): the community's teams with members and
applications; a new team with its leader; for one team its applications (approve, decline),
members (remove), a new leader, and adding a resident directly (代办入队)."""

from __future__ import annotations

import reflex as rx

from community_app.services import booking
from community_app.services.core.paging import Page
from community_app.services.volunteering import teams
from community_app.state.base import parse_id
from community_app.state.listing import StaffListMixin
from community_app.state.volunteer.common import VolBase, with_zone


class StaffVolTeamsState(StaffListMixin, VolBase):
    create_open: bool = False
    errors: dict[str, str] = {}
    team_id: int = 0
    team_name: str = ""
    members: list[dict[str, str]] = []
    applications: list[dict[str, str]] = []
    query: str = ""
    found: list[dict[str, str]] = []
    picked_id: str = ""
    picked_name: str = ""

    def _filter_spec(self):
        return {"status": lambda v: v in ("", "pending")}

    def _default_filters(self):
        return {"status": "pending" if self.router.url.query_parameters.get("f") == "pending" else ""}

    def _fetch(self, session, actor, filters, page) -> Page:
        result = teams.teams_page(session, actor, pending_only=filters["status"] == "pending", page=page)
        rows = [{"id": str(t.id), "can_select": "", "name": t.name, "category": self._t(f"vol.category.{t.category}"),
                 "leader": t.leader_name, "members": self._t("vol.team.members_n", n=t.members),
                 "applications": self._t("vol.staff.applications_n", n=t.applications) if t.applications else ""}
                for t in result.items]
        return Page(rows, result.total, result.page, result.page_size)

    @rx.event
    async def load(self):
        self.create_open, self.team_id = False, 0
        return await self.load_list()

    # ---- searching residents (leader of a new team, a member to add, a new leader)

    @rx.event
    async def search(self, form: dict):
        q = str(form.get("q", ""))[:40] if isinstance(form, dict) else ""
        out = await self._run(lambda s, a: booking.find_residents(s, a, query=q, limit=10), role="staff")
        if not out.ok:
            return self._refused(out)
        self.query = q
        self.found = [{"id": str(m.resident_id), "name": m.name, "address": m.address} for m in out.value]
        return None

    @rx.event
    def pick(self, resident_id: str):
        row = next((r for r in self.found if r["id"] == resident_id), None)
        if row is not None:
            self.picked_id, self.picked_name = row["id"], row["name"]

    def _clear_search(self) -> None:
        self.query, self.found, self.picked_id, self.picked_name, self.errors = "", [], "", "", {}

    # ---- a new team

    @rx.event
    def open_create(self):
        self._clear_search()
        self.create_open = True

    @rx.event
    def close_create(self):
        self.create_open = False

    @rx.event
    async def submit_create(self, form: dict):
        form = form if isinstance(form, dict) else {}
        if self.busy:
            return
        self.busy = True
        yield
        out, event = await self._do(teams.create_team, name=form.get("name", ""),
                                    category=form.get("category", "other"), description=form.get("description", ""),
                                    leader_resident_id=parse_id(self.picked_id), ok_key="vol.staff.team_created",
                                    errors_attr="errors")
        self.busy = False
        if out.ok:
            self.create_open = False
            refused = await self._reload()
            yield refused or event
        elif event is not None:
            yield event

    # ---- one team

    async def _load_team(self, tid: int):
        out = await self._run(with_zone(lambda s, a: teams.team_detail(s, a, team_id=tid)), role="staff")
        if not out.ok:
            return self._refused(out)
        view, zone = out.value
        self.team_id, self.team_name = view.card.id, view.card.name
        self.members = [{"id": str(m.member_id), "name": m.name, "leader": "1" if m.is_leader else "",
                         "rid": str(m.resident_id)} for m in view.members]
        self.applications = [{"id": str(m.member_id), "name": m.name, "note": m.note,
                              "when": self._when(m.since, zone) if m.since else ""} for m in view.applications]
        return None

    @rx.event
    async def open_team(self, team_id: str):
        tid = parse_id(team_id)
        if tid is None or team_id not in {r["id"] for r in self.rows}:
            return None
        self._clear_search()
        return await self._load_team(tid)

    @rx.event
    def close_team(self):
        self.team_id = 0

    async def _team_act(self, fn, ok_key: str, **kw):
        if self.busy:
            return
        self.busy = True
        yield
        out, event = await self._do(fn, ok_key=ok_key, errors_attr="errors", **kw)
        self.busy = False
        if out.ok:
            self._clear_search()
            await self._load_team(self.team_id)
            refused = await self._reload()
            yield refused or event
        elif event is not None:
            yield event

    @rx.event
    async def decide(self, member_id: str, approve: bool):
        mid = parse_id(member_id)
        if mid is not None:
            async for step in self._team_act(teams.decide, "vol.staff.decided_ok", member_id=mid,
                                             approve=approve is True):
                yield step

    @rx.event
    async def remove(self, member_id: str):
        mid = parse_id(member_id)
        if mid is not None:
            async for step in self._team_act(teams.remove_member, "vol.staff.removed_ok", member_id=mid):
                yield step

    @rx.event
    async def add_picked(self):
        rid = parse_id(self.picked_id)
        if rid is not None:
            async for step in self._team_act(teams.add_member, "vol.staff.added_ok", team_id=self.team_id,
                                             resident_id=rid):
                yield step

    @rx.event
    async def make_leader(self):
        rid = parse_id(self.picked_id)
        if rid is not None:
            async for step in self._team_act(teams.set_leader, "vol.staff.leader_ok", team_id=self.team_id,
                                             leader_resident_id=rid):
                yield step
