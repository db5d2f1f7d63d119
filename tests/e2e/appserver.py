"""Start the real app (production build, one port) on a fresh, seeded SQLite database.
Used by the browser tests and by scripts/screenshots.py."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    def __init__(self, workdir: Path, port: int | None = None, extra_env: dict[str, str] | None = None):
        self.port = port or free_port()
        self.url = f"http://localhost:{self.port}"
        self.db_path = workdir / "e2e.db"
        self.log_path = workdir / "app.log"
        # The console SMS backend also writes each message here (tests only: production
        # refuses it), so the tests can read the sign-up code a resident would receive.
        self.sms_outbox = str(workdir / "sms_outbox.jsonl")
        self.states_dir = workdir / "states"
        self.env = dict(os.environ)
        self.env.update(
            DATABASE_URL=f"sqlite:///{self.db_path}",
            APP_ORIGIN=self.url,
            API_URL=self.url,
            UPLOAD_DIR=str(workdir / "uploads"),
            SMS_OUTBOX_FILE=self.sms_outbox,
            REFLEX_STATES_WORKDIR=str(self.states_dir),
            REFLEX_USE_SYSTEM_BUN="1",
            REFLEX_TELEMETRY_ENABLED="false",
            PATH=f"{ROOT / 'tools/bun/node_modules/.bin'}:{Path(sys.executable).parent}:{os.environ['PATH']}",
        )
        self.env.update(extra_env or {})
        # Production password hashing costs in the browser tests.
        self.env.pop("ARGON2_TIME_COST", None)
        self.env.pop("ARGON2_MEMORY_KIB", None)
        self.env.pop("STAFF_TOTP", None)  # the unit tests' switch: the app runs as in production
        self.proc: subprocess.Popen | None = None

    def _cli(self, *args: str) -> None:
        subprocess.run([sys.executable, "-m", "community_app.cli", *args], cwd=ROOT, env=self.env, check=True,
                       stdout=subprocess.DEVNULL)

    def start(self, timeout: float = 600) -> AppServer:
        self._cli("migrate")
        self._cli("seed-demo")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "reflex"), "run", "--env", "prod",
             "--frontend-port", str(self.port), "--backend-port", str(self.port)],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"app exited early, see {self.log_path}:\n{self.log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/login", timeout=5) as r:
                    if r.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(1)
        self.stop()
        raise RuntimeError(f"app did not start in {timeout}s, see {self.log_path}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        if getattr(self, "log", None):
            self.log.close()
