"""The promise as a clock (进展随时告知当事人).

Each open case shows the days since the parties last heard something (``last_feedback_at``: a
public update, a private message or a logged phone call or visit to a party). Two rules per
community (MediationSettings, editable by staff):

- quiet: an accepted case (调解中) whose parties have heard nothing for more than
  ``quiet_days`` days (counted in the community's calendar days) is flagged;
- unanswered: a new case (待受理) not answered within ``answer_hours`` hours is flagged.

Both are flagged on the staff home (a ``services/todo.py`` provider) and on the case board.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, select

from community_app import routes
from community_app.models import MediationCase, MediationSettings, ServiceType, utcnow
from community_app.services import audit
from community_app.services.access import Actor
from community_app.services.core.clock import day_bounds_utc, local_date, local_today
from community_app.services.core.text import clean_int
from community_app.services.core.tx import lock, mutating
from community_app.services.errors import NotAllowed, ValidationError
from community_app.services.mediation.common import can_mediate, community_zone_of

__all__ = ["ClockRules", "days_quiet", "flag_conditions", "get_rules", "is_late", "is_quiet", "mediation_todo",
           "update_rules"]

DEFAULT_QUIET_DAYS = 3
DEFAULT_ANSWER_HOURS = 24


@dataclass(frozen=True)
class ClockRules:
    community_id: int
    quiet_days: int = DEFAULT_QUIET_DAYS
    answer_hours: int = DEFAULT_ANSWER_HOURS
    room_type_id: int | None = None


def get_rules(session: Session, community_id: int) -> ClockRules:
    row = session.get(MediationSettings, community_id)
    if row is None:
        return ClockRules(community_id)
    return ClockRules(community_id, row.quiet_days, row.answer_hours, row.room_type_id)


@mutating
def update_rules(session: Session, actor: Actor, *, quiet_days, answer_hours, room_type_id=None,
                 community_id: int | None = None) -> ClockRules:
    """Staff set their community's promises: flag a case quiet after ``quiet_days`` (1-30) and
    a new case unanswered after ``answer_hours`` (1-168); ``room_type_id``: the room type used
    for sessions (a room of the community), or None for the one with code room_mediation.
    Audited. Commits."""
    cid = actor.community_id if community_id is None and actor is not None else community_id
    if not can_mediate(session, actor, cid):
        raise NotAllowed("error.staff_only")
    quiet = clean_int(quiet_days, field="quiet_days", key="mediation.error.quiet_days_invalid", lo=1, hi=30,
                      required=True)
    hours = clean_int(answer_hours, field="answer_hours", key="mediation.error.answer_hours_invalid", lo=1,
                      hi=168, required=True)
    room = clean_int(room_type_id, field="room_type_id", key="mediation.error.room_invalid", lo=1)
    if room is not None:
        stype = session.get(ServiceType, room)
        if stype is None or stype.community_id != cid or stype.category != "room":
            raise ValidationError("mediation.error.room_invalid", field="room_type_id")
    row = session.exec(lock(session, select(MediationSettings).where(MediationSettings.community_id == cid))).first()
    if row is None:
        row = MediationSettings(community_id=cid)
    row.quiet_days, row.answer_hours, row.room_type_id, row.updated_at = quiet, hours, room, utcnow()
    session.add(row)
    audit.record(session, actor, "mediation.settings.update", target_type="community", target_id=cid,
                 community_id=cid, quiet_days=quiet, answer_hours=hours, room_type_id=room)
    session.commit()
    return get_rules(session, cid)


def days_quiet(case: MediationCase, zone: ZoneInfo, now: datetime | None = None) -> int:
    """Calendar days (the community's) since the parties last heard something (since filing
    when they never did)."""
    last = case.last_feedback_at or case.created_at
    return max(0, (local_today(zone, now) - local_date(last, zone)).days)


def is_quiet(case: MediationCase, rules: ClockRules, zone: ZoneInfo, now: datetime | None = None) -> bool:
    return case.status == "in_progress" and days_quiet(case, zone, now) > rules.quiet_days


def is_late(case: MediationCase, rules: ClockRules, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return (case.status == "new" and case.first_answer_at is None
            and now - case.created_at > timedelta(hours=rules.answer_hours))


def flag_conditions(rules: ClockRules, zone: ZoneInfo, now: datetime | None = None) -> dict:
    """SQL conditions of the two flags, for lists and counts: {"quiet": ..., "late": ...}."""
    now = now or utcnow()
    # Quiet when the last news came before the start of (today - quiet_days), local time.
    first_quiet_day = local_today(zone, now) - timedelta(days=rules.quiet_days)
    cutoff, _ = day_bounds_utc(first_quiet_day, first_quiet_day, zone)
    last = func.coalesce(MediationCase.last_feedback_at, MediationCase.created_at)
    return {
        "quiet": (MediationCase.status == "in_progress") & (last < cutoff),
        "late": (MediationCase.status == "new") & MediationCase.first_answer_at.is_(None)
        & (MediationCase.created_at < now - timedelta(hours=rules.answer_hours)),
    }


def _count(session: Session, community_id: int, *conds) -> int:
    return int(session.exec(select(func.count(MediationCase.id))
                            .where(MediationCase.community_id == community_id, *conds)).one())


def mediation_todo(session: Session, actor: Actor) -> list:
    """The staff home's mediation items for the actor's community (``services/todo.py``): new
    cases not answered in time (urgent), quiet cases, other new cases, reopen requests and 回访
    due. (TodoItem is imported here: todo.py imports this provider.)"""
    from community_app.services.todo import TodoItem

    cid = actor.community_id
    if not can_mediate(session, actor, cid):
        return []
    rules = get_rules(session, cid)
    zone = community_zone_of(session, cid)
    flags = flag_conditions(rules, zone)
    today = local_today(zone)
    late = _count(session, cid, flags["late"])
    new = _count(session, cid, MediationCase.status == "new")
    return [
        TodoItem("mediation.late", "mediation.todo.late", late, f"{routes.STAFF_MEDIATION}?view=late", urgent=True),
        TodoItem("mediation.quiet", "mediation.todo.quiet", _count(session, cid, flags["quiet"]),
                 f"{routes.STAFF_MEDIATION}?view=quiet", urgent=True),
        TodoItem("mediation.new", "mediation.todo.new", new - late, f"{routes.STAFF_MEDIATION}?view=new"),
        TodoItem("mediation.reopen", "mediation.todo.reopen",
                 _count(session, cid, MediationCase.reopen_requested_at.is_not(None),
                        MediationCase.status == "closed"), f"{routes.STAFF_MEDIATION}?view=reopen", urgent=True),
        TodoItem("mediation.followup", "mediation.todo.followup",
                 _count(session, cid, MediationCase.status == "closed", MediationCase.followup_on <= today,
                        MediationCase.followup_done_at.is_(None)), f"{routes.STAFF_MEDIATION}?view=followup"),
    ]
