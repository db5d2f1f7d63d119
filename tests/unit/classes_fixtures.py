"""Small factories for the classes tests: a community with a function room, households with
parents and children, courses with sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlmodel import Session, select

from community_app.models import Account, Community, Household, Resident, Role, RoleGrant, ServiceType
from community_app.services.access import Actor, load_actor
from community_app.services.catalogue import ensure_default_catalogue, generate_days
from community_app.services.classes import courses, sessions
from community_app.services.core import clock
from tests.conftest import World, build_world


@dataclass
class ClassWorld:
    w: World
    today: date
    household_id: int
    parent: Actor  # 王芳, with a child of 4 (陈一诺) in her household
    child_id: int
    teacher: Actor  # a volunteer of the community
    room_id: int  # 活动室 (one place per 2-hour slot, Mon / Wed / Fri 09:00-17:00)


def today_of(session: Session, community_id: int) -> date:
    return clock.local_today(clock.community_zone(session, community_id))


def birthday(today: date, years: int, days: int = 0) -> date:
    """The birth date of someone who is ``years`` old today, plus ``days`` (a negative number: the
    birthday was that many days ago)."""
    try:
        d = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        d = today.replace(year=today.year - years, day=28)
    return d + timedelta(days=days)


def household(session: Session, community_id: int) -> int:
    from community_app.models import Compound

    comp = session.exec(select(Compound).where(Compound.community_id == community_id)).first()
    h = Household(community_id=community_id, compound_id=comp.id, building="9", unit="1",
                  room=str(100 + session.exec(select(Household)).all().__len__()))
    session.add(h)
    session.flush()
    return h.id


def person(session: Session, community_id: int, name: str, *, born: date | None, household_id: int | None,
           mobile: str | None = None, roles=(Role.RESIDENT,)) -> Actor | int:
    """A resident; with a mobile, also an account (returns its Actor), else the resident id."""
    r = Resident(community_id=community_id, household_id=household_id, name=name, birth_date=born,
                 birth_year=born.year if born else None, mobile=mobile)
    session.add(r)
    session.flush()
    if mobile is None:
        session.commit()
        return r.id
    acc = Account(mobile=mobile, password_hash="x", display_name=name, community_id=community_id, resident_id=r.id)
    session.add(acc)
    session.flush()
    for role in roles:
        session.add(RoleGrant(account_id=acc.id, role=role, community_id=None if role == Role.RESIDENT else community_id))
    session.commit()
    return load_actor(session, acc)


def room(session: Session, community_id: int, code: str = "room_activity") -> int:
    ensure_default_catalogue(session, community_id)
    generate_days(session, community_id=community_id)
    return session.exec(select(ServiceType.id).where(ServiceType.community_id == community_id,
                                                     ServiceType.code == code)).one()


def build(session: Session) -> ClassWorld:
    w = build_world(session)
    c1 = session.get(Community, w.community_id)
    c2 = session.get(Community, w.other_community_id)
    c1.sub_district = c2.sub_district = "东风街道"
    session.add(c1)
    session.add(c2)
    session.commit()
    today = today_of(session, w.community_id)
    hid = household(session, w.community_id)
    parent = person(session, w.community_id, "王芳", born=birthday(today, 34), household_id=hid, mobile="13800000103")
    child = person(session, w.community_id, "陈一诺", born=birthday(today, 4), household_id=hid)
    teacher = person(session, w.community_id, "郝丽娟", born=birthday(today, 45), household_id=None,
                     mobile="13700000101", roles=(Role.RESIDENT, Role.VOLUNTEER))
    return ClassWorld(w, today, hid, parent, child, teacher, room(session, w.community_id))


def make_course(session: Session, cw: ClassWorld, **kw) -> int:
    fields = dict(kind="course", programme="early_years", title="早教课堂·亲子绘本", min_age=0, max_age=6,
                  capacity=5, teacher_account_id=cw.teacher.account_id)
    fields.update(kw)
    return courses.create_course(session, cw.w.staff, fields=courses.CourseFields(**fields)).id


def next_weekday(today: date, weekday: int) -> date:
    days = (weekday - today.weekday()) % 7 or 7
    return today + timedelta(days=days)


def add_session(session: Session, cw: ClassWorld, course_id: int, *, day: date | None = None,
                start: time = time(9, 30), end: time = time(10, 30)):
    day = day or next_weekday(cw.today, 0)  # a Monday: the 活动室 is open
    return sessions.add_session(session, cw.w.staff, course_id=course_id, day=day, start=start, end=end)
