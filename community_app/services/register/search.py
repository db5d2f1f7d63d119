"""Searching the register (台账): people of the staff member's community by name, mobile or
address, filtered by grid, micro-grid, compound, building and care category, one page at a time.
The same filters drive the .xlsx export and a notice's audience."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import and_, exists, func, or_
from sqlmodel import Session, select

from community_app.models import (
    Building,
    CareCategory,
    Compound,
    Grid,
    Household,
    Permission,
    Resident,
    ResidentCare,
)
from community_app.services.access import Actor, require_staff
from community_app.services.core.clock import community_zone, local_today
from community_app.services.core.paging import Page, paginate
from community_app.services.errors import ValidationError
from community_app.services.phone import search_digits
from community_app.services.register.common import address_text, age_of, care_of, like, with_accounts
from community_app.services.register.diary import overdue_visit_condition
from community_app.services.register.scope import grid_family, has_permission, home_grid

__all__ = ["RegisterOptions", "RegisterQuery", "RegisterRow", "parse_filters", "register_options",
           "register_rows", "register_stmt", "search_register"]

_NUMBERS = re.compile(r"\d+")
CARE_VALUES = frozenset(c.value for c in CareCategory)


@dataclass(frozen=True)
class RegisterQuery:
    q: str = ""
    grid_id: int | None = None
    micro_id: int | None = None
    compound_id: int | None = None
    building: str = ""
    care: str = ""
    moved_out: bool = False
    overdue_visit: bool = False  # no visit (民情日记) to the household for a month


def _id(raw, name: str) -> int | None:
    text = (raw or "").strip() if isinstance(raw, str) else ("" if raw is None else str(raw))
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or len(text) > 12 or int(text) <= 0:
        raise ValidationError("register.error.filter_invalid", field=name)
    return int(text)


def parse_filters(raw: dict | None) -> RegisterQuery:
    """Filters from the browser (strings) checked into a RegisterQuery."""
    raw = raw if isinstance(raw, dict) else {}
    q = raw.get("q") or ""
    care = raw.get("care") or ""
    building = raw.get("building") or ""
    if not isinstance(q, str) or not isinstance(care, str) or not isinstance(building, str):
        raise ValidationError("register.error.filter_invalid", field="q")
    if care and care not in CARE_VALUES:
        raise ValidationError("register.error.filter_invalid", field="care")
    status = raw.get("status") or "active"
    if status not in ("active", "moved_out"):
        raise ValidationError("register.error.filter_invalid", field="status")
    visit = raw.get("visit") or ""
    if visit not in ("", "overdue"):
        raise ValidationError("register.error.filter_invalid", field="visit")
    return RegisterQuery(q=q.strip()[:40], grid_id=_id(raw.get("grid"), "grid"), micro_id=_id(raw.get("micro"), "micro"),
                         compound_id=_id(raw.get("compound"), "compound"), building=building.strip()[:16],
                         care=care, moved_out=status == "moved_out", overdue_visit=visit == "overdue")


def _conditions(session: Session, community_id: int, f: RegisterQuery) -> tuple[list, bool, bool]:
    """(WHERE conditions, whether they read the household, whether they read the compound)."""
    conds = [Resident.community_id == community_id,
             Resident.moved_out_at.is_not(None) if f.moved_out else Resident.moved_out_at.is_(None)]
    household = compound = False
    if f.micro_id is not None:
        conds.append(Household.grid_id == f.micro_id)
    elif f.grid_id is not None:
        conds.append(Household.grid_id.in_(grid_family(session, f.grid_id)))
    if f.compound_id is not None:
        conds.append(Household.compound_id == f.compound_id)
    if f.building:
        conds.append(Household.building == f.building)
    household = f.micro_id is not None or f.grid_id is not None or f.compound_id is not None or bool(f.building)
    if f.care:
        conds.append(exists().where(ResidentCare.resident_id == Resident.id, ResidentCare.category == f.care))
    if f.overdue_visit:
        conds.append(overdue_visit_condition())
    if f.q:
        match = [Resident.name.like(like(f.q), escape="\\")]
        digits = search_digits(f.q)
        if digits.isdigit() and len(digits) >= 4:
            match.append(Resident.mobile.like(like(digits), escape="\\"))
        numbers = _NUMBERS.findall(f.q)
        if 2 <= len(numbers) <= 3 and not (digits.isdigit() and len(digits) >= 7):
            addr = [Household.building == numbers[0], Household.room == numbers[-1]]
            if len(numbers) == 3:
                addr.append(Household.unit == numbers[1])
            match.append(and_(*addr))
            household = True
        if not digits.isdigit():  # a compound's name ("邮电园")
            match.append(Compound.name.like(like(f.q), escape="\\"))
            household = compound = True
        conds.append(or_(*match))
    return conds, household, compound


def _own_household(community_id: int):
    """The resident's household, said to be of the community: PostgreSQL then reads the
    community's households by index instead of scanning every household of the district."""
    return and_(Household.id == Resident.household_id, Household.community_id == community_id)


def _own_compound(community_id: int):
    return and_(Compound.id == Household.compound_id, Compound.community_id == community_id)


def register_stmt(session: Session, community_id: int, f: RegisterQuery):
    """SELECT (Resident, Household, compound name) for the filters, ordered by address then name."""
    conds, _h, _c = _conditions(session, community_id, f)
    stmt = (select(Resident, Household, Compound.name)
            .join(Household, _own_household(community_id), isouter=True)
            .join(Compound, _own_compound(community_id), isouter=True)
            .where(*conds))
    # Buildings and rooms in their natural order (2 before 10): shorter numbers first.
    return stmt.order_by(Household.compound_id, func.length(Household.building), Household.building, Household.unit,
                         func.length(Household.room), Household.room, Resident.name, Resident.id)


def register_count_stmt(session: Session, community_id: int, f: RegisterQuery):
    """How many people match, joining only the tables the filters read."""
    conds, household, compound = _conditions(session, community_id, f)
    stmt = select(func.count(Resident.id))
    if household:  # outer joins, as the page's: people without a household still match by name
        stmt = stmt.join(Household, _own_household(community_id), isouter=True)
    if compound:
        stmt = stmt.join(Compound, _own_compound(community_id), isouter=True)
    return stmt.where(*conds)


@dataclass(frozen=True)
class RegisterRow:
    resident_id: int
    household_id: int | None
    name: str
    gender: str
    age: int | None
    birth: str
    mobile: str
    compound: str
    building: str
    unit: str
    room: str
    address: str
    grid: str
    micro_grid: str
    care: list[str]
    has_account: bool
    note: str


def _grid_names(session: Session, community_id: int) -> dict[int, tuple[str, int | None]]:
    return {g.id: (g.name, g.parent_id) for g in session.exec(select(Grid).where(Grid.community_id == community_id)).all()}


def register_rows(session: Session, community_id: int, rows) -> list[RegisterRow]:
    """View rows for (Resident, Household, compound name) tuples."""
    grids = _grid_names(session, community_id)
    ids = [r.id for r, _, _ in rows]
    care, accounts = care_of(session, ids), with_accounts(session, ids)
    today = local_today(community_zone(session, community_id))
    out = []
    for r, h, cname in rows:
        micro, grid = "", ""
        if h is not None and h.grid_id in grids:
            name, parent = grids[h.grid_id]
            if parent is None:
                grid = name
            else:
                micro, grid = name, grids.get(parent, ("", None))[0]
        birth = r.birth_date.isoformat() if r.birth_date else (str(r.birth_year) if r.birth_year else "")
        out.append(RegisterRow(
            r.id, r.household_id, r.name, r.gender, age_of(r.birth_date, r.birth_year, today), birth, r.mobile or "",
            cname or "", h.building if h else "", h.unit if h else "", h.room if h else "",
            address_text(cname, h.building, h.unit, h.room) if h else "", grid, micro, care.get(r.id, []),
            r.id in accounts, r.note))
    return out


def search_register(session: Session, actor: Actor, *, filters: dict | RegisterQuery | None = None, page=1,
                    page_size=20) -> Page[RegisterRow]:
    """One page of the register for staff of the community (any staff member reads it)."""
    require_staff(actor)
    cid = actor.community_id
    f = filters if isinstance(filters, RegisterQuery) else parse_filters(filters)
    rows, total, page, size = paginate(session, register_stmt(session, cid, f), page=page, page_size=page_size,
                                       count_stmt=register_count_stmt(session, cid, f))
    return Page(register_rows(session, cid, rows), total, page, size)


@dataclass(frozen=True)
class RegisterOptions:
    """What the register's filters and forms offer, and what this staff member may do."""

    grids: list[tuple[int, str]]
    micro_grids: list[tuple[int, str, int]]  # (id, name, parent id)
    compounds: list[tuple[int, str]]
    buildings: list[tuple[int, int, str]]  # (id, compound id, name)
    home_grid_id: int | None
    can_edit: bool
    categories: list[str] = field(default_factory=lambda: [c.value for c in CareCategory])


def register_options(session: Session, actor: Actor) -> RegisterOptions:
    require_staff(actor)
    cid = actor.community_id
    grids = session.exec(select(Grid).where(Grid.community_id == cid).order_by(Grid.id)).all()
    compounds = session.exec(select(Compound.id, Compound.name).where(Compound.community_id == cid)
                             .order_by(Compound.id)).all()
    buildings = session.exec(select(Building.id, Building.compound_id, Building.name)
                             .where(Building.community_id == cid)
                             .order_by(Building.compound_id, func.length(Building.name), Building.name)).all()
    return RegisterOptions(
        grids=[(g.id, g.name) for g in grids if g.parent_id is None],
        micro_grids=[(g.id, g.name, g.parent_id) for g in grids if g.parent_id is not None],
        compounds=[tuple(c) for c in compounds], buildings=[tuple(b) for b in buildings],
        home_grid_id=home_grid(session, actor, cid),
        can_edit=has_permission(session, actor, cid, Permission.REGISTER),
    )
