"""Changing the people of the register: staff add a resident (with or without a phone) to a
household or a new address, edit a member, record that someone moved out (迁出), and set care
categories with a reason. Every change is audited; eligibility rules that read the care
categories (``catalogue.is_eligible``) see a change at once.

Needs the ``register`` permission; a grid-scoped staff member changes only households of their
grid (``scope.can_change_household``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, delete, select

from community_app.models import Compound, Household, Permission, Resident, ResidentCare, utcnow
from community_app.services import audit
from community_app.services.access import Actor, require_staff
from community_app.services.core.text import clean_text
from community_app.services.core.tx import lock, mutating
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from community_app.services.register.fields import (
    clean_mobile,
    clean_part,
    parse_birth,
    parse_care,
    parse_gender,
)
from community_app.services.register.grids import find_building, place_household
from community_app.services.register.scope import (
    grid_family,
    home_grid,
    is_community_admin,
    lock_register,
    require_household_change,
    require_permission,
)

__all__ = ["NewAddress", "PersonFields", "add_resident", "ensure_household", "move_out", "set_care",
           "update_resident"]


@dataclass(frozen=True)
class NewAddress:
    compound_id: int
    building: str
    unit: str
    room: str


@dataclass(frozen=True)
class PersonFields:
    """What a form sends for one person (strings as typed)."""

    name: str = ""
    mobile: str = ""
    gender: str = ""
    birth: str = ""
    note: str = ""


def _clean_person(p: PersonFields) -> dict:
    errors = []
    out: dict = {}
    for key, fn in (
        ("name", lambda: clean_text(p.name, field="name", max_len=32, required_key="register.error.name_required")),
        ("mobile", lambda: clean_mobile(p.mobile)),
        ("gender", lambda: parse_gender(p.gender)),
        ("birth", lambda: parse_birth(p.birth)),
        ("note", lambda: clean_text(p.note, field="note", max_len=500)),
    ):
        try:
            out[key] = fn()
        except ValidationError as e:
            errors.append(e)
    if errors:
        raise errors[0]
    out["birth_date"], out["birth_year"] = out.pop("birth")
    return out


def _mobile_free(session: Session, community_id: int, mobile: str | None, except_id: int | None = None) -> None:
    """A mobile belongs to one person of the community (a second person with it is a duplicate)."""
    if not mobile:
        return
    stmt = select(Resident.id).where(Resident.community_id == community_id, Resident.mobile == mobile,
                                     Resident.moved_out_at.is_(None))
    if except_id is not None:
        stmt = stmt.where(Resident.id != except_id)
    if session.exec(stmt).first() is not None:
        raise Conflict("register.error.mobile_used", field="mobile")


def ensure_household(session: Session, community_id: int, address: NewAddress) -> Household:
    """The household at ``address`` (a known building of a compound of the community), created
    and placed in its building's grid if new. In the caller's transaction."""
    compound = session.get(Compound, address.compound_id) if isinstance(address.compound_id, int) else None
    if compound is None or compound.community_id != community_id:
        raise ValidationError("register.error.compound_unknown", field="compound")
    building = clean_part(address.building, field="building", suffixes=("号楼", "栋", "幢", "号", "楼"),
                          required=True)
    unit = clean_part(address.unit, field="unit", suffixes=("单元",), required=False)
    room = clean_part(address.room, field="room", suffixes=("室", "号"), required=True)
    known = find_building(session, compound.id, building)
    if known is None:
        raise ValidationError("register.error.building_unknown", field="building")
    household = session.exec(select(Household).where(
        Household.compound_id == compound.id, Household.building == known.name, Household.unit == unit,
        Household.room == room)).first()
    if household is None:
        household = Household(community_id=community_id, compound_id=compound.id, building=known.name, unit=unit,
                              room=room)
        session.add(household)
        session.flush()
        place_household(session, household)
    return household


def _check_new_household_scope(session: Session, actor: Actor, household: Household) -> None:
    scope = home_grid(session, actor, household.community_id)
    if scope is not None and not is_community_admin(session, actor, household.community_id) \
            and household.grid_id not in grid_family(session, scope):
        raise NotAllowed("register.error.outside_grid")


def _apply_care(session: Session, resident_id: int, categories: list[str]) -> tuple[list[str], list[str]]:
    have = set(session.exec(select(ResidentCare.category).where(ResidentCare.resident_id == resident_id)).all())
    want = set(categories)
    added, removed = sorted(want - have), sorted(have - want)
    if removed:
        session.exec(delete(ResidentCare).where(ResidentCare.resident_id == resident_id,
                                                ResidentCare.category.in_(removed)))
    session.add_all([ResidentCare(resident_id=resident_id, category=c) for c in added])
    return added, removed


def _categories(raw) -> list[str]:
    found, unknown = parse_care(raw)
    if unknown:
        raise ValidationError("register.error.category_unknown", field="care", word=unknown[0])
    return found


@mutating
def add_resident(session: Session, actor: Actor, *, person: PersonFields, household_id: int | None = None,
                 address: NewAddress | None = None, care=()) -> Resident:
    """A person in the register (no account needed: many elderly residents have no phone), in an
    existing household or at a new address. Audited. Commits."""
    require_staff(actor)
    cid = actor.community_id
    fields = _clean_person(person)
    categories = _categories(list(care or ()))
    if household_id is not None:
        household = require_household_change(session, actor, household_id, cid)
    else:
        require_permission(session, actor, cid, Permission.REGISTER)
        if address is None:
            raise ValidationError("register.error.address_required", field="building")
        household = ensure_household(session, cid, address)
        _check_new_household_scope(session, actor, household)
    lock_register(session, cid)
    _mobile_free(session, cid, fields["mobile"])
    same = session.exec(select(Resident.id).where(Resident.household_id == household.id,
                                                  Resident.name == fields["name"],
                                                  Resident.moved_out_at.is_(None))).first()
    if same is not None:
        raise Conflict("register.error.duplicate_person", field="name")
    resident = Resident(community_id=cid, household_id=household.id, **fields)
    session.add(resident)
    session.flush()
    _apply_care(session, resident.id, categories)
    audit.record(session, actor, "register.resident_add", target_type="resident", target_id=resident.id,
                 household_id=household.id, name=resident.name, care=categories)
    session.commit()
    return resident


def _member(session: Session, actor: Actor, resident_id) -> Resident:
    require_staff(actor)
    resident = session.exec(lock(session, select(Resident).where(Resident.id == resident_id))).first() \
        if isinstance(resident_id, int) and not isinstance(resident_id, bool) else None
    if resident is None or resident.community_id != actor.community_id:
        raise NotFound("register.error.resident_not_found")
    require_household_change(session, actor, resident.household_id, actor.community_id)
    return resident


@mutating
def update_resident(session: Session, actor: Actor, *, resident_id: int, person: PersonFields) -> Resident:
    """Edit a member's name, mobile, gender, birth and note. The changed fields are audited."""
    resident = _member(session, actor, resident_id)
    fields = _clean_person(person)
    lock_register(session, resident.community_id)
    _mobile_free(session, resident.community_id, fields["mobile"], except_id=resident.id)
    changed = {k: [getattr(resident, k), v] for k, v in fields.items() if getattr(resident, k) != v}
    if changed:
        for key, (_old, new) in changed.items():
            setattr(resident, key, new)
        session.add(resident)
        audit.record(session, actor, "register.resident_edit", target_type="resident", target_id=resident.id,
                     changed={k: [str(o) if o is not None else "", str(n) if n is not None else ""]
                              for k, (o, n) in changed.items()})
    session.commit()
    return resident


@mutating
def move_out(session: Session, actor: Actor, *, resident_id: int, reason) -> Resident:
    """迁出: the person no longer lives here; kept (with their services and cases), marked."""
    resident = _member(session, actor, resident_id)
    reason = clean_text(reason, field="reason", max_len=200, required_key="register.error.reason_required")
    if resident.moved_out_at is not None:
        raise Conflict("register.error.already_moved_out")
    resident.moved_out_at = utcnow()
    session.add(resident)
    audit.record(session, actor, "register.resident_move_out", target_type="resident", target_id=resident.id,
                 reason=reason)
    session.commit()
    return resident


@mutating
def set_care(session: Session, actor: Actor, *, resident_id: int, categories, reason) -> tuple[list[str], list[str]]:
    """Set a resident's care categories (独居老人, 残障人员 ...) with the reason for the change
    (a home visit, a certificate seen). Returns (added, removed). Audited with both lists and the
    reason; services whose eligibility reads the categories follow at once. Commits."""
    resident = _member(session, actor, resident_id)
    if not isinstance(categories, list | tuple):
        raise ValidationError("register.error.category_unknown", field="care", word="?")
    wanted = _categories(list(categories))
    reason = clean_text(reason, field="reason", max_len=200, required_key="register.error.reason_required")
    added, removed = _apply_care(session, resident.id, wanted)
    if not added and not removed:
        session.rollback()
        return [], []
    audit.record(session, actor, "register.care_change", target_type="resident", target_id=resident.id,
                 added=added, removed=removed, reason=reason)
    session.commit()
    return added, removed
