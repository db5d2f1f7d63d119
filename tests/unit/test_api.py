"""The plain HTTP endpoints: a booking's photo and calendar file are as private as the booking."""

from __future__ import annotations

from starlette.testclient import TestClient

from community_app.api import api
from community_app.services import auth, booking
from community_app.state.base import SESSION_COOKIE
from tests.unit.test_booking import PNG, make_day, request_type, slot_type


def _client(db, mobile: str | None, password: str) -> TestClient:
    client = TestClient(api)
    if mobile:
        client.cookies.set(SESSION_COOKIE, auth.sign_in(db, mobile=mobile, password=password))
    return client


def test_photo_visible_to_owner_and_staff_only(db, world):
    stype = request_type(db, world.staff)
    b = booking.request_service(db, world.resident, service_type_id=stype.id, description="水管漏了",
                                photos=[("leak.png", PNG, "image/png")])
    photo_id = booking.booking_detail(db, world.resident, booking_id=b.id).photos[0].id
    url = f"/api/photo/{photo_id}"

    owner = _client(db, "13800000001", world.password).get(url)
    assert owner.status_code == 200 and owner.content == PNG
    assert owner.headers["content-type"].startswith("image/png")
    assert _client(db, "13900000001", world.password).get(url).status_code == 200  # staff
    assert _client(db, "13800000002", world.password).get(url).status_code in (403, 404)  # neighbour
    assert _client(db, "13900000002", world.password).get(url).status_code in (403, 404)  # other community
    assert _client(db, None, "").get(url).status_code == 401


def test_ics_for_own_confirmed_booking_only(db, world):
    stype = slot_type(db, world.staff)
    _, slots = make_day(db, stype)
    b = booking.book_slot(db, world.resident, slot_id=slots[0].id)
    url = f"/api/booking/{b.id}.ics"

    r = _client(db, "13800000001", world.password).get(url)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in r.text and "义剪" in r.text and "\r\n" in r.text
    assert _client(db, "13800000002", world.password).get(url).status_code in (403, 404)
    assert _client(db, None, "").get(url).status_code == 401


def test_revoked_session_cookie_is_refused(db, world):
    stype = slot_type(db, world.staff)
    _, slots = make_day(db, stype)
    b = booking.book_slot(db, world.resident, slot_id=slots[0].id)
    token = auth.sign_in(db, mobile="13800000001", password=world.password)
    auth.sign_out(db, token)
    client = TestClient(api)
    client.cookies.set(SESSION_COOKIE, token)
    assert client.get(f"/api/booking/{b.id}.ics").status_code == 401
