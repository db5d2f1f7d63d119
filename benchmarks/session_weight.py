"""How heavy one signed-in session is: the bytes the websocket sends a phone for a page load
and for ordinary navigation, and the bytes the session's state takes in Redis (the scale-out
state manager stores every session there, and reads and writes it on every event).

Starts the production app on a fresh demo database with a private Redis, signs in as a
resident in Debian Chromium (390x844), reloads the home page, then goes 服务 -> 我的 -> 首页
three times. Needs what `make test` installs (Chromium, redis-server).

    python benchmarks/session_weight.py

Last line: `ws_page_load_bytes=<n> ws_per_navigation_bytes=<n> redis_session_bytes=<n>
redis_largest_state_bytes=<n>`.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import redis  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.appserver import CHROMIUM_ARGS, AppServer, free_port  # noqa: E402

ROUNDS = 3


def main() -> int:
    port = free_port()
    server_proc = subprocess.Popen(["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
                                   stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            app = AppServer(Path(tmp), extra_env={"REDIS_URL": f"redis://127.0.0.1:{port}"}).start()
            try:
                return _measure(app.url, redis.Redis(port=port))
            finally:
                app.stop()
    finally:
        server_proc.terminate()


def _measure(base: str, store: redis.Redis) -> int:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
        ctx.set_default_timeout(30_000)
        page = ctx.new_page()
        page.goto(base + "/login")
        page.fill("#f-mobile", "13800000002")
        page.fill("#f-password", "linli-demo-2026")
        page.click("#login-submit")
        page.locator("#greeting").wait_for()

        received: list[int] = []
        page.on("websocket", lambda ws: ws.on(
            "framereceived", lambda frame: received.append(len(frame) if isinstance(frame, (str, bytes)) else 0)))
        page.reload()
        page.locator("#greeting").wait_for()
        page.wait_for_timeout(500)
        load_bytes = sum(received)
        received.clear()
        for _ in range(ROUNDS):
            page.click("#tab-services")
            page.locator("#svc-yijian").wait_for()
            page.click("#tab-me")
            page.locator("#sign-out").wait_for()
            page.click("#tab-home")
            page.locator("#greeting").wait_for()
        page.wait_for_timeout(500)
        per_nav = sum(received) // (3 * ROUNDS)
        browser.close()

    sizes = [store.strlen(k) for k in store.keys("*") if store.type(k) == b"string"]
    print(f"websocket, page load of the home page: {load_bytes} bytes")
    print(f"websocket, per navigation (服务/我的/首页, {3 * ROUNDS} in all): {per_nav} bytes")
    print(f"redis: {len(sizes)} state entries for the session, {sum(sizes)} bytes, largest {max(sizes, default=0)}")
    print(f"ws_page_load_bytes={load_bytes} ws_per_navigation_bytes={per_nav} "
          f"redis_session_bytes={sum(sizes)} redis_largest_state_bytes={max(sizes, default=0)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
