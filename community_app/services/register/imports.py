"""Importing the register from the sheets staff already keep (.xlsx from Excel or WPS, .csv).

``preview_import`` reads the sheet and lists each row's problems (bad mobile, unknown compound or
building, missing name or room, duplicate person in the sheet or already in the register,
unknown care category, bad birth date or gender) and writes nothing. ``commit_import`` reads and
checks the same file again inside one write transaction and writes it only when every row is
clean, or, when staff deliberately chose to skip them, everything but the bad rows. One audit
row says what was imported. The people are placed in households (found or created at their
address, in their building's grid) with their care categories.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from community_app.models import Building, Compound, Household, Permission, Resident, ResidentCare
from community_app.services import audit
from community_app.services.access import Actor, require_staff
from community_app.services.core.tx import begin_write
from community_app.services.errors import Conflict, ValidationError
from community_app.services.register.fields import (
    clean_mobile,
    clean_part,
    parse_birth,
    parse_care,
    parse_gender,
)
from community_app.services.register.grids import building_key, place_household
from community_app.services.register.scope import (
    grid_family,
    home_grid,
    is_community_admin,
    lock_register,
    require_permission,
)
from community_app.services.register.sheets import REQUIRED, read_sheet

__all__ = ["ImportPreview", "ImportResult", "ImportRow", "Problem", "commit_import", "preview_import"]

PROBLEM_KINDS = ("name_missing", "mobile_bad", "compound_unknown", "building_unknown", "room_missing",
                 "duplicate_in_sheet", "duplicate_person", "category_unknown", "birth_bad", "gender_bad",
                 "too_long", "outside_grid")


@dataclass(frozen=True)
class Problem:
    kind: str  # one of PROBLEM_KINDS; worded by register.import.problem.<kind>
    value: str = ""  # the cell (or word) at fault, or the other line of a duplicate


@dataclass(frozen=True)
class ImportRow:
    line: int
    name: str
    mobile: str
    address: str
    care: str  # as written in the sheet
    problems: list[Problem] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # the categories understood


@dataclass(frozen=True)
class ImportPreview:
    filename: str
    missing_columns: list[str]
    rows: list[ImportRow]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def bad(self) -> int:
        return sum(1 for r in self.rows if r.problems) if not self.missing_columns else len(self.rows)

    @property
    def good(self) -> int:
        return self.total - self.bad


@dataclass(frozen=True)
class ImportResult:
    created: int
    skipped: int
    households_created: int


@dataclass
class _Known:
    """The community's register as the checks need it, read once per import."""

    compounds: dict[str, int]
    buildings: dict[tuple[int, str], Building]
    households: dict[tuple[int, str, str, str], Household]
    mobiles: set[str]
    names_at: set[tuple[int, str]]  # (household id, name) of people living there
    scope: list[int] | None  # grid ids a grid-scoped worker may import into


def _known(session: Session, actor: Actor, cid: int) -> _Known:
    compounds = {n: i for i, n in session.exec(select(Compound.id, Compound.name).where(Compound.community_id == cid))}
    buildings = {(b.compound_id, b.name): b for b in session.exec(select(Building).where(Building.community_id == cid))}
    households = {(h.compound_id, h.building, h.unit, h.room): h
                  for h in session.exec(select(Household).where(Household.community_id == cid))}
    people = session.exec(select(Resident.mobile, Resident.household_id, Resident.name)
                          .where(Resident.community_id == cid, Resident.moved_out_at.is_(None))).all()
    grid = home_grid(session, actor, cid)
    scope = None if grid is None or is_community_admin(session, actor, cid) else grid_family(session, grid)
    return _Known(compounds, buildings, households, {m for m, _, _ in people if m},
                  {(h, n) for _, h, n in people if h}, scope)


def _text(cells: list, header: dict[str, int], key: str):
    i = header.get(key)
    return cells[i] if i is not None and i < len(cells) else ""


def _check_row(line: int, cells: list, header: dict[str, int], known: _Known, seen: dict) -> tuple[ImportRow, dict]:
    """The row as staff see it, its problems, and (when clean) the values to write."""
    raw = {k: _text(cells, header, k) for k in header}
    problems: list[Problem] = []
    values: dict = {}

    def attempt(kind: str, fn, value):
        try:
            return fn()
        except ValidationError:
            problems.append(Problem(kind, str(value)[:40]))
            return None

    name = str(raw.get("name", "")).strip()
    if not name:
        problems.append(Problem("name_missing"))
    elif len(name) > 32:
        problems.append(Problem("too_long", name[:40]))
    mobile = attempt("mobile_bad", lambda: clean_mobile(raw.get("mobile")), raw.get("mobile", ""))
    birth = attempt("birth_bad", lambda: parse_birth(raw.get("birth")), raw.get("birth", "")) or (None, None)
    gender = attempt("gender_bad", lambda: parse_gender(raw.get("gender")), raw.get("gender", "")) or ""
    cats, unknown = parse_care(raw.get("care"))
    problems += [Problem("category_unknown", w) for w in unknown]
    note = str(raw.get("note", "")).strip()
    if len(note) > 500:
        problems.append(Problem("too_long", note[:40]))
    compound_name = str(raw.get("compound", "")).strip()
    compound_id = known.compounds.get(compound_name)
    building = unit = room = ""
    if compound_id is None:
        problems.append(Problem("compound_unknown", compound_name))
    else:
        building = building_key(str(clean_part(raw.get("building"), field="building", suffixes=(), required=False)))
        unit = attempt("too_long", lambda: clean_part(raw.get("unit"), field="unit", suffixes=("单元",),
                                                       required=False), raw.get("unit", "")) or ""
        room = attempt("room_missing", lambda: clean_part(raw.get("room"), field="room", suffixes=("室",),
                                                          required=True), raw.get("room", "")) or ""
        b = known.buildings.get((compound_id, building))
        if b is None:
            problems.append(Problem("building_unknown", f"{compound_name} {building}"))
        elif known.scope is not None and b.grid_id not in known.scope:
            problems.append(Problem("outside_grid", f"{compound_name} {building}"))
    address = f"{compound_name} {building}-{unit}-{room}".strip() if compound_id else compound_name
    duplicate = False
    if name and mobile:
        if mobile in known.mobiles:
            problems.append(Problem("duplicate_person", mobile))
        elif mobile in seen:
            problems.append(Problem("duplicate_in_sheet", str(seen[mobile])))
        duplicate = mobile in known.mobiles or mobile in seen
        seen.setdefault(mobile, line)
    if name and compound_id and room and not duplicate:
        key = (compound_id, building, unit, room, name)
        household = known.households.get(key[:4])
        if household is not None and (household.id, name) in known.names_at:
            problems.append(Problem("duplicate_person", name))
        elif key in seen:
            problems.append(Problem("duplicate_in_sheet", str(seen[key])))
        seen.setdefault(key, line)
    view = ImportRow(line, name, mobile or str(raw.get("mobile", "")), address, str(raw.get("care", "")), problems,
                     cats)
    if not problems:
        values = dict(name=name, mobile=mobile, birth_date=birth[0], birth_year=birth[1], gender=gender, note=note,
                      care=cats, address=(compound_id, building, unit, room))
    return view, values


def _check(session: Session, actor: Actor, data: bytes, filename: str) -> tuple[ImportPreview, list[dict], _Known]:
    header, lines = read_sheet(data, filename)
    missing = [k for k in REQUIRED if k not in header]
    known = _known(session, actor, actor.community_id)
    seen: dict = {}
    rows, clean = [], []
    for line, cells in lines:
        view, values = _check_row(line, cells, header, known, seen)
        rows.append(view)
        if values and not missing:
            clean.append(values)
    return ImportPreview(filename[:120], missing, rows), clean, known


def preview_import(session: Session, actor: Actor, *, data: bytes, filename: str) -> ImportPreview:
    """Check a sheet and say what is wrong with each row. Writes nothing."""
    require_staff(actor)
    require_permission(session, actor, actor.community_id, Permission.REGISTER)
    preview, _clean, _known_ = _check(session, actor, data, filename)
    return preview


def commit_import(session: Session, actor: Actor, *, data: bytes, filename: str, skip_bad: bool = False
                  ) -> ImportResult:
    """Write the sheet: every row when all are clean; with ``skip_bad`` the clean rows only
    (the bad ones are skipped on purpose). Refused (Conflict) when bad rows remain and were not
    to be skipped, or when nothing is left to import. Audited. Commits."""
    require_staff(actor)
    cid = actor.community_id
    try:
        begin_write(session)
        require_permission(session, actor, cid, Permission.REGISTER)
        lock_register(session, cid)
        preview, clean, known = _check(session, actor, data, filename)
        if preview.missing_columns:
            raise ValidationError("register.import.error.columns_missing", field="file")
        if preview.bad and not skip_bad:
            raise Conflict("register.import.error.not_clean", n=preview.bad)
        if not clean:
            raise Conflict("register.import.error.nothing")
        new_households = _write(session, cid, clean, known)
        audit.record(session, actor, "register.import", target_type="community", target_id=cid,
                     file=preview.filename, created=len(clean), skipped=preview.bad, households=new_households)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return ImportResult(len(clean), preview.bad, new_households)


def _write(session: Session, cid: int, clean: list[dict], known: _Known) -> int:
    created = 0
    for v in clean:
        compound_id, building, unit, room = v.pop("address")
        care = v.pop("care")
        household = known.households.get((compound_id, building, unit, room))
        if household is None:
            household = Household(community_id=cid, compound_id=compound_id, building=building, unit=unit, room=room)
            session.add(household)
            session.flush()
            place_household(session, household)
            known.households[(compound_id, building, unit, room)] = household
            created += 1
        resident = Resident(community_id=cid, household_id=household.id, **v)
        session.add(resident)
        session.flush()
        session.add_all([ResidentCare(resident_id=resident.id, category=c) for c in care])
    return created

