"""我的任务 (/volunteer/tasks): the bookings assigned to me, my shifts and the elders I visit."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from community_app import routes
from community_app.services.volunteering import tasks
from community_app.state.volunteer.common import VolBase, with_zone
from community_app.state.volunteer.hub import ShiftRow, shift_rows


@dataclass
class TaskRow:
    id: int = 0
    service: str = ""
    icon: str = ""
    when: str = ""
    address: str = ""
    person: str = ""
    status: str = ""
    status_label: str = ""
    credited: str = ""
    href: str = ""


@dataclass
class VisitRow:
    id: int = 0
    name: str = ""
    address: str = ""
    due: str = ""
    overdue: bool = False


def task_rows(state: VolBase, cards, zone) -> list[TaskRow]:
    return [TaskRow(
        id=c.booking_id, service=c.service_name, icon=c.icon, when=state._when(c.scheduled_at, zone),
        address=c.address, person=c.resident_name, status=c.status,
        status_label=state._t(f"vol.task.status.{c.status}"),
        credited=state._t("vol.task.credited", hours=state._hours(c.credited_minutes)) if c.credited_minutes else "",
        href=routes.volunteer_task(c.booking_id)) for c in cards]


def visit_rows(state: VolBase, pairs) -> list[VisitRow]:
    return [VisitRow(p.id, p.elder_name, p.elder_address,
                     state._t("vol.visit.overdue_days", n=p.overdue_days) if p.overdue_days
                     else state._t("vol.visit.due_on", day=state._day(p.next_due)), p.overdue_days > 0)
            for p in pairs]


class VolTasksState(VolBase):
    loaded: bool = False
    open: list[TaskRow] = []
    done: list[TaskRow] = []
    shifts: list[ShiftRow] = []
    visits: list[VisitRow] = []

    @rx.event
    async def load(self):
        out = await self._run(with_zone(tasks.my_tasks))
        if not out.ok:
            return self._refused(out)
        mine, zone = out.value
        self.open = task_rows(self, mine.open, zone)
        self.done = task_rows(self, mine.done, zone)
        self.shifts = shift_rows(self, mine.shifts, zone)
        self.visits = visit_rows(self, mine.visits)
        self.loaded = True
        return None

    @rx.var
    def empty(self) -> bool:
        return not (self.open or self.done or self.shifts or self.visits)
