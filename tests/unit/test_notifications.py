"""The notification centre, reminders the day before, and the .ics calendar export."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlmodel import select

from community_app.models import Account, Booking, Community, Notification
from community_app.services import booking, notifications
from community_app.services.booking import ics
from community_app.services.errors import Conflict, NotAllowed, NotFound
from tests.factories import SHANGHAI, add_resident, count, make_day, request_type, slot_type


def _at_local(day, hh, mm=0):
    return datetime.combine(day, time(hh, mm), tzinfo=SHANGHAI).astimezone(UTC)


# --------------------------------------------------------------------------- the centre


def test_notify_resident_without_account_gives_nothing_silently(db, world):
    nobody = add_resident(db, world.community_id, "周大爷", None, account=False)
    assert notifications.notify(db, resident_id=nobody.resident_id, kind="x", title="t") is None
    assert notifications.notify(db, kind="x", title="t") is None
    assert count(db, Notification) == 0


def test_dedupe_key_makes_a_notification_go_out_once(db, world):
    first = notifications.notify(db, resident_id=world.resident.resident_id, kind="k", title="一", dedupe_key="k:1")
    again = notifications.notify(db, account_id=world.resident.account_id, kind="k", title="二", dedupe_key="k:1")
    db.commit()
    assert first is not None and again is None
    assert [n.title for n in notifications.list_notifications(db, world.resident)] == ["一"]


def test_list_unread_mark_read_own_only(db, world):
    for i in range(3):
        notifications.notify(db, account_id=world.resident.account_id, kind="k", title=f"消息{i}")
    other = notifications.notify(db, account_id=world.resident2.account_id, kind="k", title="别人的")
    db.commit()
    assert notifications.unread_count(db, world.resident) == 3
    newest = notifications.list_notifications(db, world.resident)
    assert [n.title for n in newest] == ["消息2", "消息1", "消息0"]
    with pytest.raises(NotFound):
        notifications.mark_read(db, world.resident, notification_id=other.id)
    db.refresh(other)
    assert other.read_at is None
    notifications.mark_read(db, world.resident, notification_id=newest[0].id)
    notifications.mark_read(db, world.resident, notification_id=newest[0].id)  # idempotent
    assert notifications.unread_count(db, world.resident) == 2
    assert [n.title for n in notifications.list_notifications(db, world.resident, unread_only=True)] == \
        ["消息1", "消息0"]
    assert notifications.mark_all_read(db, world.resident) == 2
    assert notifications.unread_count(db, world.resident) == 0
    assert notifications.unread_count(db, world.resident2) == 1  # untouched


def test_notifications_are_worded_in_the_recipients_language(db, world):
    english = add_resident(db, world.community_id, "Anna", "13700000005", locale="en")
    stype = slot_type(db, world.staff)
    _, slots = make_day(db, stype)
    booking.book_slot(db, english, slot_id=slots[0].id)
    [note] = notifications.list_notifications(db, english)
    assert note.title == "Booking confirmed" and "09:00" in note.body


# --------------------------------------------------------------------------- reminders


def test_reminders_for_tomorrow_in_local_time_and_idempotent(db, world):
    stype = slot_type(db, world.staff)
    d = datetime.now(SHANGHAI).date() + timedelta(days=3)
    _, slots = make_day(db, stype, first_start=_at_local(d, 9), places=3)
    a = booking.book_slot(db, world.resident, slot_id=slots[0].id)
    b = booking.book_slot(db, world.resident2, slot_id=slots[0].id)
    booking.cancel_booking(db, world.resident2, booking_id=b.id)
    nobody = add_resident(db, world.community_id, "周大爷", None, account=False)
    booking.book_on_behalf(db, world.staff, resident_id=nobody.resident_id, slot_id=slots[1].id)
    # 23:00 the evening before (15:00 UTC) it is "tomorrow"; 00:30 on the day itself it is not.
    assert notifications.send_reminders(db, now=_at_local(d, 0, 30)) == 0
    assert notifications.send_reminders(db, now=_at_local(d - timedelta(days=2), 23)) == 0
    assert notifications.send_reminders(db, now=_at_local(d - timedelta(days=1), 23)) == 1
    assert notifications.send_reminders(db, now=_at_local(d - timedelta(days=1), 23, 30)) == 0  # again: none
    [reminder] = db.exec(select(Notification).where(Notification.kind == "booking.reminder")).all()
    acc = db.exec(select(Account).where(Account.resident_id == world.resident.resident_id)).one()
    assert reminder.account_id == acc.id and reminder.dedupe_key == f"reminder:{a.id}:{d.isoformat()}"
    assert "明天" in reminder.body and "09:00" in reminder.body and "老年活动中心" in reminder.body


def test_a_moved_booking_is_reminded_again_for_its_new_date(db, world):
    stype = slot_type(db, world.staff)
    d = datetime.now(SHANGHAI).date() + timedelta(days=3)
    day, slots = make_day(db, stype, first_start=_at_local(d, 9))
    booking.book_slot(db, world.resident, slot_id=slots[0].id)
    assert notifications.send_reminders(db, now=_at_local(d - timedelta(days=1), 20)) == 1
    booking.move_day(db, world.staff, day_id=day.id, new_day=d + timedelta(days=2), reason="")
    assert notifications.send_reminders(db, now=_at_local(d + timedelta(days=1), 20)) == 1


def test_reminder_for_an_assigned_visit(db, world):
    stype = request_type(db, world.staff, contact_phone="0371-67654321")
    b = booking.request_service(db, world.resident, service_type_id=stype.id, description="下水道堵了")
    d = datetime.now(SHANGHAI).date() + timedelta(days=2)
    booking.assign(db, world.staff, booking_id=b.id, visit_at=_at_local(d, 15), assignee_name="夕阳维修队")
    assert notifications.send_reminders(db, now=_at_local(d - timedelta(days=1), 9)) == 1
    [r] = db.exec(select(Notification).where(Notification.kind == "booking.reminder")).all()
    assert "夕阳维修队" in r.body and "15:00" in r.body and "0371-67654321" in r.body


# --------------------------------------------------------------------------- calendar export


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def _event_props(text: str) -> dict[str, str]:
    """The VEVENT's own properties (not the alarm's)."""
    lines = _unfold(text)
    event = lines[lines.index("BEGIN:VEVENT") + 1:lines.index("BEGIN:VALARM")]
    return dict(line.split(":", 1) for line in event)


def test_ics_for_a_confirmed_slot_booking(db, world):
    community = db.get(Community, world.community_id)
    community.hotline = "0371-12345678"
    db.add(community)
    db.commit()
    stype = slot_type(db, world.staff, name="义剪, 理发; 老人\\优先", location="老年活动中心,一楼")
    d = datetime.now(SHANGHAI).date() + timedelta(days=3)
    _, slots = make_day(db, stype, first_start=_at_local(d, 9, 15))
    b = booking.book_slot(db, world.resident, slot_id=slots[0].id)
    text = ics.booking_ics(db, world.resident, b.id)
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    raw_lines = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in raw_lines)
    lines = _unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VEVENT") == 1
    props = _event_props(text)
    start = _at_local(d, 9, 15)
    assert props["DTSTART"] == start.strftime("%Y%m%dT%H%M%SZ")
    assert props["DTEND"] == (start + timedelta(minutes=15)).strftime("%Y%m%dT%H%M%SZ")
    assert re.fullmatch(r"\d{8}T\d{6}Z", props["DTSTAMP"])
    assert props["UID"].startswith(f"booking-{b.id}@")
    assert props["SUMMARY"] == "义剪\\, 理发\\; 老人\\\\优先"
    assert props["LOCATION"] == "老年活动中心\\,一楼"
    assert "0371-12345678" in props["DESCRIPTION"] and "\\n" in props["DESCRIPTION"]
    assert props["STATUS"] == "CONFIRMED"
    assert ics.ics_filename(b.id) == f"booking-{b.id}.ics"


def test_ics_folds_long_chinese_lines_without_breaking_characters(db, world):
    stype = request_type(db, world.staff)
    b = booking.request_service(db, world.resident, service_type_id=stype.id, description="修电视")
    d = datetime.now(SHANGHAI).date() + timedelta(days=2)
    booking.assign(db, world.staff, booking_id=b.id, visit_at=_at_local(d, 14), assignee_name="银发爱心义剪队理发师傅")
    b = db.get(Booking, b.id)
    b.address = "邮电园小区" + "银发爱心义剪队上门理发" * 8
    db.add(b)
    db.commit()
    text = ics.booking_ics(db, world.resident, b.id)
    parts = text.split("\r\n")[:-1]
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert any(p.startswith(" ") for p in parts)  # folded, each continuation after one space
    text.encode("utf-8").decode("utf-8")  # no character split across lines
    assert "银发爱心义剪队上门理发" * 8 in "".join(_unfold(text))


def test_ics_for_a_visit_and_the_refusals(db, world):
    stype = request_type(db, world.staff)
    b = booking.request_service(db, world.resident, service_type_id=stype.id, description="修电视")
    with pytest.raises(Conflict) as e:
        ics.booking_ics(db, world.resident, b.id)  # not confirmed yet
    assert e.value.key == "booking.error.not_confirmed"
    d = datetime.now(SHANGHAI).date() + timedelta(days=2)
    booking.assign(db, world.staff, booking_id=b.id, visit_at=_at_local(d, 14), assignee_name="刘师傅")
    props = _event_props(ics.booking_ics(db, world.resident, b.id))
    assert props["DTSTART"] == _at_local(d, 14).strftime("%Y%m%dT%H%M%SZ")
    assert props["DTEND"] == _at_local(d, 15).strftime("%Y%m%dT%H%M%SZ")
    assert "刘师傅" in props["DESCRIPTION"] and props["LOCATION"].startswith("邮电园小区")
    assert ics.booking_ics(db, world.staff, b.id)
    with pytest.raises(NotAllowed):
        ics.booking_ics(db, world.resident2, b.id)
    with pytest.raises(NotAllowed):
        ics.booking_ics(db, world.other_staff, b.id)
    booking.cancel_booking(db, world.resident, booking_id=b.id)
    with pytest.raises(Conflict):
        ics.booking_ics(db, world.resident, b.id)
    assert db.get(Booking, b.id).status == "cancelled"
