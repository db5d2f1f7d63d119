"""The booking rush as the backend's event loop sees it. In one process and one event loop,
as one Reflex backend worker runs them: ``--residents`` signed-in residents, each with a page
state of their own (``ServiceState``, as Reflex keeps one per tab), open the 义剪 page, pick a
slot and press 确认预约 at the same moment for ``--places`` places; meanwhile ``--others``
other residents switch a tab on 我的预约 every 50 ms and a ticker measures how late the loop
runs. A handler that works on the event loop (database reads included) shows up as loop lag
and as slow events for everyone else; one that runs its service call in a worker
(``AppState._run``) does not.

    python benchmarks/state_rush.py --residents 300 --places 40 --others 20

Prints the page open, the book event and the other residents' events (p50 / p95, ms), the loop
lag p95, and ``taken=<n> capacity=<n>`` (the exit status is 1 when they differ). It measures the
handlers, not the websocket: ``benchmarks/ws_rush.py`` measures the whole path.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import random
import secrets
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.rush import make_day, prepare_database, seed  # noqa: E402


def _states():
    """The page states (this tree's modules, or the single-module layout before the split)."""
    try:
        from community_app.state.bookings.my_bookings import BookingsState
        from community_app.state.bookings.service import ServiceState
    except ImportError:  # the layout before the booking states were split
        from community_app.state.booking import BookingsState, ServiceState
    return ServiceState, BookingsState


def sessions(account_ids: list[int]) -> list[str]:
    """A signed-in session per account (the rows ``auth.sign_in`` writes, without hashing passwords)."""
    from community_app import db as dbmod
    from community_app.models import AuthSession, utcnow
    from community_app.services.auth import token_hash

    tokens = [secrets.token_urlsafe(32) for _ in account_ids]
    with dbmod.write_session() as s:
        for account_id, token in zip(account_ids, tokens, strict=True):
            s.add(AuthSession(account_id=account_id, token_hash=token_hash(token),
                              expires_at=utcnow() + timedelta(days=1)))
        s.commit()
    return tokens


def page_state(cls, token: str, path: str):
    """A whole state tree for one browser tab (as Reflex's memory state manager keeps it), with
    the session cookie of the websocket handshake; returns the page's state in it."""
    import reflex as rx
    from reflex.istate.data import RouterData

    from community_app.services.auth import SESSION_COOKIE

    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data(
        {"headers": {"cookie": f"{SESSION_COOKIE}={token}", "origin": "http://localhost"}, "asPath": path})
    return root.get_substate(cls.get_full_name().split(".")[1:])


async def drive(handler, state, *args) -> float:
    """Run one event handler on this loop as Reflex would; returns its duration in ms."""
    t0 = time.perf_counter()
    result = handler.fn(state, *args)
    if inspect.isasyncgen(result):
        async for _ in result:
            pass
    elif inspect.iscoroutine(result):
        await result
    elif inspect.isgenerator(result):
        list(result)
    return (time.perf_counter() - t0) * 1000


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def line(name: str, values: list[float]) -> str:
    return f"{name}: n={len(values)} p50_ms={pct(values, 0.5):.1f} p95_ms={pct(values, 0.95):.1f}"


async def rush(args, world, tokens: list[str], type_id: int, slot_ids: list[int]) -> dict[str, list[float]]:
    ServiceState, BookingsState = _states()
    bookers = [page_state(ServiceState, tok, f"/services/{type_id}") for tok in tokens[:args.residents]]
    others = [page_state(BookingsState, tok, "/bookings") for tok in tokens[args.residents:]]
    out: dict[str, list[float]] = {"open": [], "book": [], "others": [], "lag": []}
    running = True

    async def ticker():
        while running:
            t0 = time.perf_counter()
            await asyncio.sleep(0.01)
            out["lag"].append((time.perf_counter() - t0 - 0.01) * 1000)

    async def other(state, rng):
        await drive(BookingsState.load, state)
        while running:
            # The event arrives after a pause; it is late by however long the loop was busy.
            pause = 0.05 * rng.uniform(0.5, 1.5)
            arrives = time.perf_counter() + pause
            await asyncio.sleep(pause)
            await drive(BookingsState.set_tab, state, rng.choice(("active", "past")))
            out["others"].append((time.perf_counter() - arrives) * 1000)

    async def booker(state, rng, start: asyncio.Event):
        out["open"].append(await drive(ServiceState.load, state))
        free = [row.id for row in state.slots if not getattr(row, "full", False)] or [row.id for row in state.slots]
        await drive(ServiceState.ask, state, rng.choice(free) if free else slot_ids[0])
        await start.wait()
        # Every book event arrives at the same moment: its time counts from then (waiting
        # for the loop or for a worker included).
        await drive(ServiceState.confirm_book, state)
        out["book"].append((time.perf_counter() - started[0]) * 1000)

    start = asyncio.Event()
    started = [0.0]
    tick = asyncio.create_task(ticker())
    side = [asyncio.create_task(other(s, random.Random(i))) for i, s in enumerate(others)]
    tasks = [asyncio.create_task(booker(s, random.Random(1000 + i), start)) for i, s in enumerate(bookers)]
    while len(out["open"]) < len(bookers):
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)
    out["others"].clear()
    out["lag"].clear()
    started[0] = time.perf_counter()
    start.set()  # 08:00 on the 26th
    await asyncio.gather(*tasks)
    running = False
    await asyncio.gather(tick, *side)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=300)
    parser.add_argument("--places", type=int, default=40)
    parser.add_argument("--others", type=int, default=20)
    parser.add_argument("--chairs", type=int, default=2)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)

    database = prepare_database(args.database_url)
    try:
        world = seed(args.residents + args.others)
        day_id, slot_ids = make_day(world, args.places, args.chairs)
        tokens = sessions([a.account_id for a in world.actors])
        out = asyncio.run(rush(args, world, tokens, world.service_type_id, slot_ids))
        from sqlalchemy import func, select

        from community_app import db as dbmod
        from community_app.models import ServiceSlot

        with dbmod.session() as s:
            taken, capacity = s.execute(select(func.sum(ServiceSlot.taken), func.sum(ServiceSlot.capacity))
                                        .where(ServiceSlot.service_day_id == day_id)).one()
        print(f"database: {database.label}")
        print(line("page open (ServiceState.load)", out["open"]))
        print(line("book (ServiceState.confirm_book)", out["book"]))
        print(line("other residents' tab switch during the rush", out["others"]))
        print(f"loop lag during the rush: p50_ms={pct(out['lag'], 0.5):.1f} p95_ms={pct(out['lag'], 0.95):.1f} "
              f"max_ms={max(out['lag'], default=0):.1f} (mean {statistics.fmean(out['lag'] or [0]):.1f})")
        print(f"taken={taken} capacity={capacity} book_p95_ms={pct(out['book'], 0.95):.1f} "
              f"others_p95_ms={pct(out['others'], 0.95):.1f} lag_p95_ms={pct(out['lag'], 0.95):.1f}")
        return 0 if taken == capacity else 1
    finally:
        database.close()


if __name__ == "__main__":
    sys.exit(main())
