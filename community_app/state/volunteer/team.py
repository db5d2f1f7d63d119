"""One team (/volunteer/teams/<id>): what it does, its leader; for members who is in it and the
leader's phone; for the leader (and staff) the applications to decide, its upcoming shifts
and the way to publish an activity."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from community_app import routes
from community_app.services.volunteering import activities, teams
from community_app.state.base import parse_id
from community_app.state.volunteer.common import VolBase, with_zone
from community_app.state.volunteer.hub import ShiftRow, shift_rows
from community_app.state.volunteer.teams import TeamRow, team_row


@dataclass
class PersonRow:
    id: int = 0
    name: str = ""
    note: str = ""
    since: str = ""
    leader: bool = False


def _detail(session, actor, team_id: int):
    view = teams.team_detail(session, actor, team_id=team_id)
    return view, activities.team_shifts(session, actor, team_id=team_id)


class VolTeamState(VolBase):
    loaded: bool = False
    found: bool = False
    load_error: str = ""
    team: TeamRow = TeamRow()
    members: list[PersonRow] = []
    applications: list[PersonRow] = []
    shifts: list[ShiftRow] = []
    can_manage: bool = False
    can_leave: bool = False
    leader_mobile: str = ""
    busy: bool = False
    ask_leave: bool = False

    def _team_id(self) -> int:
        return parse_id((self.router.url.path or "").rstrip("/").rsplit("/", 1)[-1]) or 0

    @rx.event
    async def load(self):
        tid = self._team_id()
        self.ask_leave = False
        out = await self._run(with_zone(lambda s, a: _detail(s, a, tid)))
        self.loaded = True
        if not out.ok:
            if out.signed_out:
                return self._refused(out)
            self.found, self.load_error = False, self._error_text(out.error)
            return None
        (view, cards), zone = out.value
        self.team = team_row(self, view.card)
        self.members = [PersonRow(m.member_id, m.name, "", self._when(m.since, zone) if m.since else "", m.is_leader)
                        for m in view.members]
        self.applications = [PersonRow(m.member_id, m.name, m.note, self._when(m.since, zone) if m.since else "")
                             for m in view.applications]
        self.shifts = shift_rows(self, cards, zone)
        self.can_manage, self.can_leave, self.leader_mobile = view.can_manage, view.can_leave, view.leader_mobile
        self.found = True
        return None

    async def _act(self, fn, ok_key: str, **kw):
        if self.busy:
            return
        self.busy = True
        yield
        out, event = await self._do(fn, ok_key=ok_key, **kw)
        self.busy = False
        refused = await self.load()
        yield refused or event

    @rx.event
    async def approve(self, member_id: int):
        mid = parse_id(member_id)
        if mid is not None:
            async for step in self._act(teams.decide, "vol.team.approved_ok", member_id=mid, approve=True):
                yield step

    @rx.event
    async def decline(self, member_id: int):
        mid = parse_id(member_id)
        if mid is not None:
            async for step in self._act(teams.decide, "vol.team.declined_ok", member_id=mid, approve=False):
                yield step

    @rx.event
    async def apply(self):
        async for step in self._act(teams.apply, "vol.team.applied_ok", team_id=self.team.id):
            yield step

    @rx.event
    def open_leave(self):
        self.ask_leave = True

    @rx.event
    def close_leave(self):
        self.ask_leave = False

    @rx.event
    async def leave(self):
        async for step in self._act(teams.leave, "vol.team.left_ok", team_id=self.team.id):
            yield step

    @rx.var
    def publish_href(self) -> str:
        return f"{routes.VOL_PUBLISH}?team={self.team.id}"

