"""首页's state (issue 12, item 1), run as the browser runs it (tests/unit/state_harness.py):
the 预约义剪 tile leads to the 义剪 page, the next booking shows with what the service lets the
resident do (取消 until the cutoff), the last done visit asks for stars, and the actions take
only the booking shown (any other id sent from the browser does nothing)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import community_app.community_app  # noqa: F401  (every page, so every state, as in the app)
from community_app.models import Booking, BookingStatus, utcnow
from community_app.services import auth, booking
from community_app.state.home import HomeState
from tests.factories import make_day, request_type, slot_type
from tests.unit.state_harness import run_handler, state_for

STATE = Path(__file__).resolve().parents[2] / "community_app" / "state" / "home.py"


def _run(db, handler, state, *args):
    db.commit()  # the test's session holds no transaction (SQLite's one write lock)
    return run_handler(handler, state, *args)


def _home(db, world):
    token = auth.sign_in(db, mobile="13800000001", password=world.password)
    page = state_for(HomeState, token, "/", whole_tree=True)  # the bell's count reaches other states
    _run(db, HomeState.load, page)
    assert page.loaded
    return page


def test_nothing_booked_the_tile_opens_the_haircut_page(db, world):
    stype = slot_type(db, world.staff)
    page = _home(db, world)
    assert page.haircut_href == f"/services/{stype.id}"
    assert not page.has_next and not page.has_rate


def test_no_haircut_offered_the_tile_opens_the_services(db, world):
    page = _home(db, world)
    assert page.haircut_href == "/services"


def test_next_booking_with_cancel_and_only_that_one_cancelled(db, world):
    stype = slot_type(db, world.staff)
    _, slots = make_day(db, stype, places=2)
    mine = booking.book_slot(db, world.resident, slot_id=slots[1].id)
    other = booking.book_slot(db, world.resident2, slot_id=slots[0].id)
    page = _home(db, world)
    assert page.has_next and page.next.id == mine.id and page.next.href == f"/bookings/{mine.id}"
    assert page.next.can_cancel and page.next.cancel_until
    assert page.next.service_name == "义剪" and page.next.status == "approved"

    _run(db, HomeState.confirm_cancel, page, other.id)  # another resident's booking: nothing happens
    _run(db, HomeState.confirm_cancel, page, "1 or 1=1")
    db.expire_all()
    assert db.get(Booking, other.id).status == BookingStatus.APPROVED
    assert db.get(Booking, mine.id).status == BookingStatus.APPROVED

    _run(db, HomeState.open_cancel, page)
    assert page.cancel_open
    _run(db, HomeState.confirm_cancel, page, mine.id)
    db.expire_all()
    assert db.get(Booking, mine.id).status == BookingStatus.CANCELLED
    assert not page.has_next and not page.cancel_open


def test_past_the_cutoff_no_cancel_button(db, world):
    stype = slot_type(db, world.staff, cancel_cutoff_minutes=120)
    _, slots = make_day(db, stype, first_start=utcnow() + timedelta(minutes=60), places=1)
    booking.book_slot(db, world.resident, slot_id=slots[0].id)
    page = _home(db, world)
    assert page.has_next and not page.next.can_cancel
    _run(db, HomeState.open_cancel, page)
    assert not page.cancel_open


def test_stars_for_the_last_done_visit(db, world):
    rtype = request_type(db, world.staff)
    b = booking.book_on_behalf(db, world.staff, resident_id=world.resident.resident_id, service_type_id=rtype.id,
                               description="水龙头漏水")
    booking.approve(db, world.staff, booking_id=b.id)
    booking.mark_done(db, world.staff, booking_id=b.id, note="换了阀芯")
    page = _home(db, world)
    assert page.has_rate and page.rate.id == b.id

    _run(db, HomeState.submit_rating, page, b.id)  # no star yet: asked for one, nothing saved
    assert page.rate_error
    _run(db, HomeState.set_rating, page, 9)
    assert page.rate_value == 0
    _run(db, HomeState.set_rating, page, 4)
    _run(db, HomeState.submit_rating, page, b.id + 1000)  # not the booking shown: nothing
    db.expire_all()
    assert db.get(Booking, b.id).rating is None
    _run(db, HomeState.submit_rating, page, b.id)
    db.expire_all()
    assert db.get(Booking, b.id).rating == 4
    assert not page.has_rate


def test_home_state_reaches_the_database_only_through_the_runner():
    text = STATE.read_text("utf-8")
    assert "db.session(" not in text and "write_session(" not in text and "_actor()" not in text
