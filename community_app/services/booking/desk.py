"""The staff desk's lists: the approval queue, the day sheet of a service day, and finding a
resident for 代办."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, or_
from sqlmodel import Session, select

from community_app.models import (
    Account,
    Booking,
    BookingStatus,
    Compound,
    Grid,
    Household,
    Resident,
    ResidentCare,
    ServiceDay,
    ServiceKind,
    ServiceSlot,
    ServiceType,
    WaitlistEntry,
    utcnow,
)
from community_app.services.access import Actor, require_staff
from community_app.services.booking.common import (
    BookingActions,
    booking_actions,
    format_address,
)
from community_app.services.catalogue import (
    DAY_OPEN,
)
from community_app.services.core.clock import (
    community_zone,
    day_bounds_utc,
    local_today,
)
from community_app.services.errors import NotAllowed, NotFound, ValidationError
from community_app.services.phone import search_digits


@dataclass(frozen=True)
class QueueItem:
    booking_id: int
    service_type_id: int
    service_name: str
    kind: str
    status: str
    resident_id: int
    resident_name: str
    resident_mobile: str
    address: str
    grid_name: str
    description: str  # first 80 characters
    scheduled_at: datetime | None
    created_at: datetime
    on_behalf: bool
    assignee_name: str
    actions: BookingActions = BookingActions()


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueItem]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def staff_queue(
    session: Session,
    actor: Actor,
    *,
    community_id: int | None = None,
    service_type_id: int | None = None,
    status: str | Sequence[str] | None = None,
    kind: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    grid_id: int | None = None,
    newest_first: bool = False,
    page: int = 1,
    page_size: int = 20,
) -> QueuePage:
    """The approval queue and booking list for staff: filter by type, status(es), kind,
    date (scheduled date, or the day it was made when not scheduled; community-local),
    grid (a grid includes its micro-grids); paginated. The one waiting longest first (made
    earliest), unless ``newest_first`` (a history: latest date first)."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    cid = actor.community_id if community_id is None else community_id
    require_staff(actor, cid)
    zone = community_zone(session, cid)
    page = max(1, int(page))
    page_size = max(1, min(int(page_size), 100))
    conds = [Booking.community_id == cid]
    if service_type_id is not None:
        conds.append(Booking.service_type_id == service_type_id)
    if status:
        statuses = [status] if isinstance(status, str) else list(status)
        valid = {s.value for s in BookingStatus}
        if any(s not in valid for s in statuses):
            raise ValidationError("booking.error.filter_invalid", field="status")
        conds.append(Booking.status.in_(statuses))
    if kind is not None:
        if kind not in (ServiceKind.SLOT, ServiceKind.REQUEST):
            raise ValidationError("booking.error.filter_invalid", field="kind")
        conds.append(ServiceType.kind == kind)
    when = func.coalesce(Booking.scheduled_at, Booking.created_at)
    if date_from is not None or date_to is not None:
        if date_from is not None and date_to is not None and date_to < date_from:
            raise ValidationError("booking.error.filter_invalid", field="date_to")
        start, end = day_bounds_utc(date_from or date(2000, 1, 1), date_to or date(2999, 12, 30), zone)
        if date_from is not None:
            conds.append(when >= start)
        if date_to is not None:
            conds.append(when < end)
    if grid_id is not None:
        grid = session.get(Grid, grid_id) if isinstance(grid_id, int) else None
        if grid is None or grid.community_id != cid:
            raise ValidationError("booking.error.filter_invalid", field="grid_id")
        grid_ids = [grid.id, *session.exec(select(Grid.id).where(Grid.parent_id == grid.id)).all()]
        conds.append(Household.grid_id.in_(grid_ids))
    base = (
        select(Booking, ServiceType, Resident, Grid.name)
        .join(ServiceType, ServiceType.id == Booking.service_type_id)
        .join(Resident, Resident.id == Booking.resident_id)
        .join(Household, Household.id == Resident.household_id, isouter=True)
        .join(Grid, Grid.id == Household.grid_id, isouter=True)
        .where(*conds)
    )
    total = session.exec(
        select(func.count(Booking.id))
        .select_from(Booking)
        .join(ServiceType, ServiceType.id == Booking.service_type_id)
        .join(Resident, Resident.id == Booking.resident_id)
        .join(Household, Household.id == Resident.household_id, isouter=True)
        .where(*conds)
    ).one()
    order = (when.desc(), Booking.id.desc()) if newest_first else (Booking.created_at, Booking.id)
    rows = session.exec(base.order_by(*order).offset((page - 1) * page_size).limit(page_size)).all()
    now = utcnow()
    items = [
        QueueItem(
            booking_id=b.id, service_type_id=st.id, service_name=st.name_in(actor.locale), kind=st.kind, status=b.status,
            resident_id=r.id, resident_name=r.name, resident_mobile=r.mobile or "", address=b.address,
            grid_name=grid_name or "", description=b.description[:80], scheduled_at=b.scheduled_at,
            created_at=b.created_at, on_behalf=b.on_behalf, assignee_name=b.assignee_name,
            actions=booking_actions(b, st.kind, zone, now),
        )
        for b, st, r, grid_name in rows
    ]
    return QueuePage(items, int(total), page, page_size)


@dataclass(frozen=True)
class SheetRow:
    booking_id: int
    resident_id: int
    resident_name: str
    mobile: str
    address: str
    care: list[str]
    status: str
    on_behalf: bool
    can_attend: bool = False  # 到场: from the slot's day on
    can_no_show: bool = False  # 爽约: once the slot has begun


@dataclass(frozen=True)
class SheetWaiting:
    entry_id: int
    resident_id: int
    resident_name: str
    mobile: str
    position: int


@dataclass(frozen=True)
class SheetSlot:
    slot_id: int
    number: int
    starts_at: datetime
    ends_at: datetime
    local_start: str
    local_end: str
    capacity: int
    taken: int
    rows: list[SheetRow]
    waiting: list[SheetWaiting]
    can_walk_in: bool = False  # 现场登记: on the day itself, while a place is free


@dataclass(frozen=True)
class DaySheet:
    day_id: int
    day: date
    status: str
    location: str
    note: str
    service_type_id: int
    service_name: str
    slots: list[SheetSlot]


def day_sheet(session: Session, actor: Actor, *, day_id: int) -> DaySheet:
    """Who comes when on one service day (booked, done and no-show places, by slot), with
    each slot's waitlist, for staff of the community."""
    day = session.get(ServiceDay, day_id) if isinstance(day_id, int) else None
    if day is None:
        raise NotFound("catalogue.error.day_not_found")
    stype = session.get(ServiceType, day.service_type_id)
    require_staff(actor, stype.community_id)
    zone = community_zone(session, stype.community_id)
    slots = session.exec(select(ServiceSlot).where(ServiceSlot.service_day_id == day.id)
                         .order_by(ServiceSlot.number)).all()
    slot_ids = [s.id for s in slots]
    bookings = session.exec(select(Booking, Resident).join(Resident, Resident.id == Booking.resident_id)
                            .where(Booking.holding_slot_id.in_(slot_ids))
                            .order_by(Booking.created_at, Booking.id)).all() if slot_ids else []
    waiting = session.exec(select(WaitlistEntry, Resident).join(Resident, Resident.id == WaitlistEntry.resident_id)
                           .where(WaitlistEntry.waiting_slot_id.in_(slot_ids))
                           .order_by(WaitlistEntry.created_at, WaitlistEntry.id)).all() if slot_ids else []
    resident_ids = {r.id for _, r in bookings}
    care: dict[int, list[str]] = {}
    if resident_ids:
        for rid, cat in session.exec(select(ResidentCare.resident_id, ResidentCare.category)
                                     .where(ResidentCare.resident_id.in_(resident_ids))).all():
            care.setdefault(rid, []).append(cat)
    now = utcnow()
    walk_ins = day.status == DAY_OPEN and stype.active and day.day == local_today(zone, now)
    sheet_slots = []
    for s in slots:
        rows = []
        for b, r in bookings:
            if b.slot_id != s.id:
                continue
            rules = booking_actions(b, stype.kind, zone, now)
            rows.append(SheetRow(b.id, r.id, r.name, r.mobile or "", b.address, sorted(care.get(r.id, [])), b.status,
                                 b.on_behalf, can_attend=rules.can_done, can_no_show=rules.can_no_show))
        wait = [e for e in waiting if e[0].slot_id == s.id]
        sheet_slots.append(SheetSlot(
            slot_id=s.id, number=s.number, starts_at=s.starts_at, ends_at=s.ends_at,
            local_start=s.starts_at.astimezone(zone).strftime("%H:%M"),
            local_end=s.ends_at.astimezone(zone).strftime("%H:%M"), capacity=s.capacity, taken=s.taken,
            rows=rows,
            waiting=[SheetWaiting(e.id, r.id, r.name, r.mobile or "", i) for i, (e, r) in enumerate(wait, start=1)],
            can_walk_in=walk_ins and s.taken < s.capacity,
        ))
    return DaySheet(day.id, day.day, day.status, day.location, day.note, stype.id, stype.name_in(actor.locale), sheet_slots)


@dataclass(frozen=True)
class ResidentMatch:
    resident_id: int
    name: str
    mobile: str
    address: str
    age: int | None
    care: list[str]
    has_account: bool


ADDRESS_RE = re.compile(r"\d+")


def like_pattern(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def find_residents(
    session: Session, actor: Actor, *, query: str, limit: int = 20, community_id: int | None = None
) -> list[ResidentMatch]:
    """代办 look-up for staff: residents of the community by name, mobile (4+ digits) or
    building-room ("3-201", "3-1-201", "3号楼1单元201")."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    cid = actor.community_id if community_id is None else community_id
    require_staff(actor, cid)
    q = (query or "").strip()[:64]
    if not q:
        return []
    conds = [Resident.name.like(like_pattern(q), escape="\\")]
    digits = search_digits(q)
    if digits.isdigit() and len(digits) >= 4:
        conds.append(Resident.mobile.like(like_pattern(digits), escape="\\"))
    numbers = ADDRESS_RE.findall(q)
    if 2 <= len(numbers) <= 3 and not (digits.isdigit() and len(digits) >= 7):
        addr = [Household.building == numbers[0], Household.room == numbers[-1]]
        if len(numbers) == 3:
            addr.append(Household.unit == numbers[1])
        conds.append(and_(*addr))
    rows = session.exec(
        select(Resident, Household, Compound)
        .join(Household, Household.id == Resident.household_id, isouter=True)
        .join(Compound, Compound.id == Household.compound_id, isouter=True)
        .where(Resident.community_id == cid, or_(*conds))
        .order_by(Resident.name, Resident.id)
        .limit(max(1, min(int(limit), 100)))
    ).all()
    ids = [r.id for r, _, _ in rows]
    care: dict[int, list[str]] = {}
    with_account: set[int] = set()
    if ids:
        for rid, cat in session.exec(select(ResidentCare.resident_id, ResidentCare.category)
                                     .where(ResidentCare.resident_id.in_(ids))).all():
            care.setdefault(rid, []).append(cat)
        with_account = set(session.exec(select(Account.resident_id).where(Account.resident_id.in_(ids))).all())
    year = local_today(community_zone(session, cid)).year
    out = []
    for r, h, c in rows:
        address = format_address(h, c.name if c else None) if h is not None else ""
        out.append(ResidentMatch(r.id, r.name, r.mobile or "", address,
                                 year - r.birth_year if r.birth_year else None, sorted(care.get(r.id, [])),
                                 r.id in with_account))
    return out
