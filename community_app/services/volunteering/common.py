"""Small helpers every volunteering module uses: random codes and the QR picture of a link,
names of residents, the community's zone and dates, who leads a team, ids from callers."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import segno
from sqlmodel import Session, select

from community_app.models import MemberStatus, Resident, Team, TeamMember, utcnow
from community_app.services.access import Actor, require_resident
from community_app.services.core.clock import community_zone, local_today
from community_app.services.errors import NotAllowed, NotFound, ValidationError

__all__ = [
    "MONTHS_BACK", "active_team_ids", "check_id", "digits", "get_resident", "is_leader", "leader_team_ids",
    "local_day", "month_first", "month_range", "qr_svg", "resident_names", "served_minutes", "today_in",
    "volunteer_identifier", "zone_of",
]

MONTHS_BACK = 24  # rankings and passbooks go back this far


def digits(n: int) -> str:
    """``n`` random digits (a venue code, a pick-up code)."""
    return "".join(secrets.choice("0123456789") for _ in range(n))


def qr_svg(text: str) -> str:
    """A QR code of ``text`` (a link the phone camera opens) as an SVG data URI."""
    return segno.make(text, error="m").svg_data_uri(scale=6, border=2, dark="#04321f")


def check_id(value, *, field: str = "id", key: str = "error.invalid") -> int:
    """A positive int id from a caller, or a ValidationError (never a crash on hostile input)."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0 or value >= 2**62:
        raise ValidationError(key, field=field)
    return value


def get_resident(session: Session, resident_id: int, *, key: str = "volunteer.error.resident_not_found") -> Resident:
    resident = session.get(Resident, resident_id) if isinstance(resident_id, int) else None
    if resident is None:
        raise NotFound(key)
    return resident


def resident_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return dict(session.exec(select(Resident.id, Resident.name).where(Resident.id.in_(wanted))).all())


def zone_of(session: Session, community_id: int) -> ZoneInfo:
    return community_zone(session, community_id)


def today_in(session: Session, community_id: int) -> date:
    return local_today(zone_of(session, community_id))


def local_day(at: datetime, zone: ZoneInfo) -> date:
    return at.astimezone(zone).date()


def month_first(day: date) -> date:
    return day.replace(day=1)


def month_range(first: date) -> tuple[date, date]:
    """[first day, first day of the next month) of the month starting ``first``."""
    nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, nxt


def served_minutes(start: datetime, end: datetime) -> int:
    return max(0, int((end - start).total_seconds() // 60))


def volunteer_identifier(community_code: str, resident_id: int) -> str:
    """The ID-free identifier exported with hours (no 身份证号): community code + register id."""
    return f"{community_code.upper()}-{resident_id:06d}"


# --------------------------------------------------------------------------- teams and leaders


def active_team_ids(session: Session, resident_id: int | None) -> set[int]:
    if resident_id is None:
        return set()
    return set(session.exec(select(TeamMember.team_id).where(
        TeamMember.resident_id == resident_id, TeamMember.status == MemberStatus.ACTIVE)).all())


def leader_team_ids(session: Session, actor: Actor | None) -> set[int]:
    if actor is None or actor.resident_id is None:
        return set()
    return set(session.exec(select(Team.id).where(Team.leader_resident_id == actor.resident_id)).all())


def is_leader(session: Session, actor: Actor | None, team_id: int | None) -> bool:
    """The actor is the team's leader (队长)."""
    if actor is None or actor.resident_id is None or team_id is None:
        return False
    team = session.get(Team, team_id)
    return team is not None and team.leader_resident_id == actor.resident_id


def require_volunteer_resident(actor: Actor | None) -> Actor:
    """A signed-in resident (volunteering is done by residents, staff act through the desk)."""
    require_resident(actor)
    return actor


def refuse_other_community(actor: Actor, community_id: int) -> None:
    if actor.community_id != community_id and not actor.can_staff(community_id):
        raise NotAllowed("volunteer.error.other_community")


def now() -> datetime:
    return utcnow()
