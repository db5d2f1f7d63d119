"""The standard catalogue a new community starts with (义剪, 上门理发, 维修, 功能室 ...)."""

from __future__ import annotations

from datetime import time

from sqlmodel import Session, select

from community_app.models import (
    Community,
    ServiceKind,
    ServiceSchedule,
    ServiceType,
)
from community_app.services.catalogue.schedules import clean_schedule
from community_app.services.catalogue.types import clean_type_fields
from community_app.services.core.tx import begin_write
from community_app.services.errors import NotFound

# --------------------------------------------------------------------------- defaults


DEFAULTS: list[dict] = [
    dict(code="yijian", name_en="Free haircuts (street barber)",
         description_en="The Silver Hair volunteer barbers cut hair for free at the senior activity centre on the 26th of every month. Please come at your time.",
         name="义剪（理发摊）", kind=ServiceKind.SLOT, category="haircut", icon="scissors",
         description="银发爱心义剪队每月26日在老年活动中心免费理发，请按时段前来。",
         location="老年活动中心", limit_count=1, limit_period="month", cancel_cutoff_minutes=120,
         schedules=[dict(day_of_month=26, start_time=time(9, 0), end_time=time(11, 30), slot_minutes=15,
                         places_per_slot=2)]),
    dict(code="home_haircut", name_en="Haircut at home",
         description_en="Elderly residents who cannot get about easily, live alone, have a disability or are 80 or older can ask the volunteer barbers to come to their home.",
         name="上门理发", kind=ServiceKind.REQUEST, category="haircut", icon="house",
         description="行动不便、独居、残障或80岁以上的老人，可请义剪队上门理发。",
         home_visit=True, eligible_care=["living_alone", "disabled", "limited_mobility"], eligible_min_age=80,
         limit_count=1, limit_period="month", cancel_cutoff_minutes=120),
    dict(code="appliance_repair", name_en="Appliance repair",
         description_en="The Sunset repair team mends TVs, rice cookers, electric fans and other household appliances for free.",
         name="家电维修", kind=ServiceKind.REQUEST, category="repair", icon="wrench",
         description="夕阳维修队免费修理电视、电饭煲、电风扇等家用电器。", cancel_cutoff_minutes=120),
    dict(code="gas_check", name_en="Gas stove repair and safety check",
         description_en="Gas valves and batteries replaced; the gas stove and pipes checked for safety.",
         name="燃气灶维修和安全检查", kind=ServiceKind.REQUEST, category="gas", icon="flame",
         description="更换气阀、电池，检查燃气灶和管道是否安全。", cancel_cutoff_minutes=120),
    dict(code="plumbing", name_en="Water pipe and drain repair",
         description_en="Report a leaking water pipe or a blocked drain.",
         name="水管和下水道维修", kind=ServiceKind.REQUEST, category="plumbing", icon="droplets",
         description="水管漏水、下水道堵了，都可以报修。", cancel_cutoff_minutes=120),
    dict(code="room_barber", name_en="Barber room",
         description_en="The community barber room, open for booking on Wednesday afternoons.",
         name="理发室", kind=ServiceKind.SLOT, category="room", icon="scissors",
         description="社区理发室，每周三下午开放预约。", location="社区服务中心理发室", cancel_cutoff_minutes=120,
         limit_count=1, limit_period="week",
         schedules=[dict(weekday=2, start_time=time(14, 0), end_time=time(17, 0), slot_minutes=30,
                         places_per_slot=1)]),
    dict(code="room_study", name_en="Study room",
         description_en="A quiet study room, open on Saturdays and Sundays, two hours per booking.",
         name="自习室", kind=ServiceKind.SLOT, category="room", icon="book-open",
         description="安静的自习室，周六、周日开放，每个时段两小时。", location="社区服务中心自习室",
         cancel_cutoff_minutes=60, limit_count=2, limit_period="week",
         schedules=[dict(weekday=wd, start_time=time(9, 0), end_time=time(17, 0), slot_minutes=120,
                         places_per_slot=12) for wd in (5, 6)]),
    dict(code="room_activity", name_en="Activity room",
         description_en="Book the activity room for hobby groups, rehearsals and the like, two hours each time.",
         name="活动室", kind=ServiceKind.SLOT, category="room", icon="users",
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
        begin_write(session)
        community = session.get(Community, community_id)
        if community is None:
            raise NotFound("catalogue.error.community_not_found")
        have = set(session.exec(select(ServiceType.code).where(ServiceType.community_id == community_id)).all())
        created = []
        for spec in DEFAULTS:
            if spec["code"] in have:
                continue
            spec = dict(spec)
            schedules = spec.pop("schedules", [])
            fields = clean_type_fields(
                name=spec["name"], description=spec.get("description", ""), kind=spec["kind"],
                category=spec["category"], icon=spec.get("icon", "wrench"),
                home_visit=spec.get("home_visit", False), eligible_care=spec.get("eligible_care", ()),
                eligible_min_age=spec.get("eligible_min_age"),
                cancel_cutoff_minutes=spec.get("cancel_cutoff_minutes", 120),
                limit_count=spec.get("limit_count"), limit_period=spec.get("limit_period"),
                contact_phone=community.hotline, location=spec.get("location", ""),
                name_en=spec.get("name_en", ""), description_en=spec.get("description_en", ""),
            )
            stype = ServiceType(community_id=community_id, code=spec["code"], **fields.__dict__)
            session.add(stype)
            session.flush()
            for sched in schedules:
                values = clean_schedule(
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


