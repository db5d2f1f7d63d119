"""Nothing lost when the backend dies (issue 7, point 8): a booking rush runs in a process of
its own, which is killed with SIGKILL in the middle (several times, at random moments) and
started again. Afterwards every booking that was acknowledged is there, none is half
written (each has its slot held and its timeline entry), and every slot's counter equals
the places really held, never above capacity. On SQLite (WAL) and PostgreSQL."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

from sqlalchemy import func
from sqlmodel import select

from community_app import db as dbmod
from community_app.models import ACTIVE_STATUSES, Booking, BookingEvent, ServiceSlot
from community_app.settings import PROJECT_ROOT
from tests.conftest import build_world
from tests.unit.test_booking import add_resident, make_day, slot_type

KILLS = 4
RESIDENTS = 90
FAULTS: dict[str, int] = {}


def _start(url: str, community_id: int, slot_ids: list[int], people: list[tuple[int, int]]):
    env = dict(os.environ, DATABASE_URL=url, PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-m", "tests.unit.crash_worker", str(community_id), ",".join(map(str, slot_ids)),
         ",".join(f"{r}:{a}" for r, a in people)],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )


def test_sigkill_in_the_middle_of_a_booking_rush_loses_nothing(any_db_url):
    kind = "sqlite" if any_db_url.startswith("sqlite") else "postgres"
    with dbmod.write_session() as s:
        world = build_world(s)
        stype = slot_type(s, world.staff)
        _day, slots = make_day(s, stype, slots=4, places=15)  # 60 places for 90 residents
        slot_ids = [x.id for x in slots]
        capacity = {x.id: x.capacity for x in slots}
        people = []
        for i in range(RESIDENTS):
            actor = add_resident(s, world.community_id, f"居民{i}", f"1350000{i:04d}")
            people.append((actor.resident_id, actor.account_id))
    dbmod.reset_engine()

    acked: dict[int, tuple[int, int]] = {}  # booking id -> (resident, slot)
    answered: set[int] = set()
    rng = random.Random(7)
    kills = 0
    for round_no in range(KILLS + 1):
        todo = [p for p in people if p[0] not in answered]
        proc = _start(any_db_url, world.community_id, slot_ids, todo)
        kill_after = rng.randint(3, 12) if round_no < KILLS else None
        seen = 0
        for line in proc.stdout:
            parts = line.split()
            if parts and parts[0] == "ACK":
                acked[int(parts[1])] = (int(parts[2]), int(parts[3]))
                answered.add(int(parts[2]))
            elif parts and parts[0] == "REFUSED":
                answered.add(int(parts[1]))
            seen += 1
            if kill_after is not None and seen >= kill_after:
                os.kill(proc.pid, signal.SIGKILL)  # mid-rush: other threads are inside transactions
                kills += 1
                break
        proc.stdout.close()
        proc.wait(30)
        if kill_after is not None:
            assert proc.returncode == -signal.SIGKILL
        time.sleep(0.1)
    assert kills == KILLS and len(acked) >= 20

    with dbmod.session() as s:
        bookings = {b.id: b for b in s.exec(select(Booking).where(Booking.service_type_id == stype.id)).all()}
        for booking_id, (resident_id, slot_id) in acked.items():  # every acknowledged booking is there
            b = bookings.get(booking_id)
            assert b is not None, f"acknowledged booking {booking_id} lost"
            assert b.resident_id == resident_id and b.holding_slot_id == slot_id and b.status in ACTIVE_STATUSES
        for b in bookings.values():  # none half-written: a place held and a timeline entry each
            assert b.holding_slot_id is not None
            assert s.exec(select(func.count(BookingEvent.id)).where(BookingEvent.booking_id == b.id)).one() >= 1
        for slot in s.exec(select(ServiceSlot).where(ServiceSlot.id.in_(slot_ids))).all():
            held = s.exec(select(func.count(Booking.id)).where(Booking.holding_slot_id == slot.id)).one()
            assert slot.taken == held <= capacity[slot.id] == slot.capacity, (slot.id, slot.taken, held)
        per_resident = s.exec(select(Booking.resident_id, func.count(Booking.id))
                              .where(Booking.service_type_id == stype.id).group_by(Booking.resident_id)).all()
        assert all(n == 1 for _r, n in per_resident)
    FAULTS[kind] = kills
    print(f"\ncrash ({kind}): {kills} SIGKILLs, {len(acked)} acknowledged bookings all found, "
          f"{len(bookings)} bookings checked, slots intact")
