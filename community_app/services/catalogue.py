"""The service catalogue (服务目录): service types staff manage per community, the recurrence
rules of slot-based types (ServiceSchedule), the generated service days with their numbered
slots, cancelling or moving one day, eligibility of a resident for a type, and the lists the
pages need (what a resident may book, open days with free places).

Times: schedules hold local wall-clock times; slots store aware UTC computed in the
community's zone (``Community.timezone``), so a slot is the same instant everywhere.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import wraps
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from community_app.db import is_sqlite
from community_app.models import (
    Booking,
    CareCategory,
    Community,
    Resident,
    ResidentCare,
    ServiceDay,
    ServiceKind,
    ServiceSchedule,
    ServiceSlot,
    ServiceType,
    WaitlistEntry,
    utcnow,
)
from community_app.services import audit
from community_app.services.access import Actor, require_resident, require_staff
from community_app.services.errors import Conflict, NotFound, ValidationError
from community_app.settings import get_settings

CATEGORIES = ("haircut", "repair", "gas", "plumbing", "facility", "room", "other")
LIMIT_PERIODS = ("day", "week", "month", "year")
DAY_OPEN = "open"
DAY_CANCELLED = "cancelled"

_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
_PHONE_RE = re.compile(r"^[0-9+\-() ]{3,32}$")
_UNSET: object = object()


# --------------------------------------------------------------------------- helpers


def zone_named(name: str | None) -> ZoneInfo:
    """A zone by name, falling back to the deployment default on a missing or bad name."""
    try:
        return ZoneInfo(name or get_settings().timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(get_settings().timezone)


def community_zone(session: Session, community_id: int) -> ZoneInfo:
    """The community's zone (``Community.timezone``)."""
    return zone_named(session.exec(select(Community.timezone).where(Community.id == community_id)).first())


def local_today(zone: ZoneInfo, now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(zone).date()


def local_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A local wall-clock time on a local date, as aware UTC."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def day_bounds_utc(first: date, last: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[first 00:00, last+1 00:00) local, as UTC instants."""
    return local_to_utc(first, time(0), zone), local_to_utc(last + timedelta(days=1), time(0), zone)


def period_bounds(period: str, day: date) -> tuple[date, date]:
    """The limit period containing ``day`` as [first, last] dates."""
    if period == "day":
        return day, day
    if period == "week":
        first = day - timedelta(days=day.weekday())
        return first, first + timedelta(days=6)
    if period == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    first = day.replace(day=1)
    return first, first.replace(day=calendar.monthrange(day.year, day.month)[1])


def care_categories(service_type: ServiceType) -> list[str]:
    return [c for c in (service_type.eligible_care or "").split(",") if c]


def has_eligibility_rule(service_type: ServiceType) -> bool:
    return bool(care_categories(service_type)) or service_type.eligible_min_age is not None


def is_eligible(session: Session, service_type: ServiceType, resident: Resident, today: date | None = None) -> bool:
    """Server-side eligibility: a type with a rule (care categories and/or a minimum age) is
    open to residents matching any part of it; a type without a rule is open to everyone."""
    if not has_eligibility_rule(service_type):
        return True
    today = today or utcnow().date()
    min_age = service_type.eligible_min_age
    if min_age is not None and resident.birth_year and today.year - resident.birth_year >= min_age:
        return True
    cats = care_categories(service_type)
    if cats:
        hit = session.exec(
            select(ResidentCare.id).where(
                ResidentCare.resident_id == resident.id, ResidentCare.category.in_(cats)
            )
        ).first()
        return hit is not None
    return False


def _begin_write(session: Session) -> None:
    """Make sure a SQLite transaction started here takes the write lock first (BEGIN
    IMMEDIATE), even if the caller passed a plain ``db.session()``."""
    if is_sqlite(session) and not session.in_transaction():
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})


def _mutating(fn):
    """Roll back on any error so nothing half-done stays in the session (and SQLite's write
    lock is released at once)."""

    @wraps(fn)
    def wrapper(session: Session, *args, **kwargs):
        try:
            _begin_write(session)
            return fn(session, *args, **kwargs)
        except BaseException:
            session.rollback()
            raise

    return wrapper


def _lock(session: Session, stmt):
    """SELECT ... FOR UPDATE on PostgreSQL (SQLite holds the database write lock already),
    and refresh objects already in the session with what the locked read returns."""
    if not is_sqlite(session):
        # NO KEY UPDATE: enough to serialise writers, and does not block inserts of rows
        # that merely reference the locked one (foreign-key checks take KEY SHARE).
        stmt = stmt.with_for_update(key_share=True)
    return stmt.execution_options(populate_existing=True)


def _text(raw: str | None, *, field: str, max_len: int, required_key: str | None = None,
          long_key: str = "catalogue.error.too_long") -> str:
    value = (raw or "").strip()
    if required_key and not value:
        raise ValidationError(required_key, field=field)
    if len(value) > max_len:
        raise ValidationError(long_key, field=field, n=max_len)
    return value


def _int_or_none(value, *, field: str, key: str, lo: int, hi: int) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError(key, field=field)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(key, field=field) from None
    if number != value and not isinstance(value, str):
        raise ValidationError(key, field=field)
    if not lo <= number <= hi:
        raise ValidationError(key, field=field)
    return number


def _get_type(session: Session, service_type_id: int) -> ServiceType:
    stype = session.get(ServiceType, service_type_id) if service_type_id else None
    if stype is None:
        raise NotFound("catalogue.error.type_not_found")
    return stype


# --------------------------------------------------------------------------- service types


@dataclass(frozen=True)
class _TypeFields:
    name: str
    description: str
    kind: str
    category: str
    icon: str
    home_visit: bool
    eligible_care: str
    eligible_min_age: int | None
    cancel_cutoff_minutes: int
    limit_count: int | None
    limit_period: str | None
    contact_phone: str
    location: str


def _clean_type_fields(
    *, name, description, kind, category, icon, home_visit, eligible_care, eligible_min_age,
    cancel_cutoff_minutes, limit_count, limit_period, contact_phone, location,
) -> _TypeFields:
    name = _text(name, field="name", max_len=64, required_key="catalogue.error.name_required")
    description = _text(description, field="description", max_len=500)
    if kind not in (ServiceKind.SLOT, ServiceKind.REQUEST):
        raise ValidationError("catalogue.error.kind_invalid", field="kind")
    if category not in CATEGORIES:
        raise ValidationError("catalogue.error.category_invalid", field="category")
    icon = _text(icon or "wrench", field="icon", max_len=32)
    if isinstance(eligible_care, str):
        eligible_care = [c.strip() for c in eligible_care.split(",") if c.strip()]
    care: list[str] = []
    for c in eligible_care or ():
        if c not in {cc.value for cc in CareCategory}:
            raise ValidationError("catalogue.error.care_invalid", field="eligible_care")
        if c not in care:
            care.append(c)
    min_age = _int_or_none(eligible_min_age, field="eligible_min_age", key="catalogue.error.age_invalid",
                           lo=1, hi=120)
    cutoff = _int_or_none(cancel_cutoff_minutes, field="cancel_cutoff_minutes",
                          key="catalogue.error.cutoff_invalid", lo=0, hi=7 * 24 * 60)
    if cutoff is None:
        raise ValidationError("catalogue.error.cutoff_invalid", field="cancel_cutoff_minutes")
    count = _int_or_none(limit_count, field="limit_count", key="catalogue.error.limit_invalid", lo=1, hi=100)
    period = (limit_period or None) if count is not None else None
    if count is not None and period not in LIMIT_PERIODS:
        raise ValidationError("catalogue.error.limit_period_invalid", field="limit_period")
    phone = (contact_phone or "").strip()
    if phone and not _PHONE_RE.match(phone):
        raise ValidationError("catalogue.error.phone_invalid", field="contact_phone")
    location = _text(location, field="location", max_len=120)
    return _TypeFields(
        name=name, description=description, kind=str(kind), category=category, icon=icon,
        home_visit=bool(home_visit), eligible_care=",".join(care), eligible_min_age=min_age,
        cancel_cutoff_minutes=cutoff, limit_count=count, limit_period=period,
        contact_phone=phone, location=location,
    )


@_mutating
def create_service_type(
    session: Session,
    actor: Actor,
    *,
    code: str,
    name: str,
    kind: str,
    category: str = "other",
    description: str = "",
    icon: str = "wrench",
    home_visit: bool = False,
    eligible_care: Sequence[str] | str = (),
    eligible_min_age: int | None = None,
    cancel_cutoff_minutes: int = 120,
    limit_count: int | None = None,
    limit_period: str | None = None,
    contact_phone: str = "",
    location: str = "",
    community_id: int | None = None,
) -> ServiceType:
    """Staff add a service type to their community. Audited. Commits."""
    cid = actor.community_id if community_id is None and actor is not None else community_id
    require_staff(actor, cid)
    code = (code or "").strip().lower()
    if not _CODE_RE.match(code):
        raise ValidationError("catalogue.error.code_invalid", field="code")
    fields = _clean_type_fields(
        name=name, description=description, kind=kind, category=category, icon=icon,
        home_visit=home_visit, eligible_care=eligible_care, eligible_min_age=eligible_min_age,
        cancel_cutoff_minutes=cancel_cutoff_minutes, limit_count=limit_count,
        limit_period=limit_period, contact_phone=contact_phone, location=location,
    )
    if session.exec(
        select(ServiceType.id).where(ServiceType.community_id == cid, ServiceType.code == code)
    ).first() is not None:
        raise Conflict("catalogue.error.code_taken", field="code")
    stype = ServiceType(community_id=cid, code=code, **fields.__dict__)
    session.add(stype)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict("catalogue.error.code_taken", field="code") from None
    audit.record(session, actor, "service_type.create", target_type="servicetype", target_id=stype.id,
                 community_id=cid, code=code, name=stype.name)
    session.commit()
    return stype


@_mutating
def update_service_type(
    session: Session,
    actor: Actor,
    *,
    service_type_id: int,
    name=_UNSET,
    description=_UNSET,
    kind=_UNSET,
    category=_UNSET,
    icon=_UNSET,
    home_visit=_UNSET,
    eligible_care=_UNSET,
    eligible_min_age=_UNSET,
    cancel_cutoff_minutes=_UNSET,
    limit_count=_UNSET,
    limit_period=_UNSET,
    contact_phone=_UNSET,
    location=_UNSET,
) -> ServiceType:
    """Change some fields of a type (the ones passed). The kind cannot change once the type
    has bookings or days. Audited. Commits."""
    stype = _get_type(session, service_type_id)
    require_staff(actor, stype.community_id)
    given = {
        k: v for k, v in dict(
            name=name, description=description, kind=kind, category=category, icon=icon,
            home_visit=home_visit, eligible_care=eligible_care, eligible_min_age=eligible_min_age,
            cancel_cutoff_minutes=cancel_cutoff_minutes, limit_count=limit_count,
            limit_period=limit_period, contact_phone=contact_phone, location=location,
        ).items() if v is not _UNSET
    }
    current = dict(
        name=stype.name, description=stype.description, kind=stype.kind, category=stype.category,
        icon=stype.icon, home_visit=stype.home_visit, eligible_care=stype.eligible_care,
        eligible_min_age=stype.eligible_min_age, cancel_cutoff_minutes=stype.cancel_cutoff_minutes,
        limit_count=stype.limit_count, limit_period=stype.limit_period,
        contact_phone=stype.contact_phone, location=stype.location,
    )
    fields = _clean_type_fields(**{**current, **given})
    if fields.kind != stype.kind:
        used = session.exec(select(Booking.id).where(Booking.service_type_id == stype.id)).first()
        days = session.exec(select(ServiceDay.id).where(ServiceDay.service_type_id == stype.id)).first()
        if used is not None or days is not None:
            raise Conflict("catalogue.error.kind_locked", field="kind")
    changed = {k: v for k, v in fields.__dict__.items() if getattr(stype, k) != v}
    for k, v in changed.items():
        setattr(stype, k, v)
    session.add(stype)
    if changed:
        audit.record(session, actor, "service_type.update", target_type="servicetype", target_id=stype.id,
                     community_id=stype.community_id, **{k: v for k, v in changed.items()})
    session.commit()
    return stype


@_mutating
def set_service_type_active(session: Session, actor: Actor, *, service_type_id: int, active: bool) -> ServiceType:
    """Deactivate (hide from residents, stop generating days) or reactivate a type. Existing
    bookings stay as they are. Audited. Commits."""
    stype = _get_type(session, service_type_id)
    require_staff(actor, stype.community_id)
    if stype.active != bool(active):
        stype.active = bool(active)
        session.add(stype)
        audit.record(session, actor, "service_type.activate" if active else "service_type.deactivate",
                     target_type="servicetype", target_id=stype.id, community_id=stype.community_id)
    session.commit()
    return stype


def deactivate_service_type(session: Session, actor: Actor, *, service_type_id: int) -> ServiceType:
    return set_service_type_active(session, actor, service_type_id=service_type_id, active=False)


def list_service_types(
    session: Session, actor: Actor, *, include_inactive: bool = True, community_id: int | None = None
) -> list[ServiceType]:
    """Staff: every type of the community."""
    cid = actor.community_id if community_id is None and actor is not None else community_id
    require_staff(actor, cid)
    stmt = select(ServiceType).where(ServiceType.community_id == cid)
    if not include_inactive:
        stmt = stmt.where(ServiceType.active.is_(True))
    return list(session.exec(stmt.order_by(ServiceType.id)).all())


def get_service_type(session: Session, actor: Actor, *, service_type_id: int) -> ServiceType:
    """A type, for staff of its community or a resident of it (active types only)."""
    stype = _get_type(session, service_type_id)
    if actor is not None and actor.can_staff(stype.community_id):
        return stype
    require_resident(actor)
    if actor.community_id != stype.community_id or not stype.active:
        raise NotFound("catalogue.error.type_not_found")
    return stype


@dataclass(frozen=True)
class ServiceOffer:
    """A type as a resident sees it; ``eligible`` is False for home-visit types they cannot use."""

    id: int
    code: str
    name: str
    description: str
    kind: str
    category: str
    icon: str
    home_visit: bool
    eligible: bool
    location: str
    contact_phone: str
    cancel_cutoff_minutes: int
    limit_count: int | None
    limit_period: str | None
    # The eligibility rule of the type (both empty: open to everyone), so a page can say who
    # it is for instead of a generic "not for you" (``eligibility_text``).
    eligible_care: tuple[str, ...] = ()
    eligible_min_age: int | None = None


def eligibility_text(
    *, service_name: str, care: Sequence[str], min_age: int | None, phone: str = "", locale: str = "zh_CN",
    with_call: bool = True,
) -> str:
    """Who a type with an eligibility rule is for, in one plain sentence in ``locale``, and
    (``with_call``) whom to phone: "上门理发仅为独居老人、残障人员、行动不便的居民或80岁以上的老人
    提供。如有需要，请打电话给社区：0371-…". "" when the type has no rule."""
    from community_app.i18n import t

    who = [t(f"eligibility.who.{c}", locale) for c in care if c in {cc.value for cc in CareCategory}]
    if min_age is not None:
        who.append(t("eligibility.who.min_age", locale, n=min_age))
    if not who:
        return ""
    joined = who[0] if len(who) == 1 else (
        t("eligibility.join.sep", locale).join(who[:-1]) + t("eligibility.join.or", locale) + who[-1])
    text = t("eligibility.only_for", locale, service=service_name, who=joined)
    if with_call:
        call = t("eligibility.call", locale, phone=phone) if phone else t("eligibility.call_office", locale)
        text += ("" if locale.startswith("zh") else " ") + call
    return text


def offered_services(session: Session, actor: Actor) -> list[ServiceOffer]:
    """Active types of the resident's community, each with an ``eligible`` flag."""
    require_resident(actor)
    resident = session.get(Resident, actor.resident_id)
    if resident is None:
        raise NotFound()
    community = session.get(Community, resident.community_id)
    zone = community_zone(session, resident.community_id)
    today = local_today(zone)
    types = session.exec(
        select(ServiceType)
        .where(ServiceType.community_id == resident.community_id, ServiceType.active.is_(True))
        .order_by(ServiceType.id)
    ).all()
    return [
        ServiceOffer(
            id=t.id, code=t.code, name=t.name, description=t.description, kind=t.kind,
            category=t.category, icon=t.icon, home_visit=t.home_visit,
            eligible=is_eligible(session, t, resident, today), location=t.location,
            contact_phone=t.contact_phone or (community.hotline if community else ""),
            cancel_cutoff_minutes=t.cancel_cutoff_minutes, limit_count=t.limit_count,
            limit_period=t.limit_period, eligible_care=tuple(care_categories(t)),
            eligible_min_age=t.eligible_min_age,
        )
        for t in types
    ]


# --------------------------------------------------------------------------- schedules


def _clean_schedule(
    stype: ServiceType, *, day_of_month, weekday, start_time, end_time, slot_minutes, places_per_slot,
    location, generate_days_ahead,
) -> dict:
    if stype.kind != ServiceKind.SLOT:
        raise ValidationError("catalogue.error.not_slot_type", field="service_type_id")
    dom = _int_or_none(day_of_month, field="day_of_month", key="catalogue.error.day_of_month_invalid", lo=1, hi=31)
    wd = _int_or_none(weekday, field="weekday", key="catalogue.error.weekday_invalid", lo=0, hi=6)
    if (dom is None) == (wd is None):
        raise ValidationError("catalogue.error.recurrence_required", field="day_of_month")
    if not isinstance(start_time, time):
        raise ValidationError("catalogue.error.time_invalid", field="start_time")
    if not isinstance(end_time, time):
        raise ValidationError("catalogue.error.time_invalid", field="end_time")
    if end_time <= start_time:
        raise ValidationError("catalogue.error.time_order", field="end_time")
    minutes = _int_or_none(slot_minutes, field="slot_minutes", key="catalogue.error.slot_minutes_invalid",
                           lo=5, hi=24 * 60)
    span = (datetime.combine(date.min, end_time) - datetime.combine(date.min, start_time)).seconds // 60
    if minutes is None or minutes > span:
        raise ValidationError("catalogue.error.slot_minutes_invalid", field="slot_minutes")
    places = _int_or_none(places_per_slot, field="places_per_slot", key="catalogue.error.places_invalid",
                          lo=1, hi=500)
    if places is None:
        raise ValidationError("catalogue.error.places_invalid", field="places_per_slot")
    ahead = _int_or_none(generate_days_ahead, field="generate_days_ahead",
                         key="catalogue.error.ahead_invalid", lo=1, hi=366)
    if ahead is None:
        raise ValidationError("catalogue.error.ahead_invalid", field="generate_days_ahead")
    return dict(
        day_of_month=dom, weekday=wd, start_time=start_time.replace(tzinfo=None, microsecond=0),
        end_time=end_time.replace(tzinfo=None, microsecond=0), slot_minutes=minutes,
        places_per_slot=places, location=_text(location, field="location", max_len=120),
        generate_days_ahead=ahead,
    )


@_mutating
def add_schedule(
    session: Session,
    actor: Actor,
    *,
    service_type_id: int,
    start_time: time,
    end_time: time,
    day_of_month: int | None = None,
    weekday: int | None = None,
    slot_minutes: int = 15,
    places_per_slot: int = 1,
    location: str = "",
    generate_days_ahead: int = 60,
) -> ServiceSchedule:
    """Set a recurrence rule once: every month on ``day_of_month`` (clamped to the month's
    last day) or every ``weekday`` (0 = Monday), ``start_time``-``end_time`` local, cut into
    ``slot_minutes`` slots of ``places_per_slot`` places. Run ``generate_days`` afterwards.
    Audited. Commits."""
    stype = _get_type(session, service_type_id)
    require_staff(actor, stype.community_id)
    values = _clean_schedule(
        stype, day_of_month=day_of_month, weekday=weekday, start_time=start_time, end_time=end_time,
        slot_minutes=slot_minutes, places_per_slot=places_per_slot, location=location,
        generate_days_ahead=generate_days_ahead,
    )
    schedule = ServiceSchedule(service_type_id=stype.id, **values)
    session.add(schedule)
    session.flush()
    audit.record(session, actor, "schedule.create", target_type="serviceschedule", target_id=schedule.id,
                 community_id=stype.community_id, **values)
    session.commit()
    return schedule


@_mutating
def update_schedule(
    session: Session,
    actor: Actor,
    *,
    schedule_id: int,
    start_time=_UNSET,
    end_time=_UNSET,
    day_of_month=_UNSET,
    weekday=_UNSET,
    slot_minutes=_UNSET,
    places_per_slot=_UNSET,
    location=_UNSET,
    generate_days_ahead=_UNSET,
    active=_UNSET,
) -> ServiceSchedule:
    """Change a rule. Days already generated keep their slots (people have booked them);
    the change applies to days generated from now on. Audited. Commits."""
    schedule = session.get(ServiceSchedule, schedule_id) if schedule_id else None
    if schedule is None:
        raise NotFound("catalogue.error.schedule_not_found")
    stype = _get_type(session, schedule.service_type_id)
    require_staff(actor, stype.community_id)
    current = dict(
        day_of_month=schedule.day_of_month, weekday=schedule.weekday, start_time=schedule.start_time,
        end_time=schedule.end_time, slot_minutes=schedule.slot_minutes,
        places_per_slot=schedule.places_per_slot, location=schedule.location,
        generate_days_ahead=schedule.generate_days_ahead,
    )
    given = dict(
        day_of_month=day_of_month, weekday=weekday, start_time=start_time, end_time=end_time,
        slot_minutes=slot_minutes, places_per_slot=places_per_slot, location=location,
        generate_days_ahead=generate_days_ahead,
    )
    given = {k: v for k, v in given.items() if v is not _UNSET}
    if "day_of_month" in given and given["day_of_month"] is not None and "weekday" not in given:
        given["weekday"] = None
    if "weekday" in given and given["weekday"] is not None and "day_of_month" not in given:
        given["day_of_month"] = None
    values = _clean_schedule(stype, **{**current, **given})
    if active is not _UNSET:
        values["active"] = bool(active)
    changed = {k: v for k, v in values.items() if getattr(schedule, k) != v}
    for k, v in changed.items():
        setattr(schedule, k, v)
    session.add(schedule)
    if changed:
        audit.record(session, actor, "schedule.update", target_type="serviceschedule", target_id=schedule.id,
                     community_id=stype.community_id, **changed)
    session.commit()
    return schedule


def list_schedules(session: Session, actor: Actor, *, service_type_id: int) -> list[ServiceSchedule]:
    stype = _get_type(session, service_type_id)
    require_staff(actor, stype.community_id)
    return list(session.exec(
        select(ServiceSchedule).where(ServiceSchedule.service_type_id == stype.id).order_by(ServiceSchedule.id)
    ).all())


# --------------------------------------------------------------------------- generated days


def _occurs_on(schedule: ServiceSchedule, day: date) -> bool:
    if schedule.weekday is not None:
        return day.weekday() == schedule.weekday
    if schedule.day_of_month is None:
        return False
    last = calendar.monthrange(day.year, day.month)[1]
    return day.day == min(schedule.day_of_month, last)


def slot_times(schedule: ServiceSchedule, day: date, zone: ZoneInfo) -> list[tuple[datetime, datetime]]:
    """(start, end) of every slot of ``day`` under ``schedule``, as aware UTC."""
    out = []
    step = timedelta(minutes=schedule.slot_minutes)
    start = datetime.combine(day, schedule.start_time)
    end = datetime.combine(day, schedule.end_time)
    while start + step <= end:
        out.append((start.replace(tzinfo=zone).astimezone(UTC), (start + step).replace(tzinfo=zone).astimezone(UTC)))
        start += step
    return out


def _create_day(session: Session, schedule: ServiceSchedule, stype: ServiceType, day: date, zone: ZoneInfo) -> bool:
    """Insert one day with its slots; False when it exists already (idempotent)."""
    try:
        with session.begin_nested():
            service_day = ServiceDay(
                service_type_id=stype.id, schedule_id=schedule.id, day=day, origin_day=day,
                location=schedule.location or stype.location,
            )
            session.add(service_day)
            session.flush()
            for number, (starts, ends) in enumerate(slot_times(schedule, day, zone), start=1):
                session.add(ServiceSlot(
                    service_day_id=service_day.id, service_type_id=stype.id, number=number,
                    starts_at=starts, ends_at=ends, capacity=schedule.places_per_slot, taken=0,
                ))
            session.flush()
    except IntegrityError:
        return False  # generated by a concurrent run
    return True


def generate_days(session: Session, *, today: date | None = None, community_id: int | None = None) -> int:
    """Generate ServiceDay + ServiceSlot rows ahead (``generate_days_ahead`` days from today,
    the community's local date unless ``today`` is given) for every active schedule of every
    active slot-based type. Idempotent: a date already generated (even if moved or cancelled
    since) is never generated again. Returns the number of days created. Commits."""
    try:
        _begin_write(session)
        stmt = (
            select(ServiceSchedule, ServiceType)
            .join(ServiceType, ServiceType.id == ServiceSchedule.service_type_id)
            .where(ServiceSchedule.active.is_(True), ServiceType.active.is_(True),
                   ServiceType.kind == ServiceKind.SLOT)
            .order_by(ServiceSchedule.id)
        )
        if community_id is not None:
            stmt = stmt.where(ServiceType.community_id == community_id)
        created = 0
        zones: dict[int, ZoneInfo] = {}
        for schedule, stype in session.exec(stmt).all():
            zone = zones.get(stype.community_id) or zones.setdefault(
                stype.community_id, community_zone(session, stype.community_id))
            first = today or local_today(zone)
            last = first + timedelta(days=schedule.generate_days_ahead)
            existing = set(session.exec(
                select(ServiceDay.origin_day).where(
                    ServiceDay.schedule_id == schedule.id,
                    ServiceDay.origin_day >= first, ServiceDay.origin_day <= last,
                )
            ).all())
            day = first
            while day <= last:
                if day not in existing and _occurs_on(schedule, day) and slot_times(schedule, day, zone):
                    created += int(_create_day(session, schedule, stype, day, zone))
                day += timedelta(days=1)
        session.commit()
        return created
    except BaseException:
        session.rollback()
        raise


@dataclass(frozen=True)
class SlotView:
    id: int
    number: int
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    local_start: str  # "09:00" in the community's zone
    local_end: str
    capacity: int
    taken: int
    free: int
    booked_by_me: bool = False
    waiting_by_me: bool = False

    @property
    def full(self) -> bool:
        return self.free <= 0


@dataclass(frozen=True)
class DayView:
    id: int
    service_type_id: int
    day: date
    status: str
    location: str
    note: str
    slots: list[SlotView]

    @property
    def free(self) -> int:
        return sum(s.free for s in self.slots)

    @property
    def cancelled(self) -> bool:
        return self.status == DAY_CANCELLED


def _day_views(session: Session, days: Iterable[ServiceDay], zone: ZoneInfo, *, after: datetime | None,
               resident_id: int | None) -> list[DayView]:
    days = list(days)
    if not days:
        return []
    slots = session.exec(
        select(ServiceSlot).where(ServiceSlot.service_day_id.in_([d.id for d in days]))
        .order_by(ServiceSlot.service_day_id, ServiceSlot.number)
    ).all()
    mine: set[int] = set()
    waiting: set[int] = set()
    if resident_id is not None and slots:
        ids = [s.id for s in slots]
        mine = set(session.exec(select(Booking.holding_slot_id).where(
            Booking.resident_id == resident_id, Booking.holding_slot_id.in_(ids))).all())
        waiting = set(session.exec(select(WaitlistEntry.waiting_slot_id).where(
            WaitlistEntry.resident_id == resident_id, WaitlistEntry.waiting_slot_id.in_(ids))).all())
    by_day: dict[int, list[SlotView]] = {d.id: [] for d in days}
    for s in slots:
        if after is not None and s.starts_at <= after:
            continue
        by_day[s.service_day_id].append(SlotView(
            id=s.id, number=s.number, starts_at=s.starts_at, ends_at=s.ends_at,
            local_start=s.starts_at.astimezone(zone).strftime("%H:%M"),
            local_end=s.ends_at.astimezone(zone).strftime("%H:%M"),
            capacity=s.capacity, taken=s.taken, free=max(0, s.capacity - s.taken),
            booked_by_me=s.id in mine, waiting_by_me=s.id in waiting,
        ))
    return [
        DayView(id=d.id, service_type_id=d.service_type_id, day=d.day, status=d.status, location=d.location,
                note=d.note, slots=by_day[d.id])
        for d in days
    ]


def generate_days_now(session: Session, actor: Actor) -> int:
    """立即生成: staff generate their community's service days now (the scheduler does it
    daily through ``generate_days``). Audited."""
    require_staff(actor)
    n = generate_days(session, community_id=actor.community_id)
    audit.record(session, actor, "service_day.generate", target_type="community",
                 target_id=actor.community_id, created=n)
    session.commit()
    return n


def open_days(
    session: Session, actor: Actor, *, service_type_id: int, from_date: date | None = None, limit: int = 10,
    include_cancelled: bool = False,
) -> list[DayView]:
    """Resident: the next open days of a slot-based type, with the slots not yet started and
    their free places (``booked_by_me`` / ``waiting_by_me`` mark the resident's own).

    ``include_cancelled``: the upcoming cancelled days come too, in date order, with status
    "cancelled", the reason staff gave in ``note`` and no slots, so a resident who expected
    the 26th sees that it is off and why instead of a date that silently vanished."""
    stype = get_service_type(session, actor, service_type_id=service_type_id)
    zone = community_zone(session, stype.community_id)
    now = utcnow()
    first = max(from_date or local_today(zone, now), local_today(zone, now))
    statuses = (DAY_OPEN, DAY_CANCELLED) if include_cancelled else (DAY_OPEN,)
    days = session.exec(
        select(ServiceDay)
        .where(ServiceDay.service_type_id == stype.id, ServiceDay.status.in_(statuses), ServiceDay.day >= first)
        .order_by(ServiceDay.day, ServiceDay.id)
        .limit(max(1, min(int(limit), 100)))
    ).all()
    open_views = {v.id: v for v in _day_views(session, [d for d in days if d.status == DAY_OPEN], zone,
                                               after=now, resident_id=actor.resident_id)}
    out = []
    for d in days:
        if d.status == DAY_OPEN:
            view = open_views.get(d.id)
            if view is not None and view.slots:
                out.append(view)
        else:
            out.append(DayView(id=d.id, service_type_id=d.service_type_id, day=d.day, status=d.status,
                               location=d.location, note=d.note, slots=[]))
    return out


def list_days(
    session: Session, actor: Actor, *, service_type_id: int, from_date: date | None = None,
    to_date: date | None = None,
) -> list[DayView]:
    """Staff: the days of a type between two dates (open and cancelled), every slot with
    its places."""
    stype = _get_type(session, service_type_id)
    require_staff(actor, stype.community_id)
    zone = community_zone(session, stype.community_id)
    first = from_date or local_today(zone)
    stmt = select(ServiceDay).where(ServiceDay.service_type_id == stype.id, ServiceDay.day >= first)
    if to_date is not None:
        stmt = stmt.where(ServiceDay.day <= to_date)
    days = session.exec(stmt.order_by(ServiceDay.day, ServiceDay.id).limit(400)).all()
    return _day_views(session, days, zone, after=None, resident_id=None)


def _load_day_for_change(session: Session, actor: Actor, day_id: int) -> tuple[ServiceDay, ServiceType, list[ServiceSlot]]:
    day = session.get(ServiceDay, day_id) if day_id else None
    if day is None:
        raise NotFound("catalogue.error.day_not_found")
    stype = _get_type(session, day.service_type_id)
    require_staff(actor, stype.community_id)
    # Lock order everywhere: day -> slots (by id) -> bookings -> waitlist -> resident.
    day = session.exec(_lock(session, select(ServiceDay).where(ServiceDay.id == day.id))).one()
    if day.status != DAY_OPEN:
        raise Conflict("catalogue.error.day_not_open")
    slots = list(session.exec(_lock(session, select(ServiceSlot).where(
        ServiceSlot.service_day_id == day.id).order_by(ServiceSlot.id))).all())
    return day, stype, slots


@_mutating
def cancel_day(session: Session, actor: Actor, *, day_id: int, reason: str) -> int:
    """Staff cancel one service day: every booking on it is cancelled, the waitlist closed,
    and everyone booked or waiting is notified with the reason. Returns the number of
    bookings cancelled. Audited. Commits."""
    from community_app.services import booking as booking_svc

    reason = _text(reason, field="reason", max_len=200, required_key="catalogue.error.reason_required")
    day, stype, slots = _load_day_for_change(session, actor, day_id)
    slot_ids = [s.id for s in slots]
    cancelled = 0
    if slot_ids:
        bookings = session.exec(_lock(session, select(Booking).where(
            Booking.holding_slot_id.in_(slot_ids)).order_by(Booking.id))).all()
        zone = community_zone(session, stype.community_id)
        for b in bookings:
            if b.status not in booking_svc.HOLDING_ACTIVE:
                continue
            booking_svc.release_and_cancel(session, actor, b, note=reason, decrement=False)
            booking_svc.notify_booking(
                session, b, stype, "notify.day_cancelled.title", "notify.day_cancelled.body",
                kind="booking.cancelled", zone=zone, reason=reason,
            )
            cancelled += 1
        entries = session.exec(_lock(session, select(WaitlistEntry).where(
            WaitlistEntry.waiting_slot_id.in_(slot_ids)).order_by(WaitlistEntry.id))).all()
        for e in entries:
            e.status = "cancelled"
            e.waiting_slot_id = None
            session.add(e)
            booking_svc.notify_resident(
                session, e.resident_id, "notify.day_cancelled.title", "notify.waitlist_day_cancelled.body",
                kind="waitlist.cancelled", link=booking_svc.SERVICE_LINK.format(id=stype.id),
                service=stype.name, day=day.day.isoformat(), reason=reason,
            )
        session.flush()
        # Places of the remaining (done / no-show) bookings stay taken; everything else is free.
        for s in slots:
            held = session.exec(select(func.count(Booking.id)).where(Booking.holding_slot_id == s.id)).one()
            session.exec(update(ServiceSlot).where(ServiceSlot.id == s.id).values(taken=int(held)))
    day.status = DAY_CANCELLED
    day.note = reason
    session.add(day)
    audit.record(session, actor, "service_day.cancel", target_type="serviceday", target_id=day.id,
                 community_id=stype.community_id, day=day.day, reason=reason, bookings_cancelled=cancelled)
    session.commit()
    return cancelled


@_mutating
def move_day(session: Session, actor: Actor, *, day_id: int, new_day: date, reason: str = "") -> ServiceDay:
    """Staff move one service day to another date, keeping each slot's local time; bookings
    follow (their timeline shows "rescheduled") and everyone booked or waiting is notified.
    Audited. Commits."""
    from community_app.services import booking as booking_svc

    if not isinstance(new_day, date) or isinstance(new_day, datetime):
        raise ValidationError("catalogue.error.date_invalid", field="new_day")
    reason = _text(reason, field="reason", max_len=200)
    day, stype, slots = _load_day_for_change(session, actor, day_id)
    zone = community_zone(session, stype.community_id)
    if new_day < local_today(zone):
        raise ValidationError("catalogue.error.move_past", field="new_day")
    if new_day == day.day:
        raise ValidationError("catalogue.error.move_same", field="new_day")
    old_day = day.day
    for s in slots:
        s.starts_at = local_to_utc(new_day, s.starts_at.astimezone(zone).time(), zone)
        s.ends_at = local_to_utc(new_day, s.ends_at.astimezone(zone).time(), zone)
        session.add(s)
    day.day = new_day
    if reason:
        day.note = reason
    session.add(day)
    session.flush()
    slot_by_id = {s.id: s for s in slots}
    if slots:
        bookings = session.exec(_lock(session, select(Booking).where(
            Booking.holding_slot_id.in_(list(slot_by_id))).order_by(Booking.id))).all()
        for b in bookings:
            if b.status not in booking_svc.HOLDING_ACTIVE:
                continue
            b.scheduled_at = slot_by_id[b.slot_id].starts_at
            b.updated_at = utcnow()
            session.add(b)
            booking_svc.add_event(session, b, "rescheduled", actor, note=reason, scheduled_at=b.scheduled_at)
            booking_svc.notify_booking(
                session, b, stype, "notify.day_moved.title", "notify.day_moved.body",
                kind="booking.rescheduled", zone=zone, old_day=old_day.isoformat(), reason=reason,
            )
        entries = session.exec(select(WaitlistEntry).where(
            WaitlistEntry.waiting_slot_id.in_(list(slot_by_id)))).all()
        for e in entries:
            booking_svc.notify_resident(
                session, e.resident_id, "notify.day_moved.title", "notify.waitlist_day_moved.body",
                kind="waitlist.rescheduled", link=booking_svc.SERVICE_LINK.format(id=stype.id),
                service=stype.name, old_day=old_day.isoformat(), day=new_day.isoformat(), reason=reason,
            )
    audit.record(session, actor, "service_day.move", target_type="serviceday", target_id=day.id,
                 community_id=stype.community_id, old_day=old_day, new_day=new_day, reason=reason)
    session.commit()
    return day


# --------------------------------------------------------------------------- defaults


_DEFAULTS: list[dict] = [
    dict(code="yijian", name="义剪（理发摊）", kind=ServiceKind.SLOT, category="haircut", icon="scissors",
         description="银发爱心义剪队每月26日在老年活动中心免费理发，请按时段前来。",
         location="老年活动中心", limit_count=1, limit_period="month", cancel_cutoff_minutes=120,
         schedules=[dict(day_of_month=26, start_time=time(9, 0), end_time=time(11, 30), slot_minutes=15,
                         places_per_slot=2)]),
    dict(code="home_haircut", name="上门理发", kind=ServiceKind.REQUEST, category="haircut", icon="house",
         description="行动不便、独居、残障或80岁以上的老人，可请义剪队上门理发。",
         home_visit=True, eligible_care=["living_alone", "disabled", "limited_mobility"], eligible_min_age=80,
         limit_count=1, limit_period="month", cancel_cutoff_minutes=120),
    dict(code="appliance_repair", name="家电维修", kind=ServiceKind.REQUEST, category="repair", icon="wrench",
         description="夕阳维修队免费修理电视、电饭煲、电风扇等家用电器。", cancel_cutoff_minutes=120),
    dict(code="gas_check", name="燃气灶维修和安全检查", kind=ServiceKind.REQUEST, category="gas", icon="flame",
         description="更换气阀、电池，检查燃气灶和管道是否安全。", cancel_cutoff_minutes=120),
    dict(code="plumbing", name="水管和下水道维修", kind=ServiceKind.REQUEST, category="plumbing", icon="droplets",
         description="水管漏水、下水道堵了，都可以报修。", cancel_cutoff_minutes=120),
    dict(code="facility_report", name="公共设施报修", kind=ServiceKind.REQUEST, category="facility",
         icon="lamp", description="路灯不亮、座椅坏了、路面破损等，请告诉我们位置。", cancel_cutoff_minutes=0),
    dict(code="room_barber", name="理发室", kind=ServiceKind.SLOT, category="room", icon="scissors",
         description="社区理发室，每周三下午开放预约。", location="社区服务中心理发室", cancel_cutoff_minutes=120,
         limit_count=1, limit_period="week",
         schedules=[dict(weekday=2, start_time=time(14, 0), end_time=time(17, 0), slot_minutes=30,
                         places_per_slot=1)]),
    dict(code="room_study", name="自习室", kind=ServiceKind.SLOT, category="room", icon="book-open",
         description="安静的自习室，周六、周日开放，每个时段两小时。", location="社区服务中心自习室",
         cancel_cutoff_minutes=60, limit_count=2, limit_period="week",
         schedules=[dict(weekday=wd, start_time=time(9, 0), end_time=time(17, 0), slot_minutes=120,
                         places_per_slot=12) for wd in (5, 6)]),
    dict(code="room_activity", name="活动室", kind=ServiceKind.SLOT, category="room", icon="users",
         description="可预约活动室开展兴趣小组、排练等活动，每次两小时。", location="社区服务中心活动室",
         cancel_cutoff_minutes=240, limit_count=2, limit_period="week",
         schedules=[dict(weekday=wd, start_time=time(9, 0), end_time=time(17, 0), slot_minutes=120,
                         places_per_slot=1) for wd in (0, 2, 4)]),
]


def ensure_default_catalogue(session: Session, community_id: int) -> list[ServiceType]:
    """Create the standard service types (and the schedules of the slot-based ones) that the
    community does not have yet (matched by code). For seeding and the CLI: no actor, not
    audited. Returns the types created. Commits; run ``generate_days`` afterwards."""
    try:
        _begin_write(session)
        community = session.get(Community, community_id)
        if community is None:
            raise NotFound("catalogue.error.community_not_found")
        have = set(session.exec(select(ServiceType.code).where(ServiceType.community_id == community_id)).all())
        created = []
        for spec in _DEFAULTS:
            if spec["code"] in have:
                continue
            spec = dict(spec)
            schedules = spec.pop("schedules", [])
            fields = _clean_type_fields(
                name=spec["name"], description=spec.get("description", ""), kind=spec["kind"],
                category=spec["category"], icon=spec.get("icon", "wrench"),
                home_visit=spec.get("home_visit", False), eligible_care=spec.get("eligible_care", ()),
                eligible_min_age=spec.get("eligible_min_age"),
                cancel_cutoff_minutes=spec.get("cancel_cutoff_minutes", 120),
                limit_count=spec.get("limit_count"), limit_period=spec.get("limit_period"),
                contact_phone=community.hotline, location=spec.get("location", ""),
            )
            stype = ServiceType(community_id=community_id, code=spec["code"], **fields.__dict__)
            session.add(stype)
            session.flush()
            for sched in schedules:
                values = _clean_schedule(
                    stype, day_of_month=sched.get("day_of_month"), weekday=sched.get("weekday"),
                    start_time=sched["start_time"], end_time=sched["end_time"],
                    slot_minutes=sched["slot_minutes"], places_per_slot=sched["places_per_slot"],
                    location=sched.get("location", stype.location), generate_days_ahead=60,
                )
                session.add(ServiceSchedule(service_type_id=stype.id, **values))
            created.append(stype)
        session.commit()
        return created
    except BaseException:
        session.rollback()
        raise


__all__ = [
    "CATEGORIES", "DAY_CANCELLED", "DAY_OPEN", "LIMIT_PERIODS", "DayView", "ServiceOffer", "SlotView",
    "add_schedule", "cancel_day", "community_zone", "create_service_type", "deactivate_service_type",
    "eligibility_text", "ensure_default_catalogue", "generate_days", "get_service_type", "is_eligible", "list_days",
    "list_schedules", "list_service_types", "local_today", "move_day", "offered_services", "open_days",
    "period_bounds", "set_service_type_active", "slot_times", "update_schedule", "update_service_type",
]
