"""What the mediation page states share: wording times in the reader's language and the
community's zone, and turning the service's timeline steps into rows with the text already
written. No vars, no public handlers here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from community_app import routes
from community_app.services.core.clock import local_today, zone_named
from community_app.services.mediation.views import StepView
from community_app.state.base import AppState

STEP_ICONS = {
    "filed": "file-text", "assigned": "user-check", "update": "message-square-text", "note": "lock",
    "message": "mail", "statement": "quote", "outcome": "scale", "closed": "circle-check-big",
    "followup_planned": "calendar-clock", "followup_done": "house", "reopen_requested": "rotate-ccw",
    "reopened": "rotate-ccw", "session_scheduled": "calendar-plus", "session_cancelled": "calendar-x",
    "session_held": "users",
}
STATUS_ICONS = {"new": "inbox", "in_progress": "messages-square", "closed": "circle-check-big"}
CATEGORY_ICONS = {
    "leak": "droplets", "noise": "volume-2", "pet": "dog", "parking": "car", "renovation": "hammer",
    "family": "heart", "elderly_support": "hand-heart", "property": "building", "other": "circle-help",
}


@dataclass
class StepRow:
    id: int = 0
    status: str = ""
    label: str = ""
    icon: str = "circle"
    at: str = ""
    who: str = ""
    lines: list[str] = field(default_factory=list)
    private: bool = False
    internal: bool = False
    tag: str = ""  # who may see it / how it happened, in words
    photos: list[str] = field(default_factory=list)
    mine: bool = False


class MediationBase(AppState):
    """Helpers for the mediation states (resident and staff)."""

    def _zone(self, name: str) -> ZoneInfo:
        return zone_named(name or None)

    def _date(self, d: date | None) -> str:
        if d is None:
            return ""
        return self._t("mediation.date", y=d.year, m=d.month, d=d.day, w=self._t(f"mediation.weekday.{d.weekday()}"))

    def _when(self, at: datetime | None, zone: ZoneInfo) -> str:
        """今天 09:15 / 昨天 18:02 / 11月26日（周四）09:15, in the community's zone."""
        if at is None:
            return ""
        local = at.astimezone(zone)
        today = local_today(zone)
        hm = local.strftime("%H:%M")
        days = (today - local.date()).days
        if days == 0:
            return self._t("mediation.when_today", hm=hm)
        if days == 1:
            return self._t("mediation.when_yesterday", hm=hm)
        if days == -1:
            return self._t("mediation.when_tomorrow", hm=hm)
        w = self._t(f"mediation.weekday.{local.weekday()}")
        if local.year != today.year:
            return self._t("mediation.when_year", y=local.year, m=local.month, d=local.day, w=w, hm=hm)
        return self._t("mediation.when", m=local.month, d=local.day, w=w, hm=hm)

    def _quiet_text(self, days: int | None) -> str:
        if days is None:
            return ""
        return self._t("mediation.quiet_today") if days == 0 else self._t("mediation.quiet_days", n=days)

    def _category(self, key: str) -> str:
        return self._t(f"mediation.category.{key}")

    def _status_label(self, key: str) -> str:
        return self._t(f"mediation.status.{key}")

    def _step_lines(self, st: StepView, zone: ZoneInfo) -> list[str]:
        lines: list[str] = []
        if st.status == "assigned" and st.note:
            lines.append(self._t("mediation.line.mediator", name=st.note))
        elif st.status in ("session_scheduled", "session_cancelled", "session_held") and st.session_when:
            lines.append(self._t("mediation.line.session", when=self._when(st.session_when, zone),
                                 location=st.session_location))
            if st.note:
                lines.append(st.note)
        elif st.status == "followup_planned" and st.note:
            try:
                lines.append(self._t("mediation.line.followup_on", day=self._date(date.fromisoformat(st.note))))
            except ValueError:
                lines.append(st.note)
        elif st.note_key:
            lines.append(self._t(st.note_key))
        elif st.note:
            lines.append(st.note)
        return lines

    def _step_row(self, st: StepView, zone: ZoneInfo, *, party_names: dict[int, str], staff: bool) -> StepRow:
        if st.mine:
            who = self._t("mediation.who.you")
        elif st.by_party:
            who = party_names.get(st.party_id or 0, st.actor_name)
        elif st.actor_name:
            who = self._t("mediation.who.staff", name=st.actor_name)
        else:
            who = ""
        tags = []
        if st.visibility == "private":
            if staff:
                tags.append(self._t("mediation.tag.private_with", name=party_names.get(st.party_id or 0, "")))
            else:
                tags.append(self._t("mediation.tag.private_you"))
        elif st.visibility == "internal":
            tags.append(self._t("mediation.tag.internal"))
        if st.channel in ("phone", "visit"):
            tags.append(self._t(f"mediation.channel.{st.channel}"))
        return StepRow(
            id=st.id, status=st.status, label=self._t(f"mediation.step.{st.status}"),
            icon=STEP_ICONS.get(st.status, "circle"), at=self._when(st.at, zone), who=who,
            lines=self._step_lines(st, zone), private=st.visibility == "private", internal=st.visibility == "internal",
            tag=" · ".join(tags), photos=[routes.case_photo(p) for p in st.photo_ids], mine=st.mine)
