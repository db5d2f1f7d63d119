"""The booking page states, run as the browser runs them (tests/unit/state_harness.py): what a
reader sees comes from the services' flags, the timeline shows the standard notes (代办, 现场登记,
候补转正) to residents and staff, the volunteer sent can open the booking and record it done, a
"full" refusal answers without reading every day again, and the approval queue works on the
generic staff list."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace

from sqlmodel import select

from community_app.i18n import t
from community_app.models import Booking, BookingStatus, Role, RoleGrant, utcnow
from community_app.services import auth, booking
from community_app.services.core.clock import travel
from community_app.state.bookings.booking import BookingState
from community_app.state.bookings.service import ServiceState
from community_app.state.bookings.staff_day_sheet import StaffDaySheetState
from community_app.state.bookings.staff_queue import StaffQueueState
from tests.conftest import sign_up_with_code
from tests.factories import SHANGHAI, add_resident, make_day, request_type, slot_type
from tests.unit.state_harness import run_handler, state_for

STATES = Path(__file__).resolve().parents[2] / "community_app" / "state" / "bookings"


async def _staff_only(state):
    return await state._run(lambda session, actor: "staff only", role="staff")


STAFF_CALL = SimpleNamespace(fn=_staff_only)  # shaped like an event handler: the Outcome of a staff-only call


def _run(db, handler, state, *args):
    """Run a handler as the browser would, the test's own session holding no transaction (on
    SQLite an open one would hold the write lock the handler needs)."""
    db.commit()
    return run_handler(handler, state, *args)


def _token(db, mobile: str, password: str) -> str:
    return auth.sign_in(db, mobile=mobile, password=password)


def _today_start():
    """The first start of a day of slots (``make_day``: 15 minutes apart) on the community's
    today, at any hour: the first slot has begun and the second is still ahead, both today. Just
    after midnight the day starts at midnight; late in the evening early enough for the second
    slot to start before the next day (at 23:50 it was tomorrow's, and the day sheet would
    not mark it attended). Only in the day's last minute is no second slot possible."""
    now = utcnow()
    midnight = datetime.combine(now.astimezone(SHANGHAI).date(), time(0), tzinfo=SHANGHAI).astimezone(UTC)
    return max(midnight, min(now - timedelta(minutes=5), midnight + timedelta(days=1, minutes=-16)))


def _volunteer(db, world, mobile: str = "13700000009", name: str = "孙志刚"):
    acc = sign_up_with_code(db, mobile=mobile, password=world.password, name=name, community_id=world.community_id,
                       address=auth.Address(world.compound_id, "5", "1", "301"))
    db.add(RoleGrant(account_id=acc.id, role=Role.VOLUNTEER, community_id=world.community_id))
    db.commit()
    return acc


def _resident_lines(db, token: str, booking_id: int, locale: str = "zh_CN") -> list[str]:
    page = state_for(BookingState, token, f"/bookings/{booking_id}", whole_tree=locale != "zh_CN")
    if locale != "zh_CN":
        page.parent_state.locale = locale
    _run(db, BookingState.load, page)
    assert page.found, page.load_error
    return [line for step in page.timeline for line in step.lines]


def _staff_notes(db, token: str, booking_id: int) -> list[str]:
    queue = state_for(StaffQueueState, token, "/staff/bookings")
    _run(db, StaffQueueState.show_detail, queue, str(booking_id))
    assert queue.detail_open and queue.detail["id"] == str(booking_id)
    return [step["note"] for step in queue.detail_timeline]


def test_timeline_shows_on_behalf_walk_in_and_waitlist_notes_to_residents_and_staff(db, world):
    stype = slot_type(db, world.staff)
    _, future = make_day(db, stype, places=1)
    _, today = make_day(db, stype, first_start=_today_start(), places=2)
    # 代办: staff book for 李秀英 on the phone.
    on_behalf = booking.book_on_behalf(db, world.staff, resident_id=world.resident.resident_id, slot_id=future[1].id)
    # 现场登记: she turns up at today's stall.
    walk_in = booking.add_walk_in(db, world.staff, slot_id=today[0].id, resident_id=world.resident.resident_id)
    # 候补转正: a neighbour holds the first slot, she waits, the neighbour cancels.
    neighbour = add_resident(db, world.community_id, "赵桂兰", "13700000003")
    first = booking.book_slot(db, neighbour, slot_id=future[0].id)
    booking.join_waitlist(db, world.resident, slot_id=future[0].id)
    booking.cancel_booking(db, neighbour, booking_id=first.id)
    promoted = db.exec(select(Booking).where(Booking.resident_id == world.resident.resident_id,
                                             Booking.slot_id == future[0].id)).one()

    resident = _token(db, "13800000001", world.password)
    staff = _token(db, "13900000001", world.password)
    for booking_id, key in ((on_behalf.id, "booking.note.on_behalf"), (walk_in.id, "booking.note.walk_in"),
                            (promoted.id, "booking.note.waitlist")):
        assert t(key) in _resident_lines(db, resident, booking_id), key
        assert t(key, "en") in _resident_lines(db, resident, booking_id, "en"), key
        assert t(key) in _staff_notes(db, staff, booking_id), key
    assert t("booking.note.walk_in") == "现场登记" and t("booking.note.waitlist") == "候补转正"


def test_the_volunteer_sent_opens_the_booking_sees_whom_to_visit_and_marks_it_done(db, world):
    stype = request_type(db, world.staff)
    request = booking.request_service(db, world.resident, service_type_id=stype.id, description="冰箱不制冷了")
    sent = _volunteer(db, world)
    _volunteer(db, world, "13700000008", "闫爱民")
    with travel(utcnow() - timedelta(hours=1)):  # assigned an hour ago for a visit that has come
        booking.assign(db, world.staff, booking_id=request.id, visit_at=utcnow() + timedelta(minutes=30),
                       assignee_account_id=sent.id)

    page = state_for(BookingState, _token(db, "13700000009", world.password), f"/bookings/{request.id}")
    _run(db, BookingState.load, page)
    d = page.d
    assert page.found and not d.own
    assert (d.resident_name, d.resident_mobile, d.resident_tel) == ("李秀英", "13800000001", "tel:+8613800000001")
    assert "3号楼" in d.address
    assert d.can_mark_done and not d.can_cancel and not d.can_rate

    # The resident sees her own booking as before: no 完成, no mobile of her own shown back.
    own = state_for(BookingState, _token(db, "13800000001", world.password), f"/bookings/{request.id}")
    _run(db, BookingState.load, own)
    assert own.d.own and not own.d.can_mark_done and own.d.resident_name == ""

    # Another volunteer, not sent: nothing to see.
    other = state_for(BookingState, _token(db, "13700000008", world.password), f"/bookings/{request.id}")
    _run(db, BookingState.load, other)
    assert not other.found and other.load_error == t("rbook.detail.not_found")
    _run(db, BookingState.open_done, other)
    _run(db, BookingState.confirm_done, other, {"note": "冒充"})
    db.expire_all()
    assert db.get(Booking, request.id).status == BookingStatus.ASSIGNED

    _run(db, BookingState.open_done, page)
    assert page.done_open
    _run(db, BookingState.confirm_done, page, {"note": "换了温控器，已恢复制冷。"})
    db.expire_all()
    done = db.get(Booking, request.id)
    assert (done.status, done.completion_note) == (BookingStatus.DONE, "换了温控器，已恢复制冷。")
    assert not page.done_open and page.d.status == "done" and not page.d.can_mark_done


def test_done_before_the_visit_day_is_refused_in_the_dialog(db, world):
    stype = request_type(db, world.staff)
    request = booking.request_service(db, world.resident, service_type_id=stype.id, description="水管漏水")
    sent = _volunteer(db, world)
    booking.assign(db, world.staff, booking_id=request.id, visit_at=utcnow() + timedelta(days=2),
                   assignee_account_id=sent.id)
    page = state_for(BookingState, _token(db, "13700000009", world.password), f"/bookings/{request.id}")
    _run(db, BookingState.load, page)
    assert page.found and not page.d.can_mark_done
    _run(db, BookingState.open_done, page)
    assert not page.done_open  # no button, no dialog
    page.done_open = True  # a browser that calls the handler anyway
    _run(db, BookingState.confirm_done, page, {"note": ""})
    assert page.done_message == t("booking.error.not_yet")
    db.expire_all()
    assert db.get(Booking, request.id).status == BookingStatus.ASSIGNED


def test_a_full_refusal_updates_that_slot_only_and_reads_no_days_again(db, world, monkeypatch):
    stype = slot_type(db, world.staff)
    _, slots = make_day(db, stype, places=1, slots=3)
    page = state_for(ServiceState, _token(db, "13800000001", world.password), f"/services/{stype.id}")
    _run(db, ServiceState.load, page)
    assert page.found and [(r.can_book, r.can_wait, r.blocked) for r in page.slots] == [(True, False, False)] * 3
    day_before = page.days[0]
    assert day_before.free == 3

    booking.book_slot(db, world.resident2, slot_id=slots[0].id)  # a neighbour is quicker
    reads = []
    real = booking.service_days
    monkeypatch.setattr(booking, "service_days", lambda *a, **kw: reads.append(1) or real(*a, **kw))

    _run(db, ServiceState.ask, page, slots[0].id)
    assert page.dialog == "book"
    _run(db, ServiceState.confirm_book, page)
    assert reads == []  # answered from the refusal itself
    assert page.action_error == t("booking.error.full") and page.dialog == "" and not page.busy
    row = page.slots[0]
    assert (row.full, row.can_book, row.can_wait, row.free_text) == (True, False, True, t("service.full"))
    assert page.days[0].free == 2 and page.days[0].free_text == t("service.free_places", n=2)

    _run(db, ServiceState.ask, page, slots[0].id)
    assert page.dialog == "wait"  # the waitlist is offered now
    _run(db, ServiceState.dialog_change, page, False)
    _run(db, ServiceState.ask, page, slots[1].id)
    _run(db, ServiceState.confirm_book, page)
    assert db.exec(select(Booking).where(Booking.resident_id == world.resident.resident_id,
                                         Booking.slot_id == slots[1].id)).one()
    assert reads == []


def test_the_service_decides_what_each_slot_offers_under_a_monthly_limit(db, world):
    stype = slot_type(db, world.staff, limit_count=1, limit_period="month")
    _, slots = make_day(db, stype, places=1, slots=2)
    booking.book_slot(db, world.resident, slot_id=slots[0].id)
    page = state_for(ServiceState, _token(db, "13800000001", world.password), f"/services/{stype.id}")
    _run(db, ServiceState.load, page)
    mine, other = page.slots
    assert mine.mine and not (mine.can_book or mine.can_wait or mine.blocked)
    assert other.blocked and not (other.can_book or other.can_wait)
    assert page.limit_notice  # 您本月已经约过……
    _run(db, ServiceState.ask, page, slots[1].id)
    assert page.dialog == ""  # nothing to confirm


def test_day_sheet_buttons_come_from_the_service(db, world):
    stype = slot_type(db, world.staff)
    day, today = make_day(db, stype, first_start=_today_start(), places=2)
    _, later = make_day(db, stype, places=2)
    came = booking.book_on_behalf(db, world.staff, resident_id=world.resident.resident_id, slot_id=today[1].id)
    staff = _token(db, "13900000001", world.password)
    sheet = state_for(StaffDaySheetState, staff, f"/staff/days/{day.id}")
    _run(db, StaffDaySheetState.load, sheet)
    assert sheet.found and sheet.is_today
    expected = booking.day_sheet(db, world.staff, day_id=day.id)
    assert [s.can_walk_in for s in sheet.slots] == [s.can_walk_in for s in expected.slots]
    [row] = [r for s in sheet.slots for r in s.rows]
    [svc_row] = [r for s in expected.slots for r in s.rows]
    assert (row.booking_id, row.can_mark, row.can_noshow) == (str(came.id), svc_row.can_attend, svc_row.can_no_show)
    _run(db, StaffDaySheetState.attended, sheet, str(came.id))
    db.expire_all()
    assert db.get(Booking, came.id).status == BookingStatus.DONE
    assert [r.status for s in sheet.slots for r in s.rows] == ["done"]


def test_approval_queue_on_the_generic_staff_list(db, world):
    stype = request_type(db, world.staff)
    ids = [booking.request_service(db, world.resident, service_type_id=stype.id, description=f"第{i}件").id
           for i in range(3)]
    staff = _token(db, "13900000001", world.password)
    queue = state_for(StaffQueueState, staff, f"/staff/bookings?open={ids[0]}")
    _run(db, StaffQueueState.load, queue)
    assert queue.filters["status"] == "active" and [r["id"] for r in queue.rows] == [str(i) for i in ids]
    assert queue.detail_open and queue.detail["id"] == str(ids[0])  # the ?open= link
    assert queue.type_options == [{"id": str(stype.id), "name": stype.name}]
    assert all(r["can_select"] == r["can_approve"] == "1" and r["can_assign"] == "1" for r in queue.rows)

    _run(db, StaffQueueState.set_filter, queue, "status", "not-a-status")
    assert queue.filters["status"] == "active"
    _run(db, StaffQueueState.set_filter, queue, "from", "2030-01-02")
    _run(db, StaffQueueState.set_filter, queue, "to", "2030-01-01")
    assert queue.filter_error == t("sbook.queue.date_order")
    _run(db, StaffQueueState.clear_filters, queue)
    assert queue.filter_error == "" and len(queue.rows) == 3

    _run(db, StaffQueueState.approve, queue, str(ids[0]))
    assert [r["can_approve"] for r in queue.rows] == ["", "1", "1"]
    _run(db, StaffQueueState.toggle_all, queue, True)
    assert queue.selected == [str(ids[1]), str(ids[2])]
    assert queue.bulk_question == t("sbook.bulk.question", n=2)
    _run(db, StaffQueueState.open_bulk, queue)
    _run(db, StaffQueueState.confirm_bulk, queue)
    db.expire_all()
    assert {db.get(Booking, i).status for i in ids} == {BookingStatus.APPROVED}
    assert queue.selected == [] and not queue.bulk_open

    _run(db, StaffQueueState.open_dialog, queue, "decline", str(ids[1]))
    _run(db, StaffQueueState.submit_decline, queue, {"reason": ""})
    assert queue.dlg_errors == {"reason": t("booking.error.reason_required")}
    _run(db, StaffQueueState.submit_decline, queue, {"reason": "归物业管"})
    db.expire_all()
    assert db.get(Booking, ids[1]).status == BookingStatus.DECLINED and queue.dlg == ""


def test_booking_states_reach_the_database_only_through_the_runner():
    """No session opened in a handler: every call goes through AppState._run (off the loop)."""
    for path in STATES.glob("*.py"):
        text = path.read_text("utf-8")
        assert not re.search(r"\bdb\.(session|write_session)\(|from community_app import db\b|_actor\(\)", text), \
            path.name


def test_a_signed_in_resident_on_a_staff_page_is_refused_not_sent_to_sign_in(db, world):
    """The runner tells "not staff" from "signed out": sending a signed-in resident to the sign-in
    page on a staff page's load bounced them back to it, and again, for ever."""
    resident = state_for(StaffQueueState, _token(db, "13800000001", world.password), "/staff/bookings")
    out = _run(db, STAFF_CALL, resident)
    assert not out.ok and not out.signed_out and out.error.key == "error.staff_only"
    assert _run(db, StaffQueueState.load, resident) is None  # the page guard has answered already
    assert resident.rows == [] and resident.type_options == []
    nobody = _run(db, STAFF_CALL, state_for(StaffQueueState, "", "/staff/bookings"))
    assert nobody.signed_out and nobody.error is None

