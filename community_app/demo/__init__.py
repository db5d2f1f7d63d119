"""The demo community (演示数据): a sub-district (东风街道) with 东风路南社区 (the main community:
four compounds, three grids split into micro-grids, about 200 residents with their care
categories, service teams, classes, points, mediation cases and requests) and its partner
古城社区 (smaller).

One seed function per domain (``SEEDERS``), run in order over a shared ``DemoContext``; each
writes through its domain's services where they exist, so the demo cannot hold what the rules
forbid. Everything is drawn from ``random.Random(rng_seed)`` so the same seed gives the same
people; only dates move with today so the demo always has something upcoming. ``seed_demo``
refuses to run twice. No reflex imports here: the CLI and tests use it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlmodel import Session, select

from community_app.demo import bookings, classes, mediation, register, requests, volunteering
from community_app.demo.context import DemoContext
from community_app.demo.people import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    MAIN_CODE,
    MIN_RESIDENTS,
    PARTNER_CODE,
    REFERENCE_YEAR,
    TZ,
    Namer,
)
from community_app.models import Account, Community, utcnow
from community_app.services import audit
from community_app.services.errors import Conflict, ValidationError

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "MAIN_CODE", "PARTNER_CODE", "REFERENCE_YEAR", "SEEDERS",
           "DemoSummary", "seed_demo"]

# In order: later seeders use what earlier ones made (people, accounts, teams).
SEEDERS = [
    register.seed_register,
    volunteering.seed_teams,
    volunteering.seed_carry_over,
    requests.seed_requests,
    requests.seed_diary,
    requests.seed_notices,
    bookings.seed_bookings,
    classes.seed_classes,  # after bookings: its sessions reserve the function rooms' slots
    mediation.seed_mediation,  # after bookings: it adds the mediation room to their catalogue
    volunteering.seed_history,  # last: replays the volunteering months, tasks of the bookings included
]


@dataclass(frozen=True)
class DemoSummary:
    """What ``seed_demo`` created."""

    community_ids: dict[str, int]
    residents: int  # in the main community
    residents_total: int
    counts: dict[str, int]

    def __getattr__(self, name: str) -> int:  # summary.households, summary.bookings ...
        try:
            return self.counts[name]
        except KeyError:
            raise AttributeError(name) from None


def seed_demo(session: Session, *, residents: int = 200, rng_seed: int = 2026) -> DemoSummary:
    """Load the demo community into an empty deployment. Commits. Refuses (Conflict) when a demo
    community or a demo account's mobile already exists, so it can never double-seed."""
    if residents < MIN_RESIDENTS:
        raise ValidationError("cli.seed.residents_min", field="residents", n=MIN_RESIDENTS)
    existing = session.exec(select(Community.code).where(Community.code.in_([MAIN_CODE, PARTNER_CODE]))).first()
    if existing is not None:
        raise Conflict("cli.seed.already", code=existing)
    mobiles = [m for _, m, _, _ in DEMO_ACCOUNTS]
    taken = session.exec(select(Account.mobile).where(Account.mobile.in_(mobiles))).first()
    if taken is not None:
        raise Conflict("cli.seed.mobile_taken", mobile=taken)
    rng = random.Random(rng_seed)
    now = utcnow()
    reserved = {n for _, _, n, _ in DEMO_ACCOUNTS}
    ctx = DemoContext(session=session, rng=rng, now=now, today=now.astimezone(TZ).date(), residents=residents,
                      rng_seed=rng_seed, namer=Namer(rng, reserved, set(mobiles)), reserved_names=reserved)
    for seeder in SEEDERS:
        seeder(ctx)
        session.flush()
    main = ctx.communities[MAIN_CODE]
    audit.record(session, None, "demo.seed", target_type="community", target_id=main.id, community_id=main.id,
                 residents=residents, rng_seed=rng_seed)
    session.commit()
    mp, pp = ctx.people[MAIN_CODE], ctx.people[PARTNER_CODE]
    return DemoSummary(community_ids={code: c.id for code, c in ctx.communities.items()}, residents=len(mp),
                       residents_total=len(mp) + len(pp), counts=dict(ctx.counts))
