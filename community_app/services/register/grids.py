"""Grids (网格) and micro-grids (微网格) with their leaders, and the buildings (楼) assigned to
them. A household is in the grid of its building: ``place_household`` puts a new one there (sign
up, 代办, imports), and assigning a building moves its households with it.

Managing grids needs the ``register`` permission for the whole community (not a grid-scoped one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import func, update
from sqlmodel import Session, select

from community_app.models import Account, Building, Compound, Grid, Household, Permission, Resident
from community_app.services import audit
from community_app.services.access import Actor, require_staff
from community_app.services.core.text import clean_text
from community_app.services.core.tx import mutating
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from community_app.services.register.scope import (
    has_permission,
    home_grid,
    is_community_admin,
    require_permission,
)

__all__ = ["BuildingView", "GridNode", "GridOverview", "add_building", "assign_building", "building_key",
           "create_grid", "find_building", "grid_options", "grid_overview", "place_household", "rename_grid",
           "set_leader"]

_BUILDING_RE = re.compile(r"^\s*(\S+?)\s*(号楼|号|栋|幢|楼)?\s*$")


def building_key(raw: str) -> str:
    """"3号楼" / "3栋" / " 3 " -> "3" (the form the register keeps)."""
    text = (raw or "").strip()
    m = _BUILDING_RE.match(text)
    return m.group(1) if m else text


def find_building(session: Session, compound_id: int, name: str) -> Building | None:
    """The building of the compound named ``name`` (as written, or in its plain form)."""
    for candidate in dict.fromkeys([(name or "").strip(), building_key(name)]):
        row = session.exec(select(Building).where(Building.compound_id == compound_id,
                                                  Building.name == candidate)).first()
        if row is not None:
            return row
    return None


def place_household(session: Session, household: Household) -> Household:
    """Put a (new) household in its building's grid; a building nobody listed yet is added,
    without a grid, for staff to assign. In the caller's transaction (no commit)."""
    b = find_building(session, household.compound_id, household.building)
    if b is None:
        b = Building(community_id=household.community_id, compound_id=household.compound_id,
                     name=(household.building or "").strip()[:16])
        session.add(b)
        session.flush()
    if b.grid_id is not None and household.grid_id != b.grid_id:
        household.grid_id = b.grid_id
        session.add(household)
    return household


def _manager(session: Session, actor: Actor | None) -> int:
    """The community of a staff member who may manage its grids."""
    require_staff(actor)
    cid = actor.community_id
    require_permission(session, actor, cid, Permission.REGISTER)
    if home_grid(session, actor, cid) is not None and not is_community_admin(session, actor, cid):
        raise NotAllowed("register.error.whole_community_only")
    return cid


def _grid(session: Session, community_id: int, grid_id) -> Grid:
    grid = session.get(Grid, grid_id) if isinstance(grid_id, int) and not isinstance(grid_id, bool) else None
    if grid is None or grid.community_id != community_id:
        raise NotFound("register.error.grid_not_found")
    return grid


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class BuildingView:
    id: int
    compound: str
    name: str
    grid_id: int | None
    households: int


@dataclass(frozen=True)
class GridNode:
    id: int
    name: str
    parent_id: int | None
    leader_name: str
    leader_phone: str
    leader_account_id: int | None
    households: int
    residents: int
    buildings: list[BuildingView] = field(default_factory=list)
    children: list[GridNode] = field(default_factory=list)


@dataclass(frozen=True)
class GridOverview:
    grids: list[GridNode]
    unassigned: list[BuildingView]
    can_manage: bool
    home_grid_id: int | None


def grid_options(session: Session, actor: Actor | None) -> list[Grid]:
    """Every grid and micro-grid of the staff member's community (grids first), for selects."""
    require_staff(actor)
    return list(session.exec(select(Grid).where(Grid.community_id == actor.community_id)
                             .order_by(Grid.parent_id.is_not(None), Grid.parent_id, Grid.id)).all())


def grid_overview(session: Session, actor: Actor | None) -> GridOverview:
    """The grid tree of the community with leaders, buildings and how many live there."""
    require_staff(actor)
    cid = actor.community_id
    grids = session.exec(select(Grid).where(Grid.community_id == cid).order_by(Grid.id)).all()
    compounds = dict(session.exec(select(Compound.id, Compound.name).where(Compound.community_id == cid)).all())
    per_building = dict(((c, b), n) for c, b, n in session.exec(
        select(Household.compound_id, Household.building, func.count(Household.id))
        .where(Household.community_id == cid).group_by(Household.compound_id, Household.building)).all())
    per_grid_h = dict(session.exec(select(Household.grid_id, func.count(Household.id))
                                   .where(Household.community_id == cid).group_by(Household.grid_id)).all())
    per_grid_r = dict(session.exec(
        select(Household.grid_id, func.count(Resident.id)).join(Resident, Resident.household_id == Household.id)
        .where(Household.community_id == cid, Resident.moved_out_at.is_(None)).group_by(Household.grid_id)).all())
    buildings: dict[int | None, list[BuildingView]] = {}
    for b in session.exec(select(Building).where(Building.community_id == cid)
                          .order_by(Building.compound_id, func.length(Building.name), Building.name)).all():
        buildings.setdefault(b.grid_id, []).append(BuildingView(
            b.id, compounds.get(b.compound_id, ""), b.name, b.grid_id, per_building.get((b.compound_id, b.name), 0)))

    def node(g: Grid, children: list[GridNode]) -> GridNode:
        own = buildings.get(g.id, [])
        return GridNode(g.id, g.name, g.parent_id, g.leader_name, g.leader_phone, g.leader_account_id,
                        per_grid_h.get(g.id, 0) + sum(c.households for c in children),
                        per_grid_r.get(g.id, 0) + sum(c.residents for c in children), own, children)

    tops = []
    for g in (g for g in grids if g.parent_id is None):
        tops.append(node(g, [node(m, []) for m in grids if m.parent_id == g.id]))
    can_manage = has_permission(session, actor, cid, Permission.REGISTER) and (
        home_grid(session, actor, cid) is None or is_community_admin(session, actor, cid))
    return GridOverview(tops, buildings.get(None, []), can_manage, home_grid(session, actor, cid))


# --------------------------------------------------------------------------- changing


@mutating
def create_grid(session: Session, actor: Actor, *, name, parent_id: int | None = None) -> Grid:
    """A new grid, or a micro-grid under ``parent_id`` (a grid, not a micro-grid). Audited. Commits."""
    cid = _manager(session, actor)
    name = clean_text(name, field="name", max_len=64, required_key="register.error.grid_name_required")
    if parent_id is not None:
        parent = _grid(session, cid, parent_id)
        if parent.parent_id is not None:
            raise ValidationError("register.error.micro_in_micro", field="parent_id")
    if session.exec(select(Grid.id).where(Grid.community_id == cid, Grid.name == name)).first() is not None:
        raise Conflict("register.error.grid_name_taken", field="name")
    grid = Grid(community_id=cid, parent_id=parent_id, name=name)
    session.add(grid)
    session.flush()
    audit.record(session, actor, "register.grid_create", target_type="grid", target_id=grid.id, name=name,
                 parent_id=parent_id)
    session.commit()
    return grid


@mutating
def rename_grid(session: Session, actor: Actor, *, grid_id: int, name) -> Grid:
    cid = _manager(session, actor)
    grid = _grid(session, cid, grid_id)
    name = clean_text(name, field="name", max_len=64, required_key="register.error.grid_name_required")
    if session.exec(select(Grid.id).where(Grid.community_id == cid, Grid.name == name,
                                          Grid.id != grid.id)).first() is not None:
        raise Conflict("register.error.grid_name_taken", field="name")
    old, grid.name = grid.name, name
    session.add(grid)
    audit.record(session, actor, "register.grid_rename", target_type="grid", target_id=grid.id, old=old, new=name)
    session.commit()
    return grid


@mutating
def set_leader(session: Session, actor: Actor, *, grid_id: int, account_id: int | None = None, name="",
               phone="") -> Grid:
    """The leader (网格长 / 微网格长): an account of the community, or a name and phone for a
    leader without an account. Audited. Commits."""
    cid = _manager(session, actor)
    grid = _grid(session, cid, grid_id)
    if account_id is not None:
        account = session.get(Account, account_id) if isinstance(account_id, int) else None
        if account is None or account.community_id != cid or not account.is_active:
            raise NotFound("register.error.leader_not_found", field="leader")
        grid.leader_account_id, grid.leader_name, grid.leader_phone = account.id, account.display_name, account.mobile
    else:
        from community_app.services.auth import validate_mobile

        grid.leader_name = clean_text(name, field="leader_name", max_len=32,
                                      required_key="register.error.leader_name_required")
        grid.leader_phone = validate_mobile(phone, field="leader_phone") if (phone or "").strip() else ""
        # A leader who has an account with this phone is linked to it (they can be found by it).
        grid.leader_account_id = session.exec(select(Account.id).where(
            Account.mobile == grid.leader_phone, Account.community_id == cid, Account.is_active)).first() \
            if grid.leader_phone else None
    session.add(grid)
    audit.record(session, actor, "register.grid_leader", target_type="grid", target_id=grid.id,
                 leader=grid.leader_name, account_id=grid.leader_account_id)
    session.commit()
    return grid


@mutating
def add_building(session: Session, actor: Actor, *, compound_id: int, name, grid_id: int | None = None) -> Building:
    """List a building of a compound (so imports and forms know it), optionally in a grid."""
    cid = _manager(session, actor)
    compound = session.get(Compound, compound_id) if isinstance(compound_id, int) else None
    if compound is None or compound.community_id != cid:
        raise NotFound("register.error.compound_not_found", field="compound_id")
    key = building_key(clean_text(name, field="building", max_len=16,
                                  required_key="register.error.building_required"))
    if find_building(session, compound.id, key) is not None:
        raise Conflict("register.error.building_taken", field="building")
    if grid_id is not None:
        _grid(session, cid, grid_id)
    b = Building(community_id=cid, compound_id=compound.id, name=key, grid_id=grid_id)
    session.add(b)
    session.flush()
    audit.record(session, actor, "register.building_add", target_type="building", target_id=b.id,
                 compound=compound.name, building=key, grid_id=grid_id)
    session.commit()
    return b


@mutating
def assign_building(session: Session, actor: Actor, *, building_id: int, grid_id: int | None) -> int:
    """Put a building (and every household in it) in a grid, or take it out (None). Returns
    how many households moved. Audited. Commits."""
    cid = _manager(session, actor)
    b = session.get(Building, building_id) if isinstance(building_id, int) else None
    if b is None or b.community_id != cid:
        raise NotFound("register.error.building_not_found")
    if grid_id is not None:
        _grid(session, cid, grid_id)
    old, b.grid_id = b.grid_id, grid_id
    session.add(b)
    moved = session.execute(
        update(Household).where(Household.compound_id == b.compound_id, Household.building == b.name)
        .values(grid_id=grid_id).execution_options(synchronize_session=False)).rowcount
    audit.record(session, actor, "register.building_assign", target_type="building", target_id=b.id,
                 old_grid_id=old, grid_id=grid_id, households=moved)
    session.commit()
    return int(moved or 0)
