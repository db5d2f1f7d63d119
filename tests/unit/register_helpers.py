"""A community with grids for the register's tests, on top of ``tests.conftest.build_world``:

- 第一网格 with micro-grids 一1 (building 3, where the world's residents live) and 一2 (building 4);
  第二网格 with micro-grid 二1 (building 5); building 6 listed but in no grid;
- 王主任 (world.staff) holds the register permission for the whole community;
- 刘婷, a grid worker scoped to 第一网格 with the register permission;
- 孙干事, staff without any permission; 韩静, the community's admin.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from community_app.models import (
    Account,
    Building,
    Grid,
    Household,
    Permission,
    Resident,
    Role,
    RoleGrant,
    StaffPermission,
)
from community_app.services.access import Actor, load_actor
from community_app.services.passwords import hash_password
from community_app.services.register import people
from community_app.services.register.people import NewAddress, PersonFields


@dataclass
class Reg:
    world: object
    grid1: int
    grid2: int
    micro1: int
    micro2: int
    micro3: int
    buildings: dict[str, int]
    staff: Actor  # register permission, whole community
    worker: Actor  # grid worker of 第一网格, register permission
    plain: Actor  # staff without permissions
    admin: Actor  # admin of the community


def _account(session: Session, cid: int, mobile: str, name: str, roles: list[tuple[str, int | None]],
             grid_id: int | None = None) -> Actor:
    acc = Account(mobile=mobile, password_hash=hash_password("correct horse battery"), display_name=name,
                  community_id=cid)
    session.add(acc)
    session.flush()
    for role, scope in roles:
        session.add(RoleGrant(account_id=acc.id, role=role, community_id=scope,
                              grid_id=grid_id if role == Role.STAFF else None))
    session.commit()
    return load_actor(session, acc)


def build_reg(session: Session, world) -> Reg:
    cid = world.community_id
    g1 = Grid(community_id=cid, name="第一网格")
    g2 = Grid(community_id=cid, name="第二网格")
    session.add_all([g1, g2])
    session.flush()
    m1 = Grid(community_id=cid, parent_id=g1.id, name="一1微网格")
    m2 = Grid(community_id=cid, parent_id=g1.id, name="一2微网格")
    m3 = Grid(community_id=cid, parent_id=g2.id, name="二1微网格")
    session.add_all([m1, m2, m3])
    session.flush()
    buildings = {}
    for name, grid in (("3", m1.id), ("4", m2.id), ("5", m3.id), ("6", None)):
        b = session.exec(select(Building).where(Building.compound_id == world.compound_id,
                                                Building.name == name)).first()
        if b is None:
            b = Building(community_id=cid, compound_id=world.compound_id, name=name)
        b.grid_id = grid
        session.add(b)
        session.flush()
        buildings[name] = b.id
    for h in session.exec(select(Household).where(Household.building == "3")).all():
        h.grid_id = m1.id
        session.add(h)
    session.add(StaffPermission(account_id=world.staff.account_id, community_id=cid, perm=Permission.REGISTER))
    session.commit()
    worker = _account(session, cid, "13900000003", "刘婷", [(Role.STAFF, cid)], grid_id=g1.id)
    session.add(StaffPermission(account_id=worker.account_id, community_id=cid, perm=Permission.REGISTER))
    session.commit()
    plain = _account(session, cid, "13900000005", "孙干事", [(Role.STAFF, cid)])
    admin = _account(session, cid, "13900000000", "韩静", [(Role.ADMIN, cid), (Role.STAFF, cid)])
    staff = load_actor(session, session.get(Account, world.staff.account_id))
    return Reg(world, g1.id, g2.id, m1.id, m2.id, m3.id, buildings, staff, worker, plain, admin)


def add_person(session: Session, reg: Reg, name: str, building: str, room: str, *, care=(), mobile: str = "",
               birth: str = "1950") -> Resident:
    """A resident added through the register's service by 王主任."""
    return people.add_resident(session, reg.staff, person=PersonFields(name=name, mobile=mobile, birth=birth),
                               address=NewAddress(reg.world.compound_id, building, "1", room), care=list(care))
