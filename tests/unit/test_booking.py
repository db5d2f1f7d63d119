"""Bookings: slots, waitlist, requests with photos, the staff workflow, views and every refusal."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image, ImageCms, PngImagePlugin
from sqlalchemy import func
from sqlmodel import select

from community_app.models import (
    AuditLog,
    Booking,
    BookingEvent,
    BookingPhoto,
    BookingStatus,
    Community,
    Grid,
    Household,
    Notification,
    Resident,
    ResidentCare,
    Role,
    RoleGrant,
    ServiceSlot,
    ServiceType,
    Team,
    WaitlistEntry,
    utcnow,
)
from community_app.services import booking, catalogue
from community_app.services.access import Actor
from community_app.services.core.clock import travel
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from tests.factories import (  # noqa: F401 - shared with the other test modules
    JPEG,
    PNG,
    PNG_MAGIC_ONLY,
    SHANGHAI,
    WEBP,
    add_resident,
    count,
    holding,
    image_bytes,
    make_day,
    notes_of,
    request_type,
    slot_type,
    taken,
)


@pytest.fixture
def both_db(any_db_url):
    """Like ``db`` but on SQLite and on PostgreSQL, for the queries that differ between them."""
    from community_app import db as dbmod

    with dbmod.write_session() as s:
        yield s


@pytest.fixture
def both_world(both_db):
    from tests.conftest import build_world

    return build_world(both_db)


@pytest.fixture
def uploads(tmp_path, monkeypatch):
    from community_app.settings import reset_settings

    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path / "uploads"))
    reset_settings()
    yield tmp_path / "uploads"
    reset_settings()


# --------------------------------------------------------------------------- booking a slot


def test_book_slot_takes_a_place_records_the_timeline_and_notifies(db, world):
    stype = slot_type(db, world.staff)
    _, slots = make_day(db, stype)
    b = booking.book_slot(db, world.resident, slot_id=slots[0].id)
    assert b.status == BookingStatus.APPROVED and b.holding_slot_id == slots[0].id == b.slot_id
    assert b.scheduled_at == slots[0].starts_at
    assert b.address == "邮电园小区 3号楼1单元201室"
    assert taken(db, slots[0].id) == 1
    events = db.exec(select(BookingEvent).where(BookingEvent.booking_id == b.id)).all()
    assert [e.status for e in events] == ["approved"]
    [note] = notes_of(db, world.resident, "booking.approved")
    assert note.title == "预约成功" and "义剪" in note.body and note.link == f"/bookings/{b.id}"


def test_full_slot_is_refused_and_changes_nothing(db, world):
    stype = slot_type(db, world.staff)
    _, slots = make_day(db, stype, places=1)
    booking.book_slot(db, world.resident, slot_id=slots[0].id)
    with pytest.raises(Conflict) as e:
        booking.book_slot(db, world.resident2, slot_id=slots[0].id)
    assert e.value.key == "booking.error.full"
    assert "候补" in e.value.message()
    assert taken(db, slots[0].id) == 1 and count(db, Booking) == 1


def test_same_resident_cannot_hold_two_places_in_one_slot(db, world):
    stype = slot_type(db, world.staff)
    _, slots = make_day(db, stype, places=5)
    booking.book_slot(db, world.resident, slot_id=slots[0].id)
    with pytest.raises(Conflict) as e:
        booking.book_slot(db, world.resident, slot_id=slots[0].id)
    assert e.value.key == "booking.error.already_booked"
    assert taken(db, slots[0].id) == 1


def test_database_refuses_a_second_holding_booking_even_if_code_forgot_to_check(db, world):
    from sqlalchemy.exc import IntegrityError

    stype = slot_type(db, world.staff)
    _, slots = make_day(db, stype, places=5)
    b = booking.book_slot(db, world.resident, slot_id=slots[0].id)
    db.add(Booking(community_id=b.community_id, service_type_id=stype.id, resident_id=b.resident_id,
                   slot_id=slots[0].id, holding_slot_id=slots[0].id, status="approved"))
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()
    s = db.get(ServiceSlot, slots[0].id)
    s.taken = s.capacity + 1
    db.add(s)
    with pytest.raises(IntegrityError):  # taken can never exceed capacity
        db.commit()
    db.rollback()


def test_monthly_limit(db, world):
    stype = slot_type(db, world.staff, limit_count=1, limit_period="month")
    _, slots = make_day(db, stype)
    booking.book_slot(db, world.resident, slot_id=slots[0].id)
    with pytest.raises(Conflict) as e:
        booking.book_slot(db, world.resident, slot_id=slots[1].id)
    assert e.value.key == "booking.error.limit_month" and e.value.params == {"n": 1}
    assert "每月最多约 1 次" in e.value.message()
    # Another month is fine; so is another resident.
    next_month = slots[0].starts_at.astimezone(SHANGHAI).date().replace(day=1) + timedelta(days=40)
    _, later = make_day(db, stype, first_start=datetime.combine(next_month, time(9), tzinfo=SHANGHAI))
    booking.book_slot(db, world.resident, slot_id=later[0].id)
    booking.book_slot(db, world.resident2, slot_id=slots[1].id)


def test_cancelled_booking_does_not_count_towards_the_limit(db, world):
    stype = slot_type(db, world.staff, limit_count=1, limit_period="month")
    _, slots = make_day(db, stype)
    b = booking.book_slot(db, world.resident, slot_id=slots[0].id)
    booking.cancel_booking(db, world.resident, booking_id=b.id)
    booking.book_slot(db, world.resident, slot_id=slots[1].id)


def test_limit_status_tells_before_booking_what_book_slot_refuses(both_db, both_world):
    """一次义剪一个月: the page can say so before the resident taps, by the same count."""
    db, world = both_db, both_world
    stype = slot_type(db, world.staff, limit_count=1, limit_period="month")
    _, slots = make_day(db, stype)
    slot_day = slots[0].starts_at.astimezone(SHANGHAI).date()
    next_month = (slot_day.replace(day=28) + timedelta(days=4)).replace(day=1)
    before = booking.limit_status(db, world.resident, service_type_id=stype.id, day=slot_day)
    assert (before.used, before.reached, before.left, before.limit_count, before.period, before.kind) == (
        0, False, 1, 1, "month", "slot")
    assert (before.period_first, before.period_last, before.next_first) == (
        slot_day.replace(day=1), next_month - timedelta(days=1), next_month)
    b = booking.book_slot(db, world.resident, slot_id=slots[0].id)
    after = booking.limit_status(db, world.resident, service_type_id=stype.id, day=slot_day)
    assert (after.used, after.reached, after.left) == (1, True, 0)
    with pytest.raises(Conflict) as e:  # the server still refuses by itself
        booking.book_slot(db, world.resident, slot_id=slots[1].id)
    assert e.value.key == "booking.error.limit_month"
    # Slot bookings count in their slot's month: the next month is free, and so is another resident.
    assert not booking.limit_status(db, world.resident, service_type_id=stype.id, day=next_month).reached
    assert not booking.limit_status(db, world.resident2, service_type_id=stype.id, day=slot_day).reached
    today = catalogue.local_today(SHANGHAI)
    assert booking.limit_status(db, world.resident, service_type_id=stype.id).period_first == today.replace(day=1)
    # A cancelled booking gives the turn back.
    booking.cancel_booking(db, world.resident, booking_id=b.id)
    assert not booking.limit_status(db, world.resident, service_type_id=stype.id, day=slot_day).reached
    booking.book_slot(db, world.resident, slot_id=slots[1].id)


def test_limit_status_of_requests_and_its_refusals(both_db, both_world, uploads):
    db, world = both_db, both_world
    home = request_type(db, world.staff, code="home_repair", limit_count=1, limit_period="week")
    assert booking.limit_status(db, world.resident, service_type_id=home.id).used == 0
    b = booking.request_service(db, world.resident, service_type_id=home.id, description="电视坏了")
    status = booking.limit_status(db, world.resident, service_type_id=home.id)
    monday = catalogue.local_today(SHANGHAI) - timedelta(days=catalogue.local_today(SHANGHAI).weekday())
    assert status.reached and status.kind == "request"
    assert (status.period_first, status.next_first) == (monday, monday + timedelta(days=7))
    with pytest.raises(Conflict) as e:
        booking.request_service(db, world.resident, service_type_id=home.id, description="又坏了")
    assert e.value.key == "booking.error.limit_week"
    booking.decline(db, world.staff, booking_id=b.id, reason="请送到服务站")  # declined: not counted
    assert not booking.limit_status(db, world.resident, service_type_id=home.id).reached
    unlimited = request_type(db, world.staff, code="plumbing", name="水管维修")
    assert booking.limit_status(db, world.resident, service_type_id=unlimited.id) is None
    with pytest.raises(NotFound):  # another community's type
        booking.limit_status(db, world.other_staff, service_type_id=home.id)
    with pytest.raises(NotAllowed):
        booking.limit_status(db, None, service_type_id=home.id)
    with pytest.raises(ValidationError):
        booking.limit_status(db, world.resident, service_type_id=home.id, day="2026-11-26")
    catalogue.deactivate_service_type(db, world.staff, service_type_id=home.id)
    with pytest.raises(NotFound):
        booking.limit_status(db, world.resident, service_type_id=home.id)


def test_started_slot_and_cancelled_day_are_refused(db, world):
    stype = slot_type(db, world.staff)
    _, past = make_day(db, stype, first_start=utcnow() - timedelta(minutes=5))
    with pytest.raises(Conflict) as e:
        booking.book_slot(db, world.resident, slot_id=past[0].id)
    assert e.value.key == "booking.error.slot_started"
    day, slots = make_day(db, stype)
    booking.cancel_day(db, world.staff, day_id=day.id, reason="下雨")
    with pytest.raises(Conflict) as e:
        booking.book_slot(db, world.resident, slot_id=slots[0].id)
    assert e.value.key == "booking.error.day_closed"
    assert count(db, Booking) == 0


def test_inactive_type_and_unknown_slot(db, world):
    stype = slot_type(db, world.staff)
    _, slots = make_day(db, stype)
    catalogue.deactivate_service_type(db, world.staff, service_type_id=stype.id)
    with pytest.raises(Conflict):
        booking.book_slot(db, world.resident, slot_id=slots[0].id)
    with pytest.raises(NotFound):
        booking.book_slot(db, world.resident, slot_id=999999)


def test_home_visit_eligibility_is_checked_on_the_server(db, world):
    stype = slot_type(db, world.staff, code="elder", home_visit=True,
                      eligible_care=["living_alone", "disabled"], eligible_min_age=80)
    _, slots = make_day(db, stype, places=5)
    with pytest.raises(NotAllowed) as e:
        booking.book_slot(db, world.resident, slot_id=slots[0].id)
    assert e.value.key == "booking.error.not_eligible"
    assert count(db, Booking) == 0 and taken(db, slots[0].id) == 0
    # A care category makes them eligible ...
    db.add(ResidentCare(resident_id=world.resident.resident_id, category="living_alone"))
    db.commit()
    booking.book_slot(db, world.resident, slot_id=slots[0].id)
    # ... and so does age (80+); an unrelated category does not.
    db.add(ResidentCare(resident_id=world.resident2.resident_id, category="pregnant"))
    db.commit()
    with pytest.raises(NotAllowed):
        booking.book_slot(db, world.resident2, slot_id=slots[0].id)
    r2 = db.get(Resident, world.resident2.resident_id)
    r2.birth_year = utcnow().year - 80
    db.add(r2)
    db.commit()
    booking.book_slot(db, world.resident2, slot_id=slots[0].id)


def test_wrong_role_and_other_community(db, world):
    stype = slot_type(db, world.staff)
    _, slots = make_day(db, stype)
    no_resident = Actor(account_id=world.staff.account_id, community_id=world.community_id,
                        display_name="x", resident_id=None, staff_communities=frozenset({world.community_id}))
    with pytest.raises(NotAllowed) as e:
        booking.book_slot(db, no_resident, slot_id=slots[0].id)
    assert e.value.key == "error.resident_only"
    outsider = add_resident(db, world.other_community_id, "外社区居民", "13500000009")
    with pytest.raises(NotAllowed) as e:
        booking.book_slot(db, outsider, slot_id=slots[0].id)
    assert e.value.key == "booking.error.other_community"
    with pytest.raises(NotAllowed):
        booking.book_slot(db, None, slot_id=slots[0].id)
    assert taken(db, slots[0].id) == 0


# --------------------------------------------------------------------------- cancelling and the waitlist


def test_resident_cancels_before_cutoff_and_the_place_is_free_again(db, world):
    stype = slot_type(db, world.staff, cancel_cutoff_minutes=120)
    _, slots = make_day(db, stype, places=1)
    b = booking.book_slot(db, world.resident, slot_id=slots[0].id)
    booking.cancel_booking(db, world.resident, booking_id=b.id, reason="身体不舒服")
    db.refresh(b)
    assert b.status == BookingStatus.CANCELLED and b.holding_slot_id is None and b.slot_id == slots[0].id
    assert taken(db, slots[0].id) == 0
    assert notes_of(db, world.resident, "booking.cancelled")
    assert db.exec(select(AuditLog).where(AuditLog.action == "booking.cancel")).first() is None  # own: no audit
    booking.book_slot(db, world.resident2, slot_id=slots[0].id)
    booking.book_slot(db, world.resident, slot_id=slots[1].id)
    with pytest.raises(Conflict) as e:
        booking.cancel_booking(db, world.resident, booking_id=b.id)
    assert e.value.key == "booking.error.not_cancellable"


def test_resident_cannot_cancel_after_cutoff_but_staff_can(db, world):
    db.get(Community, world.community_id).hotline = "0371-12345678"
    db.commit()
    stype = slot_type(db, world.staff, cancel_cutoff_minutes=120)
    _, slots = make_day(db, stype, first_start=utcnow() + timedelta(minutes=90))
    b = booking.book_slot(db, world.resident, slot_id=slots[0].id)
    with pytest.raises(Conflict) as e:
        booking.cancel_booking(db, world.resident, booking_id=b.id)
    assert e.value.key == "booking.error.past_cutoff" and e.value.params["phone"] == "0371-12345678"
    assert "0371-12345678" in e.value.message()
    db.refresh(b)
    assert b.status == BookingStatus.APPROVED and taken(db, slots[0].id) == 1
    detail = booking.booking_detail(db, world.resident, booking_id=b.id)
    assert detail.past_cutoff and not detail.can_cancel and detail.contact_phone == "0371-12345678"
    booking.cancel_booking(db, world.staff, booking_id=b.id, reason="居民来电取消")
    assert taken(db, slots[0].id) == 0
    log = db.exec(select(AuditLog).where(AuditLog.action == "booking.cancel")).one()
    assert log.actor_account_id == world.staff.account_id and log.target_id == b.id
    [note] = notes_of(db, world.resident, "booking.cancelled")
    assert "工作人员" in note.body


def test_others_cannot_cancel(db, world):
    stype = slot_type(db, world.staff)
    _, slots = make_day(db, stype)
    b = booking.book_slot(db, world.resident, slot_id=slots[0].id)
    for who in (world.resident2, world.other_staff):
        with pytest.raises(NotAllowed):
            booking.cancel_booking(db, who, booking_id=b.id)
    db.refresh(b)
    assert b.status == BookingStatus.APPROVED and taken(db, slots[0].id) == 1


def test_waitlist_promotes_the_first_waiting_resident_on_cancel(db, world):
    r3 = add_resident(db, world.community_id, "赵桂兰", "13700000003")
    stype = slot_type(db, world.staff)
    _, slots = make_day(db, stype, places=1)
    s = slots[0]
    first = booking.book_slot(db, world.resident, slot_id=s.id)
    with pytest.raises(Conflict) as e:
        booking.join_waitlist(db, world.resident, slot_id=s.id)
    assert e.value.key == "booking.error.already_booked"
    e2 = booking.join_waitlist(db, world.resident2, slot_id=s.id)
    booking.join_waitlist(db, r3, slot_id=s.id)
    with pytest.raises(Conflict) as e:
        booking.join_waitlist(db, world.resident2, slot_id=s.id)
    assert e.value.key == "booking.error.already_waiting"
    assert [w.position for w in booking.my_waitlist(db, r3)] == [2]
    booking.cancel_booking(db, world.resident, booking_id=first.id)
    promoted = db.exec(select(Booking).where(Booking.resident_id == world.resident2.resident_id)).one()
    assert promoted.status == BookingStatus.APPROVED and promoted.holding_slot_id == s.id
    db.refresh(e2)
    assert e2.status == "promoted" and e2.waiting_slot_id is None
    assert taken(db, s.id) == 1 == holding(db, s.id)
    [note] = notes_of(db, world.resident2, "booking.promoted")
    assert note.title == "候补成功"
    assert [w.position for w in booking.my_waitlist(db, r3)] == [1]
    events = db.exec(select(BookingEvent).where(BookingEvent.booking_id == promoted.id)).all()
    assert [(ev.status, ev.note, ev.note_key) for ev in events] == [("approved", "", "booking.note.waitlist")]


def test_join_waitlist_refused_when_places_are_free(db, world):
    stype = slot_type(db, world.staff)
    _, slots = make_day(db, stype, places=2)
    booking.book_slot(db, world.resident, slot_id=slots[0].id)
    with pytest.raises(Conflict) as e:
        booking.join_waitlist(db, world.resident2, slot_id=slots[0].id)
    assert e.value.key == "booking.error.not_full"
    assert count(db, WaitlistEntry) == 0


def test_leave_waitlist_then_nobody_is_promoted(db, world):
    stype = slot_type(db, world.staff)
    _, slots = make_day(db, stype, places=1)
    first = booking.book_slot(db, world.resident, slot_id=slots[0].id)
    entry = booking.join_waitlist(db, world.resident2, slot_id=slots[0].id)
    with pytest.raises(NotAllowed):
        booking.leave_waitlist(db, world.resident, entry_id=entry.id)
    with pytest.raises(NotAllowed):
        booking.leave_waitlist(db, world.other_staff, entry_id=entry.id)
    booking.leave_waitlist(db, world.resident2, entry_id=entry.id)
    assert db.exec(select(AuditLog).where(AuditLog.action == "waitlist.remove")).first() is None  # own
    with pytest.raises(Conflict):
        booking.leave_waitlist(db, world.resident2, entry_id=entry.id)
    r3 = add_resident(db, world.community_id, "赵桂兰", "13700000003")
    other = booking.join_waitlist(db, r3, slot_id=slots[0].id)
    booking.leave_waitlist(db, world.staff, entry_id=other.id)  # staff take a caller off the list
    assert db.exec(select(AuditLog).where(AuditLog.action == "waitlist.remove")).one().target_id == other.id
    booking.cancel_booking(db, world.resident, booking_id=first.id)
    assert taken(db, slots[0].id) == 0
    assert db.exec(select(Booking).where(Booking.resident_id != world.resident.resident_id)).first() is None


def test_promotion_skips_a_resident_who_reached_the_limit(db, world):
    r3 = add_resident(db, world.community_id, "赵桂兰", "13700000003")
    stype = slot_type(db, world.staff, limit_count=1, limit_period="month")
    _, slots = make_day(db, stype, places=1)
    first = booking.book_slot(db, world.resident, slot_id=slots[0].id)
    e2 = booking.join_waitlist(db, world.resident2, slot_id=slots[0].id)
    booking.join_waitlist(db, r3, slot_id=slots[0].id)
    booking.book_slot(db, world.resident2, slot_id=slots[1].id)  # now at the monthly limit
    booking.cancel_booking(db, world.resident, booking_id=first.id)
    db.refresh(e2)
    assert e2.status == "skipped"
    got = db.exec(select(Booking).where(Booking.holding_slot_id == slots[0].id)).one()
    assert got.resident_id == r3.resident_id


# --------------------------------------------------------------------------- requests and photos


def test_request_with_photos_is_saved_under_random_names(db, world, uploads):
    stype = request_type(db, world.staff)
    b = booking.request_service(
        db, world.resident, service_type_id=stype.id, description="电饭煲不加热了",
        preferred_times=["周六上午", "周日下午"],
        photos=[("../../etc/passwd.png", PNG, "image/png"), ("a.jpg", JPEG, "image/jpg"),
                ("b.webp", WEBP, "image/webp")],
    )
    assert b.status == BookingStatus.SUBMITTED and b.address == "邮电园小区 3号楼1单元201室"
    assert b.preferred_times == "周六上午 / 周日下午"
    photos = db.exec(select(BookingPhoto).where(BookingPhoto.booking_id == b.id)).all()
    assert len(photos) == 3
    folder = uploads / "bookings" / str(b.id)
    for p in photos:
        assert "passwd" not in p.filename and "/" not in p.filename
        assert (folder / p.filename).is_file()
    assert sorted(p.content_type for p in photos) == ["image/jpeg", "image/png", "image/webp"]
    path, ctype = booking.photo_file(db, world.resident, photo_id=photos[0].id)
    assert path.read_bytes() == PNG and ctype == "image/png"  # a metadata-free PNG re-encodes to itself
    with pytest.raises(NotAllowed):
        booking.photo_file(db, world.resident2, photo_id=photos[0].id)
    detail = booking.booking_detail(db, world.resident, booking_id=b.id)
    assert detail.preferred_times == ["周六上午", "周日下午"] and len(detail.photos) == 3
    assert notes_of(db, world.resident, "booking.submitted")


@pytest.mark.parametrize(
    "photos,key",
    [
        ([("a.png", b"GIF89a" + b"\x00" * 20, "image/png")], "photo.error.type"),  # lies about type
        ([("a.gif", b"GIF89a" + b"\x00" * 20, "image/gif")], "photo.error.type"),
        ([("a.png", JPEG, "image/png")], "photo.error.type"),  # declared != content
        ([("a.png", PNG + b"\x00" * (5 * 1024 * 1024), "image/png")], "photo.error.too_large"),
        ([("a.png", PNG, "image/png")] * 4, "photo.error.too_many"),
        ([("a.png", "not bytes", "image/png")], "photo.error.type"),
        ([("a.png", PNG_MAGIC_ONLY, "image/png")], "photo.error.type"),  # a PNG header, garbage body
        ([("a.jpg", JPEG[: len(JPEG) // 2], "image/jpeg")], "photo.error.type"),  # cut short
        ([("a.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 64, "image/webp")], "photo.error.type"),
        ([("ok.png", PNG, "image/png"), ("bad.png", PNG_MAGIC_ONLY, "image/png")], "photo.error.type"),
    ],
)
def test_bad_photos_are_refused_and_nothing_is_saved(db, world, uploads, photos, key):
    stype = request_type(db, world.staff)
    with pytest.raises(ValidationError) as e:
        booking.request_service(db, world.resident, service_type_id=stype.id, description="漏水", photos=photos)
    assert e.value.key == key and e.value.field == "photos"
    assert count(db, Booking) == 0 and count(db, BookingPhoto) == 0
    assert not (uploads / "bookings").exists() or not any((uploads / "bookings").iterdir())


def _gps_exif(orientation: int = 6) -> Image.Exif:
    """What a phone writes: make, model, time, orientation and where the photo was taken."""
    exif = Image.Exif()
    exif[0x010F] = "Xiaomi"
    exif[0x0110] = "Redmi Note 12"
    exif[0x0132] = "2026:11:20 08:00:00"
    exif[0x0112] = orientation  # 6: the camera was held upright, the pixels lie on their side
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (34.0, 45.0, 30.0), 3: "E", 4: (113.0, 37.0, 10.0)})
    return exif


def _stored(db, booking_id: int) -> list[tuple[bytes, str]]:
    rows = db.exec(select(BookingPhoto).where(BookingPhoto.booking_id == booking_id).order_by(BookingPhoto.id)).all()
    return [(booking.photo_dir(booking_id).joinpath(p.filename).read_bytes(), p.content_type) for p in rows]


def test_photo_metadata_is_removed_gps_first(db, world, uploads):
    """A phone photo carries the GPS position of the resident's home: only pixels are kept."""
    stype = request_type(db, world.staff)
    jpeg = image_bytes("JPEG", (40, 20), exif=_gps_exif(), comment=b"Li Xiuying, 3-1-201",
                       icc_profile=b"phone-icc" * 4)
    assert Image.open(io.BytesIO(jpeg)).getexif().get_ifd(0x8825)  # the upload does carry a position
    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "34.7585,113.6197")
    png = image_bytes("PNG", (30, 10), pnginfo=info, exif=_gps_exif(orientation=1))
    webp = image_bytes("WEBP", (30, 10), exif=_gps_exif(orientation=1), xmp=b"<x:xmpmeta>GPS</x:xmpmeta>")
    b = booking.request_service(db, world.resident, service_type_id=stype.id, description="水管漏水",
                                photos=[("leak.jpg", jpeg, "image/jpeg"), ("b.png", png, "image/png"),
                                        ("c.webp", webp, "image/webp")])
    stored = _stored(db, b.id)
    assert [ctype for _, ctype in stored] == ["image/jpeg", "image/png", "image/webp"]
    for data, ctype in stored:
        for secret in (b"Exif", b"Xiaomi", b"Redmi", b"Li Xiuying", b"phone-icc", b"Location", b"34.7585",
                       b"xmpmeta", b"GPS"):
            assert secret not in data, (ctype, secret)
        with Image.open(io.BytesIO(data)) as img:
            assert img.format == {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}[ctype]
            assert len(img.getexif()) == 0
            assert not {"exif", "icc_profile", "comment", "xmp", "Location"} & set(img.info)
    # The orientation was applied before it was dropped: the photo is upright (20 wide, 40 high).
    with Image.open(io.BytesIO(stored[0][0])) as img:
        assert img.size == (20, 40)


def test_photo_with_a_colour_profile_keeps_its_colours_without_the_profile(db, world, uploads):
    stype = request_type(db, world.staff)
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    png = image_bytes("PNG", (12, 8), icc_profile=srgb)
    assert Image.open(io.BytesIO(png)).info.get("icc_profile")
    b = booking.request_service(db, world.resident, service_type_id=stype.id, description="墙皮脱落",
                                photos=[("wall.png", png, "image/png")])
    [(data, _)] = _stored(db, b.id)
    with Image.open(io.BytesIO(data)) as img:
        assert "icc_profile" not in img.info
        pixel = img.convert("RGB").getpixel((5, 5))
        assert all(abs(got - want) <= 2 for got, want in zip(pixel, (200, 40, 40), strict=True))


def test_big_photos_are_scaled_down_and_pixel_bombs_refused(db, world, uploads):
    stype = request_type(db, world.staff)
    wide = image_bytes("PNG", (3000, 1000))
    b = booking.request_service(db, world.resident, service_type_id=stype.id, description="路灯坏了",
                                photos=[("wide.png", wide, "image/png")])
    [(data, _)] = _stored(db, b.id)
    with Image.open(io.BytesIO(data)) as img:
        assert max(img.size) == booking.MAX_PHOTO_SIDE and img.size[1] in (853, 854)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    # A valid PNG header claiming 10000 x 8000 pixels in a few bytes: refused before decoding.
    bomb = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 10000, 8000, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))
    with pytest.raises(ValidationError) as e:
        booking.request_service(db, world.resident, service_type_id=stype.id, description="漏水",
                                photos=[("bomb.png", bomb, "image/png")])
    assert e.value.key == "photo.error.too_large" and e.value.field == "photos"
    assert count(db, Booking) == 1


def test_photos_booked_on_behalf_are_cleaned_too(db, world, uploads):
    stype = request_type(db, world.staff)
    jpeg = image_bytes("JPEG", (40, 20), exif=_gps_exif())
    b = booking.book_on_behalf(db, world.staff, resident_id=world.resident.resident_id,
                               service_type_id=stype.id, description="电视没有声音",
                               photos=[("tv.jpg", jpeg, "image/jpeg")])
    [(data, _)] = _stored(db, b.id)
    assert b"Exif" not in data and b"Xiaomi" not in data
    with pytest.raises(ValidationError) as e:
        booking.book_on_behalf(db, world.staff, resident_id=world.resident.resident_id,
                               service_type_id=stype.id, description="电视没有声音",
                               photos=[("tv.png", PNG_MAGIC_ONLY, "image/png")])
    assert e.value.key == "photo.error.type"
    with pytest.raises(NotAllowed):  # a resident cannot use 代办 (refused before any decoding)
        booking.book_on_behalf(db, world.resident, resident_id=world.resident2.resident_id,
                               service_type_id=stype.id, description="x", photos=[("tv.jpg", jpeg, "image/jpeg")])
    assert count(db, Booking) == 1 and count(db, BookingPhoto) == 1


def test_request_refusals(db, world, uploads):
    stype = request_type(db, world.staff)
    slot_t = slot_type(db, world.staff)
    with pytest.raises(ValidationError) as e:
        booking.request_service(db, world.resident, service_type_id=stype.id, description="  ")
    assert e.value.field == "description"
    with pytest.raises(ValidationError) as e:
        booking.request_service(db, world.resident, service_type_id=stype.id, description="x" * 1001)
    assert e.value.key == "booking.error.text_long"
    with pytest.raises(ValidationError) as e:
        booking.request_service(db, world.resident, service_type_id=slot_t.id, description="理发")
    assert e.value.key == "booking.error.not_request_type"
    with pytest.raises(ValidationError) as e:
        booking.request_service(db, world.resident, service_type_id=stype.id, description="漏水",
                                preferred_times=[f"时段{i}" for i in range(6)])
    assert e.value.field == "preferred_times"
    with pytest.raises(ValidationError) as e:
        booking.request_service(db, world.resident, service_type_id=stype.id, description="漏水", address=" ")
    assert e.value.field == "address"
    outsider = add_resident(db, world.other_community_id, "外社区居民", "13500000009")
    with pytest.raises(NotAllowed):
        booking.request_service(db, outsider, service_type_id=stype.id, description="漏水")
    assert count(db, Booking) == 0


def test_home_visit_request_refused_for_ineligible_resident(db, world):
    stype = request_type(db, world.staff, code="home_haircut", name="上门理发", category="haircut",
                         home_visit=True, eligible_care=["limited_mobility"], eligible_min_age=80)
    with pytest.raises(NotAllowed) as e:
        booking.request_service(db, world.resident, service_type_id=stype.id, description="想理发")
    assert e.value.key == "booking.error.not_eligible"
    db.add(ResidentCare(resident_id=world.resident.resident_id, category="limited_mobility"))
    db.commit()
    booking.request_service(db, world.resident, service_type_id=stype.id, description="想理发")


# --------------------------------------------------------------------------- the staff workflow


def test_request_lifecycle_timeline_and_rating(db, world):
    volunteer = add_resident(db, world.community_id, "刘师傅", "13600000008")
    db.add(RoleGrant(account_id=volunteer.account_id, role=Role.VOLUNTEER))
    db.commit()
    stype = request_type(db, world.staff)
    b = booking.request_service(db, world.resident, service_type_id=stype.id, description="电视没声音")
    booking.approve(db, world.staff, booking_id=b.id)
    visit = datetime.combine(datetime.now(SHANGHAI).date() + timedelta(days=3), time(14, 30))  # naive = local
    booking.assign(db, world.staff, booking_id=b.id, visit_at=visit, assignee_account_id=volunteer.account_id)
    db.refresh(b)
    assert b.status == BookingStatus.ASSIGNED and b.assignee_name == "刘师傅"
    assert b.scheduled_at == visit.replace(tzinfo=SHANGHAI).astimezone(UTC)
    [task] = notes_of(db, volunteer, "task.assigned")
    assert "电视" not in task.body and "邮电园小区" in task.body
    # The volunteer sees the booking (with the resident's mobile) and marks it done.
    detail = booking.booking_detail(db, volunteer, booking_id=b.id)
    assert detail.resident_mobile == "13800000001" and not detail.can_mark_done
    # Not before the day of the visit: the button is not offered and the service refuses it too.
    with pytest.raises(Conflict) as e:
        booking.mark_done(db, volunteer, booking_id=b.id, note="换了保险丝")
    assert e.value.key == "booking.error.not_yet"
    with travel(b.scheduled_at + timedelta(hours=1)):
        assert booking.booking_detail(db, volunteer, booking_id=b.id).can_mark_done
        booking.mark_done(db, volunteer, booking_id=b.id, note="换了保险丝")
    with pytest.raises(NotAllowed):
        booking.rate_booking(db, world.resident2, booking_id=b.id, rating=5)
    with pytest.raises(ValidationError):
        booking.rate_booking(db, world.resident, booking_id=b.id, rating=6)
    with pytest.raises(ValidationError):
        booking.rate_booking(db, world.resident, booking_id=b.id, rating=True)
    booking.rate_booking(db, world.resident, booking_id=b.id, rating=5, comment="刘师傅手艺好")
    with pytest.raises(Conflict) as e:
        booking.rate_booking(db, world.resident, booking_id=b.id, rating=4)
    assert e.value.key == "booking.error.already_rated"
    detail = booking.booking_detail(db, world.resident, booking_id=b.id)
    steps = [(s.status, s.actor_name) for s in detail.timeline]
    assert steps == [("submitted", "李秀英"), ("approved", "王主任"), ("assigned", "王主任"), ("done", "刘师傅")]
    assigned = detail.timeline[2]
    assert assigned.assignee_name == "刘师傅" and assigned.scheduled_at == b.scheduled_at
    assert detail.completion_note == "换了保险丝" and detail.summary.rating == 5 and not detail.can_rate
    assert detail.resident_mobile == ""  # the resident's own view does not need it
    kinds = [n.kind for n in notes_of(db, world.resident)]
    assert kinds == ["booking.submitted", "booking.approved", "booking.assigned", "booking.done"]
    actions = db.exec(select(AuditLog.action).where(AuditLog.target_type == "booking").order_by(AuditLog.id)).all()
    assert actions == ["booking.approve", "booking.assign", "booking.done"]


def test_rating_only_when_done(db, world):
    stype = request_type(db, world.staff)
    b = booking.request_service(db, world.resident, service_type_id=stype.id, description="漏水")
    with pytest.raises(Conflict) as e:
        booking.rate_booking(db, world.resident, booking_id=b.id, rating=3)
    assert e.value.key == "booking.error.not_done"


def test_decline_needs_a_reason_and_is_shown_to_the_resident(db, world):
    stype = request_type(db, world.staff)
    b = booking.request_service(db, world.resident, service_type_id=stype.id, description="修空调")
    with pytest.raises(ValidationError) as e:
        booking.decline(db, world.staff, booking_id=b.id, reason=" ")
    assert e.value.field == "reason"
    db.refresh(b)
    assert b.status == BookingStatus.SUBMITTED
    booking.decline(db, world.staff, booking_id=b.id, reason="空调需要专业人员,请联系厂家")
    [note] = notes_of(db, world.resident, "booking.declined")
    assert "专业人员" in note.body
    with pytest.raises(Conflict):
        booking.approve(db, world.staff, booking_id=b.id)


def test_residents_and_other_staff_cannot_run_the_workflow(db, world):
    stype = request_type(db, world.staff)
    b = booking.request_service(db, world.resident, service_type_id=stype.id, description="修灯")
    later = utcnow() + timedelta(days=1)
    for who in (world.resident, world.resident2, world.other_staff):
        with pytest.raises(NotAllowed):
            booking.approve(db, who, booking_id=b.id)
        with pytest.raises(NotAllowed):
            booking.decline(db, who, booking_id=b.id, reason="no")
        with pytest.raises(NotAllowed):
            booking.assign(db, who, booking_id=b.id, visit_at=later, assignee_name="某人")
        with pytest.raises(NotAllowed):
            booking.mark_done(db, who, booking_id=b.id)
        with pytest.raises(NotAllowed):
            booking.bulk_approve(db, who, booking_ids=[b.id])
    with pytest.raises(NotAllowed):
        booking.booking_detail(db, world.resident2, booking_id=b.id)
    with pytest.raises(NotAllowed):
        booking.booking_detail(db, world.other_staff, booking_id=b.id)
    db.refresh(b)
    assert b.status == BookingStatus.SUBMITTED
    assert db.exec(select(AuditLog).where(AuditLog.target_type == "booking")).first() is None


def test_assign_refusals(db, world):
    stype = request_type(db, world.staff)
    b = booking.request_service(db, world.resident, service_type_id=stype.id, description="修灯")
    later = utcnow() + timedelta(days=1)
    with pytest.raises(ValidationError) as e:
        booking.assign(db, world.staff, booking_id=b.id, visit_at=utcnow() - timedelta(minutes=1),
                       assignee_name="刘师傅")
    assert e.value.field == "visit_at"
    with pytest.raises(ValidationError) as e:
        booking.assign(db, world.staff, booking_id=b.id, visit_at=later)
    assert e.value.key == "booking.error.assignee_required"
    with pytest.raises(ValidationError) as e:  # a plain resident is not a volunteer
        booking.assign(db, world.staff, booking_id=b.id, visit_at=later,
                       assignee_account_id=world.resident2.account_id)
    assert e.value.field == "assignee_account_id"
    with pytest.raises(ValidationError) as e:  # staff of another community
        booking.assign(db, world.staff, booking_id=b.id, visit_at=later,
                       assignee_account_id=world.other_staff.account_id)
    other_team = Team(community_id=world.other_community_id, name="古城维修队")
    db.add(other_team)
    db.commit()
    with pytest.raises(ValidationError) as e:
        booking.assign(db, world.staff, booking_id=b.id, visit_at=later, team_id=other_team.id)
    assert e.value.field == "team_id"
    db.refresh(b)
    assert b.status == BookingStatus.SUBMITTED and b.scheduled_at is None
    # A team of the community is fine, and a submitted request is approved on the way.
    team = Team(community_id=world.community_id, name="夕阳维修队")
    db.add(team)
    db.commit()
    booking.assign(db, world.staff, booking_id=b.id, visit_at=later, team_id=team.id)
    db.refresh(b)
    assert b.assignee_name == "夕阳维修队" and b.assignee_team_id == team.id
    statuses = db.exec(select(BookingEvent.status).where(BookingEvent.booking_id == b.id)
                       .order_by(BookingEvent.id)).all()
    assert statuses == ["submitted", "approved", "assigned"]


def test_bulk_approve_is_all_or_nothing_across_communities(db, world):
    stype = request_type(db, world.staff)
    other_type = request_type(db, world.other_staff, code="repair2")
    outsider = add_resident(db, world.other_community_id, "外社区居民", "13500000009")
    a = booking.request_service(db, world.resident, service_type_id=stype.id, description="一")
    b = booking.request_service(db, world.resident2, service_type_id=stype.id, description="二")
    c = booking.request_service(db, world.resident2, service_type_id=stype.id, description="三")
    booking.decline(db, world.staff, booking_id=c.id, reason="重复")
    x = booking.request_service(db, outsider, service_type_id=other_type.id, description="外", address="古城小区1号楼")
    with pytest.raises(NotAllowed):
        booking.bulk_approve(db, world.staff, booking_ids=[a.id, x.id])
    db.refresh(a)
    assert a.status == BookingStatus.SUBMITTED
    result = booking.bulk_approve(db, world.staff, booking_ids=[a.id, b.id, c.id])
    assert result.approved == [a.id, b.id] and result.skipped == [c.id]
    with pytest.raises(NotFound):
        booking.bulk_approve(db, world.staff, booking_ids=[a.id, 999999])


def test_attended_no_show_and_day_sheet(db, world):
    stype = slot_type(db, world.staff)
    day, slots = make_day(db, stype, places=2)
    b1 = booking.book_slot(db, world.resident, slot_id=slots[0].id)
    b2 = booking.book_slot(db, world.resident2, slot_id=slots[0].id)
    r3 = add_resident(db, world.community_id, "赵桂兰", "13700000003")
    booking.join_waitlist(db, r3, slot_id=slots[0].id)
    with pytest.raises(Conflict) as e:
        booking.mark_no_show(db, world.staff, booking_id=b2.id)
    assert e.value.key == "booking.error.not_started"
    # The slot is tomorrow or later: nobody can have attended yet.
    assert [r.can_attend for r in booking.day_sheet(db, world.staff, day_id=day.id).slots[0].rows] == [False, False]
    with pytest.raises(Conflict) as e:
        booking.mark_attended(db, world.staff, booking_id=b1.id)
    assert e.value.key == "booking.error.not_yet"
    with travel(slots[0].starts_at - timedelta(minutes=30)):  # on the day, before the slot: attended is fine
        sheet = booking.day_sheet(db, world.staff, day_id=day.id)
        assert [(r.can_attend, r.can_no_show) for r in sheet.slots[0].rows] == [(True, False), (True, False)]
        booking.mark_attended(db, world.staff, booking_id=b1.id)
    # The slot's time comes: now a no-show can be recorded.
    b2.scheduled_at = utcnow() - timedelta(minutes=1)
    db.add(b2)
    db.commit()
    booking.mark_no_show(db, world.staff, booking_id=b2.id)
    with pytest.raises(NotAllowed):
        booking.mark_attended(db, world.other_staff, booking_id=b1.id)
    with pytest.raises(NotAllowed):
        booking.day_sheet(db, world.resident, day_id=day.id)
    with pytest.raises(NotAllowed):
        booking.day_sheet(db, world.other_staff, day_id=day.id)
    sheet = booking.day_sheet(db, world.staff, day_id=day.id)
    first = sheet.slots[0]
    assert [(r.resident_name, r.status) for r in first.rows] == [("李秀英", "done"), ("张建国", "no_show")]
    assert first.local_start == "09:00" and [w.resident_name for w in first.waiting] == ["赵桂兰"]
    assert taken(db, slots[0].id) == 2  # attended and no-show places stay used
    assert notes_of(db, world.resident2, "booking.no_show")


def test_walk_in_today_by_name_and_capacity_still_holds(db, world):
    stype = slot_type(db, world.staff)
    start = utcnow() - timedelta(minutes=5)
    if start.astimezone(SHANGHAI).date() != utcnow().astimezone(SHANGHAI).date():
        start = utcnow() + timedelta(minutes=1)  # just after local midnight
    _, slots = make_day(db, stype, first_start=start, places=1)
    b = booking.add_walk_in(db, world.staff, slot_id=slots[0].id, name="孙奶奶", mobile="13600001111")
    walker = db.get(Resident, b.resident_id)
    assert walker.name == "孙奶奶" and walker.community_id == world.community_id and b.on_behalf
    with pytest.raises(Conflict) as e:
        booking.add_walk_in(db, world.staff, slot_id=slots[0].id, resident_id=world.resident.resident_id)
    assert e.value.key == "booking.error.full"
    with pytest.raises(ValidationError):
        booking.add_walk_in(db, world.staff, slot_id=slots[1].id, name="")
    with pytest.raises(NotAllowed):
        booking.add_walk_in(db, world.resident, slot_id=slots[1].id, name="某人")
    assert db.exec(select(AuditLog).where(AuditLog.action == "booking.walk_in")).one().target_id == b.id
    # Walk-ins are for today's slots only.
    _, future = make_day(db, stype)
    with pytest.raises(Conflict) as e:
        booking.add_walk_in(db, world.staff, slot_id=future[0].id, resident_id=world.resident.resident_id)
    assert e.value.key == "booking.error.walk_in_today_only"


def test_book_on_behalf_slot_and_request(db, world, uploads):
    elder = add_resident(db, world.community_id, "周大爷", None, account=False, birth_year=1938)
    stype = slot_type(db, world.staff)
    rtype = request_type(db, world.staff)
    _, slots = make_day(db, stype)
    b = booking.book_on_behalf(db, world.staff, resident_id=elder.resident_id, slot_id=slots[0].id)
    assert b.on_behalf and b.created_by_account_id == world.staff.account_id
    [step] = booking.booking_detail(db, world.staff, booking_id=b.id).timeline
    assert (step.note_key, step.note, step.actor_name) == ("booking.note.on_behalf", "", "王主任")
    r = booking.book_on_behalf(db, world.staff, resident_id=elder.resident_id, service_type_id=rtype.id,
                               description="水管漏水", address="邮电园小区 9号楼101室")
    assert r.status == BookingStatus.SUBMITTED and r.address == "邮电园小区 9号楼101室"
    logs = db.exec(select(AuditLog).where(AuditLog.action == "booking.on_behalf")).all()
    assert {log.target_id for log in logs} == {b.id, r.id}
    assert count(db, Notification) == 0  # no account, nobody to tell: silently nothing
    with pytest.raises(ValidationError):
        booking.book_on_behalf(db, world.staff, resident_id=elder.resident_id, slot_id=slots[1].id,
                               service_type_id=rtype.id)
    with pytest.raises(NotAllowed):
        booking.book_on_behalf(db, world.other_staff, resident_id=elder.resident_id, slot_id=slots[1].id)
    with pytest.raises(NotAllowed):
        booking.book_on_behalf(db, world.resident, resident_id=world.resident2.resident_id, slot_id=slots[1].id)
    assert holding(db, slots[1].id) == 0


# --------------------------------------------------------------------------- views


def test_my_bookings_scopes(db, world):
    stype = slot_type(db, world.staff)
    _, slots = make_day(db, stype)
    a = booking.book_slot(db, world.resident, slot_id=slots[0].id)
    b = booking.book_slot(db, world.resident, slot_id=slots[1].id)
    booking.cancel_booking(db, world.resident, booking_id=b.id)
    booking.book_slot(db, world.resident2, slot_id=slots[2].id)
    active = booking.my_bookings(db, world.resident, scope="active")
    assert [s.id for s in active] == [a.id] and active[0].local_when.endswith("09:00")
    assert active[0].slot_number == 1 and active[0].service_name == "义剪"
    assert [s.id for s in booking.my_bookings(db, world.resident, scope="past")] == [b.id]
    assert [s.id for s in booking.my_bookings(db, world.resident)] == [a.id, b.id]
    with pytest.raises(ValidationError):
        booking.my_bookings(db, world.resident, scope="everything")


def test_my_past_bookings_come_a_page_at_a_time_newest_first(db, world):
    stype = request_type(db, world.staff)
    made = []
    for i in range(5):
        b = booking.request_service(db, world.resident, service_type_id=stype.id, description=f"第{i}次报修")
        booking.cancel_booking(db, world.resident, booking_id=b.id)
        made.append(b.id)
    booking.request_service(db, world.resident, service_type_id=stype.id, description="还没办")
    booking.request_service(db, world.resident2, service_type_id=stype.id, description="邻居的")
    assert booking.count_my_bookings(db, world.resident) == (1, 5)
    first_page = booking.my_bookings(db, world.resident, scope="past", limit=2)
    assert [s.id for s in first_page] == made[::-1][:2]
    assert [s.id for s in booking.my_bookings(db, world.resident, scope="past", limit=20)] == made[::-1]
    with pytest.raises(NotAllowed):
        booking.count_my_bookings(db, None)  # signed out


def test_staff_queue_filters_and_pages(db, world):
    grid = Grid(community_id=world.community_id, name="第一网格")
    db.add(grid)
    db.flush()
    micro = Grid(community_id=world.community_id, name="第一网格-1", parent_id=grid.id)
    db.add(micro)
    db.flush()
    household = db.get(Household, db.get(Resident, world.resident.resident_id).household_id)
    household.grid_id = micro.id
    db.add(household)
    db.commit()
    rtype = request_type(db, world.staff)
    stype = slot_type(db, world.staff)
    _, slots = make_day(db, stype)
    ids = [booking.request_service(db, world.resident2, service_type_id=rtype.id, description=f"问题{i}").id
           for i in range(3)]
    mine = booking.request_service(db, world.resident, service_type_id=rtype.id, description="我的问题")
    slot_b = booking.book_slot(db, world.resident, slot_id=slots[0].id)

    page = booking.staff_queue(db, world.staff, status="submitted", page_size=2)
    assert page.total == 4 and page.pages == 2 and [i.booking_id for i in page.items] == ids[:2]
    page2 = booking.staff_queue(db, world.staff, status="submitted", page_size=2, page=2)
    assert [i.booking_id for i in page2.items] == [ids[2], mine.id]
    by_grid = booking.staff_queue(db, world.staff, grid_id=grid.id)  # the grid includes its micro-grid
    assert {i.booking_id for i in by_grid.items} == {mine.id, slot_b.id}
    assert by_grid.items[0].grid_name == "第一网格-1"
    by_type = booking.staff_queue(db, world.staff, service_type_id=stype.id)
    assert [i.booking_id for i in by_type.items] == [slot_b.id]
    slot_day = slots[0].starts_at.astimezone(SHANGHAI).date()
    by_date = booking.staff_queue(db, world.staff, date_from=slot_day, date_to=slot_day)
    assert [i.booking_id for i in by_date.items] == [slot_b.id]
    assert booking.staff_queue(db, world.staff, kind="request").total == 4
    with pytest.raises(ValidationError):
        booking.staff_queue(db, world.staff, status="bogus")
    with pytest.raises(NotAllowed):
        booking.staff_queue(db, world.resident)
    with pytest.raises(NotAllowed):
        booking.staff_queue(db, world.other_staff, community_id=world.community_id)
    assert booking.staff_queue(db, world.other_staff).total == 0


def test_find_residents_by_name_mobile_and_address(db, world):
    add_resident(db, world.other_community_id, "李秀英", "13800009999")  # same name elsewhere
    by_name = booking.find_residents(db, world.staff, query="秀英")
    assert [m.name for m in by_name] == ["李秀英"] and by_name[0].address == "邮电园小区 3号楼1单元201室"
    assert by_name[0].has_account
    assert [m.name for m in booking.find_residents(db, world.staff, query="0000002")] == ["张建国"]
    assert [m.name for m in booking.find_residents(db, world.staff, query="3-1-202")] == ["张建国"]
    assert [m.name for m in booking.find_residents(db, world.staff, query="3号楼201")] == ["李秀英"]
    assert booking.find_residents(db, world.staff, query="%") == []
    assert booking.find_residents(db, world.staff, query="") == []
    with pytest.raises(NotAllowed):
        booking.find_residents(db, world.resident, query="张")
    assert booking.find_residents(db, world.other_staff, query="张建国") == []


def test_taken_always_equals_holding_bookings(db, world):
    r3 = add_resident(db, world.community_id, "赵桂兰", "13700000003")
    stype = slot_type(db, world.staff)
    _, slots = make_day(db, stype, places=2)
    s = slots[0].id
    a = booking.book_slot(db, world.resident, slot_id=s)
    booking.book_slot(db, world.resident2, slot_id=s)
    booking.join_waitlist(db, r3, slot_id=s)
    booking.cancel_booking(db, world.resident, booking_id=a.id)
    booking.book_slot(db, world.resident, slot_id=slots[1].id)
    for sid in (s, slots[1].id, slots[2].id):
        assert taken(db, sid) == holding(db, sid)
    assert taken(db, s) == 2


def test_day_in_another_zone_uses_that_zone(db, world):
    community = db.get(Community, world.community_id)
    community.timezone = "Europe/London"
    db.add(community)
    db.commit()
    stype = slot_type(db, world.staff)
    _, slots = make_day(db, stype)
    b = booking.book_slot(db, world.resident, slot_id=slots[0].id)
    summary = booking.my_bookings(db, world.resident)[0]
    assert summary.local_when == b.scheduled_at.astimezone(ZoneInfo("Europe/London")).strftime("%Y-%m-%d %H:%M")
    assert date.fromisoformat(summary.local_when[:10]) == b.scheduled_at.astimezone(ZoneInfo("Europe/London")).date()


# --------------------------------------------------------------------------- both databases


def test_the_whole_flow_on_sqlite_and_postgresql(any_db_url):
    """The PostgreSQL paths (row locks, ON CONFLICT, savepoints) run here too, one short
    session per step as the pages use them."""
    from community_app import db as dbmod
    from community_app.services import notifications
    from community_app.services.booking import ics
    from tests.conftest import build_world

    with dbmod.write_session() as s:
        world = build_world(s)
        r3 = add_resident(s, world.community_id, "赵桂兰", "13700000003")
        catalogue.ensure_default_catalogue(s, world.community_id)
        yijian = s.exec(select(ServiceType).where(ServiceType.code == "yijian",
                                                  ServiceType.community_id == world.community_id)).one()
        repair = s.exec(select(ServiceType).where(ServiceType.code == "appliance_repair",
                                                  ServiceType.community_id == world.community_id)).one()
    today = datetime.now(SHANGHAI).date()
    with dbmod.write_session() as s:
        assert catalogue.generate_days(s, today=today) > 0
    with dbmod.write_session() as s:
        assert catalogue.generate_days(s, today=today) == 0
    with dbmod.session() as s:
        day = catalogue.open_days(s, world.resident, service_type_id=yijian.id)[0]
    slot = day.slots[0]
    assert slot.capacity == 2 and slot.local_start == "09:00"
    with dbmod.write_session() as s:
        first = booking.book_slot(s, world.resident, slot_id=slot.id)
        booking.book_slot(s, world.resident2, slot_id=slot.id)
    with dbmod.write_session() as s, pytest.raises(Conflict) as e:
        booking.book_slot(s, r3, slot_id=slot.id)
    assert e.value.key == "booking.error.full"
    with dbmod.write_session() as s:
        booking.join_waitlist(s, r3, slot_id=slot.id)
    with dbmod.write_session() as s:
        booking.cancel_booking(s, world.resident, booking_id=first.id)
    with dbmod.session() as s:
        assert taken(s, slot.id) == 2 == holding(s, slot.id)
        [promoted] = booking.my_bookings(s, r3)
        assert promoted.status == "approved" and promoted.slot_id == slot.id
        assert booking.booking_detail(s, r3, booking_id=promoted.id).timeline[0].note_key == \
            "booking.note.waitlist"
        assert ics.booking_ics(s, r3, promoted.id).startswith("BEGIN:VCALENDAR\r\n")
    with dbmod.write_session() as s:
        booking.move_day(s, world.staff, day_id=day.id, new_day=day.day + timedelta(days=1), reason="调整")
    eve = datetime.combine(day.day, time(20), tzinfo=SHANGHAI)  # the evening before the new date
    with dbmod.write_session() as s:
        assert notifications.send_reminders(s, now=eve) == 2
    with dbmod.write_session() as s:
        assert notifications.send_reminders(s, now=eve) == 0
    with dbmod.write_session() as s:
        assert booking.cancel_day(s, world.staff, day_id=day.id, reason="理发师生病") == 2
    with dbmod.session() as s:
        assert taken(s, slot.id) == 0 == holding(s, slot.id)
    with dbmod.write_session() as s:
        req = booking.request_service(s, world.resident, service_type_id=repair.id, description="电视没声音")
    with dbmod.write_session() as s:
        assert booking.bulk_approve(s, world.staff, booking_ids=[req.id]).approved == [req.id]
    visit = utcnow() + timedelta(days=1)
    with dbmod.write_session() as s:
        booking.assign(s, world.staff, booking_id=req.id, visit_at=visit, assignee_name="夕阳维修队")
    with travel(visit + timedelta(hours=1)), dbmod.write_session() as s:
        booking.mark_done(s, world.staff, booking_id=req.id, note="修好了")
    with dbmod.write_session() as s:
        booking.rate_booking(s, world.resident, booking_id=req.id, rating=5)
    with dbmod.session() as s:
        page = booking.staff_queue(s, world.staff, status=["done", "cancelled"], newest_first=True)
        assert page.total == 4 and {i.status for i in page.items} == {"done", "cancelled"}
        assert [i.scheduled_at for i in page.items] == sorted((i.scheduled_at for i in page.items), reverse=True)
        assert notifications.unread_count(s, world.resident) >= 5


def test_assignable_accounts_are_volunteers_and_staff_of_own_community(db, world):
    db.add(RoleGrant(account_id=world.resident2.account_id, role=Role.VOLUNTEER))
    db.commit()
    names = {a.display_name for a in booking.assignable_accounts(db, world.staff)}
    assert names == {"王主任", "张建国"}  # staff + the volunteer; not the plain resident
    with pytest.raises(NotAllowed):
        booking.assignable_accounts(db, world.resident)


def test_generate_days_now_is_staff_only_and_audited(db, world):
    stype = slot_type(db, world.staff)
    catalogue.add_schedule(db, world.staff, service_type_id=stype.id, weekday=0, start_time=time(9, 0),
                           end_time=time(10, 0), slot_minutes=30, places_per_slot=2)
    with pytest.raises(NotAllowed):
        catalogue.generate_days_now(db, world.resident)
    n = catalogue.generate_days_now(db, world.staff)
    assert n >= 0
    assert db.exec(select(AuditLog).where(AuditLog.action == "service_day.generate")).one().actor_account_id \
        == world.staff.account_id


def test_staff_removing_a_waiting_resident_tells_them(db, world):
    stype = slot_type(db, world.staff)
    _, slots = make_day(db, stype, slots=1, places=1)
    booking.book_slot(db, world.resident, slot_id=slots[0].id)
    entry = booking.join_waitlist(db, world.resident2, slot_id=slots[0].id)
    before = db.exec(select(func.count(Notification.id))
                     .where(Notification.account_id == world.resident2.account_id)).one()
    booking.leave_waitlist(db, world.staff, entry_id=entry.id)
    notes = db.exec(select(Notification).where(Notification.account_id == world.resident2.account_id)
                    .order_by(Notification.id)).all()
    assert len(notes) == before + 1 and "候补" in notes[-1].title and "义剪" in notes[-1].body


def test_volunteer_sent_with_team_shows_both_names(db, world):
    stype = request_type(db, world.staff)
    db.add(RoleGrant(account_id=world.resident2.account_id, role=Role.VOLUNTEER))
    team = Team(community_id=world.community_id, name="夕阳维修队")
    db.add(team)
    db.commit()
    b = booking.request_service(db, world.resident, service_type_id=stype.id, description="电饭煲坏了")
    booking.approve(db, world.staff, booking_id=b.id)
    visit = datetime.now(SHANGHAI).replace(tzinfo=None, microsecond=0) + timedelta(days=2)
    booking.assign(db, world.staff, booking_id=b.id, visit_at=visit,
                   assignee_account_id=world.resident2.account_id, team_id=team.id)
    detail = booking.booking_detail(db, world.resident, booking_id=b.id)
    assert detail.summary.assignee_name == "张建国（夕阳维修队）"


def test_service_days_say_what_the_resident_may_do_in_each_slot(db, world):
    """The service decides the slot buttons: with one 义剪 a month used, other days of that month
    offer neither booking nor the waitlist; the booked slot shows as theirs."""
    stype = slot_type(db, world.staff, limit_count=1, limit_period="month")
    first = datetime.now(SHANGHAI).date() + timedelta(days=2)
    d1, s1 = make_day(db, stype, slots=2, places=1)
    # A second day in the same month when there is one, else the month of the first.
    second = first + timedelta(days=1) if (first + timedelta(days=1)).month == first.month else first - timedelta(days=1)
    if second <= datetime.now(SHANGHAI).date():
        second = first  # the first is the last usable day of its month: only one day to look at
    d2, s2 = (make_day(db, stype, slots=1, places=1,
                       first_start=datetime.combine(second, time(14, 0), tzinfo=SHANGHAI).astimezone(UTC))
              if second != first else (None, []))
    before = booking.service_days(db, world.resident, service_type_id=stype.id)
    assert all(o.can_book and not o.can_wait for d in before.days for o in d.slots)
    booking.book_slot(db, world.resident, slot_id=s1[0].id)
    booking.book_slot(db, world.resident2, slot_id=s1[1].id)  # s1[1] is now full
    after = booking.service_days(db, world.resident, service_type_id=stype.id)
    by_day = {d.day.id: d for d in after.days}
    day1 = by_day[d1.id]
    assert day1.mine and not day1.limit_used and day1.period is not None and day1.period.reached
    mine, full = day1.slots
    assert mine.slot.booked_by_me and not mine.can_book and not mine.can_wait
    assert not full.can_book and not full.can_wait  # the limit is used: no waitlist either
    if d2 is not None:
        day2 = by_day[d2.id]
        assert day2.limit_used and not day2.mine and not any(o.can_book or o.can_wait for o in day2.slots)
    # The other resident holds the second slot: their limit is used as well, nothing is offered.
    other = booking.service_days(db, world.resident2, service_type_id=stype.id)
    assert [(o.can_book, o.can_wait) for o in {d.day.id: d for d in other.days}[d1.id].slots] == [(False, False),
                                                                                                  (False, False)]


def test_no_promotion_after_the_cut_off_the_place_stays_free_for_a_direct_booking(db, world):
    """Decided rule: once the type's cancel cut-off has passed, a freed place does not go to the
    waitlist (the person promoted could no longer cancel in the app); it stays free, anyone may
    book it directly, and the line keeps waiting."""
    r3 = add_resident(db, world.community_id, "赵桂兰", "13700000003")
    stype = slot_type(db, world.staff, cancel_cutoff_minutes=120)
    _, slots = make_day(db, stype, places=1)
    s = slots[0]
    first = booking.book_slot(db, world.resident, slot_id=s.id)
    entry = booking.join_waitlist(db, world.resident2, slot_id=s.id)
    # 90 minutes before the slot: inside the cut-off. Staff cancel (the resident no longer can).
    with travel(s.starts_at - timedelta(minutes=90)):
        with pytest.raises(Conflict) as e:
            booking.cancel_booking(db, world.resident, booking_id=first.id)
        assert e.value.key == "booking.error.past_cutoff"
        booking.cancel_booking(db, world.staff, booking_id=first.id, reason="家里有事")
        db.refresh(entry)
        assert entry.status == "waiting" and entry.waiting_slot_id == s.id
        assert taken(db, s.id) == 0
        assert not notes_of(db, world.resident2, "booking.promoted")
        late = booking.book_slot(db, r3, slot_id=s.id)  # booked knowingly, after the cut-off
        assert late.status == BookingStatus.APPROVED and taken(db, s.id) == 1
    # Before the cut-off the same cancellation promotes the first in line.
    _, slots2 = make_day(db, stype, places=1, first_start=s.starts_at + timedelta(days=1))
    b = booking.book_slot(db, world.resident, slot_id=slots2[0].id)
    booking.join_waitlist(db, world.resident2, slot_id=slots2[0].id)
    booking.cancel_booking(db, world.resident, booking_id=b.id)
    assert [n.kind for n in notes_of(db, world.resident2, "booking.promoted")] == ["booking.promoted"]


def test_the_assignment_notification_opens_a_page_the_assignee_can_open(db, world):
    volunteer = add_resident(db, world.community_id, "刘师傅", "13600000008")
    db.add(RoleGrant(account_id=volunteer.account_id, role=Role.VOLUNTEER))
    db.commit()
    stype = request_type(db, world.staff)
    visit = datetime.combine(datetime.now(SHANGHAI).date() + timedelta(days=2), time(10))
    b1 = booking.request_service(db, world.resident, service_type_id=stype.id, description="灯不亮")
    booking.assign(db, world.staff, booking_id=b1.id, visit_at=visit, assignee_account_id=volunteer.account_id)
    b2 = booking.request_service(db, world.resident2, service_type_id=stype.id, description="水管漏")
    booking.assign(db, world.staff, booking_id=b2.id, visit_at=visit, assignee_account_id=world.staff.account_id)
    [to_volunteer] = notes_of(db, volunteer, "task.assigned")
    [to_staff] = notes_of(db, world.staff, "task.assigned")
    assert to_volunteer.link == f"/volunteer/tasks/{b1.id}"  # 我的任务
    assert to_staff.link == f"/staff/bookings?open={b2.id}"
    assert booking.booking_detail(db, volunteer, booking_id=b1.id).summary.id == b1.id


def test_pending_requests_are_on_the_staff_to_do_list(db, world):
    from community_app.services import todo

    stype = request_type(db, world.staff)
    for text in ("灯不亮", "门锁坏了"):
        booking.request_service(db, world.resident, service_type_id=stype.id, description=text)
    [item] = [i for i in todo.staff_todo(db, world.staff) if i.key == "bookings.pending"]
    assert item.count == 2 and item.link.startswith("/staff/bookings")
    assert not [i for i in todo.staff_todo(db, world.other_staff) if i.key == "bookings.pending"]
    with pytest.raises(NotAllowed):
        todo.staff_todo(db, world.resident)


def test_a_room_held_by_another_domain_keeps_its_hold_on_cancel_and_refuses_a_move(db, world):
    """A class or a mediation session holds room places through core.capacity: cancelling the
    day gives back only the bookings' places; moving the day is refused (it would move the room
    from under them)."""
    from community_app.services.core import capacity

    stype = slot_type(db, world.staff, code="room", name="活动室", category="room")
    day, slots = make_day(db, stype, slots=2, places=1)
    booking.book_slot(db, world.resident, slot_id=slots[0].id)
    assert capacity.take(db, ServiceSlot, slots[1].id)  # a class holds the second slot
    db.commit()
    with pytest.raises(Conflict) as e:
        booking.move_day(db, world.staff, day_id=day.id, new_day=day.day + timedelta(days=1))
    assert e.value.key == "booking.error.day_has_room_holds"
    assert booking.cancel_day(db, world.staff, day_id=day.id, reason="停水") == 1
    assert (taken(db, slots[0].id), taken(db, slots[1].id)) == (0, 1)


def test_a_resident_who_moved_out_cannot_be_booked(db, world):
    from community_app.models import Resident

    stype = slot_type(db, world.staff)
    _, slots = make_day(db, stype, places=1)
    r = db.get(Resident, world.resident2.resident_id)
    r.moved_out_at = utcnow()
    db.add(r)
    db.commit()
    for call in (lambda: booking.book_slot(db, world.resident2, slot_id=slots[0].id),
                 lambda: booking.book_on_behalf(db, world.staff, resident_id=r.id, slot_id=slots[0].id)):
        with pytest.raises(Conflict) as e:
            call()
        assert e.value.key == "booking.error.moved_out"
    assert taken(db, slots[0].id) == 0


def test_a_full_refusal_names_the_places_still_free_that_day(db, world):
    stype = slot_type(db, world.staff)
    _, slots = make_day(db, stype, slots=3, places=1)
    booking.book_slot(db, world.resident2, slot_id=slots[0].id)
    with pytest.raises(Conflict) as e:
        booking.book_slot(db, world.resident, slot_id=slots[0].id)
    assert e.value.key == "booking.error.full" and e.value.params["free"] == [slots[1].id, slots[2].id]
