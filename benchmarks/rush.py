"""The "26th at 08:00" rush: many residents tap "book" for the free haircut day at once.

Runs through the service layer (``services.booking.book_slot``, each attempt in its own
``db.write_session()``) with real concurrency (threads by default, or processes), on a fresh
SQLite file migrated with Alembic (default) or on a fresh database created beside
``--database-url`` (PostgreSQL). A resident whose slot is full looks at the open slots
(``catalogue.open_days``) and tries a free one, until there is none left: then they are
refused. (A "full" refusal names the day's slots that still have a place, as the page shows
them; ``catalogue.day_slots`` is the refresh when it does not.) In the same run, the same residents and workers hit an identical set of slots with
nothing but the raw conditional UPDATE (the floor), so the service layer's cost is visible.

Both are measured warm, as a server is when the rush starts: one untimed rush of each kind
first, then ``--rounds`` timed rounds of a service rush and a floor rush (each on a day of its
own, with residents of their own), the order alternating.

    python benchmarks/rush.py --residents 500 --places 40 [--database-url URL]
        [--workers 32] [--mode thread|process] [--chairs 2] [--seed 26] [--rounds 3]

The last line is ``taken=<n> capacity=<n> refused=<n> rate=<bookings/s> p50_ms=<x>
p95_ms=<y> ratio=<service rate / raw rate>`` for the service layer (medians over the rounds;
the ratio is the median of each round's ratio); the exit status is 1 when taken != capacity
in any round (or the bookings, the counter and the refusals disagree).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import queue
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time as clock
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The rush is about booking; residents never sign in here, so no password hashing is needed.
RESIDENT_HASH = "!benchmark-no-sign-in"


# --------------------------------------------------------------------------- database setup


def _use(url: str) -> None:
    from community_app import db as dbmod
    from community_app.settings import reset_settings

    os.environ["DATABASE_URL"] = url
    reset_settings()
    dbmod.reset_engine()


def migrate(url: str) -> None:
    """``alembic upgrade head`` programmatically, as tests/conftest.py does."""
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "alembic"))
    cfg.attributes["skip_logging"] = True
    _use(url)
    command.upgrade(cfg, "head")
    _use(url)


@dataclass
class Database:
    url: str
    label: str
    cleanup: list = field(default_factory=list)

    def close(self) -> None:
        from community_app import db as dbmod

        dbmod.reset_engine()
        for fn in reversed(self.cleanup):
            try:
                fn()
            except Exception as e:  # noqa: BLE001 - best effort
                print(f"cleanup: {e}", file=sys.stderr)


def prepare_database(url: str | None) -> Database:
    if not url:
        folder = Path(tempfile.mkdtemp(prefix="rush-"))
        path = folder / "rush.db"
        database = Database(f"sqlite:///{path}", f"sqlite {path}")
        database.cleanup.append(lambda: shutil.rmtree(folder, ignore_errors=True))
        migrate(database.url)
        return database
    if url.startswith("sqlite"):
        migrate(url)
        return Database(url, f"sqlite {url}")
    from sqlalchemy import create_engine, text

    name = "rush_" + uuid.uuid4().hex[:10]
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as e:  # noqa: BLE001 - no CREATEDB: use the given database as it is
        admin.dispose()
        print(f"note: cannot create a scratch database ({type(e).__name__}); using {url} itself", file=sys.stderr)
        migrate(url)
        return Database(url, f"postgresql {url.rsplit('@', 1)[-1]}")
    scratch = url.rsplit("/", 1)[0] + "/" + name

    def drop():
        from community_app import db as dbmod

        dbmod.reset_engine()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    database = Database(scratch, f"postgresql {scratch.rsplit('@', 1)[-1]}", [drop])
    migrate(scratch)
    return database


# --------------------------------------------------------------------------- seed


@dataclass
class World:
    community_id: int
    service_type_id: int
    service_day: date
    actors: list  # services.access.Actor, one per resident


def next_26th(zone: ZoneInfo) -> date:
    today = datetime.now(zone).date()
    d = today.replace(day=26)
    if d <= today:
        d = (d.replace(day=1) + timedelta(days=32)).replace(day=26)
    return d


def seed(residents: int) -> World:
    from sqlalchemy import insert, select

    from community_app import db as dbmod
    from community_app.models import (
        Account,
        Community,
        Compound,
        Household,
        Resident,
        Role,
        RoleGrant,
        ServiceType,
    )
    from community_app.services import catalogue
    from community_app.services.access import Actor

    with dbmod.write_session() as s:
        community = Community(code="rush-" + uuid.uuid4().hex[:6], name="压力测试社区", hotline="0371-00000000")
        s.add(community)
        s.flush()
        compound = Compound(community_id=community.id, name="邮电园小区")
        s.add(compound)
        s.flush()
        s.execute(insert(Household), [
            dict(community_id=community.id, compound_id=compound.id, building=str(1 + i // 100), unit="1",
                 room=str(101 + i % 100)) for i in range(residents)
        ])
        households = s.execute(select(Household.id).where(Household.compound_id == compound.id)
                               .order_by(Household.id)).scalars().all()
        s.execute(insert(Resident), [
            dict(community_id=community.id, household_id=households[i], name=f"居民{i:04d}",
                 mobile=f"139{i:08d}", birth_year=1950 + i % 30, gender="", note="") for i in range(residents)
        ])
        resident_ids = s.execute(select(Resident.id).where(Resident.community_id == community.id)
                                 .order_by(Resident.id)).scalars().all()
        s.execute(insert(Account), [
            dict(mobile=f"139{i:08d}", password_hash=RESIDENT_HASH, display_name=f"居民{i:04d}",
                 community_id=community.id, resident_id=rid, is_active=True, elder_mode=False, locale="zh_CN",
                 failed_logins=0) for i, rid in enumerate(resident_ids)
        ])
        accounts = dict(s.execute(select(Account.resident_id, Account.id)
                                  .where(Account.community_id == community.id)).all())
        s.execute(insert(RoleGrant), [dict(account_id=a, role=Role.RESIDENT) for a in accounts.values()])
        s.commit()
        catalogue.ensure_default_catalogue(s, community.id)
        type_id = s.execute(select(ServiceType.id).where(ServiceType.community_id == community.id,
                                                         ServiceType.code == "yijian")).scalar_one()
        zone = catalogue.community_zone(s, community.id)
        actors = [
            Actor(account_id=accounts[rid], community_id=community.id, display_name=f"居民{i:04d}",
                  resident_id=rid, roles=frozenset({Role.RESIDENT}))
            for i, rid in enumerate(resident_ids)
        ]
        return World(community.id, type_id, next_26th(zone), actors)


def make_day(world: World, places: int, chairs: int) -> tuple[int, list[int]]:
    """One service day on the 26th from 09:00, 15-minute slots of ``chairs`` places (the
    last slot takes the remainder) adding up to ``places``."""
    from sqlmodel import select

    from community_app import db as dbmod
    from community_app.models import ServiceDay, ServiceSlot
    from community_app.services import catalogue

    with dbmod.write_session() as s:
        zone = catalogue.community_zone(s, world.community_id)
        # Each run gets its own day so the floor and the service rush never share slots.
        existing = s.exec(select(ServiceDay).where(ServiceDay.service_type_id == world.service_type_id)).all()
        day = ServiceDay(service_type_id=world.service_type_id, day=world.service_day + timedelta(days=len(existing)),
                         location="老年活动中心")
        s.add(day)
        s.flush()
        start = catalogue.local_to_utc(day.day, time(9, 0), zone)
        ids = []
        left, number = places, 1
        while left > 0:
            cap = min(chairs, left)
            slot = ServiceSlot(service_day_id=day.id, service_type_id=world.service_type_id, number=number,
                               starts_at=start + timedelta(minutes=15 * (number - 1)),
                               ends_at=start + timedelta(minutes=15 * number), capacity=cap)
            s.add(slot)
            s.flush()
            ids.append(slot.id)
            left -= cap
            number += 1
        s.commit()
        return day.id, ids


# --------------------------------------------------------------------------- one resident's attempts


@dataclass
class Outcome:
    booked: bool
    attempts: int
    latencies_ms: list[float]


def service_resident(actor, slot_ids: list[int], day_id: int, service_type_id: int, rng: random.Random) -> Outcome:
    """Tap a random slot; when full, look at what is free and tap again, until booked or
    nothing is free."""
    from community_app import db as dbmod
    from community_app.services import booking, catalogue
    from community_app.services.errors import Conflict

    latencies = []
    target = rng.choice(slot_ids)
    while True:
        t0 = clock.perf_counter()
        free = None
        try:
            with dbmod.session() as s:  # book_slot takes the write lock itself when it writes
                booking.book_slot(s, actor, slot_id=target)
            latencies.append((clock.perf_counter() - t0) * 1000)
            return Outcome(True, len(latencies), latencies)
        except Conflict as e:
            latencies.append((clock.perf_counter() - t0) * 1000)
            if e.key != "booking.error.full":
                raise RuntimeError(f"unexpected refusal {e.key}") from e
            free = e.params.get("free")  # the refusal says which places of the day are still free
        if free is None:
            with dbmod.session() as s:  # else the page refreshes the day's slots
                free = [slot.id for slot in catalogue.day_slots(s, actor, day_id=day_id) if slot.free > 0]
        if not free:
            return Outcome(False, len(latencies), latencies)
        target = rng.choice(free)


def floor_resident(_actor, slot_ids: list[int], day_id: int, _type_id: int, rng: random.Random) -> Outcome:
    """The same taps with nothing but the conditional UPDATE (and a plain read of the free
    slots): the cost of the database itself."""
    from sqlalchemy import text

    from community_app import db as dbmod

    engine = dbmod.get_write_engine()
    latencies = []
    target = rng.choice(slot_ids)
    while True:
        t0 = clock.perf_counter()
        with engine.begin() as conn:
            got = conn.execute(
                text("UPDATE serviceslot SET taken = taken + 1 WHERE id = :id AND taken < capacity"),
                {"id": target},
            ).rowcount == 1
        latencies.append((clock.perf_counter() - t0) * 1000)
        if got:
            return Outcome(True, len(latencies), latencies)
        with dbmod.get_engine().connect() as conn:
            free = conn.execute(text("SELECT id FROM serviceslot WHERE service_day_id = :d AND taken < capacity"),
                                {"d": day_id}).scalars().all()
            conn.rollback()
        if not free:
            return Outcome(False, len(latencies), latencies)
        target = rng.choice(free)


RUNNERS = {"service": service_resident, "floor": floor_resident}


# --------------------------------------------------------------------------- concurrency


def _drain(kind: str, work: queue.Queue, slot_ids, day_id, type_id, seed: int, results: list) -> None:
    rng = random.Random(seed)
    runner = RUNNERS[kind]
    while True:
        try:
            actor = work.get_nowait()
        except queue.Empty:
            return
        results.append(runner(actor, slot_ids, day_id, type_id, rng))


def run_threads(kind: str, actors, slot_ids, day_id, type_id, workers: int, seed: int) -> tuple[list[Outcome], float]:
    work: queue.Queue = queue.Queue()
    for a in actors:
        work.put(a)
    results: list[Outcome] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(workers + 1)

    def worker(i):
        barrier.wait()
        try:
            _drain(kind, work, slot_ids, day_id, type_id, seed * 1000 + i, results)
        except BaseException as e:  # noqa: BLE001 - reported after the run
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = clock.perf_counter()
    for t in threads:
        t.join()
    wall = clock.perf_counter() - t0
    if errors:
        raise errors[0]
    return results, wall


def _process_main(url, kind, actors, slot_ids, day_id, type_id, seed, threads, barrier, out) -> None:
    _use(url)
    try:
        work: queue.Queue = queue.Queue()
        for a in actors:
            work.put(a)
        results: list[Outcome] = []
        barrier.wait()
        inner = [threading.Thread(target=_drain, args=(kind, work, slot_ids, day_id, type_id, seed * 100 + i,
                                                       results)) for i in range(threads)]
        for t in inner:
            t.start()
        for t in inner:
            t.join()
        out.put(("ok", [(r.booked, r.attempts, r.latencies_ms) for r in results]))
    except BaseException as e:  # noqa: BLE001
        out.put(("error", repr(e)))


def run_processes(url, kind, actors, slot_ids, day_id, type_id, workers, seed) -> tuple[list[Outcome], float]:
    """``workers`` processes, each with one thread per resident share up to 4 (so the total
    concurrency stays close to the thread mode's)."""
    ctx = mp.get_context("spawn")
    procs = max(1, min(workers, os.cpu_count() or 1, 8))
    per_proc = max(1, workers // procs)
    barrier = ctx.Barrier(procs + 1)
    out = ctx.Queue()
    chunks = [actors[i::procs] for i in range(procs)]
    ps = [ctx.Process(target=_process_main, args=(url, kind, chunk, slot_ids, day_id, type_id, seed * 10 + i,
                                                  per_proc, barrier, out)) for i, chunk in enumerate(chunks)]
    for p in ps:
        p.start()
    barrier.wait()
    t0 = clock.perf_counter()
    results: list[Outcome] = []
    for _ in ps:
        status, payload = out.get()
        if status != "ok":
            raise RuntimeError(payload)
        results += [Outcome(*r) for r in payload]
    wall = clock.perf_counter() - t0
    for p in ps:
        p.join()
    return results, wall


# --------------------------------------------------------------------------- figures


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


@dataclass
class Figures:
    booked: int
    refused: int
    attempts: int
    wall_s: float
    p50: float
    p95: float

    @property
    def rate(self) -> float:
        return self.booked / self.wall_s if self.wall_s else 0.0


def figures(results: list[Outcome], wall: float) -> Figures:
    lat = [x for r in results for x in r.latencies_ms]
    return Figures(sum(r.booked for r in results), sum(not r.booked for r in results),
                   sum(r.attempts for r in results), wall, percentile(lat, 0.5), percentile(lat, 0.95))


def slot_totals(slot_ids: list[int]) -> tuple[int, int, int]:
    from sqlalchemy import func
    from sqlmodel import select

    from community_app import db as dbmod
    from community_app.models import Booking, ServiceSlot

    with dbmod.session() as s:
        taken, capacity = s.exec(select(func.sum(ServiceSlot.taken), func.sum(ServiceSlot.capacity))
                                 .where(ServiceSlot.id.in_(slot_ids))).one()
        holding = s.exec(select(func.count(Booking.id)).where(Booking.holding_slot_id.in_(slot_ids))).one()
    return int(taken or 0), int(capacity or 0), int(holding)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=500)
    parser.add_argument("--places", type=int, default=40)
    parser.add_argument("--chairs", type=int, default=2, help="places per 15-minute slot")
    parser.add_argument("--workers", type=int, default=32, help="concurrent residents tapping at once")
    parser.add_argument("--mode", choices=("thread", "process"), default="thread")
    parser.add_argument("--database-url", default=os.environ.get("RUSH_DATABASE_URL", ""))
    parser.add_argument("--seed", type=int, default=26)
    parser.add_argument("--rounds", type=int, default=3,
                        help="timed rounds (a service rush and a floor rush each, order alternating); medians")
    args = parser.parse_args(argv)
    if min(args.residents, args.places, args.chairs, args.workers, args.rounds) < 1:
        parser.error("--residents, --places, --chairs, --workers and --rounds must be positive")
    os.environ.setdefault("APP_ENV", "bench")

    database = prepare_database(args.database_url or None)
    try:
        # A fresh group of residents for each round (and the warm-up): one booking a month each.
        world = seed(args.residents * (args.rounds + 1))
        workers = min(args.workers, args.residents)
        n_slots = -(-args.places // args.chairs)
        print(f"rush: {database.label}")
        print(f"rush: {args.residents} residents, {args.places} places in {n_slots} slots of {args.chairs}, "
              f"{workers} {args.mode}{'s' if workers > 1 else ''} tapping at once, from day {world.service_day}, "
              f"{args.rounds} round{'s' if args.rounds > 1 else ''} after a warm-up")

        def rush(kind: str, group: int):
            day_id, slot_ids = make_day(world, args.places, args.chairs)
            actors = world.actors[group * args.residents:(group + 1) * args.residents]
            random.Random(args.seed).shuffle(actors)
            if args.mode == "thread":
                results, wall = run_threads(kind, actors, slot_ids, day_id, world.service_type_id, workers, args.seed)
            else:
                results, wall = run_processes(database.url, kind, actors, slot_ids, day_id, world.service_type_id,
                                              workers, args.seed)
            return figures(results, wall), slot_ids

        # A server is warm when the rush starts: the first rush of each kind in a process pays for
        # the connection pool, statement compilation and lazy imports (a quarter of the service's
        # wall time, measured), and whichever kind ran second got the other's warm-up for free.
        for kind in ("service", "floor"):
            rush(kind, args.rounds)
        ok, lines, ratios, service_rates, latencies = True, [], [], [], []
        for r in range(args.rounds):
            kinds = ("service", "floor") if r % 2 == 0 else ("floor", "service")  # neither always first
            got = {kind: rush(kind, r) for kind in kinds}
            (service, service_slots), (floor, floor_slots) = got["service"], got["floor"]
            taken, capacity, holding = slot_totals(service_slots)
            floor_taken, floor_capacity, _ = slot_totals(floor_slots)
            for name, f, t in (("service", service, taken), ("floor", floor, floor_taken)):
                print(f"round {r + 1} {name:8s} taken={t} refused={f.refused} attempts={f.attempts} "
                      f"wall_s={f.wall_s:.3f} rate={f.rate:.1f} p50_ms={f.p50:.2f} p95_ms={f.p95:.2f}")
            round_ok = (taken == capacity == holding == service.booked
                        and service.refused == args.residents - capacity and floor_taken == floor_capacity)
            if not round_ok:
                print(f"MISMATCH in round {r + 1}: taken={taken} capacity={capacity} holding_bookings={holding} "
                      f"booked={service.booked} floor_taken={floor_taken}/{floor_capacity}", file=sys.stderr)
            ok = ok and round_ok
            ratios.append(service.rate / floor.rate if floor.rate else 0.0)
            service_rates.append(service.rate)
            latencies.append((service.p50, service.p95, floor.p50))
            lines.append((taken, capacity, service.refused))
        ratio = statistics.median(ratios)
        p50 = statistics.median(x[0] for x in latencies)
        p95 = statistics.median(x[1] for x in latencies)
        floor_p50 = statistics.median(x[2] for x in latencies)
        print(f"ratio: one booking through the service layer takes {p50 / floor_p50 if floor_p50 else float('inf'):.2f}x "
              f"the raw conditional UPDATE (p50); per round the service rushes at "
              + ", ".join(f"{x:.2f}" for x in ratios) + " of the floor's rate")
        taken, capacity, refused = lines[-1]
        print(f"taken={taken} capacity={capacity} refused={refused} rate={statistics.median(service_rates):.1f} "
              f"p50_ms={p50:.2f} p95_ms={p95:.2f} ratio={ratio:.2f}")
        return 0 if ok else 1
    finally:
        database.close()


if __name__ == "__main__":
    sys.exit(main())
