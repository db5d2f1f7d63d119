"""The two loads of benchmarks/ws_rush.py, each a set of browser tabs (ws_client.Tab):
the 义剪 rush on the real app and the same shape on the blank app, both with bystanders
clicking every ~200 ms before and during the rush. Returns the timings as Figures."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from benchmarks.ws_client import AnswerTimeout, Frontend, Tab, delta_has, has_events

MAX_TRIES = 200  # confirm_book attempts by one session before it counts as a failure


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


@dataclass
class Figures:
    n: int = 0
    p50: float = 0.0
    p95: float = 0.0
    max: float = 0.0

    @classmethod
    def of(cls, values: list[float]) -> Figures:
        return cls(len(values), percentile(values, 0.5), percentile(values, 0.95), max(values, default=0.0))


@dataclass
class Run:
    main: Figures  # the rushing event (confirm_book / increment)
    others_quiet: Figures  # bystanders' events before the start signal
    others_rush: Figures  # bystanders' events sent between the start and the last rusher's end
    wall_s: float
    t_start: float
    lag_p95: float
    lag_max: float
    extra: dict[str, Figures] = field(default_factory=dict)
    answered_at: list[float] = field(default_factory=list)  # the main events' answers, perf_counter
    booked: int = 0
    refused: int = 0
    attempts: int = 0
    errors: list[str] = field(default_factory=list)


class Clock:
    """Timestamps of the run, and the measuring client's own event-loop lag (a timer that
    should fire every 5 ms): when the client is late, every figure is inflated by it."""

    def __init__(self):
        self.lags: list[tuple[float, float]] = []
        self._stop = asyncio.Event()

    async def watch(self) -> None:
        step = 0.005
        while not self._stop.is_set():
            t = time.perf_counter()
            await asyncio.sleep(step)
            self.lags.append((t, (time.perf_counter() - t - step) * 1000))

    def stop(self) -> None:
        self._stop.set()

    def lag_between(self, a: float, b: float) -> list[float]:
        return [lag for t, lag in self.lags if a <= t <= b]


async def open_all(tabs: list[Tab], pages: list[tuple[str, dict | None]], concurrency: int) -> list[float]:
    """Open every tab's page, ``concurrency`` at a time (setting up, not measured)."""
    gate = asyncio.Semaphore(concurrency)

    async def one(tab: Tab, page: tuple[str, dict | None]) -> float:
        async with gate:
            return await tab.open(*page)

    return list(await asyncio.gather(*(one(t, pg) for t, pg in zip(tabs, pages, strict=True))))


async def bystander(tab: Tab, click: Callable[[Tab, int], Awaitable[float]], period_s: float, stop: asyncio.Event,
                    rng: random.Random, samples: list[tuple[float, float]], errors: list[str]) -> None:
    """Click every ~period (± 20 %), one event at a time; (send time, milliseconds) each."""
    await asyncio.sleep(rng.uniform(0, period_s))
    i = 0
    while not stop.is_set():
        sent = time.perf_counter()
        try:
            ms = await click(tab, i)
        except (AnswerTimeout, Exception) as e:  # noqa: BLE001 - reported, the run goes on
            errors.append(f"bystander: {type(e).__name__}: {e}")
            return
        samples.append((sent, ms))
        i += 1
        wait = sent + period_s * rng.uniform(0.8, 1.2) - time.perf_counter()
        if wait > 0:
            try:
                await asyncio.wait_for(stop.wait(), wait)
            except TimeoutError:
                pass


async def measure(tabs_rush: list[Tab], rush_pages, tabs_by: list[Tab], by_pages, prepare, rusher, click,
                  args, around: tuple[Callable, Callable] | None = None) -> tuple[Run, list]:
    """Open the pages, let the bystanders click alone for ``--quiet-s``, fire the start
    signal, wait for every rusher, stop the bystanders; timings split by phase. ``around``:
    two callables run as the quiet phase begins and once the rush is over (a profiler)."""
    rng = random.Random(args.seed)
    errors: list[str] = []
    clock = Clock()
    watcher = asyncio.create_task(clock.watch())
    stop = asyncio.Event()
    samples: list[tuple[float, float]] = []
    results: list = []
    try:
        await open_all(tabs_rush + tabs_by, rush_pages + by_pages, args.connect_concurrency)
        for tab in tabs_rush:
            await prepare(tab)
        bys = [asyncio.create_task(bystander(t, click, args.period_ms / 1000, stop, random.Random(rng.random()),
                                             samples, errors)) for t in tabs_by]
        if around:
            around[0]()
        quiet_from = time.perf_counter()
        await asyncio.sleep(args.quiet_s)
        start = asyncio.Event()
        rushers = [asyncio.create_task(rusher(t, start, random.Random(rng.random()))) for t in tabs_rush]
        await asyncio.sleep(0.05)  # every rusher is waiting on the signal
        t_start = time.perf_counter()
        start.set()
        for outcome in await asyncio.gather(*rushers, return_exceptions=True):
            if isinstance(outcome, BaseException):
                errors.append(f"rusher: {type(outcome).__name__}: {outcome}")
            else:
                results.append(outcome)
        t_end = time.perf_counter()
        stop.set()
        await asyncio.gather(*bys)
        if around:
            around[1]()
    finally:
        clock.stop()
        await watcher
        await asyncio.gather(*(t.close() for t in tabs_rush + tabs_by))
    lag = clock.lag_between(t_start, t_end)
    run = Run(main=Figures(), others_quiet=Figures.of([ms for t, ms in samples if quiet_from <= t < t_start]),
              others_rush=Figures.of([ms for t, ms in samples if t_start <= t <= t_end]),
              wall_s=t_end - t_start, t_start=t_start, lag_p95=percentile(lag, 0.95), lag_max=max(lag, default=0.0), errors=errors)
    return run, results


# --------------------------------------------------------------------------- the real app


@dataclass
class Attempts:
    ask_ms: list[float] = field(default_factory=list)
    book_ms: list[float] = field(default_factory=list)
    book_done: list[float] = field(default_factory=list)
    follow_ms: list[float] = field(default_factory=list)
    booked: bool = False


def _redirect_path(messages: list[dict]) -> str:
    for m in messages:
        for ev in m.get("events") or []:
            if isinstance(ev, dict) and ev.get("name") == "_redirect":
                return str((ev.get("payload") or {}).get("path") or "")
    return ""


async def app_rush(url: str, front: Frontend, world, args, around=None) -> Run:
    svc, bookings = front.state_of("ask"), front.state_of("set_tab")
    service_page = (f"/services/{world.type_id}", {"type_id": str(world.type_id)})
    tabs_rush = [Tab(url, front, cookie=c, timeout=args.timeout) for c in world.rush_cookies]
    tabs_by = [Tab(url, front, cookie=c, timeout=args.timeout) for c in world.bystander_cookies]

    async def prepare(tab: Tab) -> None:
        if not tab.var(svc, "found"):
            raise RuntimeError(f"the 义剪 page did not load for a signed-in session: "
                               f"load_error={tab.var(svc, 'load_error')!r}; is the session cookie read?")
        if tab.var(svc, "selected_day") != world.day_key:
            if not any(d.get("key") == world.day_key for d in tab.var(svc, "days") or []):
                raise RuntimeError(f"the dedicated day {world.day_key} is not on the 义剪 page")
            await tab.send("pick_day", {"key": world.day_key}, delta_has(svc, "selected_day"))

    async def rusher(tab: Tab, start: asyncio.Event, rng: random.Random) -> Attempts:
        out = Attempts()
        await start.wait()
        gone: set[int] = set()  # slots that refused this resident (or whose dialog said full)
        for _ in range(MAX_TRIES):
            free = [s["id"] for s in tab.var(svc, "slots") or []
                    if not (s.get("full") or s.get("mine") or s.get("blocked")) and s["id"] not in gone]
            if not free:
                return out  # nothing left on the page: the resident gives up
            slot_id = rng.choice(free)
            ms, _ = await tab.send("ask", {"slot_id": slot_id}, delta_has(svc, "dialog"))
            out.ask_ms.append(ms)
            if args.rush == "ask":  # only the tap: an event of this page that reads no database
                out.book_done.append(time.perf_counter())
                return out
            if tab.var(svc, "dialog") != "book":
                gone.add(slot_id)
                continue
            # Booked: a redirect and a toast; refused: a toast. Either way the events come in
            # the message after the delta, and that one ends the answer.
            ms, messages = await tab.send("confirm_book", {}, has_events)
            out.book_ms.append(ms)
            out.book_done.append(time.perf_counter())
            path = _redirect_path(messages)
            if path:
                out.booked = True
                booking_id = path.rstrip("/").rsplit("/", 1)[-1]
                out.follow_ms.append(await tab.navigate(path, {"booking_id": booking_id}))
                return out
            gone.add(slot_id)  # refused: nobody taps the same slot again, whatever the page shows
        raise RuntimeError(f"no booking and no refusal after {MAX_TRIES} tries")

    async def click(tab: Tab, i: int) -> float:
        return (await tab.send("set_tab", {"tab": "past" if i % 2 == 0 else "active"},
                               delta_has(bookings, "tab")))[0]

    run, results = await measure(tabs_rush, [service_page] * len(tabs_rush), tabs_by,
                                 [("/bookings", None)] * len(tabs_by), prepare, rusher, click, args, around)
    asks = Figures.of([ms for r in results for ms in r.ask_ms])
    run.answered_at = [t for r in results for t in r.book_done]
    if args.rush == "ask":
        run.main = asks
        return run
    run.main = Figures.of([ms for r in results for ms in r.book_ms])
    run.extra = {"ask (tap a slot)": asks,
                 "booking page after the redirect": Figures.of([ms for r in results for ms in r.follow_ms])}
    run.booked = sum(r.booked for r in results)
    run.refused = sum(not r.booked for r in results)
    run.attempts = sum(len(r.book_ms) for r in results)
    return run


# --------------------------------------------------------------------------- the blank app


async def blank_rush(url: str, front: Frontend, args) -> Run:
    counter = front.state_of("increment")
    tabs_rush = [Tab(url, front, timeout=args.timeout) for _ in range(args.sessions)]
    tabs_by = [Tab(url, front, timeout=args.timeout) for _ in range(args.bystanders)]

    async def prepare(tab: Tab) -> None:
        return None

    async def increment(tab: Tab, _i: int = 0) -> float:
        return (await tab.send("increment", {}, delta_has(counter, "count")))[0]

    async def rusher(tab: Tab, start: asyncio.Event, _rng: random.Random) -> tuple[float, float]:
        await start.wait()
        return await increment(tab), time.perf_counter()

    run, results = await measure(tabs_rush, [("/", None)] * len(tabs_rush), tabs_by, [("/", None)] * len(tabs_by),
                                 prepare, rusher, increment, args)
    run.main = Figures.of([ms for ms, _ in results])
    run.answered_at = [t for _, t in results]
    return run

