"""The 义剪 rush over the real websocket: signed-in residents on the 义剪 page all tap "book"
at once, while other residents click around 我的预约; beside the same load on a blank Reflex
app (benchmarks/blank_app, the framework's floor).

Starts the real app in production mode (migrate, seed-demo, ``reflex run --env prod``, one
port) on a fresh SQLite database, or on a scratch PostgreSQL database beside
``--database-url`` with Redis and ``--workers`` backend workers; then the blank app the same
way on another port. Adds ``--sessions`` + ``--bystanders`` resident accounts with a real
session each (bulk inserts; no password hashing) and a dedicated 义剪 day of ``--places``
places (slots of ``--chairs``). Every session is a socket.io client speaking as the browser
does (benchmarks/ws_client.py) with its own ``linli_session`` cookie:

- rushers open /services/<义剪 id> (hydrate_and_load, the page's on_load), pick the day,
  then at one start signal tap a free slot (``ask``) and confirm (``confirm_book``); when
  refused they pick another slot that the page now shows free, until booked or none is
  left; a booked one follows the redirect to its booking page, as the browser does;
- bystanders sit on /bookings and switch its tab (``set_tab``) every ~200 ms, before and
  during the rush;
- on the blank app, rushers send one ``increment`` at the start signal and bystanders send
  one every ~200 ms.

Each event is timed from its send to the message that completes its answer (for a handler
that returns events, the second message: delta first, events second). Reading the figures:
one worker answers a burst of events in one go (every handler task that is ready runs before
the socket writes queued by the earlier ones), so under a burst an event waits about the sum
of the burst's costs on the event loop; "answers arrived from ... to ..." shows that spread.
``--rush ask`` sends only the tap (no database), the app's own floor for its state tree.

    python benchmarks/ws_rush.py [--sessions 300] [--places 40] [--bystanders 20]
    python benchmarks/ws_rush.py --database-url postgresql+psycopg://... --redis-url auto --workers 2

Last line: ``book_p95_ms=<x> blank_p95_ms=<y> ratio=<x/y> others_p95_ms=<z>
blank_others_p95_ms=<w> taken=<n> capacity=<n>``; exit status 1 when the day is
overbooked or the bookings disagree with the counters (or the run failed).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.ws_load import Figures, Run, app_rush, blank_rush, percentile  # noqa: E402
from benchmarks.ws_seed import World, seed_world, slot_totals, use_database  # noqa: E402
from benchmarks.ws_servers import (  # noqa: E402
    BLANK_APP,
    Cleanup,
    ReflexServer,
    base_env,
    cli,
    free_port,
    private_redis,
    redis_db,
    scratch_database,
)

APP_HANDLERS = ["service_state.ask", "confirm_book", "service_state.pick_day", "bookings_state.set_tab"]
BLANK_HANDLERS = ["increment"]


def start_profiler(server: ReflexServer, out: Path) -> subprocess.Popen | None:
    """py-spy on every process of the server (the backend workers), until stopped."""
    spy = Path(sys.executable).parent / "py-spy"
    if not spy.exists():
        print("profile: py-spy is not installed in the venv (.venv/bin/pip install py-spy)", file=sys.stderr)
        return None
    fmt = {".svg": "flamegraph", ".json": "speedscope"}.get(out.suffix, "raw")
    return subprocess.Popen([str(spy), "record", "--pid", str(server.proc.pid), "--subprocesses", "--rate", "200", "--gil",
                             "--format", fmt, "--output", str(out), "--nonblocking"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def stop_profiler(proc: subprocess.Popen | None) -> None:
    if proc is None:
        return
    proc.send_signal(2)  # SIGINT: py-spy writes its output and exits
    try:
        _, err = proc.communicate(timeout=60)
        if proc.returncode not in (0, -2) and err:
            print(f"profile: {err.strip()[-500:]}", file=sys.stderr)
    except subprocess.TimeoutExpired:
        proc.kill()


def run_async(coro):
    """asyncio.run, where SIGTERM / SIGHUP cancel the load so its tabs close cleanly (then the
    caller's cleanup stops the servers)."""
    async def main():
        loop, task = asyncio.get_running_loop(), asyncio.current_task()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(sig, task.cancel)
        try:
            return await coro
        finally:
            for sig in (signal.SIGTERM, signal.SIGHUP):
                loop.remove_signal_handler(sig)

    try:
        return asyncio.run(main())
    except asyncio.CancelledError:
        raise KeyboardInterrupt("stopped") from None


def line(label: str, f: Figures) -> str:
    return f"{label:34s} n={f.n:<5d} p50_ms={f.p50:8.1f} p95_ms={f.p95:8.1f} max_ms={f.max:8.1f}"


def report(name: str, run: Run, main_label: str) -> None:
    print(line(f"{name} {main_label}", run.main))
    for label, figs in run.extra.items():
        print(line(f"{name} {label}", figs))
    spread = sorted(t - run.t_start for t in run.answered_at)
    if spread:
        print(f"{name} {main_label} answers arrived from +{spread[0] * 1000:.0f} ms to +{spread[-1] * 1000:.0f} ms "
              f"after the start signal (p10 +{percentile(spread, 0.1) * 1000:.0f}, "
              f"p50 +{percentile(spread, 0.5) * 1000:.0f})")
    print(line(f"{name} others before the rush", run.others_quiet))
    print(line(f"{name} others during the rush", run.others_rush))
    print(f"{name} rush wall {run.wall_s:.2f} s; client loop lag p95 {run.lag_p95:.1f} ms, "
          f"max {run.lag_max:.1f} ms (the measuring client's own delay)")


def _keep_logs(workdir: Path, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for log in workdir.glob("*.log"):
        shutil.copy(log, dest / log.name)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sessions", type=int, default=300, help="residents rushing to book")
    p.add_argument("--places", type=int, default=40)
    p.add_argument("--chairs", type=int, default=2, help="places per 15-minute slot")
    p.add_argument("--bystanders", type=int, default=20, help="residents clicking on 我的预约 meanwhile")
    p.add_argument("--rush", choices=("book", "ask"), default="book",
                   help="what the rushers do: book (tap a slot, confirm, retry; the default) or ask (only tap a "
                        "slot: an event of the same page that touches no database, the app's own floor)")
    p.add_argument("--period-ms", type=float, default=200, help="a bystander's time between events")
    p.add_argument("--quiet-s", type=float, default=3.0, help="bystanders alone before the rush")
    p.add_argument("--database-url", default="", help="PostgreSQL server URL (a scratch database is made)")
    p.add_argument("--redis-url", default="", help="Redis for the state manager, or 'auto' for a private one")
    p.add_argument("--workers", type=int, default=1, help="backend workers (more than 1 needs Redis)")
    p.add_argument("--timeout", type=float, default=120, help="seconds to wait for any one answer")
    p.add_argument("--start-timeout", type=float, default=900, help="seconds for an app to build and start")
    p.add_argument("--connect-concurrency", type=int, default=20, help="pages opened at once while setting up")
    p.add_argument("--profile", default="", help="py-spy the app's backend during its rush (from the quiet "
                   "phase to the end) into this file: .svg flame graph, .json speedscope, else collapsed "
                   "stacks for benchmarks/spy_top.py")
    p.add_argument("--logs", default="", help="keep the servers' logs in this folder")
    p.add_argument("--skip-blank", action="store_true", help="measure the app only (no ratio)")
    p.add_argument("--seed", type=int, default=26)
    args = p.parse_args(argv)
    if min(args.sessions, args.places, args.chairs, args.workers) < 1 or args.bystanders < 0:
        p.error("--sessions, --places, --chairs, --workers must be positive, --bystanders not negative")
    if args.workers > 1 and not args.redis_url:
        p.error("--workers > 1 needs --redis-url (each worker keeps the tabs' state in Redis)")

    def terminate(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    # Stopped by a signal, still stop the servers (their own process groups) and remove the files.
    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGHUP, terminate)
    cleanup = Cleanup()
    workdir = Path(tempfile.mkdtemp(prefix="wsbench-"))
    cleanup.add(lambda: shutil.rmtree(workdir, ignore_errors=True))
    if args.logs:
        cleanup.add(lambda: _keep_logs(workdir, Path(args.logs)))
    try:
        return _run(args, workdir, cleanup)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        cleanup.run()


def _run(args, workdir: Path, cleanup: Cleanup) -> int:
    secret = secrets.token_urlsafe(32)
    os.environ["SECRET_KEY"] = secret  # the benchmark hashes session tokens with the app's key
    db_url, db_label = scratch_database(args.database_url or None, workdir, cleanup)
    redis = private_redis(cleanup) if args.redis_url == "auto" else args.redis_url
    common = {"SECRET_KEY": secret, "GRANIAN_WORKERS": str(args.workers)}
    app_port, blank_port = free_port(), free_port()
    # Each server keeps its disk states in its own new folder: Reflex's disk state manager
    # lists its whole folder on every write-queue pass, so an old .states would weigh in.
    app_env = base_env(app_port, {**common, "DATABASE_URL": db_url, "UPLOAD_DIR": str(workdir / "uploads"),
                                  "REFLEX_STATES_WORKDIR": str(workdir / "states-app")})
    blank_env = base_env(blank_port, {**common, "REFLEX_STATES_WORKDIR": str(workdir / "states-blank")})
    if redis:
        app_env["REDIS_URL"] = redis_db(redis, 0)
        blank_env["REDIS_URL"] = redis_db(redis, 1)
    setup = (f"{db_label}, {'Redis state, ' if redis else 'memory state, '}{args.workers} backend "
             f"worker{'s' if args.workers > 1 else ''}")
    print(f"ws_rush: {setup}; {args.sessions} sessions rush {args.places} places "
          f"(slots of {args.chairs}), {args.bystanders} bystanders every {args.period_ms:.0f} ms", flush=True)

    t0 = time.perf_counter()
    cli(app_env, "migrate")
    cli(app_env, "seed-demo")
    use_database(db_url)
    world: World = seed_world(args.sessions, args.bystanders, args.places, args.chairs, secret)
    print(f"ws_rush: seeded in {time.perf_counter() - t0:.1f} s: 义剪 type {world.type_id}, "
          f"day {world.day_key} with {len(world.slot_ids)} slots", flush=True)

    app = ReflexServer("app", ROOT, app_port, app_env, workdir / "app.log", "/login")
    cleanup.add(app.stop)
    t0 = time.perf_counter()
    app.start(args.start_timeout)
    print(f"ws_rush: app up on {app.url} in {time.perf_counter() - t0:.0f} s", flush=True)
    app_front = app.frontend(APP_HANDLERS)

    spy: list = []
    around = ((lambda: spy.append(start_profiler(app, Path(args.profile).resolve())),
               lambda: stop_profiler(spy.pop())) if args.profile else None)
    try:
        app_run = run_async(app_rush(app.url, app_front, world, args, around))
    finally:
        while spy:
            stop_profiler(spy.pop())
    app.stop()
    if args.profile:
        print(f"ws_rush: profile of the app's backend written to {Path(args.profile).resolve()}")

    taken, capacity, holding = slot_totals(world.slot_ids)
    blank_run = None
    if not args.skip_blank:
        blank = ReflexServer("blank app", BLANK_APP, blank_port, blank_env, workdir / "blank.log", "/")
        cleanup.add(blank.stop)
        t0 = time.perf_counter()
        blank.start(args.start_timeout)
        print(f"ws_rush: blank app up on {blank.url} in {time.perf_counter() - t0:.0f} s", flush=True)
        blank_run = run_async(blank_rush(blank.url, blank.frontend(BLANK_HANDLERS), args))
        blank.stop()

    print()
    print(f"ws_rush results ({setup}; {os.cpu_count()} CPUs, load average now "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}: other work on the machine inflates every figure):")
    report("app", app_run, "book (confirm_book)" if args.rush == "book" else "ask (tap a slot, no database)")
    print(f"app bookings: {app_run.booked} booked, {app_run.refused} found no place, "
          f"{app_run.attempts} confirm_book events; in the database taken={taken} capacity={capacity} "
          f"holding_bookings={holding}")
    if blank_run is not None:
        report("blank", blank_run, "increment")
    errors = app_run.errors + (blank_run.errors if blank_run else [])
    for e in errors[:10]:
        print(f"error: {e}", file=sys.stderr)

    ok = taken <= capacity and taken == holding == app_run.booked and not errors
    if args.sessions >= capacity and args.rush == "book":
        ok = ok and taken == capacity
    if not ok:
        print(f"MISMATCH or errors: taken={taken} capacity={capacity} holding={holding} "
              f"booked_by_clients={app_run.booked} errors={len(errors)}", file=sys.stderr)
    blank_p95 = blank_run.main.p95 if blank_run else 0.0
    ratio = app_run.main.p95 / blank_p95 if blank_p95 else float("nan")
    print(f"{args.rush}_p95_ms={app_run.main.p95:.1f} blank_p95_ms={blank_p95:.1f} ratio={ratio:.2f} "
          f"others_p95_ms={app_run.others_rush.p95:.1f} "
          f"blank_others_p95_ms={blank_run.others_rush.p95 if blank_run else 0.0:.1f} "
          f"taken={taken} capacity={capacity}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
