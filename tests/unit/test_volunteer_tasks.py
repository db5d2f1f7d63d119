"""我的任务 (assigned bookings, shifts, visits), the day-before reminders, the staff to-do
items, the 志愿 summary, monthly rankings, the passbook and the Excel sheets."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from community_app.models import Booking, Notification, ResidentCare, ServiceHours, Shift, ShiftSignup
from community_app.services import booking, reminders, todo
from community_app.services.core.clock import travel
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from community_app.services.volunteering import activities, hours, ledger, points, tasks, views, visits
from tests.unit.test_booking import add_resident, request_type
from tests.unit.vol_helpers import build, move_shift, now_utc, publish


@pytest.fixture
def vw(db):
    return build(db)


def _assigned(db, vw, *, days: int = 1) -> Booking:
    stype = request_type(db, vw.staff)
    b = booking.request_service(db, vw.outsider, service_type_id=stype.id, description="灯不亮了",
                                address="邮电园小区 3号楼1单元301室")
    return booking.assign(db, vw.staff, booking_id=b.id, visit_at=now_utc() + timedelta(days=days),
                          assignee_account_id=vw.member.account_id, team_id=vw.team.id)


def test_my_tasks_lists_assigned_bookings_with_address_time_and_contact(db, vw):
    b = _assigned(db, vw)
    _, [shift] = publish(db, vw.staff, vw.team.id)
    activities.sign_up(db, vw.member, shift_id=shift.id)
    mine = tasks.my_tasks(db, vw.member)
    assert [(t.booking_id, t.service_name, t.resident_name, t.resident_mobile) for t in mine.open] == [
        (b.id, "家电维修", "王芳", "13800000003")]
    assert [s.shift_id for s in mine.shifts] == [shift.id]
    assert tasks.my_tasks(db, vw.leader).open == []
    detail = tasks.task_detail(db, vw.member, booking_id=b.id)
    assert detail.can_complete and detail.detail.resident_mobile == "13800000003"
    with pytest.raises(NotAllowed):
        tasks.task_detail(db, vw.leader, booking_id=b.id)
    with pytest.raises(NotAllowed):  # the resident has /bookings/<id>, not the volunteer's page
        tasks.task_detail(db, vw.outsider, booking_id=b.id)
    with pytest.raises(NotFound):
        tasks.task_detail(db, vw.member, booking_id=424242)


def test_done_with_a_note_marks_the_booking_done_and_counts_the_time_once(db, vw):
    b = _assigned(db, vw)
    with pytest.raises(ValidationError):
        tasks.complete_task(db, vw.member, booking_id=b.id, note="")
    with pytest.raises(ValidationError):
        tasks.complete_task(db, vw.member, booking_id=b.id, note="修好了", minutes=9999)
    with pytest.raises(NotAllowed):
        tasks.complete_task(db, vw.leader, booking_id=b.id, note="修好了")
    with travel(b.scheduled_at + timedelta(hours=1)):  # done on the day of the visit
        card = tasks.complete_task(db, vw.member, booking_id=b.id, note="换了灯泡", minutes="45")
    assert card.status == "done" and card.credited_minutes == 45
    assert db.get(Booking, b.id).completion_note == "换了灯泡"
    h = db.exec(select(ServiceHours)).one()
    assert (h.kind, h.minutes, h.team_id, h.title) == ("task", 45, vw.team.id, "家电维修")
    assert points.check(db, vw.member.resident_id) == (hours.TASK_POINTS, hours.TASK_POINTS)
    with pytest.raises(Conflict):
        tasks.complete_task(db, vw.member, booking_id=b.id, note="again")
    hours.credit_task(db, vw.staff, booking_id=b.id, minutes=60)  # idempotent
    assert points.check(db, vw.member.resident_id) == (hours.TASK_POINTS, hours.TASK_POINTS)
    told = db.exec(select(Notification).where(Notification.account_id == vw.outsider.account_id,
                                              Notification.kind == "booking.done")).all()
    assert told


def test_staff_can_count_time_of_a_task_marked_done_at_the_desk(db, vw):
    b = _assigned(db, vw)
    with travel(b.scheduled_at + timedelta(hours=1)):
        booking.mark_done(db, vw.staff, booking_id=b.id, note="已完成")
    assert [x.id for x in hours.uncredited_tasks(db, vw.staff)] == [b.id]
    with pytest.raises(NotAllowed):
        hours.credit_task(db, vw.leader, booking_id=b.id)
    hours.credit_task(db, vw.staff, booking_id=b.id, minutes=90)
    assert hours.uncredited_tasks(db, vw.staff) == []


def test_day_before_reminders_for_volunteers_go_out_once(db, vw):
    b = _assigned(db, vw, days=1)  # same time tomorrow
    _, [shift] = publish(db, vw.staff, vw.team.id, days=1)  # tomorrow 09:00
    activities.sign_up(db, vw.member, shift_id=shift.id)
    elder = add_resident(db, vw.w.community_id, "孙奶奶", None, account=False)
    db.add(ResidentCare(resident_id=elder.resident_id, category="living_alone"))
    db.commit()
    visits.pair(db, vw.staff, elder_resident_id=elder.resident_id, volunteer_resident_id=vw.member.resident_id,
                interval_days=1)  # due tomorrow
    first = reminders.send_reminders(db)
    assert reminders.send_reminders(db) == 0 and first >= 3
    notes = db.exec(select(Notification).where(Notification.account_id == vw.member.account_id,
                                               Notification.kind.like("%.reminder"))).all()
    assert sorted(n.link for n in notes) == sorted([f"/volunteer/tasks/{b.id}", f"/volunteer/shifts/{shift.id}",
                                                    "/volunteer/visits"])
    assert any("家电维修" in n.title for n in notes)


def test_staff_todo_lists_understaffed_shifts_overdue_visits_and_concerns(db, vw):
    publish(db, vw.staff, vw.team.id, days=1, places=3)
    elder = add_resident(db, vw.w.community_id, "孙奶奶", None, account=False)
    db.add(ResidentCare(resident_id=elder.resident_id, category="living_alone"))
    db.commit()
    pair = visits.pair(db, vw.staff, elder_resident_id=elder.resident_id, volunteer_resident_id=vw.member.resident_id,
                       interval_days=7)
    visits.log_visit(db, vw.member, pair_id=pair.id, wellbeing="poor", concern="咳嗽好几天了")
    db.refresh(pair)
    pair.next_due = date.today() - timedelta(days=2)
    db.add(pair)
    db.commit()
    teams_app = add_resident(db, vw.w.community_id, "新人", "13800000011")
    from community_app.services.volunteering import teams

    teams.apply(db, teams_app, team_id=vw.team.id)
    items = {i.key: i for i in todo.staff_todo(db, vw.staff)}
    assert items["volunteer.understaffed"].count == 1 and items["volunteer.understaffed"].urgent
    assert items["volunteer.visits_overdue"].count == 1
    assert items["volunteer.concerns"].count == 1
    assert items["volunteer.applications"].count == 1
    assert {i.key for i in todo.staff_todo(db, vw.other_staff)} == set()
    with pytest.raises(NotAllowed):
        todo.staff_todo(db, vw.member)


def test_summary_rankings_and_passbook(db, vw):
    for who, n, src in ((vw.member, 30, "signup:1"), (vw.leader, 50, "signup:2"), (vw.member, 5, "visit:1")):
        points.award(db, resident_id=who.resident_id, points=n, reason_key="points.reason.shift", reason="义剪",
                     source=src, actor=None)
    db.commit()
    summary = views.hub_summary(db, vw.member)
    assert (summary.balance, summary.month_points, summary.month_rank, summary.is_volunteer) == (35, 35, 2, True)
    board = views.rankings(db, vw.member)
    assert [(r.name, r.points, r.me) for r in board.volunteers] == [("李秀英", 50, False), ("张建国", 35, True)]
    assert board.my_rank == 2
    with pytest.raises(ValidationError):
        views.rankings(db, vw.member, month="2001-01")
    book = views.passbook(db, vw.member)
    assert book.balance == 35 and len(book.months) == 1
    month = book.months[0]
    assert (month.opening, month.closing, month.earned, month.spent) == (0, 35, 35, 0)
    assert [ln.balance_after for ln in month.lines] == [30, 35]
    assert views.passbook(db, vw.staff, resident_id=vw.member.resident_id).name == "张建国"
    with pytest.raises(NotAllowed):
        views.passbook(db, vw.leader, resident_id=vw.member.resident_id)
    with pytest.raises(NotAllowed):
        views.passbook(db, vw.other_staff, resident_id=vw.member.resident_id)


def test_passbook_months_carry_the_balance_over(db, vw):
    rid = vw.member.resident_id
    last_year = date.today().year - 1
    with travel(datetime(last_year, 3, 10, 2, tzinfo=UTC)):
        points.award(db, resident_id=rid, points=40, reason_key="points.reason.shift", source="a:1", actor=None)
        db.commit()
    with travel(datetime(last_year, 5, 10, 2, tzinfo=UTC)):
        points.debit(db, resident_id=rid, points=15, reason_key="points.reason.redeem", source="a:2", actor=None)
        db.commit()
    book = views.passbook(db, vw.member, year=last_year)
    assert [(m.month.month, m.opening, m.closing) for m in book.months] == [(3, 0, 40), (5, 40, 25)]
    assert views.passbook(db, vw.member).months == [] and last_year in views.passbook(db, vw.member).years
    with pytest.raises(ValidationError):
        views.passbook(db, vw.member, year=1999)


def test_hours_and_ledger_sheets(db, vw):
    _, [shift] = publish(db, vw.staff, vw.team.id, points=8)
    activities.sign_up(db, vw.member, shift_id=shift.id)
    move_shift(db, db.get(Shift, shift.id), start=now_utc() - timedelta(hours=3), minutes=90)
    row = hours.confirm(db, vw.leader, signup_id=db.exec(select(ShiftSignup.id)).one())
    assert row.minutes == 90
    wb = load_workbook(io.BytesIO(ledger.hours_sheet(db, vw.member)))
    rows = list(wb.active.values)
    assert rows[0] == ("姓名", "志愿者编号", "活动名称", "服务日期", "服务时长（小时）")
    assert rows[1][0] == "张建国" and rows[1][1] == f"C1-{vw.member.resident_id:06d}" and rows[1][4] == 1.5
    assert "1380" not in "".join(str(c) for r in rows for c in r)  # no phone, no ID number
    with pytest.raises(NotAllowed):
        ledger.hours_sheet(db, vw.leader, resident_id=vw.member.resident_id)
    assert len(list(load_workbook(io.BytesIO(ledger.hours_sheet(db, vw.staff, all_volunteers=True))).active.values)) == 2
    sheet = load_workbook(io.BytesIO(ledger.ledger_sheet(db, vw.staff, kind="earned", locale="en")))
    lines = list(sheet.active.values)
    assert lines[0][0] == "Time" and lines[1][1] == "张建国" and lines[1][4] == 8
    page = ledger.ledger_page(db, vw.staff, q="张建国")
    assert page.total == 1 and page.items[0].text() == "志愿服务：义剪"
    with pytest.raises(NotAllowed):
        ledger.ledger_page(db, vw.member)
    with pytest.raises(ValidationError):
        ledger.ledger_page(db, vw.staff, first="2026-02-30")
