"""志愿 (the tab): my points, hours and rank this month, the doors to tasks, the shop, my
redemptions, teams, rankings and visits, and the shifts I can sign up for (one tap and a
confirmation)."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from community_app import routes
from community_app.services.volunteering import activities, views
from community_app.state.base import parse_id
from community_app.state.volunteer.common import VolBase, with_zone


@dataclass
class ShiftRow:
    id: int = 0
    title: str = ""
    team: str = ""
    when: str = ""
    location: str = ""
    places: str = ""  # 还剩 2 个名额 / 已满
    points: str = ""  # +10 积分
    state: str = "open"  # open / full / signed_up / waiting
    state_label: str = ""
    href: str = ""


@dataclass
class Summary:
    balance: int = 0
    hours: str = ""
    rank: str = ""
    month_points: int = 0
    open_tasks: int = 0
    pending: int = 0
    is_volunteer: bool = False
    teams: str = ""
    leads: bool = False


def shift_rows(state: VolBase, cards, zone) -> list[ShiftRow]:
    out = []
    for c in cards:
        if c.my_status in ("signed_up", "attended"):
            st = "signed_up"
        elif c.my_status == "waiting":
            st = "waiting"
        else:
            st = "full" if c.free <= 0 else "open"
        out.append(ShiftRow(
            id=c.shift_id, title=c.title, team=c.team_name, when=state._span(c.starts_at, c.ends_at, zone),
            location=c.location,
            places=state._t("vol.shift.places_left", n=c.free, m=c.capacity) if c.free > 0
            else state._t("vol.shift.places_full", m=c.capacity),
            points=state._t("vol.points_plus", n=c.points) if c.points else "", state=st,
            state_label=state._t(f"vol.shift.state.{st}"), href=routes.volunteer_shift(c.shift_id)))
    return out


class VolHubState(VolBase):
    loaded: bool = False
    no_resident: bool = False  # a staff account with no resident record: volunteering is on the desk
    summary: Summary = Summary()
    shifts: list[ShiftRow] = []
    pending_id: int = 0
    pending_title: str = ""
    pending_when: str = ""
    pending_wait: bool = False
    busy: bool = False

    def _fetch(self, session, actor):
        if actor.resident_id is None:
            return None
        return views.hub_summary(session, actor), activities.open_shifts(session, actor, limit=20)

    @rx.event
    async def load(self):
        out = await self._run(with_zone(self._fetch))
        if not out.ok:
            return self._refused(out)
        value, zone = out.value
        self.loaded = True
        self.no_resident = value is None
        if value is None:
            return None
        s, cards = value
        self.summary = Summary(
            balance=s.balance, hours=self._hour_number(s.year_minutes),
            rank=self._t("vol.hub.rank_n", n=s.month_rank) if s.month_rank else self._t("vol.hub.rank_none"),
            month_points=s.month_points, open_tasks=s.open_tasks, pending=s.pending_redemptions,
            is_volunteer=s.is_volunteer, teams=self._t("english.list_sep").join(s.team_names), leads=bool(s.leader_team_ids))
        rows = shift_rows(self, cards, zone)
        if not s.is_volunteer:  # they see what is on, and that joining a team comes first
            for r in rows:
                r.state, r.state_label = "locked", self._t("vol.shift.state.locked")
        self.shifts = rows
        self.loaded = True
        return None

    @rx.event
    def ask(self, shift_id: int):
        sid = parse_id(shift_id)
        row = next((r for r in self.shifts if r.id == sid), None)
        if row is None or row.state not in ("open", "full"):
            return
        self.pending_id, self.pending_title, self.pending_when = row.id, row.title, row.when
        self.pending_wait = row.state == "full"

    @rx.event
    def close(self):
        self.pending_id = 0

    @rx.event
    async def confirm(self):
        if not self.pending_id or self.busy:
            return
        self.busy = True
        yield
        fn = activities.join_waitlist if self.pending_wait else activities.sign_up
        out, event = await self._do(fn, shift_id=self.pending_id,
                                    ok_key="vol.shift.waiting_done" if self.pending_wait else "vol.shift.signed_up_done")
        self.busy = False
        self.pending_id = 0
        if out.ok:
            reload = await self.load()
            yield reload or event
        else:
            yield event
