"""What the volunteering page states share: dates and times worded for the reader, hours as
text, and one way to run an action (busy flag, the service off the event loop, a toast or the
errors next to their fields)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import reflex as rx

from community_app.services.volunteering.common import zone_of
from community_app.settings import get_settings
from community_app.state.base import AppState, Outcome


def with_zone(fn):
    """A service call that also returns the community's zone: ``(value, zone)``."""
    def call(session, actor, *args, **kwargs):
        return fn(session, actor, *args, **kwargs), zone_of(session, actor.community_id)
    return call


def absolute(path: str) -> str:
    """A link on this site as a full URL (for a QR code the phone camera opens)."""
    return get_settings().app_origin.rstrip("/") + path


class VolBase(AppState):
    """Helpers for the volunteering states (no vars, no public handlers)."""

    def _weekday(self, d: date) -> str:
        return self._t(f"vol.weekday.{d.weekday()}")

    def _day(self, d: date) -> str:
        """11月26日（周四） / Thu 26 Nov."""
        if self._loc() == "en":
            return f"{d:%a} {d.day} {d:%b}"
        return self._t("vol.date", m=d.month, d=d.day, w=self._weekday(d))

    def _when(self, at: datetime | None, zone: ZoneInfo) -> str:
        if at is None:
            return ""
        local = at.astimezone(zone)
        return f"{self._day(local.date())} {local:%H:%M}"

    def _span(self, start: datetime, end: datetime, zone: ZoneInfo) -> str:
        a, b = start.astimezone(zone), end.astimezone(zone)
        return f"{self._day(a.date())} {a:%H:%M}–{b:%H:%M}"

    def _hour_number(self, minutes: int | None) -> str:
        """"1.5" (hours, one decimal at most)."""
        value = (minutes or 0) / 60
        return f"{value:.1f}".rstrip("0").rstrip(".") if value else "0"

    def _hours(self, minutes: int | None) -> str:
        """"1.5 小时" / "1.5 h"; under an hour "45 分钟" / "45 min"."""
        if minutes and minutes < 60:
            return self._t("vol.minutes_n", n=minutes)
        return self._t("vol.hours_n", n=self._hour_number(minutes))

    def _month(self, d: date) -> str:
        return self._t("vol.month", y=d.year, m=d.month)

    async def _do(self, fn, *args, ok_key: str = "", errors_attr: str = "", **kwargs):
        """Run a write action; returns (Outcome, event or None). A form's errors go to
        ``errors_attr`` (a dict var) when given."""
        out: Outcome = await self._run(fn, *args, write=True, **kwargs)
        if out.ok:
            if errors_attr:
                setattr(self, errors_attr, {})
            return out, (rx.toast.success(self._t(ok_key)) if ok_key else None)
        if out.error is not None and errors_attr and out.field:
            setattr(self, errors_attr, {out.field: self._error_text(out.error)})
            return out, None
        return out, self._refused(out)
