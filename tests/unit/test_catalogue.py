"""The service catalogue: types, schedules, generated days, cancelling and moving a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from community_app import db as dbmod
from community_app.models import (
    AuditLog,
    Booking,
    BookingEvent,
    BookingStatus,
    Community,
    Resident,
    ResidentCare,
    ServiceDay,
    ServiceSchedule,
    ServiceSlot,
    ServiceType,
    WaitlistEntry,
)
from community_app.services import booking, catalogue
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from tests.conftest import build_world
from tests.factories import (
    SHANGHAI,
    add_resident,
    count,
    make_day,
    notes_of,
    request_type,
    slot_type,
    taken,
)


def _schedule(db, world, stype, **kw):
    kw.setdefault("start_time", time(9, 0))
    kw.setdefault("end_time", time(11, 30))
    kw.setdefault("slot_minutes", 15)
    kw.setdefault("places_per_slot", 2)
    return catalogue.add_schedule(db, world.staff, service_type_id=stype.id, **kw)


# --------------------------------------------------------------------------- types


def test_create_service_type_validates_and_audits(db, world):
    stype = catalogue.create_service_type(
        db, world.staff, code="Home_Haircut", name=" 上门理发 ", kind="request", category="haircut",
        home_visit=True, eligible_care=["living_alone", "disabled", "living_alone"], eligible_min_age=80,
        limit_count=1, limit_period="month", cancel_cutoff_minutes=120, contact_phone="0371-61234567",
    )
    assert stype.code == "home_haircut" and stype.name == "上门理发" and stype.community_id == world.community_id
    assert stype.eligible_care == "living_alone,disabled"
    log = db.exec(select(AuditLog).where(AuditLog.action == "service_type.create")).one()
    assert log.target_id == stype.id and log.actor_account_id == world.staff.account_id


@pytest.mark.parametrize(
    "kw,field,key",
    [
        (dict(code="有中文"), "code", "catalogue.error.code_invalid"),
        (dict(code=""), "code", "catalogue.error.code_invalid"),
        (dict(name=" "), "name", "catalogue.error.name_required"),
        (dict(name="x" * 65), "name", "catalogue.error.too_long"),
        (dict(kind="walk"), "kind", "catalogue.error.kind_invalid"),
        (dict(category="spa"), "category", "catalogue.error.category_invalid"),
        (dict(eligible_care=["rich"]), "eligible_care", "catalogue.error.care_invalid"),
        (dict(eligible_min_age=0), "eligible_min_age", "catalogue.error.age_invalid"),
        (dict(eligible_min_age="eighty"), "eligible_min_age", "catalogue.error.age_invalid"),
        (dict(cancel_cutoff_minutes=-1), "cancel_cutoff_minutes", "catalogue.error.cutoff_invalid"),
        (dict(limit_count=0), "limit_count", "catalogue.error.limit_invalid"),
        (dict(limit_count=1), "limit_period", "catalogue.error.limit_period_invalid"),
        (dict(limit_count=1, limit_period="decade"), "limit_period", "catalogue.error.limit_period_invalid"),
        (dict(contact_phone="call me"), "contact_phone", "catalogue.error.phone_invalid"),
    ],
)
def test_create_service_type_refuses_bad_input(db, world, kw, field, key):
    args = dict(code="repair", name="家电维修", kind="request", category="repair") | kw
    with pytest.raises(ValidationError) as e:
        catalogue.create_service_type(db, world.staff, **args)
    assert (e.value.field, e.value.key) == (field, key)
    assert count(db, ServiceType) == 0 and count(db, AuditLog) == 0


def test_duplicate_code_wrong_role_other_community(db, world):
    request_type(db, world.staff, code="repair")
    with pytest.raises(Conflict) as e:
        request_type(db, world.staff, code="repair")
    assert e.value.field == "code"
    request_type(db, world.other_staff, code="repair")  # the same code in another community is fine
    with pytest.raises(NotAllowed):
        request_type(db, world.resident, code="r2")
    with pytest.raises(NotAllowed):
        catalogue.create_service_type(db, world.other_staff, code="r3", name="x", kind="request",
                                      community_id=world.community_id)
    assert count(db, ServiceType) == 2


def test_update_and_deactivate(db, world):
    stype = slot_type(db, world.staff)
    catalogue.update_service_type(db, world.staff, service_type_id=stype.id, name="银发义剪",
                                  limit_count=2, limit_period="month", eligible_min_age=None)
    db.refresh(stype)
    assert stype.name == "银发义剪" and stype.limit_count == 2 and stype.location == "老年活动中心"
    with pytest.raises(ValidationError):
        catalogue.update_service_type(db, world.staff, service_type_id=stype.id, name="")
    db.refresh(stype)
    assert stype.name == "银发义剪"
    with pytest.raises(NotAllowed):
        catalogue.update_service_type(db, world.other_staff, service_type_id=stype.id, name="改名")
    with pytest.raises(NotAllowed):
        catalogue.update_service_type(db, world.resident, service_type_id=stype.id, name="改名")
    make_day(db, stype)
    with pytest.raises(Conflict) as e:
        catalogue.update_service_type(db, world.staff, service_type_id=stype.id, kind="request")
    assert e.value.field == "kind"
    with pytest.raises(NotFound):
        catalogue.update_service_type(db, world.staff, service_type_id=99999, name="x")
    catalogue.deactivate_service_type(db, world.staff, service_type_id=stype.id)
    assert [o.id for o in catalogue.offered_services(db, world.resident)] == []
    assert [t.id for t in catalogue.list_service_types(db, world.staff)] == [stype.id]
    assert catalogue.list_service_types(db, world.staff, include_inactive=False) == []
    with pytest.raises(NotFound):
        catalogue.get_service_type(db, world.resident, service_type_id=stype.id)
    actions = db.exec(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions == ["service_type.create", "service_type.update", "service_type.deactivate"]


def test_offered_services_carry_the_eligible_flag(db, world):
    slot_type(db, world.staff)
    home = request_type(db, world.staff, code="home_haircut", name="上门理发", home_visit=True,
                        eligible_care=["living_alone", "disabled", "limited_mobility"], eligible_min_age=80)
    offers = {o.code: o for o in catalogue.offered_services(db, world.resident)}
    assert offers["yijian"].eligible and not offers["home_haircut"].eligible
    db.add(ResidentCare(resident_id=world.resident.resident_id, category="disabled"))
    r2 = db.get(Resident, world.resident2.resident_id)
    r2.birth_year = date.today().year - 85
    db.add(r2)
    db.commit()
    assert {o.code: o.eligible for o in catalogue.offered_services(db, world.resident)}["home_haircut"]
    assert {o.code: o.eligible for o in catalogue.offered_services(db, world.resident2)}["home_haircut"]
    assert catalogue.offered_services(db, world.other_staff) == []  # their own community offers nothing yet
    assert home.id not in [o.id for o in catalogue.offered_services(db, world.other_staff)]
    with pytest.raises(NotFound):
        catalogue.get_service_type(db, world.other_staff, service_type_id=home.id)


def test_offers_carry_the_rule_and_a_plain_sentence_says_who_it_is_for(db, world):
    """Not "仅限符合条件的居民" but exactly who, and whom to phone."""
    db.get(Community, world.community_id).hotline = "0371-63331234"
    db.commit()
    slot_type(db, world.staff)
    request_type(db, world.staff, code="home_haircut", name="上门理发", home_visit=True,
                 eligible_care=["living_alone", "disabled", "limited_mobility"], eligible_min_age=80)
    request_type(db, world.staff, code="elder_meal", name="助餐", eligible_min_age=70, contact_phone="0371-63331111")
    offers = {o.code: o for o in catalogue.offered_services(db, world.resident)}
    home, meal, yijian = offers["home_haircut"], offers["elder_meal"], offers["yijian"]
    assert (home.eligible_care, home.eligible_min_age) == (("living_alone", "disabled", "limited_mobility"), 80)
    assert (meal.eligible_care, meal.eligible_min_age) == ((), 70)
    assert (yijian.eligible_care, yijian.eligible_min_age) == ((), None)

    def sentence(o, locale="zh_CN", **kw):
        return catalogue.eligibility_text(service_name=o.name, care=o.eligible_care, min_age=o.eligible_min_age,
                                          phone=o.contact_phone, locale=locale, **kw)

    assert sentence(home) == ("上门理发仅为独居老人、残障人员、行动不便的居民或80岁以上的老人提供。"
                              "如有需要，请打电话给社区：0371-63331234")
    assert sentence(home, "en") == (
        "上门理发 is only for residents who live alone, have a disability, have limited mobility or are 80 or "
        "older. If you need it, please phone the community: 0371-63331234")
    assert sentence(meal) == "助餐仅为70岁以上的老人提供。如有需要，请打电话给社区：0371-63331111"
    assert sentence(home, with_call=False) == "上门理发仅为独居老人、残障人员、行动不便的居民或80岁以上的老人提供。"
    assert sentence(yijian) == ""
    assert catalogue.eligibility_text(service_name="上门理发", care=["disabled"], min_age=None) == (
        "上门理发仅为残障人员提供。如有需要，请联系社区工作人员。")


# --------------------------------------------------------------------------- schedules and days


@pytest.mark.parametrize(
    "kw,field",
    [
        (dict(), "day_of_month"),  # neither
        (dict(day_of_month=26, weekday=4), "day_of_month"),  # both
        (dict(day_of_month=32), "day_of_month"),
        (dict(weekday=7), "weekday"),
        (dict(weekday=4, end_time=time(9, 0)), "end_time"),
        (dict(weekday=4, slot_minutes=200), "slot_minutes"),
        (dict(weekday=4, slot_minutes=0), "slot_minutes"),
        (dict(weekday=4, places_per_slot=0), "places_per_slot"),
        (dict(weekday=4, start_time="09:00"), "start_time"),
    ],
)
def test_add_schedule_refuses_bad_rules(db, world, kw, field):
    stype = slot_type(db, world.staff)
    with pytest.raises(ValidationError) as e:
        _schedule(db, world, stype, **kw)
    assert e.value.field == field
    assert count(db, ServiceSchedule) == 0


def test_schedules_only_for_slot_types_and_own_community(db, world):
    rtype = request_type(db, world.staff)
    with pytest.raises(ValidationError):
        _schedule(db, world, rtype, weekday=4)
    stype = slot_type(db, world.staff)
    with pytest.raises(NotAllowed):
        catalogue.add_schedule(db, world.other_staff, service_type_id=stype.id, weekday=4,
                               start_time=time(9), end_time=time(10))


def test_generate_days_monthly_on_the_26th_in_local_time_and_idempotent(db, world):
    stype = slot_type(db, world.staff)
    _schedule(db, world, stype, day_of_month=26)
    assert catalogue.generate_days(db, today=date(2026, 11, 20)) == 2  # 26 Nov, 26 Dec (60 days ahead)
    days = db.exec(select(ServiceDay).order_by(ServiceDay.day)).all()
    assert [d.day for d in days] == [date(2026, 11, 26), date(2026, 12, 26)]
    assert days[0].origin_day == date(2026, 11, 26) and days[0].location == "老年活动中心"
    slots = db.exec(select(ServiceSlot).where(ServiceSlot.service_day_id == days[0].id)
                    .order_by(ServiceSlot.number)).all()
    assert len(slots) == 10 and all(s.capacity == 2 and s.taken == 0 for s in slots)
    assert slots[0].starts_at == datetime(2026, 11, 26, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    assert slots[-1].ends_at == datetime(2026, 11, 26, 3, 30, tzinfo=UTC)  # 11:30
    assert catalogue.generate_days(db, today=date(2026, 11, 20)) == 0
    assert catalogue.generate_days(db, today=date(2026, 11, 27)) == 1  # 26 Jan comes into range
    assert count(db, ServiceDay) == 3


def test_generate_days_weekly_clamped_monthly_and_other_zone(db, world):
    community = db.get(Community, world.community_id)
    community.timezone = "Europe/London"
    db.add(community)
    db.commit()
    weekly = slot_type(db, world.staff, code="room_study", name="自习室", category="room")
    _schedule(db, world, weekly, weekday=4, start_time=time(9), end_time=time(17), slot_minutes=120,
              places_per_slot=12, generate_days_ahead=14)
    monthly = slot_type(db, world.staff, code="month_end")
    _schedule(db, world, monthly, day_of_month=31, generate_days_ahead=60)  # to 2 April
    catalogue.generate_days(db, today=date(2027, 2, 1))  # Monday
    fridays = db.exec(select(ServiceDay.day).where(ServiceDay.service_type_id == weekly.id)
                      .order_by(ServiceDay.day)).all()
    assert fridays == [date(2027, 2, 5), date(2027, 2, 12)]
    month_end = db.exec(select(ServiceDay.day).where(ServiceDay.service_type_id == monthly.id)
                        .order_by(ServiceDay.day)).all()
    assert month_end == [date(2027, 2, 28), date(2027, 3, 31)]
    # 09:00 in London is 09:00 UTC in February and 08:00 UTC in summer time.
    first = db.exec(select(ServiceSlot).join(ServiceDay).where(ServiceDay.day == date(2027, 2, 5))
                    .order_by(ServiceSlot.number)).first()
    assert first.starts_at == datetime(2027, 2, 5, 9, tzinfo=UTC)
    assert len(db.exec(select(ServiceSlot).join(ServiceDay).where(ServiceDay.day == date(2027, 2, 5))).all()) == 4
    catalogue.generate_days(db, today=date(2027, 7, 1))
    summer = db.exec(select(ServiceSlot).join(ServiceDay).where(ServiceDay.day == date(2027, 7, 2))
                     .order_by(ServiceSlot.number)).first()
    assert summer.starts_at == datetime(2027, 7, 2, 8, tzinfo=UTC)


def test_generate_days_skips_inactive_and_other_communities(db, world):
    a = slot_type(db, world.staff)
    _schedule(db, world, a, weekday=0)
    b = slot_type(db, world.other_staff, code="other")
    catalogue.add_schedule(db, world.other_staff, service_type_id=b.id, weekday=0, start_time=time(9),
                           end_time=time(10))
    c = slot_type(db, world.staff, code="paused")
    _schedule(db, world, c, weekday=0)
    catalogue.deactivate_service_type(db, world.staff, service_type_id=c.id)
    assert catalogue.generate_days(db, today=date(2027, 3, 1), community_id=world.community_id) > 0
    types = set(db.exec(select(ServiceDay.service_type_id)).all())
    assert types == {a.id}


def test_a_moved_day_is_not_generated_again(db, world):
    stype = slot_type(db, world.staff)
    _schedule(db, world, stype, day_of_month=26)
    today = datetime.now(SHANGHAI).date()
    catalogue.generate_days(db, today=today)
    day = db.exec(select(ServiceDay).order_by(ServiceDay.day)).first()
    booking.move_day(db, world.staff, day_id=day.id, new_day=day.day + timedelta(days=1), reason="场地占用")
    assert catalogue.generate_days(db, today=today) == 0
    assert db.exec(select(ServiceDay.day).where(ServiceDay.day == day.origin_day)).first() is None


def test_ensure_default_catalogue(db, world):
    created = catalogue.ensure_default_catalogue(db, world.community_id)
    codes = {t.code for t in created}
    assert {"yijian", "home_haircut", "appliance_repair", "gas_check", "plumbing",
            "room_barber", "room_study", "room_activity"} <= codes
    yijian = next(t for t in created if t.code == "yijian")
    assert (yijian.kind, yijian.limit_count, yijian.limit_period, yijian.cancel_cutoff_minutes) == \
        ("slot", 1, "month", 120)
    [sched] = db.exec(select(ServiceSchedule).where(ServiceSchedule.service_type_id == yijian.id)).all()
    assert (sched.day_of_month, sched.start_time, sched.end_time, sched.slot_minutes, sched.places_per_slot) == \
        (26, time(9), time(11, 30), 15, 2)
    home = next(t for t in created if t.code == "home_haircut")
    assert home.kind == "request" and home.home_visit and home.eligible_min_age == 80
    assert set(home.eligible_care.split(",")) == {"living_alone", "disabled", "limited_mobility"}
    assert all(t.kind == "request" for t in created if t.category in ("repair", "gas", "plumbing", "facility"))
    assert all(t.kind == "slot" for t in created if t.category == "room")
    assert catalogue.ensure_default_catalogue(db, world.community_id) == []
    assert catalogue.generate_days(db, today=date(2026, 11, 20)) > 0
    assert db.exec(select(ServiceDay).where(ServiceDay.service_type_id == yijian.id,
                                            ServiceDay.day == date(2026, 11, 26))).one()
    with pytest.raises(NotFound):
        catalogue.ensure_default_catalogue(db, 9999)


def test_open_days_show_free_places_and_my_own(db, world):
    stype = slot_type(db, world.staff)
    day, slots = make_day(db, stype, places=2)
    make_day(db, stype, first_start=datetime.now(UTC) - timedelta(days=1))  # past: hidden
    cancelled, _ = make_day(db, stype, first_start=slots[0].starts_at + timedelta(days=7))
    booking.cancel_day(db, world.staff, day_id=cancelled.id, reason="停电")
    booking.book_slot(db, world.resident, slot_id=slots[0].id)
    booking.book_slot(db, world.resident2, slot_id=slots[0].id)
    booking.join_waitlist(db, add_resident(db, world.community_id, "赵桂兰", "13700000003"), slot_id=slots[0].id)
    days = catalogue.open_days(db, world.resident, service_type_id=stype.id)
    assert [d.id for d in days] == [day.id]
    first = days[0].slots[0]
    assert (first.free, first.full, first.booked_by_me, first.local_start) == (0, True, True, "09:00")
    assert days[0].free == 4
    with pytest.raises(NotFound):
        catalogue.open_days(db, world.other_staff, service_type_id=stype.id)
    staff_view = catalogue.list_days(db, world.staff, service_type_id=stype.id)
    assert {d.status for d in staff_view} == {"open", "cancelled"}
    with pytest.raises(NotAllowed):
        catalogue.list_days(db, world.resident, service_type_id=stype.id)


def test_open_days_can_show_upcoming_cancelled_days_with_the_reason(any_db_url):
    with dbmod.write_session() as db:
        world = build_world(db)
        stype = slot_type(db, world.staff)
        day, slots = make_day(db, stype)
        cancelled, _ = make_day(db, stype, first_start=slots[0].starts_at + timedelta(days=7))
        later, _ = make_day(db, stype, first_start=slots[0].starts_at + timedelta(days=14))
        past, _ = make_day(db, stype, first_start=datetime.now(UTC) - timedelta(days=2))
        booking.cancel_day(db, world.staff, day_id=cancelled.id, reason="理发师生病，改到下个月")
        db.get(ServiceDay, past.id).status = "cancelled"  # a cancelled day that is over: not shown
        db.commit()
        assert [d.id for d in catalogue.open_days(db, world.resident, service_type_id=stype.id)] == [day.id, later.id]
        days = catalogue.open_days(db, world.resident, service_type_id=stype.id, include_cancelled=True)
        assert [(d.id, d.status, d.cancelled) for d in days] == [
            (day.id, "open", False), (cancelled.id, "cancelled", True), (later.id, "open", False)]
        off = days[1]
        assert off.note == "理发师生病，改到下个月" and off.slots == [] and off.free == 0
        assert len(days[0].slots) == 3 and days[0].free == 6
        assert [d.id for d in catalogue.open_days(db, world.resident, service_type_id=stype.id,
                                                    include_cancelled=True, limit=2)] == [day.id, cancelled.id]
        with pytest.raises(NotFound):
            catalogue.open_days(db, world.other_staff, service_type_id=stype.id, include_cancelled=True)


# --------------------------------------------------------------------------- cancel and move a day


def test_cancel_day_cancels_bookings_and_tells_everyone(db, world):
    r3 = add_resident(db, world.community_id, "赵桂兰", "13700000003")
    stype = slot_type(db, world.staff)
    day, slots = make_day(db, stype, places=1)
    a = booking.book_slot(db, world.resident, slot_id=slots[0].id)
    b = booking.book_slot(db, world.resident2, slot_id=slots[1].id)
    entry = booking.join_waitlist(db, r3, slot_id=slots[0].id)
    with pytest.raises(ValidationError):
        booking.cancel_day(db, world.staff, day_id=day.id, reason="")
    with pytest.raises(NotAllowed):
        booking.cancel_day(db, world.other_staff, day_id=day.id, reason="x")
    with pytest.raises(NotAllowed):
        booking.cancel_day(db, world.resident, day_id=day.id, reason="x")
    assert taken(db, slots[0].id) == 1
    assert booking.cancel_day(db, world.staff, day_id=day.id, reason="理发师生病") == 2
    for x in (a, b):
        db.refresh(x)
        assert x.status == BookingStatus.CANCELLED and x.holding_slot_id is None
    assert all(taken(db, s.id) == 0 for s in slots)
    db.refresh(entry)
    assert entry.status == "cancelled" and entry.waiting_slot_id is None
    for who in (world.resident, world.resident2, r3):
        [note] = notes_of(db, who)[-1:]
        assert "理发师生病" in note.body
    log = db.exec(select(AuditLog).where(AuditLog.action == "service_day.cancel")).one()
    assert log.target_id == day.id
    with pytest.raises(Conflict):
        booking.cancel_day(db, world.staff, day_id=day.id, reason="again")


def test_move_day_keeps_local_times_and_tells_everyone(db, world):
    stype = slot_type(db, world.staff)
    day, slots = make_day(db, stype, places=1)
    a = booking.book_slot(db, world.resident, slot_id=slots[1].id)
    new_day = day.day + timedelta(days=3)
    with pytest.raises(ValidationError) as e:
        booking.move_day(db, world.staff, day_id=day.id, new_day=date(2000, 1, 1))
    assert e.value.key == "catalogue.error.move_past"
    with pytest.raises(ValidationError):
        booking.move_day(db, world.staff, day_id=day.id, new_day=day.day)
    with pytest.raises(NotAllowed):
        booking.move_day(db, world.other_staff, day_id=day.id, new_day=new_day)
    booking.move_day(db, world.staff, day_id=day.id, new_day=new_day, reason="活动中心装修")
    db.refresh(day)
    db.refresh(a)
    moved = db.get(ServiceSlot, slots[1].id)
    db.refresh(moved)
    assert day.day == new_day and day.origin_day is None  # made by hand in this test
    assert moved.starts_at.astimezone(ZoneInfo("Asia/Shanghai")).time() == time(9, 15)
    assert moved.starts_at.astimezone(ZoneInfo("Asia/Shanghai")).date() == new_day
    assert a.scheduled_at == moved.starts_at and a.status == BookingStatus.APPROVED
    events = db.exec(select(BookingEvent.status).where(BookingEvent.booking_id == a.id)
                     .order_by(BookingEvent.id)).all()
    assert events == ["approved", "rescheduled"]
    [note] = notes_of(db, world.resident, "booking.rescheduled")
    assert "活动中心装修" in note.body and f"{new_day.month}月{new_day.day}日" in note.body
    assert db.exec(select(AuditLog).where(AuditLog.action == "service_day.move")).one().target_id == day.id
    assert db.exec(select(Booking)).all() == [a] and db.exec(select(WaitlistEntry)).all() == []


def test_a_staff_only_type_is_invisible_and_unbookable_for_residents(db, world):
    """The mediation room: staff hold its slots for sessions; residents neither see nor book it."""
    room = slot_type(db, world.staff, code="mediation_room", name="议事调解室", category="room", staff_only=True)
    _, slots = make_day(db, room, places=1)
    assert room.staff_only
    assert room.id not in [o.id for o in catalogue.offered_services(db, world.resident)]
    with pytest.raises(NotFound):
        catalogue.get_service_type(db, world.resident, service_type_id=room.id)
    with pytest.raises(NotFound):
        booking.book_slot(db, world.resident, slot_id=slots[0].id)
    assert catalogue.day_slots(db, world.resident, day_id=slots[0].service_day_id) == []
    assert taken(db, slots[0].id) == 0
    assert catalogue.get_service_type(db, world.staff, service_type_id=room.id).id == room.id
    # Staff can open it to residents again.
    catalogue.update_service_type(db, world.staff, service_type_id=room.id, staff_only=False)
    assert room.id in [o.id for o in catalogue.offered_services(db, world.resident)]
