"""Household members without an account (a child, a grandparent without a phone), as classes need
them: staff see a household, add a member, and complete a member's birth date (an age-limited
course needs the full date). Deliberately small: the register issue builds the full register.
Staff act only within their own community. Audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from community_app.models import Account, Household, Resident
from community_app.services import audit
from community_app.services.access import Actor, require_staff
from community_app.services.booking import household_address
from community_app.services.core import clock
from community_app.services.core.text import clean_text
from community_app.services.core.tx import mutating
from community_app.services.errors import NotFound, ValidationError

GENDERS = ("男", "女", "")
OLDEST = 130


@dataclass(frozen=True)
class MemberRow:
    resident_id: int
    name: str
    gender: str
    birth_date: date | None
    birth_year: int | None
    age: int | None
    has_account: bool


@dataclass(frozen=True)
class HouseholdView:
    household_id: int
    address: str
    members: list[MemberRow]


def _resident(session: Session, actor: Actor, resident_id) -> Resident:
    if isinstance(resident_id, bool) or not isinstance(resident_id, int) or resident_id <= 0:
        raise NotFound("classes.error.person_not_found")
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise NotFound("classes.error.person_not_found")
    require_staff(actor, resident.community_id)
    return resident


def household_of(session: Session, actor: Actor, *, resident_id: int) -> HouseholdView:
    """The household of a resident of the staff member's community, every member with their age."""
    resident = _resident(session, actor, resident_id)
    if resident.household_id is None:
        raise ValidationError("classes.error.no_household", field="resident")
    members = session.exec(select(Resident).where(Resident.household_id == resident.household_id)
                           .order_by(Resident.birth_date, Resident.id)).all()
    with_account = set(session.exec(select(Account.resident_id).where(
        Account.resident_id.in_([m.id for m in members]))).all())
    today = clock.local_today(clock.community_zone(session, resident.community_id))
    rows = [MemberRow(m.id, m.name, m.gender, m.birth_date, m.birth_year,
                      clock.age_on(m.birth_date, today) if m.birth_date else None, m.id in with_account)
            for m in members]
    return HouseholdView(resident.household_id, household_address(session, resident), rows)


def _birth(value, today: date) -> date:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError("classes.error.birth_date", field="birth_date") from None
    if not isinstance(value, date) or value > today or value.year < today.year - OLDEST:
        raise ValidationError("classes.error.birth_date", field="birth_date")
    return value


@mutating
def add_household_member(session: Session, actor: Actor, *, household_id: int, name: str, birth_date,
                         gender: str = "") -> Resident:
    """A person joins a household of the staff member's community (no account: their family or
    staff act for them). Audited. Commits."""
    household = session.get(Household, household_id) if isinstance(household_id, int) and household_id > 0 else None
    if household is None:
        raise NotFound("classes.error.no_household")
    require_staff(actor, household.community_id)
    name = clean_text(name, field="name", max_len=32, required_key="classes.error.name_required")
    if gender not in GENDERS:
        raise ValidationError("error.invalid", field="gender")
    today = clock.local_today(clock.community_zone(session, household.community_id))
    born = _birth(birth_date, today)
    clash = session.exec(select(Resident.id).where(Resident.household_id == household.id,
                                                   Resident.name == name)).first()
    if clash is not None:
        raise ValidationError("classes.error.member_exists", field="name", name=name)
    resident = Resident(community_id=household.community_id, household_id=household.id, name=name,
                        birth_date=born, birth_year=born.year, gender=gender)
    session.add(resident)
    session.flush()
    audit.record(session, actor, "classes.household.add_member", target_type="resident", target_id=resident.id,
                 community_id=household.community_id, household_id=household.id)
    session.commit()
    return resident


@mutating
def set_birth_date(session: Session, actor: Actor, *, resident_id: int, birth_date) -> Resident:
    """Staff complete a person's birth date (checked against their papers). Audited. Commits."""
    resident = _resident(session, actor, resident_id)
    today = clock.local_today(clock.community_zone(session, resident.community_id))
    born = _birth(birth_date, today)
    resident.birth_date = born
    resident.birth_year = born.year
    session.add(resident)
    audit.record(session, actor, "classes.household.birth_date", target_type="resident", target_id=resident.id,
                 community_id=resident.community_id)
    session.commit()
    return resident
