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
from tests.e2e.conftest import STAFF_MOBILES, totp_code  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
PASSWORD = "linli-demo-2026"


def sign_in(page, base: str, mobile: str) -> None:
    page.goto(base + "/login")
    page.fill("#f-mobile", mobile)
    page.fill("#f-password", PASSWORD)
    page.click("#login-submit")
    if mobile in STAFF_MOBILES:  # staff sign in with the demo authenticator's code too
        page.locator("#code-submit").wait_for()
        page.fill("#f-code", totp_code(mobile))
        page.click("#code-submit")


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
                page.goto(base + "/me")
                page.click("#sign-out")
                page.wait_for_url("**/login**")  # signing out reloads the page on /login
                page.locator("#login-submit").wait_for()
                sign_in(page, base, "13900000001")
                shot(page, "staff_home", "#staff-community")
                page.goto(base + "/staff/accounts")
                shot(page, "staff_accounts", "#create-account")
                for extra in EXTRA_STAFF:
                    extra(page, base)
                domain_pages(browser, base, page)
                browser.close()
        finally:
            server.stop()
    return 0


def resident_bookings(page, base: str) -> None:
    page.goto(base + "/services")
    shot(page, "services", "[id^=svc-]")
    page.click("#svc-yijian")
    page.locator("#day-list [id^=day-]").first.click()
    shot(page, "service_slots", "#slot-list [id^=slot-]")
    page.locator("#slot-list [id^=slot-]").first.click()
    page.click("#book-confirm")
    shot(page, "booking_detail", "#booking-status")
    page.goto(base + "/services")
    page.click("#svc-appliance_repair")
    shot(page, "service_request", "#request-submit")
    page.goto(base + "/bookings")
    shot(page, "my_bookings", "[id^=booking-]")
    page.goto(base + "/notifications")
    shot(page, "notifications", "#mark-all-read")


def staff_bookings(page, base: str) -> None:
    page.goto(base + "/staff/bookings")
    shot(page, "staff_queue", "#queue-total")
    page.goto(base + "/staff/days")
    shot(page, "staff_days", "[id^=day-row-]")
    # The sheet of the next 义剪 day (the demo has booked part of it).
    yijian = page.locator("#d-type option", has_text="义剪").first.get_attribute("value")
    page.locator("#d-type").select_option(value=yijian)
    page.locator("#d-range").select_option(value="90")
    page.locator("#days-table [id^=day-row-]", has_text="义剪").first.wait_for()
    page.locator("#days-table [id^=sheet-]").first.click()
    shot(page, "staff_day_sheet", "#sheet-service")
    page.goto(base + "/staff/book")
    shot(page, "staff_book", "#find-resident")
    page.goto(base + "/staff/catalogue")
    shot(page, "staff_catalogue", "[id^=type-row-]")


# The other domains' pages: (who signs in, path, file name, elder mode). Each page is shot once
# it has loaded (no request in flight) and settled.
DOMAIN_PAGES = [
    ("13800000002", "/bookings", "my_bookings_elder", True),
    ("13800000002", "/services", "services_elder", True),
    ("13800000002", "/classes", "classes", False),
    ("13800000002", "/classes/mine", "my_classes", False),
    ("13800000002", "/mediation", "mediation", False),
    ("13800000002", "/mediation/new", "mediation_new", False),
    ("13800000002", "/topics", "topics", False),
    ("13800000002", "/requests", "requests", False),
    ("13800000002", "/report", "report", False),
    ("13700000001", "/volunteer", "volunteer", False),
    ("13700000001", "/volunteer/points", "volunteer_points", False),
    ("13700000001", "/volunteer/shop", "volunteer_shop", False),
    ("13700000001", "/volunteer/passbook", "volunteer_passbook", False),
    ("13700000002", "/volunteer/tasks", "volunteer_tasks", False),
    ("13700000001", "/volunteer/shop", "volunteer_shop_elder", True),
    ("13800000001", "/", "home_li_elder", True),
    ("13900000001", "/staff/classes", "staff_classes", False),
    ("13900000001", "/staff/volunteer/activities", "staff_volunteer", False),
    ("13900000001", "/staff/volunteer/verify", "staff_verify", False),
    ("13900000001", "/staff/mediation", "staff_mediation", False),
    ("13900000001", "/staff/register", "staff_register", False),
    ("13900000001", "/staff/requests", "staff_requests", False),
    ("13900000001", "/staff/notices", "staff_notices", False),
    ("13900000001", "/staff/audit", "staff_audit", False),
]


def domain_pages(browser, base: str, staff_page) -> None:
    """One signed-in phone per account, then each page of DOMAIN_PAGES (elder mode where asked).
    The staff member's page is the one already signed in (an authenticator code works once)."""
    pages: dict = {"13900000001": staff_page}
    for mobile, path, name, elder in DOMAIN_PAGES:
        if mobile not in pages:
            ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
            ctx.set_default_timeout(30_000)
            pages[mobile] = ctx.new_page()
            sign_in(pages[mobile], base, mobile)
            pages[mobile].wait_for_url(lambda url: "/login" not in url)
        page = pages[mobile]
        page.evaluate(f"localStorage.setItem('linli_elder', '{1 if elder else 0}')")
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1200)
        page.screenshot(path=str(OUT / f"{name}.png"))
        print("wrote", OUT / f"{name}.png")
    for page in pages.values():
        if page is not staff_page:
            page.context.close()


EXTRA_RESIDENT: list = [resident_bookings]
EXTRA_STAFF: list = [staff_bookings]

if __name__ == "__main__":
    sys.exit(main())
