"""Builders for the volunteering tests: a team with a leader and members, an activity with
shifts, goods, and actors re-read from the database (roles change when someone joins)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from community_app.models import Account, Activity, Reward, RewardOffer, Shift, Team
from community_app.services.access import Actor, load_actor
from community_app.services.volunteering import activities, teams
from community_app.services.volunteering.activities import ShiftInput
from tests.conftest import World, build_world
from tests.unit.test_booking import add_resident

SHANGHAI = ZoneInfo("Asia/Shanghai")


def fresh(session: Session, actor: Actor) -> Actor:
    """The actor as the server would resolve it now (roles included)."""
    return load_actor(session, session.get(Account, actor.account_id))


@dataclass
class VolWorld:
    w: World
    team: Team
    leader: Actor  # 李秀英 leads 银发爱心义剪队
    member: Actor  # 张建国, member
    outsider: Actor  # a resident who is not a volunteer
    staff: Actor
    other_staff: Actor


def build(session: Session, w: World | None = None) -> VolWorld:
    w = w or build_world(session)
    team = teams.create_team(session, w.staff, name="银发爱心义剪队", category="haircut",
                             leader_resident_id=w.resident.resident_id)
    app = teams.apply(session, w.resident2, team_id=team.id, note="我会理发")
    teams.decide(session, fresh(session, w.resident), member_id=app.id, approve=True)
    outsider = add_resident(session, w.community_id, "王芳", "13800000003")
    return VolWorld(w, team, fresh(session, w.resident), fresh(session, w.resident2), outsider, w.staff,
                    w.other_staff)


def local(day_offset: int, hh: int, mm: int = 0) -> tuple[str, str]:
    d = datetime.now(SHANGHAI).date() + timedelta(days=day_offset)
    return d.isoformat(), f"{hh:02d}:{mm:02d}"


def publish(session: Session, actor: Actor, team_id: int | None, *, days: int = 3, places: int = 2, points: int = 10,
            shifts: int = 1, members_only: bool = False, title: str = "义剪") -> tuple[Activity, list[Shift]]:
    day = (datetime.now(SHANGHAI).date() + timedelta(days=days)).isoformat()
    inputs = [ShiftInput(day, f"{9 + 2 * i:02d}:00", f"{11 + 2 * i:02d}:00", places, points) for i in range(shifts)]
    act = activities.publish(session, actor, title=title, team_id=team_id, location="老年活动中心", shifts=inputs,
                             members_only=members_only)
    rows = list(session.exec(select(Shift).where(Shift.activity_id == act.id).order_by(Shift.starts_at)).all())
    return act, rows


def move_shift(session: Session, shift: Shift, *, start: datetime, minutes: int = 120) -> Shift:
    """Put a shift at another time (tests of check-in windows and past shifts)."""
    shift.starts_at, shift.ends_at = start, start + timedelta(minutes=minutes)
    session.add(shift)
    session.commit()
    return shift


def now_utc() -> datetime:
    return datetime.now(UTC)


def good(session: Session, community_id: int, *, cost: int = 30, stock: int = 5, limit: int | None = None,
         name: str = "洗衣液", offered_in: tuple[int, ...] = ()) -> Reward:
    r = Reward(community_id=community_id, name=name, cost_points=cost, stock=stock, monthly_limit=limit)
    session.add(r)
    session.flush()
    for cid in offered_in or (community_id,):
        session.add(RewardOffer(reward_id=r.id, community_id=cid))
    session.commit()
    return r


def at_local(day_offset: int, hh: int, mm: int = 0) -> datetime:
    d = datetime.now(SHANGHAI).date() + timedelta(days=day_offset)
    return datetime.combine(d, time(hh, mm), tzinfo=SHANGHAI).astimezone(UTC)
