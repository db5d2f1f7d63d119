"""Wording shared by the classes pages: dates in the community's zone, ages, programmes,
statuses. No vars and no public handlers here."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from community_app.services.core import clock
from community_app.services.errors import DomainError
from community_app.state.base import AppState

PROGRAMME_ICONS = {"early_years": "baby", "youth": "graduation-cap", "elderly": "flower-2", "talks": "megaphone",
                   "skills": "scissors", "arts": "music"}


def text_of(form: dict, name: str, limit: int = 1000) -> str:
    value = form.get(name, "") if isinstance(form, dict) else ""
    return value[:limit] if isinstance(value, str) else ""


class ClassesBase(AppState):
    """Helpers for the classes pages (underscore names only)."""

    def _weekday(self, at: datetime) -> str:
        return self._t(f"classes.weekday.{at.weekday()}")

    def _when(self, at: datetime | None, zone: ZoneInfo, *, end: datetime | None = None) -> str:
        """今天 09:30 / 明天（周五）09:30 / 11月26日（周四）09:30, with "–10:30" when ``end`` is given."""
        if at is None:
            return ""
        local, today = at.astimezone(zone), clock.local_today(zone)
        hm = local.strftime("%H:%M") + (("–" + end.astimezone(zone).strftime("%H:%M")) if end else "")
        days = (local.date() - today).days
        if days == 0:
            return self._t("classes.when_today", hm=hm)
        if days == 1:
            return self._t("classes.when_tomorrow", w=self._weekday(local), hm=hm)
        return self._t("classes.when", m=local.month, d=local.day, w=self._weekday(local), hm=hm)

    def _ages(self, ages: str) -> str:
        if not ages:
            return self._t("classes.ages.all")
        if ages.endswith("+"):
            return self._t("classes.ages.from", n=ages[:-1])
        lo, _, hi = ages.partition("-")
        return self._t("classes.ages.range", lo=lo, hi=hi)

    def _programme(self, programme: str) -> str:
        return self._t(f"classes.programme.{programme}")

    def _status(self, status: str, kind: str = "course") -> str:
        if status == "enrolled" and kind == "group":
            return self._t("classes.status.member")
        return self._t(f"classes.status.{status}")

    def _refusal(self, key: str, params: dict) -> str:
        return self._t(key, **params) if key else ""

    def _err(self, err: DomainError | None) -> str:
        return self._error_text(err) if err is not None else ""
