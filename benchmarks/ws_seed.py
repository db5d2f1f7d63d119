"""The people and the day of benchmarks/ws_rush.py, written straight into the benchmark's
database (after migrate and seed-demo): resident accounts with a signed-in session each (the
token the browser would hold in its ``linli_session`` cookie; only its HMAC is stored, as
services/auth.py does) and one dedicated 义剪 day. No password hashing: nobody signs in."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import time as dtime
from datetime import timedelta

RESIDENT_HASH = "!benchmark-no-sign-in"
MOBILE_PREFIX = "1990"  # 11 digits; the demo's numbers start with 13x


def use_database(url: str) -> None:
    from community_app import db as dbmod
    from community_app.settings import reset_settings

    os.environ["DATABASE_URL"] = url
    reset_settings()
    dbmod.reset_engine()


@dataclass
class World:
    community_id: int
    type_id: int  # the 义剪 service type (code "yijian")
    day_key: str  # ISO date of the dedicated day
    slot_ids: list[int]
    rush_cookies: list[str]  # "linli_session=<token>", one per rushing session
    bystander_cookies: list[str]


def seed_world(sessions: int, bystanders: int, places: int, chairs: int, secret: str) -> World:
    from sqlmodel import select

    from community_app import db as dbmod
    from community_app.models import (
        Account,
        AuthSession,
        Community,
        Compound,
        Household,
        Resident,
        Role,
        RoleGrant,
        ServiceDay,
        ServiceSlot,
        ServiceType,
    )
    from community_app.models.base import utcnow
    from community_app.services import catalogue
    from community_app.services.auth import SESSION_COOKIE, token_hash

    assert os.environ.get("SECRET_KEY") == secret, "token hashes must use the app's SECRET_KEY"
    total = sessions + bystanders
    with dbmod.write_session() as s:
        # The demo's main community: the first one with a 义剪 type and a compound.
        stype = community = compound = None
        for st in s.exec(select(ServiceType).where(ServiceType.code == "yijian").order_by(ServiceType.id)).all():
            compound = s.exec(select(Compound).where(Compound.community_id == st.community_id)
                              .order_by(Compound.id)).first()
            if compound is not None:
                stype, community = st, s.get(Community, st.community_id)
                break
        if stype is None:
            raise RuntimeError("no 义剪 (code yijian) service type with a compound: did seed-demo run?")

        households = [Household(community_id=community.id, compound_id=compound.id, building=str(90 + i // 100),
                                unit="bench", room=str(101 + i % 100)) for i in range(total)]
        s.add_all(households)
        s.flush()
        residents = [Resident(community_id=community.id, household_id=h.id, name=f"压测居民{i:04d}",
                              mobile=f"{MOBILE_PREFIX}{i:07d}", birth_year=1950 + i % 30)
                     for i, h in enumerate(households)]
        s.add_all(residents)
        s.flush()
        accounts = [Account(mobile=r.mobile, password_hash=RESIDENT_HASH, display_name=r.name,
                            community_id=community.id, resident_id=r.id) for r in residents]
        s.add_all(accounts)
        s.flush()
        s.add_all([RoleGrant(account_id=a.id, role=Role.RESIDENT) for a in accounts])
        tokens = [secrets.token_urlsafe(32) for _ in accounts]
        expires = utcnow() + timedelta(days=1)
        s.add_all([AuthSession(account_id=a.id, token_hash=token_hash(tok), expires_at=expires)
                   for a, tok in zip(accounts, tokens, strict=True)])

        # The dedicated day: the first date from tomorrow on without a 义剪 day, 09:00 on.
        zone = catalogue.community_zone(s, community.id)
        taken_days = set(s.exec(select(ServiceDay.day).where(ServiceDay.service_type_id == stype.id)).all())
        day = catalogue.local_today(zone) + timedelta(days=1)
        while day in taken_days:
            day += timedelta(days=1)
        service_day = ServiceDay(service_type_id=stype.id, day=day, location="老年活动中心")
        s.add(service_day)
        s.flush()
        start = catalogue.local_to_utc(day, dtime(9, 0), zone)
        slots, left, number = [], places, 1
        while left > 0:
            cap = min(chairs, left)
            slots.append(ServiceSlot(service_day_id=service_day.id, service_type_id=stype.id, number=number,
                                     starts_at=start + timedelta(minutes=15 * (number - 1)),
                                     ends_at=start + timedelta(minutes=15 * number), capacity=cap))
            left -= cap
            number += 1
        s.add_all(slots)
        s.flush()
        world = World(community_id=community.id, type_id=stype.id, day_key=day.isoformat(),
                      slot_ids=[sl.id for sl in slots],
                      rush_cookies=[f"{SESSION_COOKIE}={t}" for t in tokens[:sessions]],
                      bystander_cookies=[f"{SESSION_COOKIE}={t}" for t in tokens[sessions:]])
        s.commit()
    return world


def slot_totals(slot_ids: list[int]) -> tuple[int, int, int]:
    """(taken, capacity, bookings holding a place) of the dedicated day, from the database."""
    from sqlalchemy import func
    from sqlmodel import select

    from community_app import db as dbmod
    from community_app.models import Booking, ServiceSlot

    dbmod.reset_engine()
    with dbmod.session() as s:
        taken, capacity = s.exec(select(func.sum(ServiceSlot.taken), func.sum(ServiceSlot.capacity))
                                 .where(ServiceSlot.id.in_(slot_ids))).one()
        holding = s.exec(select(func.count(Booking.id)).where(Booking.holding_slot_id.in_(slot_ids))).one()
    dbmod.reset_engine()
    return int(taken or 0), int(capacity or 0), int(holding)
