"""One task (/volunteer/tasks/<booking id>): a booking assigned to me — what, when, where, whom
to call, its timeline — and "done" with a note and the time it took. The assignment
notification and the day-before reminder link here."""

from __future__ import annotations

from dataclasses import dataclass, field

import reflex as rx

from community_app.services.volunteering import tasks
from community_app.state.base import parse_id
from community_app.state.volunteer.common import VolBase, with_zone


@dataclass
class TaskView:
    id: int = 0
    service: str = ""
    status: str = ""
    status_label: str = ""
    when: str = ""
    address: str = ""
    person: str = ""
    mobile: str = ""
    description: str = ""
    times: str = ""
    completion_note: str = ""
    credited: str = ""
    can_complete: bool = False
    default_minutes: str = "60"
    steps: list[str] = field(default_factory=list)


class VolTaskState(VolBase):
    loaded: bool = False
    found: bool = False
    load_error: str = ""
    t: TaskView = TaskView()
    open_done: bool = False
    busy: bool = False
    errors: dict[str, str] = {}

    def _booking_id(self) -> int | None:
        return parse_id((self.router.url.path or "").rstrip("/").rsplit("/", 1)[-1])

    async def _reload(self):
        bid = self._booking_id() or 0
        out = await self._run(with_zone(lambda s, a: tasks.task_detail(s, a, booking_id=bid)))
        self.loaded = True
        if not out.ok:
            if out.signed_out:
                return self._refused(out)
            self.found, self.load_error = False, self._error_text(out.error)
            return None
        d, zone = out.value
        c, b = d.card, d.detail
        self.t = TaskView(
            id=c.booking_id, service=c.service_name, status=c.status,
            status_label=self._t(f"vol.task.status.{c.status}"), when=self._when(c.scheduled_at, zone),
            address=c.address, person=c.resident_name, mobile=b.resident_mobile or c.resident_mobile,
            description=b.description, times=" / ".join(b.preferred_times), completion_note=b.completion_note,
            credited=self._t("vol.task.credited", hours=self._hours(c.credited_minutes)) if c.credited_minutes else "",
            can_complete=d.can_complete, default_minutes=str(d.default_minutes),
            steps=[f"{self._when(s.at, zone)}  {s.actor_name}  {self._t(s.label_key)}"
                   + (self._t("english.colon") + s.note_text(self._loc()) if s.note_text(self._loc()) else "") for s in b.timeline])
        self.found = True
        return None

    @rx.event
    async def load(self):
        self.open_done, self.errors = False, {}
        return await self._reload()

    @rx.event
    def start_done(self):
        if self.t.can_complete:
            self.open_done, self.errors = True, {}

    @rx.event
    def close_done(self):
        self.open_done = False

    @rx.event
    async def submit_done(self, form: dict):
        form = form if isinstance(form, dict) else {}
        note, minutes = form.get("note", ""), form.get("minutes", "")
        if self.busy or not self.t.id:
            return
        self.busy = True
        yield
        out, event = await self._do(tasks.complete_task, booking_id=self.t.id, note=note, minutes=minutes or None,
                                    ok_key="vol.task.done_ok", errors_attr="errors")
        self.busy = False
        if out.ok:
            self.open_done = False
            refused = await self._reload()
            yield refused or event
        elif event is not None:
            yield event
