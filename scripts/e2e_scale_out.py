"""Run the browser suite against the scale-out deployment: PostgreSQL + Redis (Reflex state
manager) + two backend workers, chosen by environment variables only.

    TEST_PG_URL=postgresql+psycopg://... python scripts/e2e_scale_out.py

Starts a throwaway redis-server and PostgreSQL database, the app on them, and runs
tests/e2e with E2E_APP_URL pointing at it. Exits with pytest's code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from tests.conftest import drop_database  # noqa: E402
from tests.e2e.appserver import AppServer, free_port  # noqa: E402


def main() -> int:
    pg = os.environ.get("TEST_PG_URL")
    redis_bin = shutil.which("redis-server")
    if not pg or not redis_bin:
        print("scale-out e2e needs TEST_PG_URL and redis-server (make test provides both)", file=sys.stderr)
        return 2
    name = "e2e_" + uuid.uuid4().hex[:10]
    admin = create_engine(pg, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    redis_port = free_port()
    redis = subprocess.Popen([redis_bin, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no"], stdout=subprocess.DEVNULL)
    server = None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for _ in range(50):
                if subprocess.run(["redis-cli", "-p", str(redis_port), "ping"], capture_output=True,
                                  text=True).stdout.strip() == "PONG":
                    break
                time.sleep(0.1)
            server = AppServer(Path(tmp), extra_env={
                "DATABASE_URL": pg.rsplit("/", 1)[0] + "/" + name,
                "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
                "GRANIAN_WORKERS": "2",
            }).start()
            print(f"scale-out app on {server.url}: PostgreSQL {name}, Redis :{redis_port}, 2 workers", flush=True)
            env = dict(os.environ, E2E_APP_URL=server.url, SMS_OUTBOX_FILE=server.sms_outbox,
                       E2E_APP_LOG=str(server.log_path))
            # The journeys whose behaviour depends on the deployment (several workers sharing tab
            # state in Redis, PostgreSQL's locking): marked scale_out. The rest (page checks,
            # accessibility, the longer desk journeys) ran on the embedded default just before.
            return subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "scale_out",
                                    str(ROOT / "tests" / "e2e")], cwd=ROOT, env=env)
    finally:
        if server is not None:
            server.stop()
        redis.terminate()
        redis.wait(10)
        drop_database(admin, name)
        admin.dispose()


if __name__ == "__main__":
    sys.exit(main())
