"""Reflex states are public endpoints: any handler can be called by any browser with any
arguments. These tests call handlers directly (Reflex allows it under pytest) with a
resident's session and hostile arguments, and check that nothing changes."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import reflex as rx
from reflex.istate.data import RouterData
from sqlmodel import select

from community_app.models import AuditLog, Booking
from community_app.routes import safe_next
from community_app.services import auth, booking
from community_app.services.auth import SESSION_COOKIE
from community_app.state.base import AppState
from community_app.state.bookings.my_bookings import BookingsState
from community_app.state.bookings.staff_queue import StaffQueueState
from community_app.state.staff import StaffAccountsState, StaffHomeState
from tests.factories import request_type
from tests.unit.state_harness import run_handler, state_for

_state = state_for
_run = run_handler


def test_resident_calling_staff_password_reset_changes_nothing(db, world):
    token = auth.sign_in(db, mobile="13800000001", password=world.password)
    state = _state(StaffAccountsState, token)
    state.reset_target_id = str(world.resident2.account_id)
    _run(StaffAccountsState.confirm_reset, state, {"new_password": "hijacked by neighbour"})
    assert auth.sign_in(db, mobile="13800000002", password=world.password)  # old password still works
    assert db.exec(select(AuditLog)).all() == []


def test_resident_calling_staff_account_creation_creates_nothing(db, world):
    token = auth.sign_in(db, mobile="13800000001", password=world.password)
    state = _state(StaffAccountsState, token)
    state.compound_id = str(world.compound_id)
    _run(StaffAccountsState.create_account, state,
         {"name": "假账号", "mobile": "13611112222", "password": "some long password", "building": "1", "room": "1"})
    assert state.message  # a clear refusal for the form
    assert db.exec(select(AuditLog)).all() == []


def test_resident_cannot_approve_a_neighbours_request_or_see_the_overview(db, world):
    stype = request_type(db, world.staff)
    pending = booking.request_service(db, world.resident2, service_type_id=stype.id, description="下水道堵了")
    token = auth.sign_in(db, mobile="13800000001", password=world.password)
    home = _state(StaffHomeState, token)
    _run(StaffHomeState.load, home)
    assert home.stats == [] and home.community_name == ""
    queue = _state(StaffQueueState, token)
    for hostile in (str(pending.id), "not-a-number", {"$ne": 1}, None):
        _run(StaffQueueState.approve, queue, hostile)
    db.expire_all()
    assert db.get(Booking, pending.id).status == "submitted"
    assert queue.rows == []  # nothing of the queue reached the resident's browser


def test_signed_out_token_is_treated_as_anonymous(db, world):
    token = auth.sign_in(db, mobile="13900000001", password=world.password)
    auth.sign_out(db, token)
    home = _state(StaffHomeState, token)
    _run(StaffHomeState.load, home)
    assert home.stats == []


def test_sign_in_next_parameter_never_leaves_the_site():
    assert safe_next("/bookings/3") == "/bookings/3"
    for hostile in ("https://evil.example", "//evil.example", "/\\evil.example", "/login", "/login/", "/signup/?x=1", "/login?next=/",
                    "", "javascript:alert(1)", "/ok\r\nSet-Cookie: x=1", None):
        assert safe_next(hostile) == ""


def test_parse_id_accepts_only_positive_ids_whatever_the_browser_sends():
    from community_app.state.base import parse_id

    assert parse_id("42") == 42 and parse_id(" 7 ") == 7 and parse_id(3) == 3
    for hostile in ("0", "-1", "1e3", "١٢", "12a", "", " ", None, True, 0, -5, 2**70, "9" * 16,
                    {"$ne": 1}, [1], 1.5):
        assert parse_id(hostile) is None, hostile


def test_staff_session_in_the_cookie_header_is_recognised(db, world):
    """The positive control for the refusals above: the same path with a staff cookie works."""
    auth.staff_create_account(db, world.staff, mobile="13600001111", password="temporary pass 1", name="孙奶奶",
                              address=auth.Address(world.compound_id, "7", "1", "102"))
    token = auth.sign_in(db, mobile="13900000001", password=world.password)
    home = _state(StaffHomeState, token)
    _run(StaffHomeState.load, home)
    assert home.community_name != "" and home.stats != []
    # The latest staff action, at the community's local time (stored in UTC).
    latest = db.exec(select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert home.recent[0]["when"] == latest.created_at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%m-%d %H:%M")


def test_handed_off_token_and_its_code_sign_nobody_in(db, world):
    token = auth.sign_in(db, mobile="13900000001", password=world.password)
    code = auth.handoff(db, token, "nonce")
    for value in (token, code):
        home = _state(StaffHomeState, value)
        _run(StaffHomeState.load, home)
        assert home.stats == []


def test_past_bookings_page_shows_twenty_then_the_rest_on_request(db, world):
    stype = request_type(db, world.staff)
    for i in range(23):
        b = booking.request_service(db, world.resident, service_type_id=stype.id, description=f"第{i}次")
        booking.cancel_booking(db, world.resident, booking_id=b.id)
    page = _state(BookingsState, auth.sign_in(db, mobile="13800000001", password=world.password))
    _run(BookingsState.load, page)
    assert (len(page.past), page.past_total, page.past_more) == (20, 23, 3)
    # Cancelled before a time was set: the card says when it was sent, not "waiting for a time".
    assert page.past[0].when.startswith("今天") and page.past[0].when.endswith("提交")
    _run(BookingsState.show_more_past, page)
    assert (len(page.past), page.past_more) == (23, 0)



def test_page_guard_does_not_resend_the_language_or_elder_mode_on_every_page(db, world):
    """A changed locale resends the whole translation table (~60 KB) to the phone: the page
    guard must only touch it when the account's language really differs."""
    token = auth.sign_in(db, mobile="13900000001", password=world.password)
    root = rx.State()  # the whole tree: dirty marks travel to the substates that depend on them
    root.router = RouterData.from_router_data({"headers": {"cookie": f"{SESSION_COOKIE}={token}"}})
    app_state = root.get_substate(AppState.get_full_name().split(".")[1:])
    _run(AppState.require_staff, app_state)
    app_state.dirty_vars.clear()
    _run(AppState.require_staff, app_state)
    assert not {"locale", "elder"} & app_state.dirty_vars
    auth.set_preferences(db, auth.resolve_session(db, token), locale="en")
    _run(AppState.require_staff, app_state)
    assert "locale" in app_state.dirty_vars and app_state.locale == "en"
