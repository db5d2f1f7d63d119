"""Classes: sessions (single dates and weekly rules with exceptions) and their function room
reserved through the room's slots; cancelling; attendance and check-in; groups; household
members; calendar files, the Excel register, reminders and the staff to-do."""

from __future__ import annotations

from datetime import time, timedelta
from io import BytesIO

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from sqlmodel import select

from community_app.models import (
    Attendance,
    AuditLog,
    ClassRoomHold,
    CourseSession,
    Enrollment,
    Notification,
    Resident,
    ServiceSlot,
    utcnow,
)
from community_app.services import booking, reminders, todo
from community_app.services.classes import (
    attendance,
    calendar,
    enrolment,
    export,
    groups,
    household,
    points_hook,
    sessions,
    views,
)
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from tests.unit.classes_fixtures import add_session, birthday, build, make_course, next_weekday, person


@pytest.fixture
def cw(db):
    return build(db)


def _slots_of(db, session_id):
    holds = db.exec(select(ClassRoomHold).where(ClassRoomHold.session_id == session_id)
                    .execution_options(populate_existing=True)).all()
    return [db.exec(select(ServiceSlot).where(ServiceSlot.id == h.slot_id)
                    .execution_options(populate_existing=True)).one() for h in holds], holds


# --------------------------------------------------------------------------- rooms


def test_a_session_reserves_its_room_slot_and_nobody_can_book_it(db, cw):
    course = make_course(db, cw, room_type_id=cw.room_id)
    row = add_session(db, cw, course)  # Monday 09:30-10:30 -> the 09:00-11:00 slot
    slots, holds = _slots_of(db, row.id)
    assert len(slots) == 1 and slots[0].taken == slots[0].capacity and holds[0].holding_slot_id == slots[0].id
    with pytest.raises(Conflict) as e:  # a resident cannot book the room then
        booking.book_slot(db, cw.w.resident, slot_id=slots[0].id)
    assert e.value.key == "booking.error.full"
    other = make_course(db, cw, title="别的课", room_type_id=cw.room_id)
    with pytest.raises(Conflict) as e:  # nor can a second class
        add_session(db, cw, other, start=time(10, 0), end=time(10, 45))
    assert e.value.key == "classes.error.room_busy" and e.value.field == "dates"
    assert db.exec(select(CourseSession).where(CourseSession.course_id == other)).all() == []


def test_a_room_booked_by_a_resident_refuses_the_class(db, cw):
    course = make_course(db, cw, room_type_id=cw.room_id)
    monday = next_weekday(cw.today, 0)
    slot = db.exec(select(ServiceSlot).where(ServiceSlot.service_type_id == cw.room_id)
                   .order_by(ServiceSlot.starts_at)).all()
    slot = next(s for s in slot if s.starts_at.astimezone(
        __import__("zoneinfo").ZoneInfo("Asia/Shanghai")).date() == monday)
    booking.book_slot(db, cw.w.resident, slot_id=slot.id)
    with pytest.raises(Conflict) as e:
        add_session(db, cw, course, day=monday)
    assert e.value.key == "classes.error.room_busy"


def test_room_closed_or_days_not_generated_is_refused(db, cw):
    course = make_course(db, cw, room_type_id=cw.room_id)
    tuesday = next_weekday(cw.today, 1)  # the 活动室 opens Mon / Wed / Fri only
    with pytest.raises(Conflict) as e:
        add_session(db, cw, course, day=tuesday)
    assert e.value.key == "classes.error.room_closed"
    with pytest.raises(Conflict):  # 18:00 is after the room closes
        add_session(db, cw, course, start=time(18, 0), end=time(19, 0))
    with pytest.raises(Conflict):  # a year ahead: no room days generated yet
        add_session(db, cw, course, day=next_weekday(cw.today + timedelta(days=300), 0))


def test_a_long_session_takes_every_slot_it_covers_and_cancelling_frees_them(db, cw):
    course = make_course(db, cw, room_type_id=cw.room_id)
    row = add_session(db, cw, course, start=time(10, 0), end=time(14, 0))  # slots 9-11, 11-13, 13-15
    slots, _ = _slots_of(db, row.id)
    assert len(slots) == 3
    sessions.cancel_session(db, cw.w.staff, session_id=row.id, reason="老师生病")
    slots, holds = _slots_of(db, row.id)
    assert all(s.taken == 0 for s in slots) and all(h.holding_slot_id is None for h in holds)
    again = add_session(db, cw, course, start=time(10, 0), end=time(14, 0))  # the room is free again
    assert len(_slots_of(db, again.id)[0]) == 3


def test_weekly_rule_with_exceptions_names_every_busy_date(db, cw):
    course = make_course(db, cw, room_type_id=cw.room_id)
    first = next_weekday(cw.today, 0)
    last = first + timedelta(weeks=3)
    made = sessions.add_weekly(db, cw.w.staff, course_id=course, weekdays=[0, 2], start="09:30", end="10:30",
                               first=first.isoformat(), last=last.isoformat(),
                               skip=[(first + timedelta(days=2)).isoformat()])
    assert len(made) == 6  # 4 Mondays + 3 Wednesdays - 1 skipped
    assert len({s.checkin_code for s in made}) >= 1 and all(len(s.checkin_code) == 4 for s in made)
    other = make_course(db, cw, title="别的课", room_type_id=cw.room_id)
    with pytest.raises(Conflict) as e:
        sessions.add_weekly(db, cw.w.staff, course_id=other, weekdays=[2], start="10:00", end="10:30",
                            first=first.isoformat(), last=last.isoformat())
    wednesdays = [first + timedelta(days=2 + 7 * i) for i in range(1, 3)]
    assert e.value.params["dates"] == ", ".join(d.strftime("%m-%d") for d in wednesdays)
    # With those dates skipped the rule goes through (the skipped first Wednesday is free).
    ok = sessions.add_weekly(db, cw.w.staff, course_id=other, weekdays=[2], start="10:00", end="10:30",
                             first=first.isoformat(), last=last.isoformat(), skip=[d.isoformat() for d in wednesdays])
    assert len(ok) == 1


@pytest.mark.parametrize("kw, key", [
    (dict(weekdays=[]), "classes.error.weekdays"), (dict(weekdays=[7]), "classes.error.weekdays"),
    (dict(weekdays="0"), "classes.error.weekdays"), (dict(start="9点"), "classes.error.time"),
    (dict(end="09:00"), "classes.error.end_before_start"), (dict(last="2020-01-01"), "classes.error.last_before_first"),
    (dict(first="tomorrow"), "classes.error.date"), (dict(end="18:31"), "classes.error.too_long"),
])
def test_weekly_rule_refusals(db, cw, kw, key):
    course = make_course(db, cw)
    first = next_weekday(cw.today, 0)
    args = dict(weekdays=[0], start="09:30", end="10:30", first=first.isoformat(),
                last=(first + timedelta(weeks=2)).isoformat())
    args.update(kw)
    with pytest.raises(ValidationError) as e:
        sessions.add_weekly(db, cw.w.staff, course_id=course, **args)
    assert e.value.key == key


def test_sessions_refuse_the_past_a_clash_and_other_staff(db, cw):
    course = make_course(db, cw)
    with pytest.raises(Conflict) as e:
        add_session(db, cw, course, day=cw.today - timedelta(days=1))
    assert e.value.key == "classes.error.dates_past"
    add_session(db, cw, course)
    with pytest.raises(Conflict) as e:
        add_session(db, cw, course, start=time(10, 0), end=time(11, 0))
    assert e.value.key == "classes.error.dates_clash"
    with pytest.raises(NotAllowed):
        sessions.add_session(db, cw.w.other_staff, course_id=course, day=next_weekday(cw.today, 0),
                             start="09:00", end="10:00")
    with pytest.raises(NotAllowed):
        sessions.add_session(db, cw.teacher, course_id=course, day=next_weekday(cw.today, 0), start="09:00",
                             end="10:00")


def test_cancelling_tells_the_parent_and_the_teacher(db, cw):
    course = make_course(db, cw)
    row = add_session(db, cw, course)
    enrolment.enrol(db, cw.parent, course_id=course, resident_id=cw.child_id)
    with pytest.raises(ValidationError):
        sessions.cancel_session(db, cw.w.staff, session_id=row.id, reason="")
    with pytest.raises(NotAllowed):
        sessions.cancel_session(db, cw.teacher, session_id=row.id, reason="不来了")
    sessions.cancel_session(db, cw.w.staff, session_id=row.id, reason="停电")
    for who in (cw.parent, cw.teacher):
        note = db.exec(select(Notification).where(Notification.account_id == who.account_id)).one()
        assert "停电" in note.body
    with pytest.raises(Conflict):
        sessions.cancel_session(db, cw.w.staff, session_id=row.id, reason="停电")
    assert db.exec(select(AuditLog).where(AuditLog.action == "classes.session.cancel")).first() is not None


# --------------------------------------------------------------------------- attendance


def _now_session(db, course_id: int, *, minutes_ago: int = 10) -> CourseSession:
    """A session going on now (made directly: the service refuses past start times)."""
    row = CourseSession(course_id=course_id, starts_at=utcnow() - timedelta(minutes=minutes_ago),
                        ends_at=utcnow() + timedelta(minutes=50), checkin_code="4321")
    db.add(row)
    db.commit()
    return row


def test_teacher_marks_the_roll_and_the_rest_absent(db, cw, monkeypatch):
    calls = []
    monkeypatch.setattr(points_hook, "award_attendance_points", lambda s, **kw: calls.append(kw) or 0)
    course = make_course(db, cw, capacity=10)
    enrolment.enrol(db, cw.parent, course_id=course, resident_id=cw.child_id)
    other_kid = person(db, cw.w.community_id, "小宝", born=birthday(cw.today, 3), household_id=cw.household_id)
    enrolment.enrol(db, cw.parent, course_id=course, resident_id=other_kid)
    row = _now_session(db, course)
    roll = attendance.roll(db, cw.teacher, session_id=row.id)
    assert [r.name for r in roll.rows] == sorted(["陈一诺", "小宝"]) and roll.checkin_code == "4321" and roll.can_mark
    assert attendance.mark(db, cw.teacher, session_id=row.id, resident_id=cw.child_id, status="present")
    assert not attendance.mark(db, cw.teacher, session_id=row.id, resident_id=cw.child_id, status="present")
    assert attendance.mark_rest_absent(db, cw.teacher, session_id=row.id) == 1
    roll = attendance.roll(db, cw.teacher, session_id=row.id)
    assert (roll.present, roll.absent, roll.unmarked) == (1, 1, 0)
    assert {c["role"] for c in calls} == {"teacher", "attendee"}
    assert [c["source"] for c in calls if c["role"] == "teacher"] == [f"class-teaching:{row.id}"]
    with pytest.raises(ValidationError):
        attendance.mark(db, cw.teacher, session_id=row.id, resident_id=cw.child_id, status="late")
    with pytest.raises(NotFound):  # not on the roll
        attendance.mark(db, cw.teacher, session_id=row.id, resident_id=cw.parent.resident_id, status="present")
    with pytest.raises(NotFound):  # a parent is not the teacher
        attendance.roll(db, cw.parent, session_id=row.id)
    with pytest.raises(NotFound):  # staff of another community (the course is not shared)
        attendance.roll(db, cw.w.other_staff, session_id=row.id)
    mine = views.my_classes(db, cw.parent).attendance
    assert {(a.person, a.status) for a in mine} == {("陈一诺", "present"), ("小宝", "absent")}
    assert db.exec(select(AuditLog).where(AuditLog.action == "classes.attendance.mark")).first() is not None


def test_teachers_and_attending_volunteers_earn_points_once_through_the_ledger(db, world):
    from community_app.models import Role, RoleGrant
    from community_app.services.volunteering import points

    teacher, attendee = world.resident.resident_id, world.resident2.resident_id
    kw = dict(community_id=world.community_id, course_title="桑榆课堂·书法入门")
    assert points_hook.award_attendance_points(db, resident_id=teacher, role="teacher", source="class:1:t", **kw) == 5
    assert points_hook.award_attendance_points(db, resident_id=teacher, role="teacher", source="class:1:t", **kw) == 5
    assert points.balance_of(db, teacher) == 5  # the same deed pays once
    # A resident who is not a volunteer earns nothing for attending; a volunteer does.
    assert points_hook.award_attendance_points(db, resident_id=attendee, role="attendee", source="class:1:a", **kw) == 0
    db.add(RoleGrant(account_id=world.resident2.account_id, role=Role.VOLUNTEER))
    db.flush()
    assert points_hook.award_attendance_points(db, resident_id=attendee, role="attendee", source="class:1:a", **kw) == 2
    assert points.balance_of(db, attendee) == 2
    assert points_hook.award_attendance_points(db, resident_id=None, role="teacher", source="class:1:x", **kw) == 0


def test_roll_is_closed_before_and_long_after_and_for_cancelled(db, cw):
    course = make_course(db, cw)
    enrolment.enrol(db, cw.parent, course_id=course, resident_id=cw.child_id)
    future = add_session(db, cw, course)
    with pytest.raises(Conflict) as e:
        attendance.mark(db, cw.teacher, session_id=future.id, resident_id=cw.child_id, status="present")
    assert e.value.key == "classes.error.not_markable"
    old = CourseSession(course_id=course, starts_at=utcnow() - timedelta(days=20), ends_at=utcnow() - timedelta(days=20),
                        checkin_code="0000")
    db.add(old)
    db.commit()
    with pytest.raises(Conflict):
        attendance.mark(db, cw.teacher, session_id=old.id, resident_id=cw.child_id, status="present")


def test_check_in_with_the_code_marks_the_parent_and_child(db, cw):
    course = make_course(db, cw, min_age=None, max_age=None, programme="talks", title="亲子讲座")
    enrolment.enrol(db, cw.parent, course_id=course)
    enrolment.enrol(db, cw.parent, course_id=course, resident_id=cw.child_id)
    row = _now_session(db, course)
    with pytest.raises(ValidationError) as e:
        attendance.check_in(db, cw.parent, session_id=row.id, code="1111")
    assert e.value.key == "classes.error.wrong_code" and e.value.field == "code"
    names = attendance.check_in(db, cw.parent, session_id=row.id, code=" 4321 ")
    assert sorted(names) == sorted(["王芳", "陈一诺"])
    marks = db.exec(select(Attendance).where(Attendance.session_id == row.id)).all()
    assert {m.method for m in marks} == {"code"} and {m.status for m in marks} == {"present"}
    with pytest.raises(NotFound):  # not enrolled
        attendance.check_in(db, cw.w.resident2, session_id=row.id, code="4321")


def test_check_in_window_and_too_many_wrong_codes(db, cw):
    course = make_course(db, cw, min_age=None, max_age=None, programme="talks", title="讲座")
    enrolment.enrol(db, cw.parent, course_id=course)
    later = add_session(db, cw, course)
    with pytest.raises(Conflict) as e:
        attendance.check_in(db, cw.parent, session_id=later.id, code=later.checkin_code)
    assert e.value.key == "classes.error.checkin_closed"
    row = _now_session(db, course)
    for _ in range(attendance.MAX_CODE_FAILURES):
        with pytest.raises(ValidationError):
            attendance.check_in(db, cw.parent, session_id=row.id, code="0000")
    with pytest.raises(Conflict) as e:
        attendance.check_in(db, cw.parent, session_id=row.id, code="4321")
    assert e.value.key == "classes.error.checkin_locked"


# --------------------------------------------------------------------------- groups


def test_group_join_request_approved_by_the_leader_members_and_posts(db, cw):
    group = make_course(db, cw, kind="group", programme="arts", title="红色经典朗诵队", min_age=None, max_age=None,
                        capacity=2)
    with pytest.raises(Conflict):  # groups are joined by request
        enrolment.enrol(db, cw.parent, course_id=group)
    req = groups.request_join(db, cw.parent, course_id=group)
    assert req.status == "requested"
    assert db.exec(select(Notification).where(Notification.account_id == cw.teacher.account_id)).first()
    with pytest.raises(Conflict):
        groups.request_join(db, cw.parent, course_id=group)
    with pytest.raises(NotAllowed):  # another resident cannot decide
        groups.decide_request(db, cw.w.resident, enrollment_id=req.id, approve=True)
    groups.decide_request(db, cw.teacher, enrollment_id=req.id, approve=True)
    assert db.get(Enrollment, req.id).status == "enrolled"
    with pytest.raises(Conflict):
        groups.decide_request(db, cw.teacher, enrollment_id=req.id, approve=True)
    second = groups.request_join(db, cw.w.resident, course_id=group)
    groups.decide_request(db, cw.w.staff, enrollment_id=second.id, approve=False, reason="人满了")
    assert db.get(Enrollment, second.id).status == "declined"
    assert db.exec(select(AuditLog).where(AuditLog.action == "classes.group.decline")).first() is not None
    # Members see each other and the announcements; others see neither.
    post = groups.post_announcement(db, cw.teacher, course_id=group, body="周六排练，请穿红色上衣。")
    detail = views.course_detail(db, cw.parent, course_id=group)
    assert detail.is_member and [m.name for m in detail.members] == ["王芳"]
    assert [p.body for p in detail.posts] == ["周六排练，请穿红色上衣。"]
    outsider = views.course_detail(db, cw.w.resident, course_id=group)
    assert outsider.members == [] and outsider.posts == []
    assert db.exec(select(Notification).where(Notification.account_id == cw.parent.account_id,
                                              Notification.kind == "classes.post")).first() is not None
    with pytest.raises(NotAllowed):
        groups.post_announcement(db, cw.parent, course_id=group, body="我也想发")
    with pytest.raises(ValidationError):
        groups.post_announcement(db, cw.teacher, course_id=group, body=" ")
    groups.remove_post(db, cw.teacher, post_id=post.id)
    assert views.course_detail(db, cw.parent, course_id=group).posts == []


def test_a_full_group_refuses_requests_and_approvals(db, cw):
    group = make_course(db, cw, kind="group", programme="arts", title="模特队", min_age=None, max_age=None, capacity=1)
    a = groups.request_join(db, cw.parent, course_id=group)
    b = groups.request_join(db, cw.w.resident, course_id=group)
    groups.decide_request(db, cw.teacher, enrollment_id=a.id, approve=True)
    with pytest.raises(Conflict) as e:
        groups.decide_request(db, cw.teacher, enrollment_id=b.id, approve=True)
    assert e.value.key == "classes.error.group_full"
    with pytest.raises(Conflict):
        groups.request_join(db, cw.w.resident2, course_id=group)


# --------------------------------------------------------------------------- household


def test_staff_add_a_child_to_a_household_and_complete_a_birth_date(db, cw):
    view = household.household_of(db, cw.w.staff, resident_id=cw.parent.resident_id)
    assert {m.name for m in view.members} == {"王芳", "陈一诺"}
    kid = household.add_household_member(db, cw.w.staff, household_id=cw.household_id, name="陈二宝",
                                         birth_date=birthday(cw.today, 1).isoformat(), gender="男")
    assert kid.birth_date == birthday(cw.today, 1)
    assert any(p.name == "陈二宝" for p in views.course_detail(
        db, cw.parent, course_id=make_course(db, cw)).people)
    with pytest.raises(ValidationError):
        household.add_household_member(db, cw.w.staff, household_id=cw.household_id, name="陈二宝",
                                       birth_date="2024-01-01")
    with pytest.raises(ValidationError):
        household.add_household_member(db, cw.w.staff, household_id=cw.household_id, name="未来",
                                       birth_date=(cw.today + timedelta(days=1)).isoformat())
    with pytest.raises(NotAllowed):
        household.add_household_member(db, cw.w.other_staff, household_id=cw.household_id, name="外人",
                                       birth_date="2020-01-01")
    with pytest.raises(NotAllowed):
        household.add_household_member(db, cw.parent, household_id=cw.household_id, name="自己加",
                                       birth_date="2020-01-01")
    household.set_birth_date(db, cw.w.staff, resident_id=kid.id, birth_date="2025-03-01")
    assert db.get(Resident, kid.id).birth_year == 2025
    with pytest.raises(NotAllowed):
        household.set_birth_date(db, cw.w.other_staff, resident_id=kid.id, birth_date="2025-03-01")


# --------------------------------------------------------------------------- files and notices


def test_my_calendar_has_the_childs_sessions_and_cancelled_ones_marked(db, cw):
    course = make_course(db, cw)
    first = add_session(db, cw, course)
    second = add_session(db, cw, course, day=next_weekday(cw.today, 0) + timedelta(weeks=1))
    enrolment.enrol(db, cw.parent, course_id=course, resident_id=cw.child_id)
    sessions.cancel_session(db, cw.w.staff, session_id=second.id, reason="放假")
    cal = Calendar.from_ical(calendar.my_calendar(db, cw.parent))
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert len(events) == 2
    ev = next(e for uid, e in events.items() if uid.startswith(f"class-session-{first.id}@"))
    assert str(ev["summary"]) == "早教课堂·亲子绘本" and "陈一诺" in str(ev["description"])
    assert ev.decoded("dtstart") == first.starts_at
    cancelled = next(e for uid, e in events.items() if uid.startswith(f"class-session-{second.id}@"))
    assert str(cancelled["status"]) == "CANCELLED"
    # A stranger's calendar has nothing; the teacher's has the sessions.
    assert Calendar.from_ical(calendar.my_calendar(db, cw.w.resident2)).walk("VEVENT") == []
    assert len(Calendar.from_ical(calendar.my_calendar(db, cw.teacher)).walk("VEVENT")) == 2
    assert len(Calendar.from_ical(calendar.course_calendar(db, cw.parent, course_id=course)).walk("VEVENT")) == 2
    with pytest.raises(NotFound):
        calendar.course_calendar(db, cw.w.other_staff, course_id=course)


def test_register_export_lists_own_people_and_marks(db, cw):
    course = make_course(db, cw)
    enrolment.enrol(db, cw.parent, course_id=course, resident_id=cw.child_id)
    row = _now_session(db, course)
    attendance.mark(db, cw.teacher, session_id=row.id, resident_id=cw.child_id, status="present")
    data = export.register_xlsx(db, cw.w.staff, course_id=course)
    ws = load_workbook(BytesIO(data)).active
    values = [[c.value for c in r] for r in ws.iter_rows()]
    assert values[0][0] == "早教课堂·亲子绘本"
    assert values[3][0] == "姓名" and values[4][0] == "陈一诺" and values[4][1] == "到" and values[4][-2:] == [1, 0]
    with pytest.raises(NotFound):
        export.register_xlsx(db, cw.w.other_staff, course_id=course)
    with pytest.raises(NotFound):
        export.register_xlsx(db, cw.parent, course_id=course)


def test_reminders_the_day_before_reach_the_parent_and_the_teacher_once(db, cw):
    course = make_course(db, cw)
    enrolment.enrol(db, cw.parent, course_id=course, resident_id=cw.child_id)
    tomorrow = cw.today + timedelta(days=1)
    row = CourseSession(course_id=course, starts_at=__import__("community_app.services.core.clock", fromlist=["x"])
                        .local_to_utc(tomorrow, time(9, 30), __import__("zoneinfo").ZoneInfo("Asia/Shanghai")),
                        ends_at=utcnow() + timedelta(days=1, hours=3), checkin_code="5555")
    db.add(row)
    db.commit()
    reminders.send_reminders(db)
    reminders.send_reminders(db)
    parent = db.exec(select(Notification).where(Notification.account_id == cw.parent.account_id,
                                                Notification.kind == "classes.reminder")).all()
    teacher = db.exec(select(Notification).where(Notification.account_id == cw.teacher.account_id,
                                                 Notification.kind == "classes.reminder")).all()
    assert len(parent) == 1 and "陈一诺" in parent[0].body
    assert len(teacher) == 1 and "5555" in teacher[0].body and teacher[0].link == f"/classes/roll/{row.id}"


def test_staff_todo_counts_requests_and_unmarked_rolls(db, cw):
    group = make_course(db, cw, kind="group", programme="arts", title="朗诵队", min_age=None, max_age=None)
    groups.request_join(db, cw.parent, course_id=group)
    course = make_course(db, cw)
    enrolment.enrol(db, cw.parent, course_id=course, resident_id=cw.child_id)
    db.add(CourseSession(course_id=course, starts_at=utcnow() - timedelta(days=1, hours=1),
                         ends_at=utcnow() - timedelta(days=1), checkin_code="1"))
    db.commit()
    items = {i.key: i for i in todo.staff_todo(db, cw.w.staff)}
    assert items["classes.requests"].count == 1 and items["classes.unmarked"].count == 1
    assert "classes.requests" not in {i.key for i in todo.staff_todo(db, cw.w.other_staff)}
    with pytest.raises(NotAllowed):
        todo.staff_todo(db, cw.parent)
