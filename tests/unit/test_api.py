"""The plain HTTP endpoints: the HttpOnly session cookie (claimed with a sign-in's one-time
code, cleared on sign-out); a booking's photo and calendar file are as private as the booking."""

from __future__ import annotations

from starlette.testclient import TestClient

from community_app.api import api
from community_app.services import auth, booking
from community_app.services.auth import NONCE_COOKIE, SESSION_COOKIE
from tests.factories import PNG, make_day, request_type, slot_type


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


NONCE = "nonce-of-this-browser"


def _browser(nonce: str = NONCE) -> TestClient:
    """A browser that loaded a page of the app (so it has its nonce cookie)."""
    client = TestClient(api, follow_redirects=False)
    if nonce:
        client.cookies.set(NONCE_COOKIE, nonce)
    return client


def _handoff(db, world, mobile="13800000001", ip="testclient") -> str:
    token = auth.sign_in(db, mobile=mobile, password=world.password, client_key=auth.client_key(ip))
    return auth.handoff(db, token, NONCE)


def test_claim_sets_an_httponly_strict_cookie_once_and_goes_on_to_next(db, world):
    code = _handoff(db, world)
    client = _browser()
    r = client.get("/api/session/claim", params={"code": code, "next": "/bookings/7"})
    assert r.status_code == 303 and r.headers["location"] == "/bookings/7"
    set_cookie = r.headers["set-cookie"]
    assert set_cookie.startswith(f"{SESSION_COOKIE}=")
    for flag in ("HttpOnly", "SameSite=strict", "Path=/", "Max-Age="):
        assert flag.lower() in set_cookie.lower()
    assert r.headers["cache-control"] == "no-store"
    token = client.cookies.get(SESSION_COOKIE)
    assert auth.resolve_session(db, token).account_id == world.resident.account_id
    db.rollback()  # end the test's own transaction before the app writes again
    # The code is spent: a second try (a replayed link) sets nothing and goes to sign-in.
    again = _browser().get("/api/session/claim", params={"code": code, "next": "/"})
    assert again.status_code == 303 and again.headers["location"] == "/login?again=1"
    assert "set-cookie" not in again.headers


def test_claim_never_sends_the_browser_to_another_site(db, world):
    for hostile in ("https://evil.example/", "//evil.example", "/\\evil.example", "/login"):
        r = _browser().get(
            "/api/session/claim", params={"code": _handoff(db, world), "next": hostile})
        assert r.status_code == 303 and r.headers["location"] == "/"


def test_claim_from_another_client_is_refused(db, world):
    code = _handoff(db, world, ip="10.1.2.3")  # opened over the websocket from another address
    r = _browser().get("/api/session/claim", params={"code": code})
    assert r.headers["location"] == "/login?again=1" and "set-cookie" not in r.headers


def test_session_end_revokes_and_clears_the_cookie_and_needs_post(db, world):
    client = _browser()
    client.get("/api/session/claim", params={"code": _handoff(db, world), "next": "/"})
    token = client.cookies.get(SESSION_COOKIE)
    assert client.get("/api/session/end").status_code == 405  # a link or image cannot sign you out
    assert auth.resolve_session(db, token) is not None
    db.rollback()
    r = client.post("/api/session/end")
    assert r.status_code == 204
    assert auth.resolve_session(db, token) is None
    assert f'{SESSION_COOKIE}=""' in r.headers["set-cookie"] or "Max-Age=0" in r.headers["set-cookie"]


def test_claim_from_another_browser_on_the_same_network_is_refused(db, world):
    """A victim opening the attacker's hand-over link (same address: same Wi-Fi) is not
    signed in as the attacker: the code is bound to the attacker's browser (nonce cookie)."""
    code = _handoff(db, world)
    for nonce in ("", "victims-own-nonce"):
        r = _browser(nonce).get("/api/session/claim", params={"code": code, "next": "/"})
        assert r.headers["location"] == "/login?again=1" and "set-cookie" not in r.headers
    assert _browser().get("/api/session/claim", params={"code": code}).headers["location"] == "/"


def test_nonce_endpoint_sets_an_httponly_strict_cookie_once(db):
    r = TestClient(api).post("/api/session/nonce")
    assert r.status_code == 204
    cookie = r.headers["set-cookie"].lower()
    assert cookie.startswith(NONCE_COOKIE) and "httponly" in cookie and "samesite=strict" in cookie
    assert "set-cookie" not in _browser().post("/api/session/nonce").headers  # kept when present


def test_photo_is_never_cached(db, world):
    stype = request_type(db, world.staff)
    b = booking.request_service(db, world.resident, service_type_id=stype.id, description="水管漏了",
                                photos=[("leak.png", PNG, "image/png")])
    photo_id = booking.booking_detail(db, world.resident, booking_id=b.id).photos[0].id
    r = _client(db, "13800000001", world.password).get(f"/api/photo/{photo_id}")
    assert r.status_code == 200 and r.headers["cache-control"] == "private, no-store"


def test_behind_a_trusted_proxy_the_claim_keys_on_the_forwarded_address(db, world, monkeypatch):
    """TRUSTED_PROXY_HOPS=1: the address is the entry the proxy appended (rightmost); what the
    client itself put to the left of it is ignored, and IPv6 counts by /64."""
    from community_app.settings import reset_settings

    monkeypatch.setenv("TRUSTED_PROXY_HOPS", "1")
    reset_settings()
    code = _handoff(db, world, ip="2408:8207:1851:3f40::1")  # opened over the websocket, via the proxy
    db.rollback()
    spoofed = _browser().get("/api/session/claim", params={"code": code},
                             headers={"X-Forwarded-For": "2408:8207:1851:3f40::1, 10.9.9.9"})
    assert spoofed.headers["location"] == "/login?again=1"
    ok = _browser().get("/api/session/claim", params={"code": code},
                        headers={"X-Forwarded-For": "6.6.6.6, 2408:8207:1851:3f40:aaaa::7"})  # same /64
    assert ok.headers["location"] == "/" and SESSION_COOKIE in ok.headers["set-cookie"]
