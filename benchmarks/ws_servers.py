"""Servers for benchmarks/ws_rush.py: a scratch database (a SQLite file, or a database
created beside a PostgreSQL URL), a private redis-server, and Reflex apps run in production
mode (``reflex run --env prod``, frontend and backend on one port) in their own process
group, stopped with it. Also reads what a browser tab needs from an app's compiled .web."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.ws_client import Frontend

ROOT = Path(__file__).resolve().parent.parent
BLANK_APP = ROOT / "benchmarks" / "blank_app"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, n: int = 3000) -> str:
    try:
        return path.read_text(errors="replace")[-n:]
    except OSError:
        return ""


@dataclass
class Cleanup:
    """Things to undo at the end, last first; each step is tried even if another failed."""

    steps: list = field(default_factory=list)

    def add(self, fn) -> None:
        self.steps.append(fn)

    def run(self) -> None:
        while self.steps:
            fn = self.steps.pop()
            try:
                fn()
            except Exception as e:  # noqa: BLE001 - best effort, reported
                print(f"cleanup: {type(e).__name__}: {e}", file=sys.stderr)


# --------------------------------------------------------------------------- database and redis


def scratch_database(url: str | None, workdir: Path, cleanup: Cleanup) -> tuple[str, str]:
    """(url, label): a fresh SQLite file in ``workdir``, or a new database created beside the
    given PostgreSQL URL (dropped at the end)."""
    if not url:
        path = workdir / "bench.db"
        return f"sqlite:///{path}", "SQLite (embedded default)"
    if url.startswith("sqlite"):
        return url, f"SQLite {url}"
    from sqlalchemy import create_engine, text

    name = "wsbench_" + uuid.uuid4().hex[:10]
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        from community_app import db as dbmod

        dbmod.reset_engine()
        for attempt in range(5):
            try:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                break
            except Exception:  # noqa: BLE001 - autovacuum may hold it a moment
                time.sleep(0.3 * (attempt + 1))
        admin.dispose()

    cleanup.add(drop)
    return url.rsplit("/", 1)[0] + "/" + name, f"PostgreSQL (database {name})"


def private_redis(cleanup: Cleanup) -> str:
    """A throwaway redis-server on a free port (no persistence); its URL without a db."""
    binary = shutil.which("redis-server")
    if not binary:
        raise SystemExit("--redis-url auto needs redis-server (make system-deps installs it)")
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def stop():
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()

    cleanup.add(stop)
    deadline = time.time() + 15
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return f"redis://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("redis-server did not start")


def redis_db(url: str, db: int) -> str:
    """The same Redis server, another logical database (so two apps never share keys)."""
    base = re.sub(r"/\d+$", "", url.rstrip("/"))
    return f"{base}/{db}"


# --------------------------------------------------------------------------- reflex apps


def base_env(port: int, extra: dict[str, str]) -> dict[str, str]:
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    for name in ("REDIS_URL", "GRANIAN_WORKERS", "ARGON2_TIME_COST", "ARGON2_MEMORY_KIB"):
        env.pop(name, None)
    env.update(
        APP_ORIGIN=url,
        API_URL=url,
        REFLEX_USE_SYSTEM_BUN="1",
        REFLEX_TELEMETRY_ENABLED="false",
        PYTHONDONTWRITEBYTECODE="1",
        PATH=f"{ROOT / 'tools/bun/node_modules/.bin'}:{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
    )
    env.update(extra)
    return env


class ReflexServer:
    """``reflex run --env prod`` on one port, in its own process group (so stopping it stops
    the backend workers too)."""

    def __init__(self, name: str, cwd: Path, port: int, env: dict[str, str], log_path: Path, ready_path: str):
        self.name, self.cwd, self.port, self.env = name, cwd, port, env
        self.url = f"http://127.0.0.1:{port}"
        self.log_path, self.ready_path = log_path, ready_path
        self.proc: subprocess.Popen | None = None
        self._log = None

    def start(self, timeout: float) -> ReflexServer:
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "reflex"), "run", "--env", "prod",
             "--frontend-port", str(self.port), "--backend-port", str(self.port)],
            cwd=self.cwd, env=self.env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited early; log {self.log_path}:\n{_tail(self.log_path)}")
            try:
                with urllib.request.urlopen(self.url + self.ready_path, timeout=5) as r:
                    if r.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(1)
        raise RuntimeError(f"{self.name} did not answer in {timeout:.0f}s; log {self.log_path}:\n{_tail(self.log_path)}")

    def pids(self) -> list[int]:
        """The server's processes (the reflex CLI, granian and its workers)."""
        if self.proc is None:
            return []
        out = subprocess.run(["ps", "-o", "pid=", "-g", str(self.proc.pid)], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
            except ProcessLookupError:
                pass
        if self._log is not None:
            self._log.close()
            self._log = None

    def frontend(self, handlers: list[str]) -> Frontend:
        return read_frontend(self.cwd / ".web", handlers)


def cli(env: dict[str, str], *args: str) -> None:
    """``python -m community_app.cli ...`` against the benchmark's database."""
    done = subprocess.run([sys.executable, "-m", "community_app.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"community_app.cli {' '.join(args)} failed:\n{(done.stdout + done.stderr)[-3000:]}")


# --------------------------------------------------------------------------- the compiled frontend

_EVENT = re.compile(r'"(reflex___state____state(?:\.[A-Za-z0-9_]+)*)\.([A-Za-z0-9_]+)"')


def read_frontend(web: Path, handlers: list[str]) -> Frontend:
    """The hashes and schema that the compiled frontend sends on connect, and the full event
    names its pages use for ``handlers`` (as compiled, so moved or renamed states are
    followed). A handler is named ``confirm_book`` or, where several states have one,
    ``service_state.pick_day`` (the state class in snake case); the key is the bare handler
    name either way."""
    context = (web / "utils" / "context.jsx").read_text()
    hashes = json.loads(re.search(r"export const initialStateHashes = (\[.*?\])", context).group(1))
    schema = json.loads(re.search(r"export const stateSchema = (\".*?\")", context).group(1))
    wanted = {spec.rsplit(".", 1)[-1]: (spec.rsplit(".", 1)[0] if "." in spec else "") for spec in handlers}
    found: dict[str, set[str]] = {h: set() for h in wanted}
    for folder in ("app", "app_components", "utils"):
        for path in (web / folder).rglob("*.js*"):
            for state, handler in _EVENT.findall(path.read_text(errors="replace")):
                if handler in wanted and state.endswith("____" + wanted[handler] if wanted[handler] else ""):
                    found[handler].add(f"{state}.{handler}")
    missing = [h for h, names in found.items() if not names]
    ambiguous = {h: sorted(n) for h, n in found.items() if len(n) > 1}
    if missing or ambiguous:
        raise RuntimeError(f"compiled pages under {web}: handlers not found {missing}, ambiguous {ambiguous}")
    return Frontend(hashes=hashes, schema=schema, events={h: next(iter(n)) for h, n in found.items()})
