"""A district on one deployment: 100 communities, 500,000 residents, 2 million bookings (plus their
households, grids, care categories, accounts, 诉求, 民情日记 and points), then the server time of
the two pages a district's staff open all day: the staff home (to-do list + the month in numbers
per grid + the community's figures) and a register search, beside hand-written SQL that computes
the same numbers (the floor).

    python benchmarks/district.py [--scale 1.0] [--database-url URL] [--keep PATH] [--runs 15]

SQLite by default (a file under /tmp), PostgreSQL with ``--database-url`` (a fresh database is
made beside it and dropped afterwards unless ``--keep``). ``--scale 0.1`` builds a tenth of it;
``--keep PATH`` (a database name with ``--database-url``) builds once and reuses it at the same scale. Rows go in with bulk
inserts (no services: the services are what is measured). Target: each page <= 300 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.district_sql import HAND_SQL  # noqa: E402
from benchmarks.rush import migrate  # noqa: E402

CHUNK = 20_000
CARE = ("elderly", "living_alone", "disabled", "hardship", "child", "limited_mobility", "pregnant")
SERVICE_TYPES = ("义剪", "上门理发", "家电维修", "燃气灶维修和安全检查", "水管和下水道维修", "理发室")
STATUSES = ["done"] * 14 + ["submitted", "approved", "assigned", "cancelled", "declined", "no_show"]
REQUEST_CATEGORIES = ("lighting", "road", "facility", "fire_risk", "water", "sanitation", "noise", "parking")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "秀英 桂兰 建国 国强 志明 丽华 海燕 建军 晓东 婷 浩 子轩 梓涵 淑珍 玉兰 德明 红梅 春生".split()


def _insert(conn, table, rows: list[dict]) -> None:
    for i in range(0, len(rows), CHUNK):
        conn.execute(table.insert(), rows[i:i + CHUNK])


def build(url: str, communities: int, residents: int, bookings: int, seed: int = 7) -> dict:
    """Bulk-load the district; returns what it made."""
    from sqlalchemy import text

    from community_app import db as dbmod
    from community_app.models import (
        Account,
        Booking,
        Building,
        Community,
        Compound,
        DiaryEntry,
        Grid,
        Household,
        PointsEntry,
        Resident,
        ResidentCare,
        ResidentRequest,
        Role,
        RoleGrant,
        ServiceType,
        utcnow,
    )

    rng = random.Random(seed)
    now = utcnow()
    per_c = residents // communities
    made = {"communities": communities, "residents": 0, "bookings": 0}
    ids = {"account": 0, "resident": 0, "household": 0, "grid": 0, "building": 0, "compound": 0, "stype": 0}

    def next_id(kind: str) -> int:
        ids[kind] += 1
        return ids[kind]

    engine = dbmod.get_write_engine()
    t0 = time.perf_counter()
    for c in range(1, communities + 1):
        with engine.begin() as conn:
            conn.execute(Community.__table__.insert(), [dict(id=c, code=f"c{c:03d}", name=f"第{c}社区",
                                                             sub_district="东风街道", timezone="Asia/Shanghai",
                                                             created_at=now - timedelta(days=800))])
            compounds = [dict(id=next_id("compound"), community_id=c, name=f"小区{k}") for k in range(1, 5)]
            _insert(conn, Compound.__table__, compounds)
            tops = [dict(id=next_id("grid"), community_id=c, parent_id=None, name=f"第{g}网格", leader_name="网格长",
                         leader_phone="") for g in (1, 2, 3)]
            micros = [dict(id=next_id("grid"), community_id=c, parent_id=tops[m % 3]["id"], name=f"{m + 1}号微网格",
                           leader_name="微网格长", leader_phone="") for m in range(29)]
            _insert(conn, Grid.__table__, tops + micros)
            buildings = [dict(id=next_id("building"), community_id=c, compound_id=compounds[m % 4]["id"],
                              name=str(m // 4 + 1), grid_id=micros[m]["id"]) for m in range(29)]
            _insert(conn, Building.__table__, buildings)
            households, people, care, accounts, grants = [], [], [], [], []
            h_count = per_c * 2 // 5
            for h in range(h_count):
                b, k = buildings[h % 29], h // 29  # the k-th household of its building
                households.append(dict(id=next_id("household"), community_id=c, compound_id=b["compound_id"],
                                       grid_id=b["grid_id"], building=b["name"], unit=str(k % 3 + 1),
                                       room=f"{k // 3 // 4 + 1}{k // 3 % 4 + 1:02d}"))
            for p in range(per_c):
                hh = households[p % h_count]
                rid = next_id("resident")
                year = rng.randint(1935, 2022)
                mobile = f"1{rng.choice('3589')}{rid:09d}" if year < 2008 and rng.random() < 0.8 else None
                people.append(dict(id=rid, community_id=c, household_id=hh["id"], name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                                   mobile=mobile, birth_year=year, gender=rng.choice("男女"), note="",
                                   created_at=now - timedelta(days=700)))
                cats = set()
                if year <= 1961:
                    cats.add("elderly")
                    if rng.random() < 0.25:
                        cats.add("living_alone")
                if rng.random() < 0.04:
                    cats.add(rng.choice(("disabled", "hardship", "limited_mobility")))
                if year >= 2013:
                    cats.add("child")
                care += [dict(resident_id=rid, category=k) for k in cats]
                if mobile and rng.random() < 0.2:
                    aid = next_id("account")
                    accounts.append(dict(id=aid, mobile=mobile, password_hash="!bench", display_name=people[-1]["name"],
                                         community_id=c, resident_id=rid, is_active=True, elder_mode=False, locale="zh_CN",
                                         failed_logins=0, created_at=now))
                    grants.append(dict(account_id=aid, role=Role.RESIDENT, community_id=None, created_at=now))
            for s in range(3):  # staff: a secretary, a worker and a grid worker of 第一网格
                aid = next_id("account")
                accounts.append(dict(id=aid, mobile=f"19{c:03d}{s:06d}", password_hash="!bench", display_name=f"工作人员{s}",
                                     community_id=c, resident_id=None, is_active=True, elder_mode=False, locale="zh_CN",
                                     failed_logins=0, created_at=now))
                grants.append(dict(account_id=aid, role=Role.STAFF, community_id=c, created_at=now,
                                   grid_id=tops[0]["id"] if s == 2 else None))
            _insert(conn, Household.__table__, households)
            _insert(conn, Resident.__table__, people)
            _insert(conn, ResidentCare.__table__, care)
            _insert(conn, Account.__table__, accounts)
            _insert(conn, RoleGrant.__table__, [{**g, "grid_id": g.get("grid_id")} for g in grants])
            stypes = [dict(id=next_id("stype"), community_id=c, code=f"s{k}", name=n, kind="request", category="other",
                           icon="wrench", home_visit=False, eligible_care="", cancel_cutoff_minutes=120, contact_phone="",
                           location="", active=True, description="", created_at=now)
                      for k, n in enumerate(SERVICE_TYPES)]
            _insert(conn, ServiceType.__table__, stypes)
            _community_rows(conn, rng, c, now, people, households, stypes, accounts[-3]["id"],
                            bookings // communities, Booking, ResidentRequest, DiaryEntry, PointsEntry)
        made["residents"] += per_c
        made["bookings"] += bookings // communities
        if c % 10 == 0:
            print(f"  built {c}/{communities} communities ({time.perf_counter() - t0:.0f} s)", flush=True)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            for table in ("account", "resident", "household", "grid", "building", "compound", "servicetype",
                          "community"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"))
        conn.execute(text("ANALYZE"))
    made["seconds"] = round(time.perf_counter() - t0)
    return made


def _community_rows(conn, rng, c, now, people, households, stypes, staff_id, n_bookings, Booking, ResidentRequest,
                    DiaryEntry, PointsEntry) -> None:
    """A community's two years of bookings, 诉求, diary entries and points."""
    rows = []
    for _ in range(n_bookings):
        p = rng.choice(people)
        at = now - timedelta(minutes=rng.randrange(730 * 24 * 60))
        status = rng.choice(STATUSES)
        rows.append(dict(community_id=c, service_type_id=rng.choice(stypes)["id"], resident_id=p["id"], status=status,
                         description="", preferred_times="", address="", scheduled_at=at, assignee_name="",
                         decline_reason="", completion_note="", rating=rng.randint(3, 5) if status == "done" and
                         rng.random() < 0.5 else None, rating_comment="", on_behalf=False, created_at=at - timedelta(days=2),
                         updated_at=at))
    _insert(conn, Booking.__table__, rows)
    grid_of = {h["id"]: h["grid_id"] for h in households}
    reqs = []
    for _ in range(500):
        p = rng.choice(people)
        at = now - timedelta(minutes=rng.randrange(730 * 24 * 60))
        urgent = rng.random() < 0.05
        answered = at < now - timedelta(days=2) or rng.random() < 0.5
        solved = answered and rng.random() < 0.8
        reqs.append(dict(community_id=c, resident_id=p["id"], kind="report", category=rng.choice(REQUEST_CATEGORIES),
                         description="路灯不亮", location="楼下", urgent=urgent and answered,
                         status="closed" if solved else ("responded" if answered else "new"),
                         grid_id=grid_of[p["household_id"]], on_behalf=False, created_at=at,
                         due_at=at + (timedelta(minutes=10) if urgent else timedelta(days=1)),
                         responded_at=at + timedelta(hours=1) if answered else None,
                         solved_at=at + timedelta(days=2) if solved else None,
                         closed_at=at + timedelta(days=3) if solved else None, close_reason="",
                         rating=rng.randint(3, 5) if solved and rng.random() < 0.4 else None, rating_comment="",
                         updated_at=at))
    _insert(conn, ResidentRequest.__table__, reqs)
    diary = [dict(community_id=c, author_account_id=staff_id, household_id=rng.choice(households)["id"], kind="visit",
                  body="入户走访", created_at=now - timedelta(days=rng.randrange(400))) for _ in range(1000)]
    _insert(conn, DiaryEntry.__table__, diary)
    points = [dict(community_id=c, resident_id=rng.choice(people)["id"], delta=rng.choice((5, 10, 20, -30, -50)),
                   reason="志愿服务", created_at=now - timedelta(days=rng.randrange(730))) for _ in range(2000)]
    _insert(conn, PointsEntry.__table__, points)


# --------------------------------------------------------------------------- measuring


def _timed(fn, runs: int) -> tuple[float, float]:
    """(median, p95) milliseconds of ``fn()`` over ``runs`` runs after one warm-up."""
    fn()
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def measure(community_id: int, runs: int) -> list[tuple[str, float, float, float, float]]:
    from sqlalchemy import text
    from sqlmodel import select

    from community_app import db as dbmod
    from community_app.models import Account, Role, RoleGrant, utcnow
    from community_app.services import registry, todo
    from community_app.services.access import load_actor
    from community_app.services.core.clock import community_zone, day_bounds_utc, local_today, period_bounds
    from community_app.services.register import search, stats

    with dbmod.session() as s:
        staff_ids = s.exec(select(RoleGrant.account_id).where(RoleGrant.role == Role.STAFF,
                                                              RoleGrant.community_id == community_id)
                           .order_by(RoleGrant.account_id)).all()
        secretary = load_actor(s, s.get(Account, staff_ids[0]))
        worker = load_actor(s, s.get(Account, staff_ids[2]))

    def service(fn):
        def run():
            with dbmod.session() as s:
                fn(s)
        return run

    def home(actor):
        return service(lambda s: (registry.community_overview(s, actor), todo.staff_todo(s, actor),
                                  stats.month_numbers(s, actor)))

    with dbmod.session() as s:
        zone = community_zone(s, community_id)
        start, end = day_bounds_utc(*period_bounds("month", local_today(zone)), zone)
        grid = _first_grid(s, community_id)
    now = utcnow()
    params = {"cid": community_id, "start": start, "end": end, "since": now - timedelta(days=30), "now": now,
              "me": secretary.account_id, "grid": grid}

    def hand(name: str):
        def run():
            with dbmod.session() as s:
                for sql in HAND_SQL[name]:
                    s.execute(text(sql).bindparams(**{k: v for k, v in params.items() if f":{k}" in sql})).all()
        return run

    cases = [
        ("staff home (secretary)", home(secretary), "home"),
        ("staff home (grid worker)", home(worker), "home"),
        ("register: name search", service(lambda s: search.search_register(
            s, secretary, filters={"q": "秀英"})), "search_name"),
        ("register: micro-grid + 独居", service(lambda s: search.search_register(
            s, secretary, filters={"care": "living_alone", "grid": str(grid)})), "search_filter"),
        ("register: page 100 of all", service(lambda s: search.search_register(
            s, secretary, filters={}, page=100)), "search_page"),
    ]
    out = []
    for label, fn, key in cases:
        med, p95 = _timed(fn, runs)
        hmed, hp95 = _timed(hand(key), runs)
        out.append((label, med, p95, hmed, hp95))
    return out


def _first_grid(session, community_id: int) -> int:
    from sqlmodel import select

    from community_app.models import Grid

    return session.exec(select(Grid.id).where(Grid.community_id == community_id, Grid.parent_id.is_(None))
                        .order_by(Grid.id)).first()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 100 communities, 500k residents, 2M bookings")
    parser.add_argument("--database-url", default=os.environ.get("DISTRICT_DATABASE_URL", ""))
    parser.add_argument("--keep", default="", help="SQLite file (or PostgreSQL database name) to build once and reuse")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    communities = max(2, round(100 * args.scale))
    residents, bookings = round(500_000 * args.scale), round(2_000_000 * args.scale)
    cleanup = None
    if args.database_url:
        from sqlalchemy import create_engine
        from sqlalchemy import text as sql

        name = args.keep or "district_" + uuid.uuid4().hex[:8]
        admin = create_engine(args.database_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            fresh = conn.execute(sql("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is None
            if fresh:
                conn.execute(sql(f'CREATE DATABASE "{name}"'))
        url = args.database_url.rsplit("/", 1)[0] + "/" + name

        def cleanup():
            from tests.conftest import drop_database

            drop_database(admin, name)

        if args.keep:
            cleanup = None
    else:
        path = Path(args.keep or f"/tmp/district-{uuid.uuid4().hex[:6]}.db")
        fresh = not (args.keep and path.exists())
        if fresh:
            path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    print(f"district: {communities} communities, {residents:,} residents, {bookings:,} bookings on "
          f"{url.split('://')[0]}", flush=True)
    try:
        migrate(url)
        if fresh:
            made = build(url, communities, residents, bookings)
            print(f"built in {made['seconds']} s", flush=True)
        results = measure(communities // 2, args.runs)
    finally:
        from community_app import db as dbmod

        dbmod.reset_engine()
        if cleanup is not None:
            cleanup()
        elif not args.keep:
            Path(url.split("///", 1)[1]).unlink(missing_ok=True)
    print(f"{'page':32} {'service p50':>12} {'p95':>8} {'hand SQL p50':>13} {'p95':>8}  (ms, {args.runs} runs)")
    worst = 0.0
    for label, med, p95, hmed, hp95 in results:
        worst = max(worst, p95)
        print(f"{label:32} {med:12.1f} {p95:8.1f} {hmed:13.1f} {hp95:8.1f}")
    print(f"worst p95 {worst:.1f} ms: {'within' if worst <= 300 else 'OVER'} the 300 ms target")
    return 0 if worst <= 300 else 1


if __name__ == "__main__":
    sys.exit(main())
