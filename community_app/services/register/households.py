"""The household page (户卡): address and grid, members with or without accounts and their care
categories, the services they received, their mediation cases and 诉求, the visits and notes of
the 民情日记, and the history of care-category changes. Any staff member of the community reads
it; ``can_edit`` says whether this one may change it."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from community_app.models import (
    Account,
    AuditLog,
    Booking,
    Compound,
    DiaryEntry,
    Grid,
    Household,
    Resident,
    ResidentRequest,
    ServiceType,
)
from community_app.services.access import Actor, require_staff
from community_app.services.core.clock import community_zone, local_today
from community_app.services.errors import NotFound
from community_app.services.register.common import address_text, age_of, care_of, with_accounts
from community_app.services.register.scope import can_change_household

log = logging.getLogger(__name__)

__all__ = ["CareChange", "DiaryView", "HouseholdDetail", "MemberView", "household_detail"]

_LIMIT = 30


@dataclass(frozen=True)
class MemberView:
    resident_id: int
    name: str
    gender: str
    age: int | None
    birth: str
    mobile: str
    care: list[str]
    has_account: bool
    note: str
    moved_out: bool


@dataclass(frozen=True)
class ServiceLine:
    booking_id: int
    service: str
    person: str
    status: str
    at: datetime
    rating: int | None


@dataclass(frozen=True)
class CaseLine:
    case_id: int
    title: str
    status: str
    at: datetime


@dataclass(frozen=True)
class RequestLine:
    request_id: int
    category: str
    description: str
    status: str
    at: datetime


@dataclass(frozen=True)
class DiaryView:
    id: int
    kind: str
    author: str
    person: str
    body: str
    at: datetime


@dataclass(frozen=True)
class CareChange:
    at: datetime
    author: str
    person: str
    added: list[str]
    removed: list[str]
    reason: str


@dataclass(frozen=True)
class HouseholdDetail:
    id: int
    compound_id: int
    address: str
    building: str
    unit: str
    room: str
    grid: str
    micro_grid: str
    leader: str
    leader_phone: str
    members: list[MemberView]
    services: list[ServiceLine] = field(default_factory=list)
    cases: list[CaseLine] = field(default_factory=list)
    requests: list[RequestLine] = field(default_factory=list)
    diary: list[DiaryView] = field(default_factory=list)
    care_history: list[CareChange] = field(default_factory=list)
    can_edit: bool = False


def _members(session: Session, household: Household, cid: int) -> tuple[list[Resident], list[MemberView]]:
    people = list(session.exec(select(Resident).where(Resident.household_id == household.id)
                               .order_by(Resident.moved_out_at.is_not(None), Resident.id)).all())
    ids = [p.id for p in people]
    care, accounts = care_of(session, ids), with_accounts(session, ids)
    today = local_today(community_zone(session, cid))
    views = [MemberView(p.id, p.name, p.gender, age_of(p.birth_date, p.birth_year, today),
                        p.birth_date.isoformat() if p.birth_date else (str(p.birth_year) if p.birth_year else ""),
                        p.mobile or "", care.get(p.id, []), p.id in accounts, p.note, p.moved_out_at is not None)
             for p in people]
    return people, views


def _services(session: Session, names: dict[int, str], locale: str) -> list[ServiceLine]:
    rows = session.exec(select(Booking, ServiceType).join(ServiceType, ServiceType.id == Booking.service_type_id)
                        .where(Booking.resident_id.in_(list(names)))
                        .order_by(Booking.created_at.desc(), Booking.id.desc()).limit(_LIMIT)).all()
    return [ServiceLine(b.id, st.name_in(locale), names.get(b.resident_id, ""), b.status,
                        b.scheduled_at or b.created_at, b.rating)
            for b, st in rows]


def _cases(session: Session, names: dict[int, str]) -> list[CaseLine]:
    """The members' mediation cases. Read defensively: the mediation domain owns these tables
    and may reshape them; the household page must still open."""
    try:
        from community_app.models import CaseParty, MediationCase

        rows = session.exec(select(MediationCase).join(CaseParty, CaseParty.case_id == MediationCase.id)
                            .where(CaseParty.resident_id.in_(list(names)))
                            .order_by(MediationCase.created_at.desc()).limit(_LIMIT)).all()
    except (ImportError, AttributeError, SQLAlchemyError):
        log.warning("mediation cases unreadable for the household page", exc_info=True)
        session.rollback()
        return []
    seen: dict[int, CaseLine] = {}
    for c in rows:
        seen.setdefault(c.id, CaseLine(c.id, c.title, c.status, c.created_at))
    return list(seen.values())


def _requests(session: Session, names: dict[int, str]) -> list[RequestLine]:
    rows = session.exec(select(ResidentRequest).where(ResidentRequest.resident_id.in_(list(names)))
                        .order_by(ResidentRequest.created_at.desc()).limit(_LIMIT)).all()
    return [RequestLine(r.id, r.category, r.description[:80], r.status, r.created_at) for r in rows]


def _diary(session: Session, household_id: int, names: dict[int, str]) -> list[DiaryView]:
    rows = session.exec(select(DiaryEntry, Account.display_name)
                        .join(Account, Account.id == DiaryEntry.author_account_id)
                        .where(DiaryEntry.household_id == household_id)
                        .order_by(DiaryEntry.created_at.desc(), DiaryEntry.id.desc()).limit(50)).all()
    return [DiaryView(d.id, d.kind, author, names.get(d.resident_id, "") if d.resident_id else "", d.body,
                      d.created_at) for d, author in rows]


def _care_history(session: Session, names: dict[int, str]) -> list[CareChange]:
    rows = session.exec(select(AuditLog, Account.display_name)
                        .join(Account, Account.id == AuditLog.actor_account_id, isouter=True)
                        .where(AuditLog.action == "register.care_change", AuditLog.target_type == "resident",
                               AuditLog.target_id.in_(list(names)))
                        .order_by(AuditLog.created_at.desc(), AuditLog.id.desc()).limit(_LIMIT)).all()
    out = []
    for a, author in rows:
        try:
            d = json.loads(a.detail or "{}")
        except ValueError:
            d = {}
        out.append(CareChange(a.created_at, author or "", names.get(a.target_id, ""), list(d.get("added", [])),
                              list(d.get("removed", [])), str(d.get("reason", ""))))
    return out


def household_detail(session: Session, actor: Actor, *, household_id: int) -> HouseholdDetail:
    require_staff(actor)
    cid = actor.community_id
    household = session.get(Household, household_id) if isinstance(household_id, int) else None
    if household is None or household.community_id != cid:
        raise NotFound("register.error.household_not_found")
    compound = session.get(Compound, household.compound_id)
    micro = session.get(Grid, household.grid_id) if household.grid_id else None
    grid = session.get(Grid, micro.parent_id) if micro and micro.parent_id else None
    if micro is not None and micro.parent_id is None:
        grid, micro = micro, None
    people, members = _members(session, household, cid)
    names = {p.id: p.name for p in people}
    leader = micro or grid
    detail = HouseholdDetail(
        household.id, household.compound_id,
        address_text(compound.name if compound else "", household.building, household.unit, household.room),
        household.building, household.unit, household.room, grid.name if grid else "", micro.name if micro else "",
        leader.leader_name if leader else "", leader.leader_phone if leader else "", members,
        can_edit=can_change_household(session, actor, household, cid))
    if not names:
        return detail
    return HouseholdDetail(**{**detail.__dict__, "services": _services(session, names, actor.locale),
                              "cases": _cases(session, names), "requests": _requests(session, names),
                              "diary": _diary(session, household.id, names),
                              "care_history": _care_history(session, names)})
