"""The shared core (services/core): what every domain relies on, tested on its own."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from community_app import db as dbmod
from community_app.models import Notification, ServiceDay, ServiceSlot, ServiceType, WaitlistEntry, utcnow
from community_app.services.core import capacity, clock, paging, reminders, text, timeline, waitlist
from community_app.services.core.notify import notify_t
from community_app.services.errors import Conflict, ValidationError

SPEC = waitlist.WaitlistSpec(WaitlistEntry, subject="slot_id", waiting="waiting_slot_id")


def _slot(db, world, capacity_: int = 2) -> ServiceSlot:
    st = ServiceType(community_id=world.community_id, code="t", name="测试", kind="slot")
    db.add(st)
    db.flush()
    day = ServiceDay(service_type_id=st.id, day=date(2030, 1, 1))
    db.add(day)
    db.flush()
    start = datetime(2030, 1, 1, 1, tzinfo=UTC)
    slot = ServiceSlot(service_day_id=day.id, service_type_id=st.id, number=1, starts_at=start,
                       ends_at=start + timedelta(minutes=15), capacity=capacity_)
    db.add(slot)
    db.commit()
    return slot


def _taken(db, slot_id: int) -> int:
    return db.exec(select(ServiceSlot.taken).where(ServiceSlot.id == slot_id)).one()


# --------------------------------------------------------------------------- capacity


def test_take_stops_at_capacity_and_give_back_frees_a_place(db, world):
    slot = _slot(db, world, 2)
    assert capacity.take(db, ServiceSlot, slot.id) and capacity.take(db, ServiceSlot, slot.id)
    assert not capacity.take(db, ServiceSlot, slot.id)
    assert _taken(db, slot.id) == 2
    capacity.give_back(db, ServiceSlot, slot.id)
    assert _taken(db, slot.id) == 1
    assert not capacity.take(db, ServiceSlot, slot.id, n=2)  # all or nothing
    assert _taken(db, slot.id) == 1


def test_give_back_below_zero_is_a_bug_not_a_silent_negative(db, world):
    slot = _slot(db, world, 1)
    with pytest.raises(capacity.CounterDrift):
        capacity.give_back(db, ServiceSlot, slot.id)


def test_take_is_exact_under_real_concurrency(any_db_url):
    from tests.conftest import build_world

    with dbmod.write_session() as s:
        world = build_world(s)
        slot_id = _slot(s, world, 5).id
    got: list[bool] = []
    barrier = threading.Barrier(20)

    def worker():
        barrier.wait()
        with dbmod.write_session() as s:
            from community_app.services.core.tx import begin_write

            begin_write(s)
            ok = capacity.take(s, ServiceSlot, slot_id)
            s.commit()
            got.append(ok)

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(got) == 5
    with dbmod.session() as s:
        assert _taken(s, slot_id) == 5


# --------------------------------------------------------------------------- waitlist


def _residents(world):
    return [world.resident.resident_id, world.resident2.resident_id]


def test_waitlist_keeps_order_and_refuses_a_second_place_in_line(db, world):
    slot = _slot(db, world)
    a, b = _residents(world)
    first = waitlist.join(db, SPEC, subject_id=slot.id, person_id=a)
    second = waitlist.join(db, SPEC, subject_id=slot.id, person_id=b)
    db.commit()
    with pytest.raises(Conflict) as e:
        waitlist.join(db, SPEC, subject_id=slot.id, person_id=a)
    assert e.value.key == "waitlist.error.already_waiting"
    assert [waitlist.position(db, SPEC, r) for r in (first, second)] == [1, 2]
    assert [r.resident_id for r in waitlist.waiting_rows(db, SPEC, slot.id)] == [a, b]
    waitlist.leave(db, SPEC, first)
    db.flush()
    assert waitlist.position(db, SPEC, second) == 1 and waitlist.position(db, SPEC, first) == 0
    assert waitlist.waiting_count(db, SPEC, slot.id) == 1


def test_promote_skips_who_cannot_take_the_place_and_stops_when_told(db, world):
    slot = _slot(db, world)
    a, b = _residents(world)
    ea = waitlist.join(db, SPEC, subject_id=slot.id, person_id=a)
    eb = waitlist.join(db, SPEC, subject_id=slot.id, person_id=b)
    db.flush()
    # Nobody may be admitted now (e.g. past the cut-off): the line stays as it is.
    assert waitlist.promote(db, SPEC, slot.id, lambda row: waitlist.Admit.STOP) == []
    assert waitlist.waiting_count(db, SPEC, slot.id) == 2
    # The first no longer qualifies: skipped; the second is admitted.
    decisions = {a: waitlist.Admit.SKIP, b: waitlist.Admit.ADMITTED}
    admitted = waitlist.promote(db, SPEC, slot.id, lambda row: decisions[row.resident_id])
    assert admitted == [eb]
    assert (ea.status, eb.status) == ("skipped", "promoted")
    assert ea.waiting_slot_id is None and eb.waiting_slot_id is None


def test_end_all_closes_the_line_and_returns_who_was_waiting(db, world):
    slot = _slot(db, world)
    a, b = _residents(world)
    waitlist.join(db, SPEC, subject_id=slot.id, person_id=a)
    waitlist.join(db, SPEC, subject_id=slot.id, person_id=b)
    rows = waitlist.end_all(db, SPEC, [slot.id], status="cancelled")
    assert [r.resident_id for r in rows] == [a, b] and {r.status for r in rows} == {"cancelled"}
    assert waitlist.waiting_count(db, SPEC, slot.id) == 0


# --------------------------------------------------------------------------- timeline and notify


def test_timeline_renders_standard_notes_in_the_readers_language(db, world):
    from community_app.models import Booking, BookingEvent

    st = ServiceType(community_id=world.community_id, code="r", name="维修", kind="request")
    db.add(st)
    db.flush()
    b = Booking(community_id=world.community_id, service_type_id=st.id, resident_id=world.resident.resident_id)
    db.add(b)
    db.flush()
    timeline.record(db, BookingEvent, actor=world.staff, status="submitted", note_key="booking.note.on_behalf",
                    booking_id=b.id)
    timeline.record(db, BookingEvent, actor=None, status="declined", note="时间排不开", booking_id=b.id)
    db.flush()
    first, second = timeline.steps(db, BookingEvent, parent="booking_id", parent_id=b.id,
                                   label_prefix="booking.status")
    assert first.actor_name == "王主任" and first.label("zh_CN") == "已提交"
    assert first.note_text("zh_CN") == "由社区工作人员代办"
    assert first.note_text("en") == "Booked by staff on the resident's behalf"
    assert second.actor_name == "" and second.note_text("en") == "时间排不开"


def test_notify_words_in_the_recipients_language_and_dedupes(db, world):
    n1 = notify_t(db, resident_id=world.resident.resident_id, kind="k", title_key="notify.promoted.title",
                  dedupe_key="x:1", service="义剪")
    n2 = notify_t(db, resident_id=world.resident.resident_id, kind="k", title_key="notify.promoted.title",
                  dedupe_key="x:1", service="义剪")
    db.commit()
    assert n1 is not None and n2 is None and n1.title == "候补成功"
    assert db.exec(select(Notification).where(Notification.dedupe_key == "x:1")).all() == [n1]


def test_reminders_run_each_source_once_per_thing_and_date(db, world):
    calls = []

    def source(session, community, tomorrow, start, end, zone):
        calls.append((community.id, tomorrow))
        if community.id == world.community_id:
            yield reminders.Reminder(dedupe_key=f"t:{tomorrow}", title_key="notify.reminder.title",
                                     body_key="", when=start + timedelta(hours=9), kind="test",
                                     resident_id=world.resident.resident_id)

    now = datetime(2030, 3, 1, 2, tzinfo=UTC)
    assert reminders.send(db, [source], now=now) == 1
    assert reminders.send(db, [source], now=now) == 0  # safe to run again
    assert (world.community_id, date(2030, 3, 2)) in calls


# --------------------------------------------------------------------------- clock, paging, text


def test_clock_local_dates_periods_and_ages():
    zone = ZoneInfo("Asia/Shanghai")
    late = datetime(2026, 11, 25, 17, 30, tzinfo=UTC)  # 01:30 on the 26th in Shanghai
    assert clock.local_today(zone, late) == date(2026, 11, 26)
    start, end = clock.day_bounds_utc(date(2026, 11, 26), date(2026, 11, 26), zone)
    assert start == datetime(2026, 11, 25, 16, tzinfo=UTC) and end - start == timedelta(days=1)
    assert clock.local_to_utc(date(2026, 11, 26), time(9), zone) == datetime(2026, 11, 26, 1, tzinfo=UTC)
    assert clock.period_bounds("week", date(2026, 11, 26)) == (date(2026, 11, 23), date(2026, 11, 29))
    assert clock.period_bounds("month", date(2026, 2, 10)) == (date(2026, 2, 1), date(2026, 2, 28))
    # Ages count from the birthday itself: a child born 2020-11-27 is 5 on 2026-11-26, 6 the next day.
    assert clock.age_on(date(2020, 11, 27), date(2026, 11, 26)) == 5
    assert clock.age_on(date(2020, 11, 27), date(2026, 11, 27)) == 6
    assert clock.age_on(date(2020, 2, 29), date(2026, 2, 28)) == 5
    assert clock.format_when(late, zone) == "11月26日 01:30"


def test_travel_moves_now_for_the_code_inside_only():
    then = datetime(2020, 1, 2, 3, tzinfo=UTC)
    with clock.travel(then):
        assert utcnow() == then
    assert utcnow() > then
    with pytest.raises(ValueError):
        with clock.travel(datetime(2020, 1, 2)):
            pass


def test_paging_and_id_lists(db, world):
    from community_app.models import Resident

    rows, total, page, size = paging.paginate(db, select(Resident).order_by(Resident.id), page="2", page_size=2)
    assert total == 4 and page == 2 and size == 2 and len(rows) == 2
    assert paging.Page(rows, total, page, size).pages == 2 and paging.Page([], 5, 1, 2).pages == 3
    assert paging.page_bounds("x", 1000) == (1, 100)
    assert paging.clean_ids([3, 1, 3]) == [1, 3]
    for bad in ("1,2", [True], [0], ["1"], list(range(1, 300))):
        with pytest.raises(ValidationError):
            paging.clean_ids(bad)


def test_text_is_cleaned_never_cut():
    assert text.clean_text("  你好 ", field="f", max_len=5) == "你好"
    with pytest.raises(ValidationError) as e:
        text.clean_text("长" * 6, field="f", max_len=5)
    assert (e.value.key, e.value.field, e.value.params) == ("error.text_long", "f", {"n": 5, "count": 6})
    with pytest.raises(ValidationError):
        text.clean_text(" ", field="f", max_len=5, required_key="x.required")
    with pytest.raises(ValidationError):
        text.clean_text(12, field="f", max_len=5)
    assert text.clean_int(" 12 ", field="n", lo=1, hi=20) == 12
    assert text.clean_int("", field="n") is None
    for bad in ("1.5", "１２", True, 3.0, "99"):
        with pytest.raises(ValidationError):
            text.clean_int(bad, field="n", lo=1, hi=20)


def test_sqlite_writers_in_one_process_queue_instead_of_failing(sqlite_url):
    """Twenty writers that each hold the write lock for a moment all commit: they wait their
    turn on the in-process mutex, none fails with 'database is locked' and none waits in
    SQLite's sleeping busy handler."""
    from sqlalchemy import text as sql

    with dbmod.write_session() as s:
        s.execute(sql("CREATE TABLE counter (n INTEGER)"))
        s.execute(sql("INSERT INTO counter VALUES (0)"))
        s.commit()
    errors: list[BaseException] = []

    def writer():
        try:
            with dbmod.write_session() as s:
                n = s.execute(sql("SELECT n FROM counter")).scalar_one()
                s.execute(sql("UPDATE counter SET n = :n"), {"n": n + 1})  # read-then-write, safely
                s.commit()
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=writer) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with dbmod.session() as s:
        assert s.execute(sql("SELECT n FROM counter")).scalar_one() == 20


def test_an_id_beyond_the_database_range_is_simply_not_found(any_db_url):
    """A hostile id such as 2**70 reaches no row: a clear "not found", never an OverflowError."""
    from community_app.models import Booking
    from community_app.services import booking
    from community_app.services.errors import NotFound
    from tests.conftest import build_world

    with dbmod.write_session() as s:
        world = build_world(s)
    for huge in (2**63, 2**70, -(2**64)):
        with dbmod.write_session() as s:
            with pytest.raises(NotFound):
                booking.cancel_booking(s, world.resident, booking_id=huge)
            with pytest.raises(NotFound):
                booking.book_slot(s, world.resident, slot_id=huge)
        with dbmod.session() as s, pytest.raises(NotFound):
            s.get(Booking, huge)


def test_text_no_database_can_store_is_refused_as_invalid(any_db_url):
    """A lone surrogate (a JSON escape a hostile client may send) is a clear "invalid", and
    nothing is written."""
    from community_app.models import Booking
    from community_app.services import booking
    from tests.conftest import build_world
    from tests.factories import request_type

    with dbmod.write_session() as s:
        world = build_world(s)
        stype = request_type(s, world.staff)
    with dbmod.write_session() as s, pytest.raises(ValidationError):
        booking.request_service(s, world.resident, service_type_id=stype.id, description="漏水\udd88")
    with dbmod.session() as s:
        assert s.exec(select(Booking)).all() == []
