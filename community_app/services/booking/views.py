"""What residents and staff read: booking summaries, 我的预约, one booking with its timeline and
what the viewer may do, the waitlist, limits, and the days of a slot-based type with what the
resident may do in each slot."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_
from sqlmodel import Session, select

from community_app.i18n import DEFAULT_LOCALE, t
from community_app.models import (
    ACTIVE_STATUSES,
    Account,
    Booking,
    BookingEvent,
    BookingPhoto,
    BookingStatus,
    Community,
    Resident,
    ServiceDay,
    ServiceSlot,
    ServiceType,
    WaitlistEntry,
    utcnow,
)
from community_app.services.access import Actor, require_resident
from community_app.services.booking.common import (
    HOLDING_ACTIVE,
    VISIT_MINUTES,
    BookingActions,
    booking_actions,
    contact_phone,
    get_booking,
    household_address,
    limit_used,
    photo_dir,
)
from community_app.services.catalogue import (
    DayView,
    SlotView,
    get_service_type,
    open_days,
)
from community_app.services.core.clock import (
    community_zone,
    local_today,
    period_bounds,
    zone_named,
)
from community_app.services.errors import NotAllowed, NotFound, ValidationError
from community_app.settings import get_settings

# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class BookingSummary:
    id: int
    service_type_id: int
    service_name: str
    category: str
    icon: str
    kind: str
    status: str
    scheduled_at: datetime | None  # UTC
    ends_at: datetime | None  # UTC (slot end, or visit + 1 hour)
    local_when: str  # "2026-11-26 09:15" in the community's zone, "" when not scheduled
    slot_id: int | None
    slot_number: int | None
    location: str
    assignee_name: str
    on_behalf: bool
    rating: int | None
    created_at: datetime
    resident_id: int
    resident_name: str


@dataclass(frozen=True)
class TimelineStep:
    status: str  # a BookingStatus or "rescheduled"
    label_key: str  # "booking.status.<status>"
    at: datetime  # UTC
    actor_name: str
    note: str  # free text written by staff or the resident ("" when note_key is set)
    assignee_name: str = ""
    scheduled_at: datetime | None = None
    note_key: str = ""  # i18n key of a standard note: booking.note.on_behalf / walk_in / waitlist

    def note_text(self, locale: str = "zh_CN") -> str:
        """The standard note in the reader's language, or the text someone wrote."""
        return t(self.note_key, locale) if self.note_key else self.note




@dataclass(frozen=True)
class PhotoView:
    id: int
    filename: str
    content_type: str


@dataclass(frozen=True)
class BookingDetail:
    summary: BookingSummary
    description: str
    preferred_times: list[str]
    address: str
    decline_reason: str
    completion_note: str
    rating_comment: str
    photos: list[PhotoView]
    timeline: list[TimelineStep]
    can_cancel: bool  # by the viewer, now
    cancel_deadline: datetime | None  # UTC: a resident can cancel until then
    past_cutoff: bool  # active but too late to cancel in the app: show whom to call
    contact_phone: str
    can_rate: bool
    resident_mobile: str  # only for staff and the assigned volunteer, "" for the resident
    timezone: str = "Asia/Shanghai"
    actions: BookingActions = BookingActions()  # staff only; all False for others
    can_mark_done: bool = False  # the assigned volunteer (or staff) may record it done now
    viewer: str = "owner"  # who reads it: "owner" (the resident), "assignee" (the volunteer sent), "staff"
    has_calendar: bool = False  # confirmed with a time: a calendar file (.ics) can be downloaded


def summaries(session: Session, bookings: Sequence[Booking], locale: str = DEFAULT_LOCALE) -> list[BookingSummary]:
    """The bookings as lists show them, with the service's name in ``locale``."""
    if not bookings:
        return []
    type_ids = {b.service_type_id for b in bookings}
    types = {t.id: t for t in session.exec(select(ServiceType).where(ServiceType.id.in_(type_ids))).all()}
    slot_ids = {b.slot_id for b in bookings if b.slot_id}
    slots = {s.id: s for s in session.exec(select(ServiceSlot).where(ServiceSlot.id.in_(slot_ids))).all()} \
        if slot_ids else {}
    day_ids = {s.service_day_id for s in slots.values()}
    days = {d.id: d for d in session.exec(select(ServiceDay).where(ServiceDay.id.in_(day_ids))).all()} \
        if day_ids else {}
    resident_ids = {b.resident_id for b in bookings}
    names = dict(session.exec(select(Resident.id, Resident.name).where(Resident.id.in_(resident_ids))).all())
    zones: dict[int, ZoneInfo] = {}
    out = []
    for b in bookings:
        stype = types[b.service_type_id]
        zone = zones.get(b.community_id) or zones.setdefault(b.community_id, community_zone(session, b.community_id))
        slot = slots.get(b.slot_id) if b.slot_id else None
        day = days.get(slot.service_day_id) if slot else None
        ends = slot.ends_at if slot else (b.scheduled_at + timedelta(minutes=VISIT_MINUTES) if b.scheduled_at else None)
        out.append(BookingSummary(
            id=b.id, service_type_id=stype.id, service_name=stype.name_in(locale), category=stype.category, icon=stype.icon,
            kind=stype.kind, status=b.status, scheduled_at=b.scheduled_at, ends_at=ends,
            local_when=b.scheduled_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if b.scheduled_at else "",
            slot_id=b.slot_id, slot_number=slot.number if slot else None,
            location=(day.location if day else "") or stype.location or (b.address if not slot else ""),
            assignee_name=b.assignee_name, on_behalf=b.on_behalf, rating=b.rating, created_at=b.created_at,
            resident_id=b.resident_id, resident_name=names.get(b.resident_id, ""),
        ))
    return out


def my_bookings(session: Session, actor: Actor, *, scope: str = "all", limit: int | None = None
                ) -> list[BookingSummary]:
    """The resident's own bookings: ``scope`` "active" (submitted / approved / assigned,
    soonest first), "past" (the rest, newest first) or "all" (active first); the first
    ``limit`` of them when given (years of history are shown a page at a time)."""
    require_resident(actor)
    if scope not in ("all", "active", "past"):
        raise ValidationError("booking.error.filter_invalid", field="scope")
    rows = list(session.exec(select(Booking).where(Booking.resident_id == actor.resident_id)).all())
    far = datetime.max.replace(tzinfo=UTC)
    active = sorted([b for b in rows if b.status in ACTIVE_STATUSES],
                    key=lambda b: (b.scheduled_at or far, b.created_at, b.id))
    past = sorted([b for b in rows if b.status not in ACTIVE_STATUSES],
                  key=lambda b: (b.scheduled_at or b.created_at, b.id), reverse=True)
    chosen = {"active": active, "past": past, "all": active + past}[scope]
    if limit is not None:
        chosen = chosen[:max(0, limit)]
    return summaries(session, chosen, actor.locale)


def count_my_bookings(session: Session, actor: Actor) -> tuple[int, int]:
    """(active, past): how many bookings the resident has in each tab of 我的预约."""
    require_resident(actor)
    rows = session.exec(select(Booking.status, func.count(Booking.id))
                        .where(Booking.resident_id == actor.resident_id).group_by(Booking.status)).all()
    active = sum(n for status, n in rows if status in ACTIVE_STATUSES)
    return active, sum(n for _, n in rows) - active


@dataclass(frozen=True)
class WaitlistView:
    entry_id: int
    slot_id: int
    service_type_id: int
    service_name: str
    starts_at: datetime
    local_when: str
    position: int  # 1 = next in line


def my_waitlist(session: Session, actor: Actor) -> list[WaitlistView]:
    """The slots the resident is waiting for, with their place in line."""
    require_resident(actor)
    entries = session.exec(select(WaitlistEntry).where(
        WaitlistEntry.resident_id == actor.resident_id, WaitlistEntry.waiting_slot_id.is_not(None))).all()
    out = []
    for e in entries:
        slot = session.get(ServiceSlot, e.slot_id)
        stype = session.get(ServiceType, slot.service_type_id)
        zone = community_zone(session, stype.community_id)
        ahead = session.exec(select(func.count(WaitlistEntry.id)).where(
            WaitlistEntry.waiting_slot_id == slot.id,
            or_(WaitlistEntry.created_at < e.created_at,
                and_(WaitlistEntry.created_at == e.created_at, WaitlistEntry.id < e.id)))).one()
        out.append(WaitlistView(e.id, slot.id, stype.id, stype.name_in(actor.locale), slot.starts_at,
                                slot.starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"), int(ahead) + 1))
    return sorted(out, key=lambda w: w.starts_at)


@dataclass(frozen=True)
class LimitStatus:
    """How much of a type's limit ("one 义剪 a month") a resident used in one period."""

    service_type_id: int
    kind: str  # slot / request
    limit_count: int
    period: str  # day / week / month / year
    used: int
    period_first: date
    period_last: date
    next_first: date  # the first day of the next period: from then on they can book again

    @property
    def reached(self) -> bool:
        return self.used >= self.limit_count

    @property
    def left(self) -> int:
        return max(0, self.limit_count - self.used)


def limit_status(session: Session, actor: Actor, *, service_type_id: int, day: date | None = None
                 ) -> LimitStatus | None:
    """The resident's use of a type's limit in the period containing ``day`` (the
    community's today when None), counted exactly as ``book_slot`` and ``request_service``
    count it when they refuse: slot bookings in the period of their slot's date, requests in
    the period they were made; cancelled and declined ones do not count. None when the type
    has no limit. Lets a page say "you already had this month's 义剪" before the resident taps;
    the booking functions still enforce the limit themselves."""
    require_resident(actor)
    if day is not None and (not isinstance(day, date) or isinstance(day, datetime)):
        raise ValidationError("error.invalid", field="day")
    stype = get_service_type(session, actor, service_type_id=service_type_id)
    if not stype.limit_count or not stype.limit_period:
        return None
    zone = community_zone(session, stype.community_id)
    ref_day = day or local_today(zone)
    first, last = period_bounds(stype.limit_period, ref_day)
    used = limit_used(session, stype, actor.resident_id, ref_day, zone)
    return LimitStatus(
        service_type_id=stype.id, kind=stype.kind, limit_count=stype.limit_count, period=stype.limit_period,
        used=used, period_first=first, period_last=last, next_first=last + timedelta(days=1),
    )


@dataclass(frozen=True)
class SlotOffer:
    """A slot as the resident may use it now."""

    slot: SlotView
    can_book: bool  # a free place, not theirs already, the limit not used
    can_wait: bool  # full, not theirs, not waiting already, the limit not used


@dataclass(frozen=True)
class DayOffer:
    day: DayView  # open (with the slots not yet started) or cancelled (with staff's reason)
    mine: bool  # the resident holds a place on this day
    limit_used: bool  # the resident used the type's limit in this day's period (and holds none here)
    period: LimitStatus | None  # that period's use, when the limit is used
    slots: list[SlotOffer]


@dataclass(frozen=True)
class ServiceDays:
    days: list[DayOffer]
    today_limit: LimitStatus | None  # the limit of today's period, when it is used up


def service_days(session: Session, actor: Actor, *, service_type_id: int, limit: int = 14) -> ServiceDays:
    """The next days of a slot-based type for a resident (cancelled ones too, with the reason)
    with what they may do in each slot: the per-period limit ("one 义剪 a month") applied to
    each day's period exactly as ``book_slot`` and ``join_waitlist`` apply it."""
    views = open_days(session, actor, service_type_id=service_type_id, limit=limit, include_cancelled=True)
    today = limit_status(session, actor, service_type_id=service_type_id)
    periods: list[LimitStatus] = [today] if today is not None else []
    if today is not None:
        for v in views:
            if not v.cancelled and not any(p.period_first <= v.day <= p.period_last for p in periods):
                periods.append(limit_status(session, actor, service_type_id=service_type_id, day=v.day))
    used = [p for p in periods if p.reached]
    out = []
    for v in views:
        if v.cancelled:
            out.append(DayOffer(day=v, mine=False, limit_used=False, period=None, slots=[]))
            continue
        period = next((p for p in used if p.period_first <= v.day <= p.period_last), None)
        mine = any(sl.booked_by_me for sl in v.slots)
        blocked = period is not None
        slots = [SlotOffer(slot=sl, can_book=not blocked and not sl.booked_by_me and sl.free > 0,
                           can_wait=not blocked and not sl.booked_by_me and not sl.waiting_by_me and sl.free <= 0)
                 for sl in v.slots]
        out.append(DayOffer(day=v, mine=mine, limit_used=blocked and not mine, period=period, slots=slots))
    return ServiceDays(days=out, today_limit=today if today is not None and today.reached else None)


def viewer_role(actor: Actor | None, booking: Booking) -> str:
    """'staff', 'assignee', 'owner' or raise."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    if actor.can_staff(booking.community_id):
        return "staff"
    if booking.assignee_account_id is not None and booking.assignee_account_id == actor.account_id:
        return "assignee"
    if actor.resident_id is not None and actor.resident_id == booking.resident_id:
        return "owner"
    raise NotAllowed("booking.error.not_yours")


def booking_detail(session: Session, actor: Actor, *, booking_id: int) -> BookingDetail:
    """One booking with its timeline. A resident sees only their own, staff only their
    community's, a volunteer the bookings assigned to them."""
    booking = get_booking(session, booking_id)
    role = viewer_role(actor, booking)
    stype = session.get(ServiceType, booking.service_type_id)
    community = session.get(Community, booking.community_id)
    summary = summaries(session, [booking], actor.locale)[0]
    events = session.exec(select(BookingEvent).where(BookingEvent.booking_id == booking.id)
                          .order_by(BookingEvent.created_at, BookingEvent.id)).all()
    actor_ids = {e.actor_account_id for e in events if e.actor_account_id}
    names = dict(session.exec(select(Account.id, Account.display_name).where(Account.id.in_(actor_ids))).all()) \
        if actor_ids else {}
    timeline = [
        TimelineStep(status=e.status, label_key=f"booking.status.{e.status}", at=e.created_at,
                     actor_name=names.get(e.actor_account_id, ""),
                     note=e.note, assignee_name=e.assignee_name, scheduled_at=e.scheduled_at,
                     note_key=e.note_key)
        for e in events
    ]
    photos = [PhotoView(p.id, p.filename, p.content_type) for p in session.exec(
        select(BookingPhoto).where(BookingPhoto.booking_id == booking.id).order_by(BookingPhoto.id)).all()]
    now = utcnow()
    rules = booking_actions(booking, stype.kind, zone_named(community.timezone if community else None), now)
    active = booking.status in ACTIVE_STATUSES
    deadline = (booking.scheduled_at - timedelta(minutes=stype.cancel_cutoff_minutes)
                if booking.scheduled_at is not None else None)
    past_cutoff = active and deadline is not None and now > deadline
    if role == "staff":
        can_cancel = active
    elif role == "owner":
        can_cancel = active and not past_cutoff
    else:
        can_cancel = False
    resident = session.get(Resident, booking.resident_id)
    return BookingDetail(
        summary=summary, description=booking.description,
        preferred_times=[w for w in booking.preferred_times.split(" / ") if w], address=booking.address,
        decline_reason=booking.decline_reason, completion_note=booking.completion_note,
        rating_comment=booking.rating_comment, photos=photos, timeline=timeline, can_cancel=can_cancel,
        cancel_deadline=deadline, past_cutoff=past_cutoff, contact_phone=contact_phone(session, stype),
        can_rate=role == "owner" and booking.status == BookingStatus.DONE and booking.rating is None,
        resident_mobile=(resident.mobile or "") if role in ("staff", "assignee") and resident else "",
        timezone=community.timezone if community else get_settings().timezone,
        actions=rules if role == "staff" else BookingActions(),
        can_mark_done=role in ("staff", "assignee") and rules.can_done,
        viewer=role,
        has_calendar=booking.status in HOLDING_ACTIVE and booking.scheduled_at is not None,
    )


def photo_file(session: Session, actor: Actor, *, photo_id: int) -> tuple[Path, str]:
    """(path on disk, content type) of a booking photo, for whoever may see the booking."""
    photo = session.get(BookingPhoto, photo_id) if isinstance(photo_id, int) else None
    if photo is None:
        raise NotFound("booking.error.not_found")
    viewer_role(actor, get_booking(session, photo.booking_id))
    return photo_dir(photo.booking_id) / Path(photo.filename).name, photo.content_type


def my_address(session: Session, actor: Actor) -> str:
    """The signed-in resident's household address, as requests are addressed by default."""
    require_resident(actor)
    resident = session.get(Resident, actor.resident_id)
    return household_address(session, resident) if resident is not None else ""
