"""The demo register, built the way a community starts with the app: the two communities and
their compounds (no service makes communities), the staff accounts, then through the register's
services, as the admin and the secretaries would, a month before today: grids and micro-grids with
their buildings and leaders, staff permissions and 刘婷's grid, and the register itself imported
from the sheet a community keeps (with care categories, notes and birth dates). Last, the
residents' demo accounts, linked to their register entries."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date, timedelta

from sqlmodel import select

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
from community_app.models import Community, Compound, Grid, Resident, Role
from community_app.services.access import Actor, load_actor
from community_app.services.core.clock import travel
from community_app.services.passwords import hash_password
from community_app.services.register import grids, imports, roles

SET_UP_DAYS_AGO = 60  # the register was set up two months before the demo's today
PERMISSIONS = {"蔡铮欣": ("register", "mediation", "points"), "刘婷": ("register",),
               "路晓红": ("register", "mediation", "points")}
IMPORTED_BY = {MAIN_CODE: "蔡铮欣", PARTNER_CODE: "路晓红"}


def seed_register(ctx: DemoContext) -> None:
    partner_total = max(20, ctx.residents // 5)
    registers = {
        MAIN_CODE: build_register(ctx.rng, ctx.namer, MAIN_SPEC, fixed_main_houses(), ctx.residents),
        PARTNER_CODE: build_register(ctx.rng, ctx.namer, PARTNER_SPEC, fixed_partner_houses(), partner_total),
    }
    assign_care(ctx.rng, registers[MAIN_CODE], ctx.namer, pregnant=2)
    assign_care(ctx.rng, registers[PARTNER_CODE], ctx.namer, pregnant=0)
    for spec in (MAIN_SPEC, PARTNER_SPEC):
        _community(ctx, spec)
    password_hash = hash_password(DEMO_PASSWORD)  # one hash for every demo account: argon2 is slow
    _staff_accounts(ctx, password_hash)
    admin = actor(ctx, "韩静")
    with travel(ctx.now - timedelta(days=SET_UP_DAYS_AGO)):
        _permissions(ctx, admin)
        ctx.counts["households"] = 0
        for spec in (MAIN_SPEC, PARTNER_SPEC):
            houses = registers[spec.code]
            micro = _grids(ctx, spec, houses)
            _import(ctx, spec.code, houses)
            _micro_leaders(ctx, spec.code, houses, micro)
            ctx.counts["households"] += len(houses)
    _resident_accounts(ctx, password_hash)


def actor(ctx: DemoContext, name: str, community_code: str | None = None) -> Actor:
    """The demo account ``name`` as the services see it (roles read again); the sub-district's
    admin can be made to work on another community (``community_code``), as they would by
    picking it."""
    acting = load_actor(ctx.session, ctx.accounts[name])
    if community_code is not None:
        acting = replace(acting, community_id=ctx.communities[community_code].id)
    return acting


def _community(ctx: DemoContext, spec) -> None:
    s = ctx.session
    community = Community(code=spec.code, name=spec.name, sub_district=SUB_DISTRICT, address=spec.address,
                          hotline=spec.hotline, created_at=ctx.now - timedelta(days=SET_UP_DAYS_AGO + 1))
    s.add(community)
    s.flush()
    ctx.communities[spec.code] = community
    for c in spec.compounds:
        ctx.compounds[(spec.code, c.name)] = Compound(community_id=community.id, name=c.name)
        s.add(ctx.compounds[(spec.code, c.name)])
    s.commit()


def _staff_accounts(ctx: DemoContext, password_hash: str) -> None:
    """The accounts without a resident record: staff and the sub-district's admin."""
    for _label, mobile, name, _pw in DEMO_ACCOUNTS:
        code, account_roles = ACCOUNT_ROLES[mobile]
        if Role.RESIDENT in account_roles:
            continue
        ctx.accounts[name] = add_account(ctx.session, mobile=mobile, name=name, community_id=ctx.communities[code].id,
                                         password_hash=password_hash, roles=account_roles)
    ctx.session.commit()


def _permissions(ctx: DemoContext, admin: Actor) -> None:
    for name, perms in PERMISSIONS.items():
        account = ctx.accounts[name]
        for perm in perms:
            roles.set_permission(ctx.session, admin, community_id=account.community_id, account_id=account.id,
                                 perm=perm, on=True)


def _grids(ctx: DemoContext, spec, houses: list[House]) -> dict[tuple[str, int], int]:
    """Grids and micro-grids with their buildings, through the grid service as the admin; 刘婷
    leads 第一网格 and works in it. Returns {(compound, building number): micro-grid id}."""
    s, admin = ctx.session, actor(ctx, "韩静", spec.code)
    tops: dict[str, Grid] = {}
    for gname in dict.fromkeys(m.grid for m in spec.micro_grids):
        tops[gname] = grids.create_grid(s, admin, name=gname)
        leader = spec.grid_leaders[gname]
        if leader in ctx.accounts:
            grids.set_leader(s, admin, grid_id=tops[gname].id, account_id=ctx.accounts[leader].id)
            roles.set_staff_grid(s, admin, community_id=tops[gname].community_id,
                                 account_id=ctx.accounts[leader].id, grid_id=tops[gname].id)
        else:
            grids.set_leader(s, admin, grid_id=tops[gname].id, name=leader, phone=ctx.namer.mobile())
    by_building: dict[tuple[str, int], int] = {}
    numbering: dict[str, int] = {}
    for m in spec.micro_grids:
        numbering[m.grid] = numbering.get(m.grid, 0) + 1
        micro = grids.create_grid(s, admin, name=f"{m.grid}{numbering[m.grid]}号微网格", parent_id=tops[m.grid].id)
        by_building.update({(m.compound, b): micro.id for b in m.buildings})
    for compound, building in sorted({(h.compound, int(h.building)) for h in houses}
                                     | {(c, b) for c, b in by_building}):
        own = sorted(b for c, b in by_building if c == compound)
        grid_id = by_building.get((compound, building)) or by_building[(compound, own[(building - 1) % len(own)])]
        grids.add_building(s, admin, compound_id=ctx.compounds[(spec.code, compound)].id, name=str(building),
                           grid_id=grid_id)
    return by_building


def _birth(ctx: DemoContext, birth_year: int) -> date:
    """A day in the person's birth year (their age in REFERENCE_YEAR stays as the register has it)."""
    return min(date(birth_year, 1, 1) + timedelta(days=ctx.rng.randrange(365)), ctx.today)


def _sheet(ctx: DemoContext, houses: list[House]) -> bytes:
    """The register as the community keeps it in a spreadsheet (UTF-8 CSV)."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["姓名", "手机", "小区", "楼", "单元", "室", "出生日期", "性别", "类别", "备注"])
    for h in houses:
        for p in h.members:
            w.writerow([p.name, p.mobile or "", h.compound, h.building, h.unit, h.room,
                        _birth(ctx, p.birth_year).isoformat(), p.gender, "、".join(sorted(p.care)),
                        ";".join(p.notes)[:500]])
    return out.getvalue().encode("utf-8-sig")


def _import(ctx: DemoContext, code: str, houses: list[House]) -> None:
    """The register imported through the import service by the community's secretary."""
    s = ctx.session
    secretary = actor(ctx, IMPORTED_BY[code])
    imports.commit_import(s, secretary, data=_sheet(ctx, houses), filename=f"{code}-台账.csv")
    cid = ctx.communities[code].id
    rows = {r.name: r for r in s.exec(select(Resident).where(Resident.community_id == cid)).all()}
    ctx.people[code] = {}
    for h in houses:
        for p in h.members:
            p.resident = rows[p.name]
            ctx.people[code][p.name] = p


def _micro_leaders(ctx: DemoContext, code: str, houses: list[House], micro: dict[tuple[str, int], int]) -> None:
    """微网格长: an adult of the micro-grid with a phone, not one of the demo accounts."""
    admin = actor(ctx, "韩静", code)
    for grid_id in dict.fromkeys(micro.values()):
        candidates = [p for h in houses if micro.get((h.compound, int(h.building))) == grid_id for p in h.members
                      if p.mobile and 1950 <= p.birth_year <= 1990 and p.name not in ctx.reserved_names]
        if candidates:
            leader = ctx.rng.choice(candidates)
            name, phone = leader.name, leader.mobile
        else:
            name, phone = ctx.namer.name("女", 1970), ctx.namer.mobile()
        grids.set_leader(ctx.session, admin, grid_id=grid_id, name=name, phone=phone)


def _resident_accounts(ctx: DemoContext, password_hash: str) -> None:
    """The residents' and volunteers' demo accounts, linked to their register entries."""
    for _label, mobile, name, _pw in DEMO_ACCOUNTS:
        code, account_roles = ACCOUNT_ROLES[mobile]
        if Role.RESIDENT not in account_roles:
            continue
        resident = ctx.people[code][name].resident
        ctx.accounts[name] = add_account(ctx.session, mobile=mobile, name=name, community_id=ctx.communities[code].id,
                                         password_hash=password_hash, roles=account_roles,
                                         resident_id=resident.id)
    ctx.accounts["李秀英"].elder_mode = True
    ctx.session.add(ctx.accounts["李秀英"])
    ctx.session.commit()
    ctx.counts["accounts"] = len(ctx.accounts)
