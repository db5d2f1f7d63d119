"""服务队 (/volunteer/teams): the community's teams and my standing in each; apply to join."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from community_app import routes
from community_app.services.volunteering import teams
from community_app.state.base import parse_id
from community_app.state.volunteer.common import VolBase


@dataclass
class TeamRow:
    id: int = 0
    name: str = ""
    category: str = ""
    description: str = ""
    leader: str = ""
    members: str = ""
    status: str = ""
    status_label: str = ""
    can_apply: bool = False
    href: str = ""


def team_row(state: VolBase, c: teams.TeamCard) -> TeamRow:
    return TeamRow(c.id, c.name, c.category, c.description,
                   state._t("vol.team.leader", name=c.leader_name) if c.leader_name else "",
                   state._t("vol.team.members_n", n=c.members), c.my_status,
                   state._t(f"vol.team.status.{c.my_status}") if c.my_status else "", c.can_apply,
                   routes.volunteer_team(c.id))


class VolTeamsState(VolBase):
    loaded: bool = False
    rows: list[TeamRow] = []
    apply_id: int = 0
    apply_name: str = ""
    busy: bool = False
    errors: dict[str, str] = {}

    @rx.event
    async def load(self):
        out = await self._run(lambda s, a: teams.list_teams(s, a) if a.resident_id else [])
        if not out.ok:
            return self._refused(out)
        self.rows, self.loaded = [team_row(self, c) for c in out.value], True
        return None

    @rx.event
    def ask(self, team_id: int):
        tid = parse_id(team_id)
        row = next((r for r in self.rows if r.id == tid and r.can_apply), None)
        if row is not None:
            self.apply_id, self.apply_name, self.errors = row.id, row.name, {}

    @rx.event
    def close(self):
        self.apply_id = 0

    @rx.event
    async def submit(self, form: dict):
        note = form.get("note", "") if isinstance(form, dict) else ""
        if not self.apply_id or self.busy:
            return
        self.busy = True
        yield
        out, event = await self._do(teams.apply, team_id=self.apply_id, note=note, ok_key="vol.team.applied_ok",
                                    errors_attr="errors")
        self.busy = False
        if out.ok:
            self.apply_id = 0
            refused = await self.load()
            yield refused or event
        elif event is not None:
            yield event
