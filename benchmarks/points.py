"""Points ledger figures, through the volunteering services, on a fresh SQLite file migrated
with Alembic (default) or a scratch database beside ``--database-url`` (PostgreSQL):

- a volunteer with 10,000 ledger entries: the balance, the first and a deep page of the
  history, the year's passbook (median and p95 over repeated calls);
- a community of 5,000 volunteers with a month of earned points: the monthly ranking;
- 100 simultaneous redemptions (threads released by one barrier, each in its own
  ``db.write_session()``): of 100 goods in stock (all succeed) and of the last one (exactly
  one succeeds), as wall time and redemptions per second.

    python benchmarks/points.py [--database-url URL] [--entries 10000] [--volunteers 5000]

The seed data is written in bulk (consistent balances), the measured calls are the services.
Prints one line per figure; exits 1 when the ledger disagrees with itself or the race gives
other than exactly one.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "benchmarks"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from rush import prepare_database  # noqa: E402  (the same scratch-database setup as the rush)

NO_SIGN_IN = "!benchmark-no-sign-in"


def _timed(fn, runs: int) -> tuple[float, float]:
    """(median ms, p95 ms) of ``fn()`` over ``runs`` calls (after one warm-up)."""
    fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def _community(session, code: str):
    from community_app.models import Community

    c = Community(code=code, name=f"基准社区{code}", timezone="Asia/Shanghai")
    session.add(c)
    session.flush()
    return c


def _people(session, community_id: int, n: int, prefix: str):
    """n residents with accounts (resident + volunteer roles), as Actors."""
    from sqlalchemy import insert, select

    from community_app.models import Account, Resident, Role, RoleGrant
    from community_app.services.access import Actor

    session.execute(insert(Resident), [{"community_id": community_id, "name": f"{prefix}{i}",
                                        "created_at": datetime.now(UTC)} for i in range(n)])
    ids = list(session.execute(select(Resident.id).where(Resident.community_id == community_id,
                                                         Resident.name.like(f"{prefix}%"))
                               .order_by(Resident.id)).scalars())
    session.execute(insert(Account), [{"mobile": f"1{community_id:02d}{rid:08d}", "password_hash": NO_SIGN_IN,
                                       "display_name": f"{prefix}{rid}", "community_id": community_id,
                                       "resident_id": rid, "created_at": datetime.now(UTC),
                                       "is_active": True, "elder_mode": False, "locale": "zh_CN",
                                       "failed_logins": 0} for rid in ids])
    accounts = dict(session.execute(select(Account.resident_id, Account.id)
                                    .where(Account.resident_id.in_(ids))).all())
    session.execute(insert(RoleGrant), [{"account_id": accounts[rid], "role": role, "community_id": community_id,
                                         "created_at": datetime.now(UTC)}
                                        for rid in ids for role in (Role.RESIDENT, Role.VOLUNTEER)])
    return [Actor(account_id=accounts[rid], community_id=community_id, display_name=f"{prefix}{rid}",
                  resident_id=rid, roles=frozenset({Role.RESIDENT, Role.VOLUNTEER})) for rid in ids]


def _entries(session, community_id: int, rows: list[tuple[int, int, datetime]], tag: str) -> None:
    """Bulk earned entries (resident, points, when) with the running balance, and the balance rows."""
    from sqlalchemy import insert

    from community_app.models import PointsBalance, PointsEntry

    running: dict[int, int] = {}
    batch = []
    for i, (rid, pts, when) in enumerate(sorted(rows, key=lambda r: r[2])):
        running[rid] = running.get(rid, 0) + pts
        batch.append({"community_id": community_id, "resident_id": rid, "delta": pts, "kind": "earned",
                      "reason_key": "points.reason.shift", "reason": "基准活动", "source": f"{tag}:{i}",
                      "balance_after": running[rid], "created_at": when})
        if len(batch) == 5000:
            session.execute(insert(PointsEntry), batch)
            batch = []
    if batch:
        session.execute(insert(PointsEntry), batch)
    session.execute(insert(PointsBalance), [{"resident_id": rid, "community_id": community_id, "balance": b,
                                             "earned": b, "updated_at": datetime.now(UTC)}
                                            for rid, b in running.items()])


def bench_history(n_entries: int) -> bool:
    from community_app import db
    from community_app.services.volunteering import points, views

    with db.write_session() as s:
        c = _community(s, "hist")
        [who] = _people(s, c.id, 1, "十年志愿者")
        now = datetime.now(UTC)
        _entries(s, c.id, [(who.resident_id, 1 + i % 9, now - timedelta(minutes=37 * (n_entries - i)))
                           for i in range(n_entries)], "h")
        s.commit()
    with db.session() as s:
        balance, total = points.check(s, who.resident_id)
        last_page = -(-n_entries // 20)
        figures = [
            ("balance", _timed(lambda: points.my_balance(s, who), 200)),
            ("history first page (20 lines)", _timed(lambda: points.history(s, who, page=1), 100)),
            (f"history page {last_page} (the oldest)", _timed(lambda: points.history(s, who, page=last_page), 50)),
            ("passbook, this year", _timed(lambda: views.passbook(s, who), 5)),
        ]
    print(f"history: one volunteer with {n_entries} entries, balance {balance} (sum of entries {total})")
    for label, (p50, p95) in figures:
        print(f"  {label}: median {p50:.2f} ms, p95 {p95:.2f} ms")
    return balance == total


def bench_ranking(n_volunteers: int) -> None:
    import random

    from community_app import db
    from community_app.services.volunteering import views

    rng = random.Random(5000)
    with db.write_session() as s:
        c = _community(s, "rank")
        people = _people(s, c.id, n_volunteers, "队员")
        now = datetime.now(UTC)
        rows = []
        for a in people:  # this month and the two before: 2-6 deeds a month each
            for days_back in range(0, 90, rng.choice((15, 20, 30))):
                rows.append((a.resident_id, rng.choice((5, 8, 10, 15)), now - timedelta(days=days_back, hours=1)))
        _entries(s, c.id, rows, "r")
        s.commit()
    with db.session() as s:
        me = people[len(people) // 2]
        p50, p95 = _timed(lambda: views.rankings(s, me), 20)
        board = views.rankings(s, me)
    print(f"ranking: {n_volunteers} volunteers, {len(rows)} entries; monthly ranking (top 20 + my rank "
          f"{board.my_rank}): median {p50:.1f} ms, p95 {p95:.1f} ms")


def _race(actors, reward_id: int) -> tuple[float, int, int]:
    """All actors redeem at once; (wall seconds, successes, refusals)."""
    from community_app import db
    from community_app.services.errors import Conflict
    from community_app.services.volunteering import shop

    barrier = threading.Barrier(len(actors))
    results: list[str] = []
    lock = threading.Lock()
    times: list[float] = []

    def run(a):
        barrier.wait()
        t0 = time.perf_counter()
        try:
            with db.write_session() as s:
                shop.redeem(s, a, reward_id=reward_id)
            outcome = "ok"
        except Conflict:
            outcome = "refused"
        with lock:
            results.append(outcome)
            times.append(time.perf_counter() - t0)

    threads = [threading.Thread(target=run, args=(a,)) for a in actors]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    return wall, results.count("ok"), results.count("refused")


def bench_redemptions(n: int = 100) -> bool:
    from community_app import db
    from community_app.models import Reward, RewardOffer
    from community_app.services.volunteering import points

    with db.write_session() as s:
        c = _community(s, "shop")
        people = _people(s, c.id, n, "兑换人")
        _entries(s, c.id, [(a.resident_id, 100, datetime.now(UTC) - timedelta(days=1)) for a in people], "s")
        plenty = Reward(community_id=c.id, name="挂面 1kg", cost_points=15, stock=n)
        last = Reward(community_id=c.id, name="最后一桶油", cost_points=30, stock=1)
        s.add_all([plenty, last])
        s.flush()
        s.add_all([RewardOffer(reward_id=plenty.id, community_id=c.id), RewardOffer(reward_id=last.id, community_id=c.id)])
        s.commit()
        plenty_id, last_id = plenty.id, last.id
    wall, ok, refused = _race(people, plenty_id)
    print(f"redemptions: {n} at once of {n} in stock: {ok} redeemed, {refused} refused in {wall * 1000:.0f} ms "
          f"= {ok / wall:.0f} redemptions/s")
    wall2, ok2, refused2 = _race(people, last_id)
    print(f"redemptions: {n} at once of the last one: {ok2} redeemed, {refused2} refused in {wall2 * 1000:.0f} ms "
          f"= {n / wall2:.0f} answers/s")
    with db.session() as s:
        consistent = all(points.check(s, a.resident_id)[0] == points.check(s, a.resident_id)[1] for a in people)
    return ok == n and ok2 == 1 and consistent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="", help="PostgreSQL server URL (default: a fresh SQLite file)")
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--volunteers", type=int, default=5_000)
    parser.add_argument("--redemptions", type=int, default=100)
    args = parser.parse_args()
    database = prepare_database(args.database_url or None)
    print(f"database: {database.label}")
    try:
        ok = bench_history(args.entries)
        bench_ranking(args.volunteers)
        ok = bench_redemptions(args.redemptions) and ok
    finally:
        database.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
