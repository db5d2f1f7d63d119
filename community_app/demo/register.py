"""The demo register: the two communities with their compounds, grids and micro-grids, the
households and residents with care categories, micro-grid leaders, and the demo accounts."""

from __future__ import annotations

from datetime import date, timedelta

from community_app.demo.context import DemoContext
from community_app.demo.people import (
    ACCOUNT_ROLES,
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    MAIN_CODE,
    MAIN_SPEC,
    PARTNER_CODE,
    PARTNER_SPEC,
    SUB_DISTRICT,
    House,
    add_account,
    assign_care,
    build_register,
    fixed_main_houses,
    fixed_partner_houses,
)
from community_app.models import Community, Compound, Grid, Household, Resident, ResidentCare, Role
from community_app.services.passwords import hash_password


def seed_register(ctx: DemoContext) -> None:
    partner_total = max(20, ctx.residents // 5)
    registers = {
        MAIN_CODE: build_register(ctx.rng, ctx.namer, MAIN_SPEC, fixed_main_houses(), ctx.residents),
        PARTNER_CODE: build_register(ctx.rng, ctx.namer, PARTNER_SPEC, fixed_partner_houses(), partner_total),
    }
    assign_care(ctx.rng, registers[MAIN_CODE], ctx.namer, pregnant=2)
    assign_care(ctx.rng, registers[PARTNER_CODE], ctx.namer, pregnant=0)
    ctx.counts["households"] = 0
    for spec in (MAIN_SPEC, PARTNER_SPEC):
        micro = _community(ctx, spec)
        houses = registers[spec.code]
        _households(ctx, spec, houses, micro)
        _residents(ctx, spec.code, houses)
        _micro_leaders(ctx, houses, micro)
        ctx.counts["households"] += len(houses)
    ctx.session.flush()
    _accounts(ctx)


def _community(ctx: DemoContext, spec) -> dict[tuple[str, int], Grid]:
    """The community, its compounds, grids and micro-grids; returns the micro-grids by
    (compound, part)."""
    s = ctx.session
    community = Community(code=spec.code, name=spec.name, sub_district=SUB_DISTRICT, address=spec.address,
                          hotline=spec.hotline, created_at=ctx.now)
    s.add(community)
    s.flush()
    ctx.communities[spec.code] = community
    cid = community.id
    for c in spec.compounds:
        ctx.compounds[(spec.code, c.name)] = Compound(community_id=cid, name=c.name)
        s.add(ctx.compounds[(spec.code, c.name)])
    grids: dict[str, Grid] = {}
    for gname in dict.fromkeys(m.grid for m in spec.micro_grids):
        leader = spec.grid_leaders[gname]
        phone = "13900000003" if leader == "刘婷" else ctx.namer.mobile()
        grids[gname] = Grid(community_id=cid, name=gname, leader_name=leader, leader_phone=phone)
    s.add_all(grids.values())
    s.flush()
    micro: dict[tuple[str, int], Grid] = {}
    numbering: dict[str, int] = {}
    for m in spec.micro_grids:
        numbering[m.grid] = numbering.get(m.grid, 0) + 1
        micro[(m.compound, m.part)] = Grid(community_id=cid, parent_id=grids[m.grid].id,
                                           name=f"{m.grid}{numbering[m.grid]}号微网格")
    s.add_all(micro.values())
    s.flush()
    return micro


def _households(ctx: DemoContext, spec, houses: list[House], micro: dict[tuple[str, int], Grid]) -> None:
    """Each house in the micro-grid that covers its building."""
    cid = ctx.communities[spec.code].id
    max_building = {c.name: max(int(h.building) for h in houses if h.compound == c.name)
                    for c in spec.compounds if any(h.compound == c.name for h in houses)}
    parts = {m.compound: m.parts for m in spec.micro_grids}
    for h in houses:
        n_parts = parts[h.compound]
        buildings = max(max_building[h.compound], next(c.buildings for c in spec.compounds if c.name == h.compound))
        part = min(n_parts - 1, (int(h.building) - 1) * n_parts // buildings)
        h.household = Household(community_id=cid, compound_id=ctx.compounds[(spec.code, h.compound)].id,
                                grid_id=micro[(h.compound, part)].id, building=h.building, unit=h.unit,
                                room=h.room)
    ctx.session.add_all([h.household for h in houses])
    ctx.session.flush()


def _residents(ctx: DemoContext, code: str, houses: list[House]) -> None:
    cid = ctx.communities[code].id
    by_name = {}
    for h in houses:
        for p in h.members:
            p.resident = Resident(community_id=cid, household_id=h.household.id, name=p.name, mobile=p.mobile,
                                  birth_year=p.birth_year, birth_date=birth_date(ctx, p), gender=p.gender, note=";".join(p.notes)[:500],
                                  created_at=ctx.now)
            by_name[p.name] = p
    ctx.session.add_all([p.resident for p in by_name.values()])
    ctx.session.flush()
    ctx.session.add_all([ResidentCare(resident_id=p.resident.id, category=c)
                         for p in by_name.values() for c in sorted(p.care)])
    ctx.people[code] = by_name


def birth_date(ctx: DemoContext, p) -> date:
    """A day in the person's birth year (their age in REFERENCE_YEAR stays as the register has it)."""
    return date(p.birth_year, 1, 1) + timedelta(days=ctx.rng.randrange(365))


def _micro_leaders(ctx: DemoContext, houses: list[House], micro: dict[tuple[str, int], Grid]) -> None:
    """微网格长: an adult of the micro-grid with a phone, not one of the demo accounts."""
    for g in micro.values():
        candidates = [
            p for h in houses if h.household.grid_id == g.id for p in h.members
            if p.mobile and 1950 <= p.birth_year <= 1990 and p.name not in ctx.reserved_names
        ]
        if candidates:
            leader = ctx.rng.choice(candidates)
            g.leader_name, g.leader_phone = leader.name, leader.mobile
        else:
            g.leader_name = ctx.namer.name("女", 1970)
            g.leader_phone = ctx.namer.mobile()
        ctx.session.add(g)


def _accounts(ctx: DemoContext) -> None:
    """The demo accounts of the README (one password, hashed once: argon2 is slow on purpose)."""
    password_hash = hash_password(DEMO_PASSWORD)
    for _label, mobile, name, _pw in DEMO_ACCOUNTS:
        code, roles = ACCOUNT_ROLES[mobile]
        resident = ctx.people[code].get(name).resident if Role.RESIDENT in roles else None
        ctx.accounts[name] = add_account(
            ctx.session, mobile=mobile, name=name, community_id=ctx.communities[code].id,
            password_hash=password_hash, roles=roles, resident_id=resident.id if resident else None,
        )
    ctx.accounts["李秀英"].elder_mode = True
    ctx.session.add(ctx.accounts["李秀英"])
    ctx.session.flush()
    ctx.counts["accounts"] = len(ctx.accounts)
