"""Publishing an activity with its shifts: the form both a team's leader (/volunteer/publish,
a phone page) and staff (a dialog on the activities desk) fill in. ``PublishForm`` is a mixin:
the rows of shifts (date, start, end, places, points) are edited in place, and the service
checks everything again."""

from __future__ import annotations

from datetime import date, timedelta

import reflex as rx

from community_app import routes
from community_app.services.volunteering import activities
from community_app.services.volunteering.activities import MAX_SHIFTS, ShiftInput
from community_app.state.base import AppState, parse_id

ROW_KEYS = ("day", "start", "end", "places", "points")


def _text(value) -> str | None:
    """A row value from the browser as text (number inputs may arrive as numbers), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and value == value and abs(value) < 10**9:
        return str(int(value))
    return value.strip()[:10] if isinstance(value, str) else None


class PublishForm(rx.State, mixin=True):
    p_rows: list[dict[str, str]] = []
    p_errors: dict[str, str] = {}
    p_message: str = ""
    p_busy: bool = False
    p_team: str = ""

    def _blank_row(self) -> dict[str, str]:
        last = self.p_rows[-1] if self.p_rows else {}
        day = last.get("day") or (date.today() + timedelta(days=2)).isoformat()
        rid = str(max((int(r.get("rid", "0")) for r in self.p_rows), default=0) + 1)
        return {"rid": rid, "day": day, "start": last.get("end", "09:00") if last else "09:00",
                "end": "11:00" if not last else last.get("end", "11:00"), "places": last.get("places", "6"),
                "points": last.get("points", "10")}

    def _reset_form(self, team: str = "") -> None:
        self.p_rows, self.p_errors, self.p_message, self.p_team = [], {}, "", team
        self.p_rows = [self._blank_row()]

    @rx.event
    def add_row(self):
        if len(self.p_rows) < MAX_SHIFTS:
            self.p_rows = [*self.p_rows, self._blank_row()]

    @rx.event
    def remove_row(self, index: int):
        if isinstance(index, int) and 0 <= index < len(self.p_rows) and len(self.p_rows) > 1:
            self.p_rows = [r for i, r in enumerate(self.p_rows) if i != index]

    @rx.event
    def set_row(self, index: int, key: str, value: str):
        value = _text(value)
        if isinstance(index, int) and 0 <= index < len(self.p_rows) and key in ROW_KEYS and value is not None:
            rows = [dict(r) for r in self.p_rows]
            rows[index][key] = value
            self.p_rows = rows

    @rx.event
    def set_team(self, value: str):
        self.p_team = value if isinstance(value, str) and (value == "" or parse_id(value)) else ""

    async def _publish(self, form: dict):
        """Publish from the form; returns the Outcome (errors set on the form when refused)."""
        form = form if isinstance(form, dict) else {}

        def value(i: int, key: str) -> str:  # what the form holds (the state may lag a keystroke behind)
            got = _text(form.get(f"{key}-{i}"))
            return got if got is not None else self.p_rows[i].get(key, "")

        shifts = [ShiftInput(*(value(i, k) for k in ROW_KEYS)) for i in range(len(self.p_rows))]
        team_id = parse_id(self.p_team)
        kw = dict(title=form.get("title", ""), description=form.get("description", ""),
                  location=form.get("location", ""), members_only=form.get("members_only") in ("on", True, "true"),
                  team_id=team_id, shifts=shifts)
        out = await self._run(activities.publish, write=True, **kw)
        if out.ok:
            self.p_errors, self.p_message = {}, ""
        elif out.error is not None:
            self.p_errors, self.p_message = self._form_errors(out.error)
        return out


class VolPublishState(PublishForm, AppState):
    """A team leader's page for publishing an activity of their team (?team=<id>)."""

    @rx.event
    def load(self):
        team = self.router.url.query_parameters.get("team", "")
        self._reset_form(team if parse_id(team) else "")

    @rx.event
    async def submit(self, form: dict):
        if self.p_busy:
            return
        self.p_busy = True
        yield
        out = await self._publish(form)
        self.p_busy = False
        if out.ok:
            yield [rx.toast.success(self._t("vol.publish.done")), rx.redirect(routes.volunteer_team(self.p_team))]
        elif out.signed_out:
            yield self._refused(out)
