"""Capacity under load, on SQLite and on PostgreSQL: threads, each with its own session from
``db.write_session()``, released together by a barrier, hit the same slot (and, last, the
same one-time sign-in hand-over code)."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import func
from sqlmodel import select

from community_app import db as dbmod
from community_app.models import Booking, ServiceSlot, WaitlistEntry
from community_app.services import booking
from community_app.services.errors import Conflict
from tests.conftest import build_world
from tests.factories import add_resident, make_day, slot_type

pytestmark = pytest.mark.timeout(180)


def _setup(n_residents: int, *, places: int, slots: int = 1, **type_kw):
    with dbmod.write_session() as s:
        world = build_world(s)
        stype = slot_type(s, world.staff, **type_kw)
        _, slot_rows = make_day(s, stype, places=places, slots=slots)
        residents = [add_resident(s, world.community_id, f"居民{i}", f"137{i:08d}") for i in range(n_residents)]
        return world, stype, [r.id for r in slot_rows], residents


def _run_together(jobs):
    """Run each job in its own thread, all released by one barrier; returns one outcome per
    job: the value, a Conflict key, or the unexpected exception (which fails the test)."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[object] = [None] * len(jobs)

    def run(i, job):
        barrier.wait()
        try:
            with dbmod.write_session() as s:
                outcomes[i] = ("ok", job(s))
        except Conflict as e:
            outcomes[i] = ("conflict", e.key)
        except BaseException as e:  # noqa: BLE001 - reported below
            outcomes[i] = ("error", repr(e))

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=150)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    errors = [o for o in outcomes if o is None or o[0] == "error"]
    assert errors == [], errors
    return outcomes


def _slot_state(slot_id: int) -> tuple[int, int, int]:
    with dbmod.session() as s:
        slot = s.get(ServiceSlot, slot_id)
        held = s.exec(select(func.count(Booking.id)).where(Booking.holding_slot_id == slot_id)).one()
        return slot.taken, int(held), slot.capacity


def test_fifty_residents_tap_book_on_a_five_place_slot(any_db_url):
    _, _, [slot_id], residents = _setup(50, places=5)
    outcomes = _run_together([
        (lambda s, a=a: booking.book_slot(s, a, slot_id=slot_id).id) for a in residents
    ])
    kinds = Counter(o[0] if o[0] == "ok" else o[1] for o in outcomes)
    assert kinds == {"ok": 5, "booking.error.full": 45}
    assert _slot_state(slot_id) == (5, 5, 5)
    with dbmod.session() as s:
        owners = s.exec(select(Booking.resident_id).where(Booking.slot_id == slot_id)).all()
    assert len(owners) == len(set(owners)) == 5


def test_one_resident_tapping_many_times_gets_one_place(any_db_url):
    _, _, [slot_id], [resident] = _setup(1, places=5)
    outcomes = _run_together([(lambda s: booking.book_slot(s, resident, slot_id=slot_id).id)] * 10)
    kinds = Counter(o[0] if o[0] == "ok" else o[1] for o in outcomes)
    assert kinds == {"ok": 1, "booking.error.already_booked": 9}
    assert _slot_state(slot_id) == (1, 1, 5)


def test_monthly_limit_holds_when_one_resident_books_two_slots_at_once(any_db_url):
    _, _, slot_ids, [resident] = _setup(1, places=5, slots=6, limit_count=1, limit_period="month")
    outcomes = _run_together([(lambda s, sid=sid: booking.book_slot(s, resident, slot_id=sid).id)
                              for sid in slot_ids])
    kinds = Counter(o[0] if o[0] == "ok" else o[1] for o in outcomes)
    assert kinds == {"ok": 1, "booking.error.limit_month": 5}
    with dbmod.session() as s:
        assert s.exec(select(func.sum(ServiceSlot.taken)).where(ServiceSlot.id.in_(slot_ids))).one() == 1


def test_cancellations_bookings_and_waitlist_at_once_keep_the_count_exact(any_db_url):
    world, _, [slot_id], residents = _setup(20, places=5)
    holders, waiters, newcomers = residents[:5], residents[5:8], residents[8:]
    booked = {}
    with dbmod.write_session() as s:
        for a in holders:
            booked[a.resident_id] = booking.book_slot(s, a, slot_id=slot_id).id
        for a in waiters:
            booking.join_waitlist(s, a, slot_id=slot_id)
    jobs = [(lambda s, a=a: booking.cancel_booking(s, a, booking_id=booked[a.resident_id]).id) for a in holders]
    jobs += [(lambda s, a=a: booking.book_slot(s, a, slot_id=slot_id).id) for a in newcomers]
    outcomes = _run_together(jobs)
    assert all(o[0] == "ok" for o in outcomes[:5])  # every cancellation went through
    new_ok = sum(1 for o in outcomes[5:] if o[0] == "ok")
    assert all(o[1] == "booking.error.full" for o in outcomes[5:] if o[0] != "ok")
    taken, held, capacity = _slot_state(slot_id)
    assert taken == held <= capacity
    with dbmod.session() as s:
        promoted = s.exec(select(func.count(WaitlistEntry.id)).where(WaitlistEntry.status == "promoted")).one()
        still_waiting = s.exec(select(func.count(WaitlistEntry.id)).where(
            WaitlistEntry.waiting_slot_id.is_not(None))).one()
        owners = s.exec(select(Booking.resident_id).where(Booking.holding_slot_id == slot_id)).all()
    assert len(owners) == len(set(owners))
    # Each of the 5 freed places went to a waiting resident or a newcomer, never twice.
    assert held == promoted + new_ok
    # Every cancellation promoted a waiting resident while there was one.
    assert promoted == 3 and still_waiting == 0


def test_concurrent_cancel_of_the_same_booking_frees_one_place(any_db_url):
    _, _, [slot_id], [a] = _setup(1, places=3)
    with dbmod.write_session() as s:
        booking_id = booking.book_slot(s, a, slot_id=slot_id).id
    outcomes = _run_together([(lambda s: booking.cancel_booking(s, a, booking_id=booking_id).id)] * 8)
    kinds = Counter(o[0] if o[0] == "ok" else o[1] for o in outcomes)
    assert kinds == {"ok": 1, "booking.error.not_cancellable": 7}
    assert _slot_state(slot_id) == (0, 0, 3)



def test_one_sign_in_hand_over_claimed_at_once_from_many_requests_gives_one_cookie(any_db_url):
    """A double-tapped or replayed /api/session/claim link: exactly one request gets a
    session token, the others get nothing, on both databases."""
    from community_app.services import auth

    here = auth.client_key("10.0.0.9")
    with dbmod.write_session() as s:
        world = build_world(s)
        code = auth.handoff(s, auth.sign_in(s, mobile="13800000001", password=world.password, client_key=here), "n")
    outcomes = _run_together([(lambda s: auth.claim(s, code, here, "n")) for _ in range(12)])
    tokens = [value for kind, value in outcomes if kind == "ok" and value]
    assert len(tokens) == 1
    with dbmod.session() as s:
        assert auth.resolve_session(s, tokens[0]).account_id == world.resident.account_id
