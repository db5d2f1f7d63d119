"""Recurrence rules of slot-based types (ServiceSchedule): "every month on the 26th" or "every
Friday", with the times and places of their slots."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from community_app.models import (
    ServiceKind,
    ServiceSchedule,
    ServiceType,
)
from community_app.services import audit
from community_app.services.access import Actor, require_staff
from community_app.services.catalogue.common import UNSET, clean_field, get_type, int_or_none
from community_app.services.core.tx import mutating
from community_app.services.errors import NotFound, ValidationError

# --------------------------------------------------------------------------- schedules


def clean_schedule(
    stype: ServiceType, *, day_of_month, weekday, start_time, end_time, slot_minutes, places_per_slot,
    location, generate_days_ahead,
) -> dict:
    if stype.kind != ServiceKind.SLOT:
        raise ValidationError("catalogue.error.not_slot_type", field="service_type_id")
    dom = int_or_none(day_of_month, field="day_of_month", key="catalogue.error.day_of_month_invalid", lo=1, hi=31)
    wd = int_or_none(weekday, field="weekday", key="catalogue.error.weekday_invalid", lo=0, hi=6)
    if (dom is None) == (wd is None):
        raise ValidationError("catalogue.error.recurrence_required", field="day_of_month")
    if not isinstance(start_time, time):
        raise ValidationError("catalogue.error.time_invalid", field="start_time")
    if not isinstance(end_time, time):
        raise ValidationError("catalogue.error.time_invalid", field="end_time")
    if end_time <= start_time:
        raise ValidationError("catalogue.error.time_order", field="end_time")
    minutes = int_or_none(slot_minutes, field="slot_minutes", key="catalogue.error.slot_minutes_invalid",
                           lo=5, hi=24 * 60)
    span = (datetime.combine(date.min, end_time) - datetime.combine(date.min, start_time)).seconds // 60
    if minutes is None or minutes > span:
        raise ValidationError("catalogue.error.slot_minutes_invalid", field="slot_minutes")
    places = int_or_none(places_per_slot, field="places_per_slot", key="catalogue.error.places_invalid",
                          lo=1, hi=500)
    if places is None:
        raise ValidationError("catalogue.error.places_invalid", field="places_per_slot")
    ahead = int_or_none(generate_days_ahead, field="generate_days_ahead",
                         key="catalogue.error.ahead_invalid", lo=1, hi=366)
    if ahead is None:
        raise ValidationError("catalogue.error.ahead_invalid", field="generate_days_ahead")
    return dict(
        day_of_month=dom, weekday=wd, start_time=start_time.replace(tzinfo=None, microsecond=0),
        end_time=end_time.replace(tzinfo=None, microsecond=0), slot_minutes=minutes,
        places_per_slot=places, location=clean_field(location, field="location", max_len=120),
        generate_days_ahead=ahead,
    )


@mutating
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
    stype = get_type(session, service_type_id)
    require_staff(actor, stype.community_id)
    values = clean_schedule(
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


@mutating
def update_schedule(
    session: Session,
    actor: Actor,
    *,
    schedule_id: int,
    start_time=UNSET,
    end_time=UNSET,
    day_of_month=UNSET,
    weekday=UNSET,
    slot_minutes=UNSET,
    places_per_slot=UNSET,
    location=UNSET,
    generate_days_ahead=UNSET,
    active=UNSET,
) -> ServiceSchedule:
    """Change a rule. Days already generated keep their slots (people have booked them);
    the change applies to days generated from now on. Audited. Commits."""
    schedule = session.get(ServiceSchedule, schedule_id) if schedule_id else None
    if schedule is None:
        raise NotFound("catalogue.error.schedule_not_found")
    stype = get_type(session, schedule.service_type_id)
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
    given = {k: v for k, v in given.items() if v is not UNSET}
    if "day_of_month" in given and given["day_of_month"] is not None and "weekday" not in given:
        given["weekday"] = None
    if "weekday" in given and given["weekday"] is not None and "day_of_month" not in given:
        given["day_of_month"] = None
    values = clean_schedule(stype, **{**current, **given})
    if active is not UNSET:
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
    stype = get_type(session, service_type_id)
    require_staff(actor, stype.community_id)
    return list(session.exec(
        select(ServiceSchedule).where(ServiceSchedule.service_type_id == stype.id).order_by(ServiceSchedule.id)
    ).all())




def occurs_on(schedule: ServiceSchedule, day: date) -> bool:
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


