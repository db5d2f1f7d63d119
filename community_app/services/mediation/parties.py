"""The parties of a case (当事人): a registered resident, found by their address (a resident
filing a case) or by staff's look-up; or, for someone without an account or unknown to the
register, a name and an address typed in. Also the neighbour look-up a resident uses to name
the other party: the people registered at an address, with their names masked.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from community_app.models import Account, CaseParty, Compound, Household, Resident
from community_app.services.access import Actor, require_resident
from community_app.services.booking import household_address
from community_app.services.core.text import clean_text
from community_app.services.errors import NotAllowed, NotFound, ValidationError
from community_app.services.phone import clean_phone

__all__ = ["Home", "Neighbour", "PartyInput", "clean_party", "compounds", "find_neighbours", "home_of", "mask_name",
           "party_label"]

@dataclass(frozen=True)
class PartyInput:
    """Who a party is: ``resident_id`` of a registered resident, or a typed ``name`` and/or
    ``address`` (one of them is needed) with an optional ``phone``."""

    resident_id: int | None = None
    name: str = ""
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Neighbour:
    resident_id: int
    masked_name: str  # 王*
    has_account: bool


def mask_name(name: str) -> str:
    """王芳 -> 王*, 欧阳明月 -> 欧阳**: enough for a neighbour to recognise, not to look people up."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name or "*"
    keep = 2 if len(name) >= 4 else 1
    return name[:keep] + "*" * (len(name) - keep)


def _resident_in(session: Session, resident_id, community_id: int, field: str) -> Resident:
    if isinstance(resident_id, bool) or not isinstance(resident_id, int) or resident_id <= 0:
        raise ValidationError("mediation.error.party_invalid", field=field)
    resident = session.get(Resident, resident_id)
    if resident is None or resident.community_id != community_id:
        raise ValidationError("mediation.error.party_invalid", field=field)
    return resident


def clean_party(session: Session, party: PartyInput | None, *, community_id: int, role: str, field: str
                ) -> CaseParty:
    """A new (unsaved) CaseParty from what the form sent, checked: a registered resident must
    live in the community; a typed party needs a name or an address."""
    if not isinstance(party, PartyInput):
        raise ValidationError("mediation.error.party_required", field=field)
    if party.resident_id is not None:
        resident = _resident_in(session, party.resident_id, community_id, field)
        return CaseParty(resident_id=resident.id, role=role, name=resident.name[:32],
                         address=household_address(session, resident)[:200], phone="")
    name = clean_text(party.name, field=f"{field}_name", max_len=32)
    address = clean_text(party.address, field=f"{field}_address", max_len=200)
    phone = clean_phone(party.phone, field=f"{field}_phone", invalid_key="mediation.error.phone_invalid")
    if not address:
        raise ValidationError("mediation.error.party_address_required", field=f"{field}_address")
    return CaseParty(resident_id=None, role=role, name=name, address=address, phone=phone)


def party_label(party: CaseParty, locale_unknown: str) -> str:
    """How a party is named on screen: the name, or "the household at <address>"."""
    return party.name or locale_unknown.format(address=party.address)


def find_neighbours(session: Session, actor: Actor, *, compound_id, building: str, unit: str = "",
                    room: str) -> list[Neighbour]:
    """The people registered at an address of the resident's own community, names masked, not
    the resident themself: whom a resident can name as the other party. An unknown address
    gives an empty list (the form then takes a typed name)."""
    require_resident(actor)
    me = session.get(Resident, actor.resident_id)
    if me is None:
        raise NotFound("mediation.error.case_not_found")
    if isinstance(compound_id, bool) or not isinstance(compound_id, int):
        raise ValidationError("mediation.error.address_invalid", field="compound_id")
    building = clean_text(building, field="building", max_len=16, required_key="mediation.error.address_invalid")
    unit = clean_text(unit, field="unit", max_len=16)
    room = clean_text(room, field="room", max_len=16, required_key="mediation.error.address_invalid")
    compound = session.get(Compound, compound_id)
    if compound is None or compound.community_id != me.community_id:
        raise ValidationError("mediation.error.address_invalid", field="compound_id")
    rows = session.exec(
        select(Resident.id, Resident.name)
        .join(Household, Household.id == Resident.household_id)
        .where(Household.compound_id == compound.id, Household.building == building, Household.unit == unit,
               Household.room == room, Resident.id != me.id)
        .order_by(Resident.id).limit(12)
    ).all()
    ids = [r for r, _ in rows]
    with_account = set(session.exec(select(Account.resident_id).where(Account.resident_id.in_(ids))).all()) if ids else set()
    return [Neighbour(rid, mask_name(name), rid in with_account) for rid, name in rows]


@dataclass(frozen=True)
class Home:
    compound_id: int
    building: str
    unit: str


def home_of(session: Session, actor: Actor) -> Home | None:
    """The resident's own address (to start the neighbour look-up in their own building)."""
    require_resident(actor)
    row = session.exec(select(Household).join(Resident, Resident.household_id == Household.id)
                       .where(Resident.id == actor.resident_id)).first()
    return Home(row.compound_id, row.building, row.unit) if row else None


def compounds(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of the compounds of the actor's community (the address pickers)."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    return list(session.exec(select(Compound.id, Compound.name).where(Compound.community_id == actor.community_id)
                             .order_by(Compound.id)).all())
