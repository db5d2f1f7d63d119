"""Regenerate docs/screenshots/*.png: phone-sized (390x844) Chromium shots of the main pages,
against a fresh demo database. Run with `make screenshots`."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.appserver import CHROMIUM_ARGS, AppServer  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
PASSWORD = "linli-demo-2026"


def sign_in(page, base: str, mobile: str) -> None:
    page.goto(base + "/login")
    page.fill("#f-mobile", mobile)
    page.fill("#f-password", PASSWORD)
    page.click("#login-submit")


def shot(page, name: str, wait_for: str) -> None:
    page.locator(wait_for).first.wait_for()
    page.wait_for_timeout(400)
    page.screenshot(path=str(OUT / f"{name}.png"))
    print("wrote", OUT / f"{name}.png")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        server = AppServer(Path(tmp)).start()
        base = server.url
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
                ctx.set_default_timeout(20_000)
                page = ctx.new_page()
                page.goto(base + "/login")
                shot(page, "login", "#login-submit")
                page.goto(base + "/signup")
                shot(page, "signup", "#signup-submit")
                sign_in(page, base, "13800000002")
                shot(page, "home", "#greeting")
                page.click("#elder-switch-home")
                shot(page, "home_elder", ".app.elder")
                page.click("#elder-switch-home")
                page.goto(base + "/me")
                shot(page, "me", "#sign-out")
                for extra in EXTRA_RESIDENT:
                    extra(page, base)
                page.click("#sign-out")
                sign_in(page, base, "13900000001")
                shot(page, "staff_home", "#staff-community")
                page.goto(base + "/staff/accounts")
                shot(page, "staff_accounts", "#create-account")
                for extra in EXTRA_STAFF:
                    extra(page, base)
                browser.close()
        finally:
            server.stop()
    return 0


# Feature pages add their own shots here.
EXTRA_RESIDENT: list = []
EXTRA_STAFF: list = []

if __name__ == "__main__":
    sys.exit(main())
