"""How much do sign-ins slow everybody else down?

A Reflex backend runs every user's events on one asyncio loop. This benchmark signs in N
residents (the real services.auth.sign_in with production argon2 costs, on a fresh migrated
SQLite database) while a "trivial event" coroutine ticks every 5 ms and records how late it
runs. Mode `inline` calls sign_in on the loop (what a plain synchronous handler does);
mode `thread` runs it in asyncio.to_thread (what state/auth.py does).

    python benchmarks/signin_loop.py [--signins 20] [--concurrency 4]

Prints one line per mode: signins=<n> wall_s=<s> tick_p50_ms=<x> tick_p95_ms=<y> tick_max_ms=<z>
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.pop("ARGON2_TIME_COST", None)
os.environ.pop("ARGON2_MEMORY_KIB", None)


def setup(n: int) -> None:
    from alembic import command
    from alembic.config import Config

    from community_app import db
    from community_app.models import Account, Community, Compound, RoleGrant
    from community_app.services import auth
    from community_app.services.passwords import hash_password

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["skip_logging"] = True
    command.upgrade(cfg, "head")
    pw_hash = hash_password("benchmark password 1")
    with db.write_session() as s:
        c = Community(code="bench", name="基准社区")
        s.add(c)
        s.flush()
        comp = Compound(community_id=c.id, name="小区")
        s.add(comp)
        s.flush()
        acc = auth._create_resident_account(
            s, community_id=c.id, mobile="13000000000", password="benchmark password 1", name="甲",
            address=auth.Address(comp.id, "1", "1", "1"),
        )
        for i in range(1, n):
            a = Account(mobile=f"130{i:08d}", password_hash=pw_hash, display_name=f"居民{i}",
                        community_id=acc.community_id)
            s.add(a)
            s.flush()
            s.add(RoleGrant(account_id=a.id, role="resident"))
        s.commit()


def do_sign_in(i: int) -> str:
    from community_app import db
    from community_app.services import auth

    with db.write_session() as s:
        return auth.sign_in(s, mobile=f"130{i:08d}", password="benchmark password 1", client_key=f"bench{i}")


async def run(mode: str, signins: int, concurrency: int) -> dict:
    lateness: list[float] = []
    stop = asyncio.Event()

    async def ticker():
        period = 0.005
        while not stop.is_set():
            t0 = time.perf_counter()
            await asyncio.sleep(period)
            lateness.append((time.perf_counter() - t0 - period) * 1000)

    sem = asyncio.Semaphore(concurrency)

    async def one(i: int):
        async with sem:
            if mode == "thread":
                await asyncio.to_thread(do_sign_in, i)
            else:
                do_sign_in(i)
                await asyncio.sleep(0)

    tick = asyncio.create_task(ticker())
    await asyncio.sleep(0.05)
    t0 = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(signins)))
    wall = time.perf_counter() - t0
    stop.set()
    await tick
    lateness.sort()
    return {
        "wall_s": wall,
        "p50": statistics.median(lateness),
        "p95": lateness[int(len(lateness) * 0.95) - 1],
        "max": lateness[-1],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--signins", type=int, default=20)
    ap.add_argument("--concurrency", type=int, default=4)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.db"
        setup(args.signins)
        for mode in ("inline", "thread"):
            r = asyncio.run(run(mode, args.signins, args.concurrency))
            print(f"mode={mode} signins={args.signins} wall_s={r['wall_s']:.2f} tick_p50_ms={r['p50']:.1f} "
                  f"tick_p95_ms={r['p95']:.1f} tick_max_ms={r['max']:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
