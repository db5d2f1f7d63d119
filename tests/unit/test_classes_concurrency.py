"""Classes under concurrency, on SQLite and PostgreSQL: threads with their own sessions, released
together by a barrier. 50 people enrol for 5 places; withdrawals race with newcomers and the
waitlist; two classes race for one function room."""

from __future__ import annotations

from collections import Counter
from datetime import time

import pytest
from sqlalchemy import func
from sqlmodel import select

from community_app import db as dbmod
from community_app.models import ClassRoomHold, Course, CourseSession, Enrollment, ServiceSlot
from community_app.services.classes import enrolment, sessions
from tests.unit.classes_fixtures import birthday, build, household, make_course, next_weekday, person
from tests.unit.test_booking_concurrency import _run_together

pytestmark = pytest.mark.timeout(240)


def _world(n: int, capacity: int):
    with dbmod.write_session() as s:
        cw = build(s)
        course_id = make_course(s, cw, programme="talks", title="防诈骗讲座", min_age=None, max_age=None,
                                capacity=capacity)
        people = [person(s, cw.w.community_id, f"居民{i}", born=birthday(cw.today, 30 + i % 40),
                         household_id=household(s, cw.w.community_id), mobile=f"1350000{i:04d}") for i in range(n)]
        return cw, course_id, people


def _counts(course_id: int) -> tuple[int, int, int]:
    with dbmod.session() as s:
        enrolled = s.exec(select(Course.enrolled).where(Course.id == course_id)).one()
        rows = s.exec(select(func.count(Enrollment.id)).where(Enrollment.open_course_id == course_id,
                                                             Enrollment.status == "enrolled")).one()
        capacity = s.exec(select(Course.capacity).where(Course.id == course_id)).one()
        return enrolled, int(rows), capacity


def test_fifty_people_enrol_for_five_places(any_db_url):
    _, course_id, people = _world(50, 5)
    outcomes = _run_together([(lambda s, a=a: enrolment.enrol(s, a, course_id=course_id).id) for a in people])
    kinds = Counter(o[0] if o[0] == "ok" else o[1] for o in outcomes)
    assert kinds == {"ok": 5, "classes.error.full": 45}
    assert _counts(course_id) == (5, 5, 5)


def test_fifty_join_the_waitlist_at_once_and_each_waits_once(any_db_url):
    _, course_id, people = _world(50, 5)
    with dbmod.write_session() as s:
        for a in people[:5]:
            enrolment.enrol(s, a, course_id=course_id)
    waiters = people[5:]
    outcomes = _run_together([(lambda s, a=a: enrolment.join_waitlist(s, a, course_id=course_id).id)
                              for a in waiters + waiters[:5]])
    kinds = Counter(o[0] if o[0] == "ok" else o[1] for o in outcomes)
    assert kinds == {"ok": 45, "classes.error.already_waiting": 5}
    with dbmod.session() as s:
        line = enrolment.wl.waiting_rows(s, enrolment.SPEC, course_id)
        assert len(line) == 45 and len({r.resident_id for r in line}) == 45


def test_withdrawals_newcomers_and_the_waitlist_at_once_never_overbook(any_db_url):
    _, course_id, people = _world(20, 5)
    holders, waiters, newcomers = people[:5], people[5:9], people[9:]
    rows = {}
    with dbmod.write_session() as s:
        for a in holders:
            rows[a.resident_id] = enrolment.enrol(s, a, course_id=course_id).id
        for a in waiters:
            enrolment.join_waitlist(s, a, course_id=course_id)
    jobs = [(lambda s, a=a: enrolment.withdraw(s, a, enrollment_id=rows[a.resident_id]).id) for a in holders]
    jobs += [(lambda s, a=a: enrolment.enrol(s, a, course_id=course_id).id) for a in newcomers]
    outcomes = _run_together(jobs)
    assert all(o[0] == "ok" for o in outcomes[:5])
    assert all(o[0] == "ok" or o[1] == "classes.error.full" for o in outcomes[5:])
    enrolled, held, capacity = _counts(course_id)
    assert enrolled == held <= capacity
    with dbmod.session() as s:
        promoted = s.exec(select(func.count(Enrollment.id)).where(
            Enrollment.course_id == course_id, Enrollment.status == "enrolled",
            Enrollment.resident_id.in_([a.resident_id for a in waiters]))).one()
        owners = s.exec(select(Enrollment.resident_id).where(Enrollment.open_course_id == course_id)).all()
    assert len(owners) == len(set(owners))
    # Every waiting person got a place before any newcomer could take a freed one, or a newcomer
    # took a free place first: either way nobody waits while a place is free.
    assert promoted == 4 or enrolled == capacity


def test_two_classes_race_for_one_room_slot(any_db_url):
    with dbmod.write_session() as s:
        cw = build(s)
        courses = [make_course(s, cw, title=f"课{i}", room_type_id=cw.room_id) for i in range(6)]
        staff = cw.w.staff
        monday = next_weekday(cw.today, 0)
    outcomes = _run_together([
        (lambda s, c=c: sessions.add_session(s, staff, course_id=c, day=monday, start=time(9, 30),
                                             end=time(10, 30)).id) for c in courses])
    kinds = Counter(o[0] if o[0] == "ok" else o[1] for o in outcomes)
    assert kinds == {"ok": 1, "classes.error.room_busy": 5}
    with dbmod.session() as s:
        holds = s.exec(select(ClassRoomHold).where(ClassRoomHold.holding_slot_id.is_not(None))).all()
        assert len(holds) == 1
        slot = s.get(ServiceSlot, holds[0].slot_id)
        assert slot.taken == slot.capacity
        assert s.exec(select(func.count(CourseSession.id))).one() == 1
